import ArgumentParser
import CoprocessorClient
import CoprocessorWire
import Ethereum
import Foundation

/// Builds a signed SubmitJob body (the JSON the HTTP gateway takes), for demos and scripts.
struct MakeJobCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "make-job",
        abstract: "Print a signed submit_job JSON body for the HTTP gateway.",
        discussion: """
            Example: coprocessor-node make-job --program-id <hex> --consumer 0x5FbDB2315678afecb367f032d93F642f64180aa3 \
            --nonce 1 --onchain-input 0x000000000000000000000000aaaa...aaaa --signer-key <hex> \
            | curl -s -d @- http://127.0.0.1:8080/v1/coprocessor_node/submit_job
            """
    )

    @Option(help: "Program ID (hex) as returned by submit_program.") var programId: String
    @Option(help: "Consumer contract address.") var consumer: String
    @Option(help: "Job nonce (unique per consumer).") var nonce: UInt64
    @Option(help: "Onchain input (hex).") var onchainInput = ""
    @Option(help: "Offchain input (hex).") var offchainInput = ""
    @Option(help: "State (hex).") var state = ""
    @Option(help: "Cycle limit for the job.") var maxCycles: UInt64 = 1_000_000
    @Option(help: "Private key (hex) of the request signer; default: the vectors' dev signer (anvil #5).")
    var signerKey = "0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba"

    func run() throws {
        let job = JobRequest(nonce: nonce, maxCycles: maxCycles, consumer: try Address(hex: consumer),
                             programID: try Hex.decode(programId), onchainInput: try Hex.decode(onchainInput),
                             offchainInput: try Hex.decode(offchainInput), state: try Hex.decode(state))
        let body = try job.signed(by: try PrivateKey(hex: signerKey))
        print(String(decoding: JSONWriter.encode(body), as: UTF8.self))
        FileHandle.standardError.write(Data("job id: \(Hex.encode(job.jobID))\n".utf8))
    }
}
