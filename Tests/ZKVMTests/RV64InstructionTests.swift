import Testing
@testable import ZKVM

/// Every RV64IM instruction with the edge cases of SP1_V6_ABI.md §1.5 (rv64ui / rv64um style):
/// 64-bit results, 6-bit shift amounts, *W ops on the low 32 bits with sign-extended results,
/// division without traps (x / 0 = all ones, x % 0 = x, MIN / -1 = MIN), LD / LWU / SD, JALR
/// clearing bit 0, and the alignment and address faults of SP1 v6's executor. Every program runs on
/// both tiers, the interpreter and the JIT (`executeOnEveryTier`), which must agree.
@Suite("RV64IM instructions")
struct RV64InstructionTests {
    typealias BinOp = InstructionTests.BinOp

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String, a: UInt64, b: UInt64, expected: UInt64
        var testDescription: String { "\(name)(0x\(String(a, radix: 16)), 0x\(String(b, radix: 16)))" }
    }

    /// RV32IM's register-register ops (same encodings, 64-bit semantics here) and the *W ops.
    static let ops: [String: BinOp] = InstructionTests.ops.merging([
        "addw": { $0.addw($1, $2, $3) }, "subw": { $0.subw($1, $2, $3) }, "sllw": { $0.sllw($1, $2, $3) },
        "srlw": { $0.srlw($1, $2, $3) }, "sraw": { $0.sraw($1, $2, $3) }, "mulw": { $0.mulw($1, $2, $3) },
        "divw": { $0.divw($1, $2, $3) }, "divuw": { $0.divuw($1, $2, $3) }, "remw": { $0.remw($1, $2, $3) },
        "remuw": { $0.remuw($1, $2, $3) },
    ]) { rv32, _ in rv32 }

    static let minus1: UInt64 = .max, int64Min: UInt64 = 1 << 63, int64Max: UInt64 = (1 << 63) - 1
    static func neg(_ v: Int64) -> UInt64 { UInt64(bitPattern: v) }

    static let cases: [Case] = [
        Case(name: "add", a: minus1, b: 1, expected: 0),
        Case(name: "add", a: int64Max, b: 1, expected: int64Min),
        Case(name: "add", a: 0xFFFF_FFFF, b: 1, expected: 0x1_0000_0000),  // no 32-bit wrap
        Case(name: "sub", a: 0, b: 1, expected: minus1),
        Case(name: "sub", a: int64Min, b: 1, expected: int64Max),
        Case(name: "xor", a: 0xF0F0_F0F0_0000_1234, b: 0x0FF0_0000_FFFF_FFFF, expected: 0xFF00_F0F0_FFFF_EDCB),
        Case(name: "or", a: 0x8000_0000_0000_0001, b: 0x1000, expected: 0x8000_0000_0000_1001),
        Case(name: "and", a: 0xF0F0_F0F0_F0F0_F0F0, b: 0x3C3C_3C3C_3C3C_3C3C, expected: 0x3030_3030_3030_3030),
        // Register shifts use the low six bits of rs2: by 64 is by 0, by 65 is by 1.
        Case(name: "sll", a: 1, b: 63, expected: int64Min),
        Case(name: "sll", a: 0x1234_5678_9ABC_DEF0, b: 64, expected: 0x1234_5678_9ABC_DEF0),
        Case(name: "sll", a: 1, b: 65, expected: 2),
        Case(name: "sll", a: 0x8000_0001, b: 32, expected: 0x8000_0001_0000_0000),
        Case(name: "srl", a: int64Min, b: 63, expected: 1),
        Case(name: "srl", a: int64Min, b: 0xFFFF_FFFF_FFFF_FFC4, expected: 0x0800_0000_0000_0000),  // & 63 = 4
        Case(name: "sra", a: int64Min, b: 63, expected: minus1),
        Case(name: "sra", a: int64Min, b: 68, expected: 0xF800_0000_0000_0000),
        Case(name: "sra", a: 0x8000_0000, b: 31, expected: 1),  // positive as a 64-bit value
        Case(name: "slt", a: minus1, b: 1, expected: 1),
        Case(name: "slt", a: 0x8000_0000, b: 0xFFFF_FFFF_8000_0000, expected: 0),
        Case(name: "slt", a: int64Min, b: int64Max, expected: 1),
        Case(name: "sltu", a: minus1, b: 1, expected: 0),
        Case(name: "sltu", a: 0x8000_0000, b: 0xFFFF_FFFF_8000_0000, expected: 1),
        Case(name: "mul", a: 0xFFFF_FFFF, b: 0xFFFF_FFFF, expected: 0xFFFF_FFFE_0000_0001),
        Case(name: "mul", a: 1 << 32, b: 1 << 32, expected: 0),
        Case(name: "mul", a: minus1, b: minus1, expected: 1),
        Case(name: "mulh", a: minus1, b: minus1, expected: 0),             // (-1)(-1) = 1
        Case(name: "mulh", a: int64Min, b: int64Min, expected: 1 << 62),    // 2^126
        Case(name: "mulh", a: int64Min, b: 2, expected: minus1),            // -2^64
        Case(name: "mulh", a: int64Max, b: minus1, expected: minus1),
        Case(name: "mulhu", a: minus1, b: minus1, expected: 0xFFFF_FFFF_FFFF_FFFE),
        Case(name: "mulhu", a: int64Min, b: 2, expected: 1),
        Case(name: "mulhsu", a: minus1, b: minus1, expected: minus1),       // -1 * (2^64 - 1)
        Case(name: "mulhsu", a: int64Min, b: minus1, expected: int64Min),   // -2^63 * (2^64 - 1)
        Case(name: "mulhsu", a: 2, b: int64Min, expected: 1),
        Case(name: "div", a: neg(-7), b: 2, expected: neg(-3)),
        Case(name: "div", a: 7, b: neg(-2), expected: neg(-3)),
        Case(name: "div", a: int64Min, b: minus1, expected: int64Min),      // INT64_MIN / -1
        Case(name: "div", a: 42, b: 0, expected: minus1),
        Case(name: "div", a: int64Min, b: 0, expected: minus1),
        Case(name: "divu", a: minus1, b: 2, expected: int64Max),
        Case(name: "divu", a: 42, b: 0, expected: minus1),
        Case(name: "divu", a: int64Min, b: minus1, expected: 0),
        Case(name: "rem", a: neg(-7), b: 2, expected: minus1),
        Case(name: "rem", a: 7, b: neg(-2), expected: 1),
        Case(name: "rem", a: int64Min, b: minus1, expected: 0),             // INT64_MIN % -1
        Case(name: "rem", a: neg(-7), b: 0, expected: neg(-7)),             // x % 0 = x
        Case(name: "remu", a: minus1, b: 10, expected: 5),
        Case(name: "remu", a: int64Min, b: 0, expected: int64Min),
        // *W: the low 32 bits, the 32-bit result sign-extended.
        Case(name: "addw", a: 0x7FFF_FFFF, b: 1, expected: 0xFFFF_FFFF_8000_0000),
        Case(name: "addw", a: 0x1234_5678_0000_0001, b: 1, expected: 2),    // high bits ignored
        Case(name: "addw", a: 0xFFFF_FFFF, b: 1, expected: 0),
        Case(name: "subw", a: 0, b: 0x8000_0000, expected: 0xFFFF_FFFF_8000_0000),
        Case(name: "subw", a: 0x1_0000_0000, b: 1, expected: minus1),
        Case(name: "sllw", a: 1, b: 31, expected: 0xFFFF_FFFF_8000_0000),
        Case(name: "sllw", a: 1, b: 32, expected: 1),                        // five-bit amount
        Case(name: "sllw", a: 0xFFFF_FFFF_0000_0003, b: 1, expected: 6),
        Case(name: "srlw", a: 0xFFFF_FFFF_8000_0000, b: 31, expected: 1),
        Case(name: "srlw", a: 0x8000_0000, b: 0, expected: 0xFFFF_FFFF_8000_0000),
        Case(name: "srlw", a: 0x8000_0000, b: 32, expected: 0xFFFF_FFFF_8000_0000),
        Case(name: "sraw", a: 0x8000_0000, b: 4, expected: 0xFFFF_FFFF_F800_0000),
        Case(name: "sraw", a: 0x0000_0001_7FFF_FFFF, b: 1, expected: 0x3FFF_FFFF),
        Case(name: "mulw", a: 0x10001, b: 0x10001, expected: 0x20001),
        Case(name: "mulw", a: 0x10000, b: 0x8000, expected: 0xFFFF_FFFF_8000_0000),
        Case(name: "mulw", a: 0x1_0000_0003, b: 0x1_0000_0005, expected: 15),
        Case(name: "divw", a: 0x8000_0000, b: minus1, expected: 0xFFFF_FFFF_8000_0000),  // INT32_MIN / -1
        Case(name: "divw", a: 7, b: 0, expected: minus1),
        Case(name: "divw", a: 0x1_8000_0001, b: 1 << 32, expected: minus1),  // divisor's low half is 0
        Case(name: "divw", a: 7, b: neg(-3), expected: neg(-2)),
        Case(name: "divuw", a: 0xFFFF_FFFF, b: 2, expected: 0x7FFF_FFFF),
        Case(name: "divuw", a: 0x8000_0000, b: minus1, expected: 0),
        Case(name: "divuw", a: 0x1_8000_0001, b: 1 << 32, expected: minus1),
        Case(name: "remw", a: 0x8000_0000, b: minus1, expected: 0),
        Case(name: "remw", a: 0x1_8000_0001, b: 1 << 32, expected: 0xFFFF_FFFF_8000_0001),  // sext(low half)
        Case(name: "remw", a: 7, b: neg(-3), expected: 1),
        Case(name: "remw", a: neg(-7), b: 2, expected: minus1),
        Case(name: "remuw", a: 0x8000_0000, b: minus1, expected: 0xFFFF_FFFF_8000_0000),
        Case(name: "remuw", a: 0x1_8000_0001, b: 0, expected: 0xFFFF_FFFF_8000_0001),
        Case(name: "remuw", a: 0xFFFF_FFFF, b: 10, expected: 5),
    ]

    @Test("register-register ops", arguments: cases)
    func registerOps(_ c: Case) throws {
        let op = Self.ops[c.name]!
        let r = try run64([.a0]) { asm in
            asm.li64(.a1, c.a)
            asm.li64(.a2, c.b)
            op(&asm, .a0, .a1, .a2)
        }
        #expect(r == [c.expected])
    }

    @Test("register-immediate ops: sign-extended immediates, six-bit shifts, *IW")
    func immediateOps() throws {
        let r = try run64([.a0, .a1, .a2, .a3, .a4, .a5, .a6, .a7, .s2, .s3, .s4, .s5, .s6, .s7, .s8]) { asm in
            asm.li64(.t1, 0xFFFF_FFFF_0000_0005)
            asm.addiw(.a0, .t1, -6)           // sext32(5 - 6) = -1
            asm.addi(.a1, .t1, -6)            // 64-bit: 0xFFFFFFFEFFFFFFFF
            asm.li64(.t2, 1)
            asm.slli(.a2, .t2, 63)            // 1 << 63
            asm.li64(.t3, 0x8000_0000_0000_0000)
            asm.srli(.a3, .t3, 40)            // 0x800000
            asm.srai(.a4, .t3, 63)            // all ones
            asm.slliw(.a5, .t2, 31)           // 0xFFFFFFFF80000000
            asm.li64(.t4, 0xFFFF_FFFF_8000_0000)
            asm.srliw(.a6, .t4, 4)            // 0x08000000
            asm.sraiw(.a7, .t4, 4)            // 0xFFFFFFFFF8000000
            asm.sltiu(.s2, .t1, -1)           // t1 < 2^64 - 1
            asm.slti(.s3, .t3, 0)             // INT64_MIN < 0
            asm.xori(.s4, .t3, -1)            // NOT: INT64_MAX
            asm.andi(.s5, .t1, -2048)         // 0xFFFFFFFF00000000
            asm.ori(.s6, .zero, -2048)        // 0xFFFFFFFFFFFFF800
            asm.addiw(.s7, .t4, 0)            // sext.w of 0xFFFFFFFF80000000: unchanged
            asm.li64(.t5, 0x0000_0001_7FFF_FFFF)
            asm.addiw(.s8, .t5, 1)            // sext32(0x80000000)
        }
        let expected: [UInt64] = [
            .max, 0xFFFF_FFFE_FFFF_FFFF, 1 << 63, 0x80_0000, .max, 0xFFFF_FFFF_8000_0000, 0x0800_0000, 0xFFFF_FFFF_F800_0000,
            1, 1, (1 << 63) - 1, 0xFFFF_FFFF_0000_0000, 0xFFFF_FFFF_FFFF_F800, 0xFFFF_FFFF_8000_0000, 0xFFFF_FFFF_8000_0000,
        ]
        #expect(r == expected)
    }

    @Test("LUI sign-extends; AUIPC adds to the 64-bit pc (beyond 32 bits too)")
    func upperImmediates() throws {
        var pc: UInt64 = 0
        let r = try run64([.a0, .a1, .a2, .a3]) { asm in
            asm.lui(.a0, 0x80000)             // 0xFFFFFFFF80000000
            asm.lui(.a1, 0x7FFFF)             // 0x7FFFF000
            pc = UInt64(asm.pc)
            asm.auipc(.a2, 0x7FFFF)           // pc + 0x7FFFF000 > 2^31: not a 32-bit constant
            asm.auipc(.a3, 0x80000)           // pc - 2^31
        }
        let expected: [UInt64] = [0xFFFF_FFFF_8000_0000, 0x7FFF_F000, pc + 0x7FFF_F000, (pc + 4) &- 0x8000_0000]
        #expect(r == expected)
    }

    @Test("loads sign- or zero-extend; LD / LWU / SD; sub-word stores merge into the doubleword")
    func loadsAndStores() throws {
        let data: [UInt8] = [0x80, 0xFF, 0x7F, 0x01, 0x00, 0x80, 0x34, 0x12, 0xEF, 0xCD, 0xAB, 0x89, 0x67, 0x45, 0x23, 0x01]
        let r = try run64([.a0, .a1, .a2, .a3, .a4, .a5, .a6, .a7, .s2, .s3, .s4], data: data + [UInt8](repeating: 0, count: 16)) { asm in
            asm.li(.t1, UInt32(scratch64))
            asm.lb(.a0, 0, .t1)               // 0x80 -> sign-extended to 64 bits
            asm.lbu(.a1, 0, .t1)
            asm.lh(.a2, 0, .t1)               // 0xFF80
            asm.lhu(.a3, 0, .t1)
            asm.lw(.a4, 8, .t1)               // 0x89ABCDEF, sign-extended
            asm.lwu(.a5, 8, .t1)              // zero-extended
            asm.ld(.a6, 8, .t1)
            asm.ld(.a7, 0, .t1)
            asm.li64(.t2, 0xDEAD_BEEF_CAFE_F00D)
            asm.sd(.t2, 16, .t1)
            asm.li(.t3, 0x1234_5678)
            asm.sw(.t3, 20, .t1)              // upper half of the doubleword at +16
            asm.ld(.s2, 16, .t1)
            asm.sb(.t3, 17, .t1)
            asm.sh(.t3, 22, .t1)
            asm.ld(.s3, 16, .t1)
            asm.ld(.s4, 24, .t1)              // untouched zeros
        }
        let expected: [UInt64] = [
            0xFFFF_FFFF_FFFF_FF80, 0x80, 0xFFFF_FFFF_FFFF_FF80, 0xFF80, 0xFFFF_FFFF_89AB_CDEF, 0x89AB_CDEF,
            0x0123_4567_89AB_CDEF, 0x1234_8000_017F_FF80, 0x1234_5678_CAFE_F00D, 0x5678_5678_CAFE_780D, 0,
        ]
        #expect(r == expected)
    }

    @Test("branches compare 64-bit values; JAL / JALR link; JALR clears bit 0 of its target")
    func controlFlow() throws {
        var after: UInt64 = 0
        let r = try run64([.a0, .a1, .a2, .a3, .a4, .ra]) { asm in
            asm.li64(.t1, 0x8000_0000)         // positive on RV64
            asm.li64(.t2, .max)                // -1
            asm.li64(.t3, 0x1_0000_0000)
            let l1 = asm.label(), l2 = asm.label(), l3 = asm.label(), l4 = asm.label(), l5 = asm.label()
            asm.blt(.t2, .t1, l1)              // -1 < 0x80000000: taken
            asm.li(.a0, 99)
            asm.bind(l1)
            asm.addi(.a0, .a0, 1)              // a0 = 1
            asm.bltu(.t2, .t1, l2)             // 2^64 - 1 < 0x80000000? no
            asm.addi(.a1, .a1, 1)              // a1 = 1
            asm.bind(l2)
            asm.beq(.t3, .zero, l3)            // differ only above bit 31: not taken
            asm.addi(.a2, .a2, 1)              // a2 = 1
            asm.bind(l3)
            asm.bge(.t1, .t2, l4)              // 0x80000000 >= -1: taken
            asm.addi(.a3, .a3, 1)
            asm.bind(l4)
            // JALR to target + 1: bit 0 is cleared, as RISC-V says and SP1 v6 does.
            asm.auipc(.t4, 0)
            asm.addi(.t4, .t4, 17)             // 4 instructions ahead, + 1
            asm.jalr(.ra, .t4, 0)
            after = UInt64(asm.pc)
            asm.addi(.a4, .a4, 100)            // skipped
            asm.addi(.a4, .a4, 7)              // the target
            asm.jal(.zero, l5)
            asm.addi(.a4, .a4, 100)
            asm.bind(l5)
        }
        #expect(r == [1, 1, 1, 0, 7, after])
    }

    @Test("writes to x0 are discarded, loads into x0 still access memory")
    func zeroRegister() throws {
        let r = try run64([.zero, .a0]) { asm in
            asm.addi(.zero, .zero, 5)
            asm.li64(.t1, 77)
            asm.addw(.zero, .t1, .t1)
            asm.li(.t2, UInt32(scratch64))
            asm.ld(.zero, 0, .t2)
            asm.add(.a0, .zero, .t1)
        }
        #expect(r == [0, 77])
    }

    @Test("misaligned halfword, word and doubleword accesses fail with the address; bytes never do")
    func misaligned() throws {
        let cases: [(String, (inout Assembler) -> Void, UInt64)] = [
            ("lh", { $0.lh(.a0, 1, .t1) }, 1), ("lhu", { $0.lhu(.a0, 3, .t1) }, 3), ("lw", { $0.lw(.a0, 2, .t1) }, 2),
            ("lwu", { $0.lwu(.a0, 6, .t1) }, 6), ("ld", { $0.ld(.a0, 4, .t1) }, 4), ("sh", { $0.sh(.a0, 1, .t1) }, 1),
            ("sw", { $0.sw(.a0, 2, .t1) }, 2), ("sd", { $0.sd(.a0, 4, .t1) }, 4),
        ]
        for (name, access, offset) in cases {
            let p = try program64 { asm in
                asm.li(.t1, UInt32(scratch64))
                access(&asm)
            }
            let error = #expect(throws: ExecutionError.self, "\(name)") { try p.executeOnEveryTier(maxCycles: 100) }
            #expect(error?.kind == .memoryAccess, "\(name)")
            #expect(error?.address == scratch64 + offset, "\(name)")
            #expect(error?.message.contains("misaligned") == true, "\(name): \(error?.message ?? "")")
            #expect(error?.cycles == 2, "\(name): LUI + ADDI complete before the fault")
        }
        let bytes = try run64([.a0]) { asm in
            asm.li(.t1, UInt32(scratch64) + 3)
            asm.li(.t2, 0xAB)
            asm.sb(.t2, 0, .t1)
            asm.lbu(.a0, 0, .t1)
        }
        #expect(bytes == [0xAB])
    }

    @Test("every address below 2^40 is memory (even 0); 2^40 and above fault")
    func window() throws {
        let r = try run64([.a0, .a1, .a2]) { asm in
            asm.li64(.t1, (1 << 40) - 8)         // the last doubleword
            asm.li64(.t2, 0x0102_0304_0506_0708)
            asm.sd(.t2, 0, .t1)
            asm.ld(.a0, 0, .t1)
            asm.lbu(.a1, 7, .t1)                  // the last byte
            asm.sd(.t2, 0, .zero)                 // address 0: SP1 v6's executor allows it
            asm.ld(.a2, 0, .zero)
        }
        let expected: [UInt64] = [0x0102_0304_0506_0708, 1, 0x0102_0304_0506_0708]
        #expect(r == expected)
        for (address, store) in [(UInt64(1) << 40, true), ((1 << 40) - 4, false), (UInt64.max - 7, true), (1 << 48, false)] {
            let p = try program64 { asm in
                asm.li64(.t1, address)
                if store { asm.sd(.t1, 0, .t1) } else { asm.ld(.a0, 0, .t1) }
            }
            let error = #expect(throws: ExecutionError.self) { try p.executeOnEveryTier(maxCycles: 100) }
            #expect(error?.kind == .memoryAccess)
            #expect(error?.address == address)
        }
    }
}
