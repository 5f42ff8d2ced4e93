import Foundation
import ZKVM

// Usage: engine-consumer GUEST.elf N
// Runs the guest on stdin item LE32(N) through the async API and prints its program ID, cycles and
// public values; then starts the same guest on an endless input, cancels it and prints how it
// stopped. One `key: value` line each.
let arguments = CommandLine.arguments
guard arguments.count == 3, let n = UInt32(arguments[2]) else {
    FileHandle.standardError.write(Data("usage: engine-consumer GUEST.elf N\n".utf8))
    exit(2)
}
let program = try Program(contentsOf: URL(fileURLWithPath: arguments[1]))
let input = withUnsafeBytes(of: n.littleEndian) { [UInt8]($0) }

let run = try await program.run(stdin: [input], maxCycles: 100_000_000)
print("program: \(program.id)")
print("cycles: \(run.cycles)")
print("public values: \(run.publicValuesHex)")

let endless = Task { () throws(ExecutionError) -> Execution in
    try await program.run(stdin: [[0xFF, 0xFF, 0xFF, 0xFF]], maxCycles: .max)
}
try await Task.sleep(for: .milliseconds(100))
endless.cancel()
switch await endless.result {
case .success(let execution): print("endless: finished after \(execution.cycles) cycles")
case .failure(let error as ExecutionError): print("endless: \(error.kind)")
case .failure(let error): print("endless: \(error)")
}
