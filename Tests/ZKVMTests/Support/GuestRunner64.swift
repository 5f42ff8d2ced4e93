import Foundation
@testable import ZKVM

/// RV64 (SP1 v6) counterparts of GuestRunner's helpers: text at 0x78000000, scratch data at
/// 0x78100000, results at 0x78200000 (every address below 2^40 is guest memory on v6).
let scratch64: UInt64 = 0x7810_0000
let resultArea64: UInt64 = 0x7820_0000

/// Assembles `body`, then stores the `results` registers (8 bytes each) as public values (fd 13)
/// and halts with exit code 0.
func program64(storing results: [Reg] = [], data: [UInt8]? = nil, _ body: (inout Assembler) -> Void) throws -> Program {
    let words = assemble(storing: results, base: 0x7800_0000, resultArea: UInt32(resultArea64), registerBytes: 8, body)
    return try Program(elf: ELF64Builder(code: words, data: data, dataAddress: scratch64).build())
}

/// Runs a program built by `program64(storing:...)` and returns the stored register values.
func run64(_ results: [Reg], data: [UInt8]? = nil, maxCycles: UInt64 = 1_000_000,
           _ body: (inout Assembler) -> Void) throws -> [UInt64] {
    let execution = try program64(storing: results, data: data, body).executeOnEveryTier(maxCycles: maxCycles)
    return doublewords(execution.publicValues)
}

func doublewords(_ bytes: [UInt8]) -> [UInt64] {
    stride(from: 0, to: bytes.count, by: 8).map { i in
        bytes[i..<min(i + 8, bytes.count)].enumerated().reduce(0) { $0 | UInt64($1.element) << (8 * $1.offset) }
    }
}
