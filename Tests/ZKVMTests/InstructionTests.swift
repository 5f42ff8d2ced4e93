import Testing
@testable import ZKVM

/// Every RV32IM instruction, with the edge cases that interpreters get wrong. Expected values
/// follow the RISC-V spec and SP1_ABI.md §3 (no traps on division; shifts mod 32). Every program
/// runs on both tiers, the interpreter and the JIT (`executeOnEveryTier`), which must agree.
@Suite("RV32IM instructions")
struct InstructionTests {
    typealias BinOp = @Sendable (inout Assembler, Reg, Reg, Reg) -> Void

    /// Computes `op(a, b)` in the guest.
    func binary(_ op: BinOp, _ a: UInt32, _ b: UInt32) throws -> UInt32 {
        try run([.a0]) { asm in
            asm.li(.a1, a)
            asm.li(.a2, b)
            op(&asm, .a0, .a1, .a2)
        }[0]
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String, a: UInt32, b: UInt32, expected: UInt32
        var testDescription: String { "\(name)(0x\(String(a, radix: 16)), 0x\(String(b, radix: 16)))" }
    }

    static let ops: [String: BinOp] = [
        "add": { $0.add($1, $2, $3) }, "sub": { $0.sub($1, $2, $3) }, "xor": { $0.xor($1, $2, $3) },
        "or": { $0.or($1, $2, $3) }, "and": { $0.and($1, $2, $3) }, "sll": { $0.sll($1, $2, $3) },
        "srl": { $0.srl($1, $2, $3) }, "sra": { $0.sra($1, $2, $3) }, "slt": { $0.slt($1, $2, $3) },
        "sltu": { $0.sltu($1, $2, $3) }, "mul": { $0.mul($1, $2, $3) }, "mulh": { $0.mulh($1, $2, $3) },
        "mulhsu": { $0.mulhsu($1, $2, $3) }, "mulhu": { $0.mulhu($1, $2, $3) }, "div": { $0.div($1, $2, $3) },
        "divu": { $0.divu($1, $2, $3) }, "rem": { $0.rem($1, $2, $3) }, "remu": { $0.remu($1, $2, $3) },
    ]

