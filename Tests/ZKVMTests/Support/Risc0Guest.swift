import Foundation
@testable import ZKVM

/// Hand-assembled RISC Zero 1.x guests: the ecall conventions of risc0-zkvm-platform 1.0.5 and a
/// data segment holding the syscall names and two output digests.
enum R0Guest {
    /// The data segment: a non-zero output digest, a zero one, then the syscall names.
    static let data: UInt32 = 0x0030_0000
    static let digest: UInt32 = data  // 32 bytes of 0x5A: the journal is kept
    static let zeroDigest: UInt32 = data + 0x20
    static let namesStart: UInt32 = data + 0x40
    /// Free guest memory for buffers (no segment there).
    static let buffer: UInt32 = 0x0050_0000

    static let prefix = "risc0_zkvm_platform::syscall::nr::"
    /// Names laid out 64 bytes apart from `namesStart` (index = position here).
    static let names = ["SYS_READ", "SYS_WRITE", "SYS_LOG", "SYS_PANIC", "SYS_CYCLE_COUNT", "SYS_RANDOM", "SYS_GETENV",
                        "SYS_ARGC", "SYS_ARGV", "SYS_VERIFY_INTEGRITY", "SYS_KECCAK", "SYS_FORK", "SYS_NOPE"]

    /// Address of the full name of `short` ("SYS_READ" → "risc0_zkvm_platform::syscall::nr::SYS_READ").
    static func name(_ short: String) -> UInt32 {
        namesStart + 64 * UInt32(names.firstIndex(of: short)!)
    }

    static var dataBytes: [UInt8] {
        var bytes = [UInt8](repeating: 0x5A, count: 32) + [UInt8](repeating: 0, count: 32)
        for n in names {
            var slot = Array((prefix + n).utf8) + [0]
            slot += [UInt8](repeating: 0, count: 64 - slot.count)
            bytes += slot
        }
        return bytes
    }

    /// Instructions of `halt` (LI a0, LI a1, LI t0, ECALL), each one user cycle.
    static let haltCycles: UInt64 = 7

    /// A program of `body` then `halt`; `storing` registers are written to the journal first (at
    /// `scratch`, with SYS_WRITE to fd 3), so that `journalWords` returns them.
    static func program(storing results: [Reg] = [], extraData: [UInt8] = [], entry: UInt32? = nil,
                        _ body: (inout Assembler) -> Void) throws -> Program {
        var asm = Assembler()
        body(&asm)
        if !results.isEmpty {
            asm.li(.t6, resultArea)
            for (k, r) in results.enumerated() { asm.sw(r, Int32(4 * k), .t6) }
            asm.r0Software("SYS_WRITE", a3: 3, a4: resultArea, a5: UInt32(4 * results.count))
        }
        asm.r0Halt()
        return try Program(elf: elf(asm.assemble(), extraData: extraData), vm: .risc0)
    }

    static func elf(_ code: [UInt32], extraData: [UInt8] = []) -> [UInt8] {
        ELFBuilder(entry: 0x0020_0800, segments: [
            .init(vaddr: 0x0020_0800, bytes: code.flatMap { $0.littleEndianBytes }, flags: 5),
            .init(vaddr: data, bytes: dataBytes + extraData, flags: 6),
        ]).build()
    }

    /// Address of `extraData` in the data segment.
    static var extraData: UInt32 { data + UInt32(dataBytes.count) }

    /// Runs `program(storing:)` and returns the stored registers.
    static func run(_ results: [Reg], stdin: [[UInt8]] = [], extraData: [UInt8] = [], maxCycles: UInt64 = 10_000_000,
                    _ body: (inout Assembler) -> Void) throws -> [UInt32] {
        words(try program(storing: results, extraData: extraData, body).execute(stdin: stdin, maxCycles: maxCycles)
            .journal)
    }
}

extension Assembler {

    /// SOFTWARE ecall: a0/a1 = host-to-guest buffer and its length in words, a2 = the name of
    /// `syscall` (R0Guest's table), a3..a5 = arguments. Registers left nil are not set.
    mutating func r0Software(_ syscall: String, buf: UInt32 = 0, words: UInt32 = 0, a3: UInt32? = nil,
                             a4: UInt32? = nil, a5: UInt32? = nil) {
        li(.a0, buf)
        li(.a1, words)
        li(.a2, R0Guest.name(syscall))
        if let a3 { li(.a3, a3) }
        if let a4 { li(.a4, a4) }
        if let a5 { li(.a5, a5) }
        li(.t0, 2)
        ecall()
    }

    /// HALT: a0 = type | exit << 8, a1 = output digest (7 instructions).
    mutating func r0Halt(type: UInt32 = 0, exit: UInt32 = 0, digest: UInt32 = R0Guest.digest) {
        li(.a0, type | exit << 8)
        li(.a1, digest)
        li(.t0, 0)
        ecall()
    }

    /// t0 = code, a0..a4 as given, ECALL.
    mutating func r0Ecall(_ code: UInt32, _ args: [UInt32]) {
        for (i, v) in args.enumerated() { li(Reg(rawValue: Reg.a0.rawValue + UInt32(i))!, v) }
        li(.t0, code)
        ecall()
    }
}
