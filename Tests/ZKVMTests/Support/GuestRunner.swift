import Foundation
import Testing
@testable import ZKVM

typealias Reg = Assembler.Reg

/// Where test programs keep scratch data and their results (inside the guest window, no segment).
let scratch: UInt32 = 0x0040_0000
let resultArea: UInt32 = 0x0048_0000

/// Assembles `body`, then stores `results` registers to memory, writes them as public values
/// (fd 13) and halts. Returns the program.
func program(storing results: [Reg] = [], data: [UInt8]? = nil, _ body: (inout Assembler) -> Void) throws -> Program {
    try programWithSize(storing: results, data: data, body).program
}

/// As `program(storing:data:_:)`, also returning the number of instructions in the text.
func programWithSize(storing results: [Reg] = [], data: [UInt8]? = nil, _ body: (inout Assembler) -> Void)
    throws -> (program: Program, instructions: Int)
{
    let words = assemble(storing: results, base: 0x0020_0800, resultArea: resultArea, registerBytes: 4, body)
    return (try Program(elf: ELFBuilder(code: words, data: data, dataAddress: scratch).build()), words.count)
}

/// `body` at `base`, then the `results` registers (`registerBytes` each, SW or SD) stored at
/// `resultArea` and written as public values (fd 13), then HALT(0).
func assemble(storing results: [Reg], base: UInt32, resultArea: UInt32, registerBytes: Int,
              _ body: (inout Assembler) -> Void) -> [UInt32] {
    var asm = Assembler(base: base)
    body(&asm)
    precondition(!results.contains(.t6), "t6 is the result pointer")
    if !results.isEmpty {
        asm.li(.t6, resultArea)
        for (k, r) in results.enumerated() {
            if registerBytes == 8 { asm.sd(r, Int32(8 * k), .t6) } else { asm.sw(r, Int32(4 * k), .t6) }
        }
        asm.syscall(2, a0: 13, a1: resultArea, a2: UInt32(registerBytes * results.count))
    }
    asm.halt()
    return asm.assemble()
}

/// Runs a program built by `program(storing:...)` and returns the stored register values.
func run(_ results: [Reg], data: [UInt8]? = nil, maxCycles: UInt64 = 1_000_000,
         _ body: (inout Assembler) -> Void) throws -> [UInt32] {
    let execution = try program(storing: results, data: data, body).executeOnEveryTier(maxCycles: maxCycles)
    return words(execution.publicValues)
}

extension Program {
    /// Runs the program on every execution tier (the interpreter, and the JIT where the host has
    /// one), records a test issue for anything in which the JIT's run differs from the
    /// interpreter's (outcome, cycles, public values, output, failure fields, registers, `memory`, by default
    /// the scratch data; `JITDifferentialTests.compare`), and returns or throws the interpreter's result. The
    /// instruction tests use it, so each expected value is checked on both tiers.
    func executeOnEveryTier(stdin: [[UInt8]] = [], maxCycles: UInt64,
                            memory: (address: UInt64, count: Int)? = nil) throws(ExecutionError) -> Execution {
        let window = memory ?? (isa == .rv64im ? (scratch64, 1 << 16) : (UInt64(scratch), 1 << 16))
        if let difference = JITDifferentialTests.compare(self, stdin: stdin, maxCycles: maxCycles, memory: window) {
            Issue.record("the JIT and the interpreter differ: \(difference)")
        }
        return try execute(stdin: stdin, maxCycles: maxCycles, engine: .interpreter)
    }
}

func words(_ bytes: [UInt8]) -> [UInt32] {
    stride(from: 0, to: bytes.count, by: 4).map { i in
        bytes[i..<min(i + 4, bytes.count)].enumerated().reduce(0) { $0 | UInt32($1.element) << (8 * $1.offset) }
    }
}

/// Repository root and the shared test material beside it (absent in a user's clone).
enum Paths {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let shared = repo.deletingLastPathComponent().appendingPathComponent("shared")
    static let sp1 = shared.appendingPathComponent("sp1")
    static var hasShared: Bool { FileManager.default.fileExists(atPath: sp1.appendingPathComponent("manifest.json").path) }
    static var hasSharedV6: Bool { FileManager.default.fileExists(atPath: sp1.appendingPathComponent("manifest-v6.json").path) }

    static func bytes(_ url: URL) throws -> [UInt8] { [UInt8](try Data(contentsOf: url)) }
}

func hexBytes(_ s: String) -> [UInt8] {
    var out = [UInt8]()
    var it = s.makeIterator()
    while let a = it.next(), let b = it.next() { out.append(UInt8(String([a, b]), radix: 16)!) }
    return out
}

func hex(_ b: [UInt8]) -> String { b.map { String(format: "%02x", $0) }.joined() }

/// Runs an external command, returning its standard output, and its standard error too if
/// `withStderr` (nil if it cannot be started).
func shell(_ executable: String, _ arguments: [String], withStderr: Bool = false) -> (status: Int32, output: String)? {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = withStderr ? pipe : FileHandle.nullDevice
    do { try process.run() } catch { return nil }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}