    static let cases: [Case] = [
        Case(name: "add", a: 0xFFFF_FFFF, b: 1, expected: 0),
        Case(name: "add", a: 0x7FFF_FFFF, b: 1, expected: 0x8000_0000),
        Case(name: "sub", a: 0, b: 1, expected: 0xFFFF_FFFF),
        Case(name: "sub", a: 0x8000_0000, b: 1, expected: 0x7FFF_FFFF),
        Case(name: "xor", a: 0xF0F0_1234, b: 0x0FF0_FFFF, expected: 0xFF00_EDCB),
        Case(name: "or", a: 0xF000_0001, b: 0x0000_1000, expected: 0xF000_1001),
        Case(name: "and", a: 0xF0F0_F0F0, b: 0x3C3C_3C3C, expected: 0x3030_3030),
        // Register-form shifts use the low five bits of rs2: by 32 is by 0, by 33 is by 1.
        Case(name: "sll", a: 0x8000_0001, b: 1, expected: 0x0000_0002),
        Case(name: "sll", a: 0x1234_5678, b: 32, expected: 0x1234_5678),
        Case(name: "sll", a: 0x1234_5678, b: 33, expected: 0x2468_ACF0),
        Case(name: "srl", a: 0x8000_0000, b: 31, expected: 1),
        Case(name: "srl", a: 0x8000_0000, b: 0xFFFF_FFE4, expected: 0x0800_0000),  // 0xE4 & 31 = 4
        Case(name: "sra", a: 0x8000_0000, b: 31, expected: 0xFFFF_FFFF),
        Case(name: "sra", a: 0x8000_0000, b: 36, expected: 0xF800_0000),
        Case(name: "sra", a: 0x4000_0000, b: 30, expected: 1),
        Case(name: "slt", a: 0xFFFF_FFFF, b: 1, expected: 1),  // -1 < 1
        Case(name: "slt", a: 1, b: 0xFFFF_FFFF, expected: 0),
        Case(name: "slt", a: 5, b: 5, expected: 0),
        Case(name: "sltu", a: 0xFFFF_FFFF, b: 1, expected: 0),
        Case(name: "sltu", a: 1, b: 0xFFFF_FFFF, expected: 1),
        Case(name: "mul", a: 0xFFFF_FFFF, b: 0xFFFF_FFFF, expected: 1),
        Case(name: "mul", a: 0x0001_0000, b: 0x0001_0000, expected: 0),
        Case(name: "mul", a: 123_456, b: 7_890, expected: 974_067_840),
        Case(name: "mulh", a: 0xFFFF_FFFF, b: 0xFFFF_FFFF, expected: 0),           // (-1)(-1) = 1
        Case(name: "mulh", a: 0x8000_0000, b: 0x8000_0000, expected: 0x4000_0000), // 2^62
        Case(name: "mulh", a: 0x8000_0000, b: 2, expected: 0xFFFF_FFFF),           // -2^32
        Case(name: "mulh", a: 0x7FFF_FFFF, b: 0xFFFF_FFFF, expected: 0xFFFF_FFFF),
        Case(name: "mulhu", a: 0xFFFF_FFFF, b: 0xFFFF_FFFF, expected: 0xFFFF_FFFE),
        Case(name: "mulhu", a: 0x8000_0000, b: 2, expected: 1),
        Case(name: "mulhsu", a: 0xFFFF_FFFF, b: 0xFFFF_FFFF, expected: 0xFFFF_FFFF),  // -1 * (2^32-1)
        Case(name: "mulhsu", a: 0x8000_0000, b: 0xFFFF_FFFF, expected: 0x8000_0000),  // -2^31 * (2^32-1)
        Case(name: "mulhsu", a: 2, b: 0x8000_0000, expected: 1),
        Case(name: "div", a: 0xFFFF_FFF9, b: 2, expected: 0xFFFF_FFFD),  // -7 / 2 = -3
        Case(name: "div", a: 7, b: 0xFFFF_FFFE, expected: 0xFFFF_FFFD),  // 7 / -2 = -3
        Case(name: "div", a: 0x8000_0000, b: 0xFFFF_FFFF, expected: 0x8000_0000),  // INT_MIN / -1
        Case(name: "div", a: 42, b: 0, expected: 0xFFFF_FFFF),
        Case(name: "div", a: 0x8000_0000, b: 0, expected: 0xFFFF_FFFF),
        Case(name: "divu", a: 0xFFFF_FFFF, b: 2, expected: 0x7FFF_FFFF),
        Case(name: "divu", a: 42, b: 0, expected: 0xFFFF_FFFF),
        Case(name: "rem", a: 0xFFFF_FFF9, b: 2, expected: 0xFFFF_FFFF),  // -7 % 2 = -1
        Case(name: "rem", a: 7, b: 0xFFFF_FFFE, expected: 1),            // 7 % -2 = 1
        Case(name: "rem", a: 0x8000_0000, b: 0xFFFF_FFFF, expected: 0),  // INT_MIN % -1
        Case(name: "rem", a: 0xFFFF_FFF9, b: 0, expected: 0xFFFF_FFF9),  // x % 0 = x
        Case(name: "remu", a: 0xFFFF_FFFF, b: 10, expected: 5),
        Case(name: "remu", a: 1234, b: 0, expected: 1234),
    ]

    @Test("register-register ops", arguments: cases)
    func registerOps(_ c: Case) throws {
        #expect(try binary(Self.ops[c.name]!, c.a, c.b) == c.expected)
    }

