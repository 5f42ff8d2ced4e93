import Foundation
import Testing
@testable import ZKVM

/// The engine under the RISC Zero ABI against scripts/risc0_model.py (an instruction-by-instruction
/// Python model of RISC Zero 1.0.5's executor, sharing no code with the engine) on random
/// programs: every ALU, multiply and divide op with random operands (division by zero and
/// overflow included), loads and stores of every width, taken and untaken branches, and the
/// ecalls with data-dependent results (SYS_CYCLE_COUNT, SYS_RANDOM, SHA, BIGINT). Same outcome,
/// same journal (all registers at the end), same user cycles.
@Suite("RISC Zero differential against risc0_model.py")
struct Risc0DifferentialTests {
    static let work: [Reg] = [.a2, .a3, .a4, .a5, .a6, .a7, .s2, .s3, .s4, .s5, .s6, .s7]

    /// A random guest: random work, then every work register written to the journal.
    static func randomProgram(seed: UInt64) -> [UInt8] {
        var rng = SplitMix64(seed: seed)
        var asm = Assembler()
        func reg() -> Reg { work[rng.below(work.count)] }
        for r in work { asm.li(r, rng.word()) }
        asm.li(.s8, R0Guest.buffer)  // scratch base
        for _ in 0..<(40 + rng.below(40)) {
            let d = reg(), a = reg(), b = reg()
            switch rng.below(12) {
            case 0:
                let ops: [(inout Assembler, Reg, Reg, Reg) -> Void] = [
                    { $0.add($1, $2, $3) }, { $0.sub($1, $2, $3) }, { $0.xor($1, $2, $3) }, { $0.or($1, $2, $3) },
                    { $0.and($1, $2, $3) }, { $0.sll($1, $2, $3) }, { $0.srl($1, $2, $3) }, { $0.sra($1, $2, $3) },
                    { $0.slt($1, $2, $3) }, { $0.sltu($1, $2, $3) },
                ]
                ops[rng.below(ops.count)](&asm, d, a, b)
            case 1:
                let ops: [(inout Assembler, Reg, Reg, Reg) -> Void] = [
                    { $0.mul($1, $2, $3) }, { $0.mulh($1, $2, $3) }, { $0.mulhsu($1, $2, $3) }, { $0.mulhu($1, $2, $3) },
                    { $0.div($1, $2, $3) }, { $0.divu($1, $2, $3) }, { $0.rem($1, $2, $3) }, { $0.remu($1, $2, $3) },
                ]
                ops[rng.below(ops.count)](&asm, d, a, b)
            case 2:
                let imm = Int32(rng.below(4096)) - 2048
                let ops: [(inout Assembler, Reg, Reg, Int32) -> Void] = [
                    { $0.addi($1, $2, $3) }, { $0.xori($1, $2, $3) }, { $0.ori($1, $2, $3) }, { $0.andi($1, $2, $3) },
                    { $0.slti($1, $2, $3) }, { $0.sltiu($1, $2, $3) },
                ]
                ops[rng.below(ops.count)](&asm, d, a, imm)
            case 3:
                let sh = Int32(rng.below(32))
                [{ asm.slli(d, a, sh) }, { asm.srli(d, a, sh) }, { asm.srai(d, a, sh) }][rng.below(3)]()
            case 4:
                asm.lui(d, UInt32(rng.below(1 << 20)))
                if rng.below(2) == 0 { asm.auipc(d, UInt32(rng.below(1 << 20))) }
            case 5:  // store then load at a random offset of the scratch area
                let off = Int32(rng.below(256)) * 4
                asm.sw(a, off, .s8)
                [{ asm.lw(d, off, .s8) }, { asm.lb(d, off + 1, .s8) }, { asm.lbu(d, off + 3, .s8) },
                 { asm.lh(d, off + 2, .s8) }, { asm.lhu(d, off, .s8) }][rng.below(5)]()
                if rng.below(2) == 0 { asm.sb(b, off + 2, .s8) } else { asm.sh(b, off + 2, .s8) }
                asm.lw(d, off, .s8)
            case 6, 7:  // a forward branch over one or two instructions
                let skip = asm.label()
                [{ asm.beq(a, b, skip) }, { asm.bne(a, b, skip) }, { asm.blt(a, b, skip) }, { asm.bge(a, b, skip) },
                 { asm.bltu(a, b, skip) }, { asm.bgeu(a, b, skip) }][rng.below(6)]()
                asm.xori(d, d, 0x55)
                if rng.below(2) == 0 { asm.add(d, d, a) }
                asm.bind(skip)
            case 8:
                asm.r0Software("SYS_CYCLE_COUNT")
                asm.add(d, .a1, .zero)
            case 9:
                asm.r0Software("SYS_RANDOM", buf: R0Guest.buffer + 0x800, words: UInt32(1 + rng.below(9)))
                asm.li(.t1, R0Guest.buffer + 0x800)
                asm.lw(d, Int32(4 * rng.below(1)), .t1)
            case 10:  // SHA over scratch (which the stores above fill)
                let count = UInt32(rng.below(3))
                asm.r0Ecall(3, [R0Guest.buffer + 0x400, R0Guest.buffer + 0x400, R0Guest.buffer, R0Guest.buffer + 32, count])
                asm.li(.t1, R0Guest.buffer + 0x400)
                asm.lw(d, 28, .t1)
            default:  // BIGINT over scratch, modulus from scratch too (0 when untouched: must not overflow)
                asm.r0Ecall(4, [R0Guest.buffer + 0x500, 0, R0Guest.buffer + 0x100, R0Guest.buffer + 0x140,
                                R0Guest.buffer + 0x180])
                asm.li(.t1, R0Guest.buffer + 0x500)
                asm.lw(d, 4 * Int32(rng.below(8)), .t1)
            }
        }
        asm.li(.t6, resultArea)
        for (k, r) in work.enumerated() { asm.sw(r, Int32(4 * k), .t6) }
        asm.r0Software("SYS_WRITE", a3: 3, a4: resultArea, a5: UInt32(4 * work.count))
        asm.r0Halt(exit: UInt32(rng.below(256)))
        return R0Guest.elf(asm.assemble())
    }

