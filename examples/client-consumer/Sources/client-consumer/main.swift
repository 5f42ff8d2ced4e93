import CoprocessorClient
import Ethereum
import Foundation

// Usage: client-consumer NODE_URL GUEST.elf ONCHAIN_INPUT_HEX SIGNER_KEY_HEX
// Submits the guest and one signed job over HTTP, waits for the result and prints the job ID, its
// status and the signed result (hex), one `key: value` line each.
let arguments = CommandLine.arguments
guard arguments.count == 5 else {
    FileHandle.standardError.write(Data("usage: client-consumer NODE_URL GUEST.elf ONCHAIN_INPUT_HEX SIGNER_KEY_HEX\n".utf8))
    exit(2)
}
let node = CoprocessorClient.http(arguments[1])
let elf = [UInt8](try Data(contentsOf: URL(fileURLWithPath: arguments[2])))
let programID = try await node.submitProgram(elf: elf, vm: .sp1)
let job = JobRequest(nonce: 1, consumer: try Address(hex: "0x5FbDB2315678afecb367f032d93F642f64180aa3"),
                     programID: programID, onchainInput: try Hex.decode(arguments[3]))
let jobID = try await node.submitJob(job, signer: try PrivateKey(hex: arguments[4]))
let result = try await node.waitForResult(jobID: jobID)
print("job: \(Hex.encode(jobID))")
print("status: \(result.status?.status.rawValue ?? -1)")
print("result: \(Hex.encode(result.resultWithMetadata))")