    @Test("register-immediate ops sign-extend their 12-bit immediate")
    func immediateOps() throws {
        let r = try run([.a0, .a1, .a2, .a3, .a4, .a5, .a6, .a7, .s2, .s3, .s4, .s5]) { asm in
            asm.li(.t1, 0x0000_0010)
            asm.addi(.a0, .t1, -17)            // 16 - 17 = -1
            asm.xori(.a1, .t1, -1)             // NOT 16
            asm.ori(.a2, .zero, -2048)         // 0xFFFFF800
            asm.andi(.a3, .t1, 0x7FF)          // 16
            asm.li(.t2, 0x1234_5678)
            asm.andi(.a4, .t2, -2048)          // 0x12345000 (0x...800 sign-extended mask)
            asm.slti(.a5, .t1, -1)             // 16 < -1 ? 0
            asm.sltiu(.a6, .t1, -1)            // 16 < 0xFFFFFFFF ? 1
            asm.li(.t3, 0x8000_0000)
            asm.srai(.a7, .t3, 4)              // 0xF8000000
            asm.srli(.s2, .t3, 4)              // 0x08000000
            asm.slli(.s3, .t2, 31)             // 0
            asm.slti(.s4, .t3, 0)              // INT_MIN < 0 ? 1
            asm.addi(.s5, .zero, 2047)         // largest positive immediate
        }
        #expect(r == [0xFFFF_FFFF, 0xFFFF_FFEF, 0xFFFF_F800, 0x10, 0x1234_5000, 0, 1, 0xF800_0000,
                      0x0800_0000, 0, 1, 2047])
    }

    @Test("LUI and AUIPC")
    func upperImmediates() throws {
        var auipcPC: UInt32 = 0
        let r = try run([.a0, .a1, .a2]) { asm in
            asm.lui(.a0, 0xFFFFF)              // 0xFFFFF000
            auipcPC = asm.pc
            asm.auipc(.a1, 0x00001)            // pc + 0x1000
            asm.auipc(.a2, 0xFFFFF)            // pc + 4 - 0x1000
        }
        #expect(r == [0xFFFF_F000, auipcPC &+ 0x1000, auipcPC &+ 4 &- 0x1000])
    }

    @Test("writes to x0 are discarded")
    func zeroRegister() throws {
        let r = try run([.zero, .a0, .a1, .a2]) { asm in
            asm.addi(.zero, .zero, 5)
            asm.li(.t1, 77)
            asm.add(.zero, .t1, .t1)
            asm.lui(.zero, 0x12345)
            asm.li(.t2, scratch)
            asm.sw(.t1, 0, .t2)
            asm.lw(.zero, 0, .t2)              // a load into x0 still performs the access
            asm.add(.a0, .zero, .t1)           // 77 + 0
            let l = asm.label()
            asm.jal(.zero, l)                  // no link
            asm.bind(l)
            asm.mul(.a1, .zero, .t1)           // 0
            asm.sub(.a2, .zero, .t1)           // -77
        }
        #expect(r == [0, 77, 0, UInt32(bitPattern: -77)])
    }

    @Test("loads sign- or zero-extend; stores merge into the word")
    func loadsAndStores() throws {
        let data: [UInt8] = [0x80, 0xFF, 0x7F, 0x01, 0x00, 0x80, 0x34, 0x12]
        let r = try run([.a0, .a1, .a2, .a3, .a4, .a5, .a6, .a7, .s2, .s3, .s4], data: data) { asm in
            asm.li(.t1, scratch)
            asm.lb(.a0, 0, .t1)    // 0x80 -> 0xFFFFFF80
            asm.lbu(.a1, 0, .t1)   // 0x80
            asm.lb(.a2, 2, .t1)    // 0x7F
            asm.lh(.a3, 0, .t1)    // 0xFF80 -> 0xFFFFFF80
            asm.lhu(.a4, 4, .t1)   // 0x8000
            asm.lh(.a5, 4, .t1)    // 0xFFFF8000
            asm.lw(.a6, 4, .t1)    // 0x12348000
            asm.addi(.t2, .t1, 8)
            asm.lw(.a7, -8, .t2)   // negative offset: 0x017FFF80
            // SB / SH / SW
            asm.li(.t3, 0xAABB_CCDD)
            asm.sw(.t3, 16, .t1)
            asm.li(.t4, 0x11)
            asm.sb(.t4, 17, .t1)   // 0xAABB11DD
            asm.lw(.s2, 16, .t1)
            asm.li(.t4, 0x2233)
            asm.sh(.t4, 18, .t1)   // 0x223311DD
            asm.lw(.s3, 16, .t1)
            asm.lbu(.s4, 19, .t1)  // 0x22
        }
        #expect(r == [0xFFFF_FF80, 0x80, 0x7F, 0xFFFF_FF80, 0x8000, 0xFFFF_8000, 0x1234_8000, 0x017F_FF80,
                      0xAABB_11DD, 0x2233_11DD, 0x22])
    }

    struct BranchCase: Sendable, CustomTestStringConvertible {
        let name: String, a: UInt32, b: UInt32, taken: Bool
        var testDescription: String { "\(name) \(a) \(b) -> \(taken ? "taken" : "not taken")" }
    }

    static let branchCases: [BranchCase] = [
        .init(name: "beq", a: 5, b: 5, taken: true), .init(name: "beq", a: 5, b: 6, taken: false),
        .init(name: "bne", a: 5, b: 6, taken: true), .init(name: "bne", a: 5, b: 5, taken: false),
        .init(name: "blt", a: 0xFFFF_FFFF, b: 1, taken: true), .init(name: "blt", a: 1, b: 0xFFFF_FFFF, taken: false),
        .init(name: "blt", a: 3, b: 3, taken: false),
        .init(name: "bge", a: 1, b: 0xFFFF_FFFF, taken: true), .init(name: "bge", a: 3, b: 3, taken: true),
        .init(name: "bge", a: 0x8000_0000, b: 0, taken: false),
        .init(name: "bltu", a: 1, b: 0xFFFF_FFFF, taken: true), .init(name: "bltu", a: 0xFFFF_FFFF, b: 1, taken: false),
        .init(name: "bgeu", a: 0xFFFF_FFFF, b: 1, taken: true), .init(name: "bgeu", a: 1, b: 0xFFFF_FFFF, taken: false),
        .init(name: "bgeu", a: 7, b: 7, taken: true),
    ]

    @Test("branches, taken and not taken (forward and backward)", arguments: branchCases)
    func branches(_ c: BranchCase) throws {
        let emit: [String: (inout Assembler, Reg, Reg, Assembler.Label) -> Void] = [
            "beq": { $0.beq($1, $2, $3) }, "bne": { $0.bne($1, $2, $3) }, "blt": { $0.blt($1, $2, $3) },
            "bge": { $0.bge($1, $2, $3) }, "bltu": { $0.bltu($1, $2, $3) }, "bgeu": { $0.bgeu($1, $2, $3) },
        ]
        // Forward branch: a0 = 1 if taken, 2 if not.
        let forward = try run([.a0]) { asm in
            asm.li(.a1, c.a)
            asm.li(.a2, c.b)
            let taken = asm.label(), done = asm.label()
            emit[c.name]!(&asm, .a1, .a2, taken)
            asm.addi(.a0, .zero, 2)
            asm.jal(.zero, done)
            asm.bind(taken)
            asm.addi(.a0, .zero, 1)
            asm.bind(done)
        }
        #expect(forward == [c.taken ? 1 : 2])
        // Backward branch: jump over the body to a test placed before the exit.
        let backward = try run([.a0]) { asm in
            asm.li(.a1, c.a)
            asm.li(.a2, c.b)
            let test = asm.label(), taken = asm.label(), done = asm.label()
            asm.jal(.zero, test)
            asm.bind(taken)
            asm.addi(.a0, .zero, 1)
            asm.jal(.zero, done)
            asm.bind(test)
            emit[c.name]!(&asm, .a1, .a2, taken)
            asm.addi(.a0, .zero, 2)
            asm.bind(done)
        }
        #expect(backward == [c.taken ? 1 : 2])
    }

    @Test("JAL and JALR link pc + 4; JALR adds its immediate and may use rd == rs1")
    func jumps() throws {
        var jalPC: UInt32 = 0, jalrPC: UInt32 = 0, jalr2PC: UInt32 = 0
        let r = try run([.a0, .a1, .a2, .a3]) { asm in
            let target = asm.label(), back = asm.label()
            jalPC = asm.pc
            asm.jal(.a0, target)          // a0 = jalPC + 4
            asm.bind(back)
            asm.addi(.a3, .zero, 9)
            let end = asm.label()
            asm.jal(.zero, end)
            asm.bind(target)
            // JALR to `back` through a base 8 bytes short of it, linking into a1.
            asm.addi(.t1, .a0, -8)
            jalrPC = asm.pc
            asm.jalr(.a1, .t1, 8)         // -> back (= jalPC + 4), a1 = jalrPC + 4
            asm.bind(end)
            // rd == rs1: target computed from the old value.
            asm.auipc(.a2, 0)
            asm.addi(.a2, .a2, 16)        // -> the instruction after the next jalr
            jalr2PC = asm.pc
            asm.jalr(.a2, .a2, 4)
            asm.addi(.a3, .zero, 99)      // skipped
            asm.addi(.zero, .zero, 0)
        }
        #expect(r[0] == jalPC + 4)
        #expect(r[1] == jalrPC + 4)
        #expect(r[2] == jalr2PC + 4)
        #expect(r[3] == 9)
    }

    @Test("misaligned word and halfword accesses fail with the address")
    func misaligned() throws {
        let cases: [(String, (inout Assembler) -> Void, UInt32)] = [
            ("lw", { $0.lw(.a0, 1, .t1) }, scratch + 1), ("lw", { $0.lw(.a0, 2, .t1) }, scratch + 2),
            ("sw", { $0.sw(.a0, 3, .t1) }, scratch + 3), ("lh", { $0.lh(.a0, 1, .t1) }, scratch + 1),
            ("lhu", { $0.lhu(.a0, 3, .t1) }, scratch + 3), ("sh", { $0.sh(.a0, 1, .t1) }, scratch + 1),
        ]
        for (name, access, address) in cases {
            let p = try program { asm in
                asm.li(.t1, scratch)
                access(&asm)
            }
            let error = #expect(throws: ExecutionError.self, "\(name)") { try p.executeOnEveryTier(maxCycles: 100) }
            #expect(error?.kind == .memoryAccess, "\(name)")
            #expect(error?.address == UInt64(address), "\(name)")
            #expect(error?.message.contains("misaligned") == true, "\(name): \(error?.message ?? "")")
            #expect(error?.cycles == 2, "\(name): LUI + ADDI complete before the fault")
        }
    }

    @Test("byte accesses at any alignment; the window's edges")
    func window() throws {
        let r = try run([.a0, .a1]) { asm in
            asm.li(.t1, 0x7800_0000)       // highest word
            asm.li(.t2, 0xA1B2_C3D4)
            asm.sw(.t2, 0, .t1)
            asm.lbu(.a0, 3, .t1)           // byte 0x78000003 is inside the window
            asm.li(.t1, 0x20)              // lowest word
            asm.sw(.t2, 0, .t1)
            asm.lw(.a1, 0, .t1)
        }
        #expect(r == [0xA1, 0xA1B2_C3D4])
        for (address, store) in [(UInt32(0x1C), true), (0x7800_0004, false), (0xFFFF_FFFC, true), (0, false)] {
            let p = try program { asm in
                asm.li(.t1, address)
                if store { asm.sw(.t1, 0, .t1) } else { asm.lw(.a0, 0, .t1) }
            }
            let error = #expect(throws: ExecutionError.self) { try p.executeOnEveryTier(maxCycles: 100) }
            #expect(error?.kind == .memoryAccess)
            #expect(error?.address == UInt64(address))
            #expect(error?.message.contains("outside guest memory") == true)
        }
    }
}