    static let model = Paths.repo.appendingPathComponent("scripts/risc0_model.py").path

    /// (outcome, exit, user cycles, journal hex) from the model.
    static func reference(_ elf: [UInt8], seed: [UInt8]) throws -> [String: String] {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("r0diff-\(UUID().uuidString).elf")
        try Data(elf).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        guard let out = shell("/usr/bin/env", ["python3", model, file.path, "--seed", hex(seed)]) else { return [:] }
        var fields: [String: String] = [:]
        for line in out.output.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            if parts.count == 2 { fields[String(parts[0])] = parts[1].trimmingCharacters(in: .whitespaces) }
        }
        return fields
    }

    @Test("random programs: same outcome, journal and user cycles as the model", arguments: 0..<40)
    func random(_ index: Int) throws {
        let elf = Self.randomProgram(seed: 0x5EED_0000 + UInt64(index))
        let seed = (0..<32).map { UInt8(truncatingIfNeeded: $0 * 13 + index) }
        let ref = try Self.reference(elf, seed: seed)
        try #require(ref["user cycles"] != nil, "python3 scripts/risc0_model.py did not run")
        let program = try Program(elf: elf, vm: .risc0)
        do {
            let e = try program.execute(stdin: [], maxCycles: 100_000_000, randomSeed: seed)
            #expect(ref["outcome"] == "ok")
            #expect(ref["exit"] == "\(e.exit)")
            #expect(ref["journal"] == hex(e.journal))
            #expect(ref["user cycles"] == "\(e.cycles)")
        } catch {
            // BIGINT with modulus 0 can overflow: both must fail at the same point.
            #expect(ref["outcome"]?.hasPrefix("syscall") == true, "model: \(ref["outcome"] ?? "-"); engine: \(error)")
            #expect(ref["user cycles"] == "\(error.cycles)")
        }
    }
}

extension SplitMix64 {
    /// A random word, edge values often: 0, 1, -1, INT_MIN, INT_MAX, small numbers.
    mutating func word() -> UInt32 {
        switch below(6) {
        case 0: return [0, 1, 0xFFFF_FFFF, 0x8000_0000, 0x7FFF_FFFF][below(5)]
        case 1: return UInt32(below(64))
        default: return UInt32(truncatingIfNeeded: next())
        }
    }
}
