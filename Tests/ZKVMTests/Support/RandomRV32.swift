/// Random RV32IM guest programs, for SP1 (v3–v5 window, v4 rules) or RISC Zero 1.x, for the
/// JIT-vs-interpreter differential tests. Deterministic for a seed. A program loads x1..x30 from a
/// data segment full of edge values (0, ±1, INT32_MIN / MAX, ...), runs a body of random
/// instructions of every RV32IM kind, then stores x1..x30 next to its scratch bytes, writes both as
/// its output and halts. Bodies include division by zero and INT32_MIN / -1, loads and stores of
/// every width (sometimes misaligned, rarely through any register), forward branches and jumps
/// (JALR targets sometimes odd), rare backward branches (loops, some endless: the cycle limit
/// ends them), ECALLs (SP1: WRITE to stdout, HINT_LEN; RISC Zero: SYS_CYCLE_COUNT and SYS_WRITE
/// through SOFTWARE), and, rarely, jumps out of the text, EBREAK, FENCE, unknown syscalls and
/// undecodable words.
struct RandomRV32 {
    enum Target { case sp1, risc0 }

    static let base: UInt32 = 0x0020_0800
    static let dataAddress: UInt32 = 0x0030_0000
    /// Scratch bytes the body loads from and stores to; then x0..x31 (4 bytes each), an ASCII line
    /// for WRITEs, RISC Zero's syscall names (64 bytes each) and a non-zero output digest.
    static let scratchBytes = 2048
    /// t6 (x31) holds dataAddress + bias, so 12-bit offsets reach every field.
    static let bias = 1024
    static let text = Array("stdout from RV32\n".utf8)
    static var registersOffset: Int { scratchBytes }
    static var textOffset: Int { scratchBytes + 4 * 32 }
    static var cycleCountName: Int { textOffset + 32 }
    static var writeName: Int { cycleCountName + 64 }
    static var digestOffset: Int { writeName + 64 }
    static var dataBytes: Int { digestOffset + 32 }

    static let edges: [UInt32] = [
        0, 1, 2, 3, 7, 31, 32, 0xFFFF_FFFF, 0xFFFF_FFFE, 0x8000_0000, 0x7FFF_FFFF, 0x8000_0001, 0x5555_5555,
        0xAAAA_AAAA, 0xFFFF, 0xFFFF_0000, 0x8000, 0x7FFF, 0xFF, 0x80, 0x0030_0000, 0x0030_0400,
    ]

    let target: Target
    var rng: SplitMix64

    init(seed: UInt64, target: Target) {
        rng = SplitMix64(seed: seed)
        self.target = target
    }

    mutating func value() -> UInt32 {
        rng.chance(60) ? RandomRV32.edges[rng.below(RandomRV32.edges.count)] : UInt32(truncatingIfNeeded: rng.next())
    }
    mutating func reg() -> Reg { Reg(rawValue: UInt32(1 + rng.below(30)))! }  // x1..x30: x31 is the data base
    mutating func src() -> Reg { rng.chance(5) ? .zero : reg() }
    mutating func dst() -> Reg { rng.chance(3) ? .zero : reg() }
    mutating func imm12() -> Int32 {
        let picks: [Int32] = [0, 1, -1, 2047, -2048, 2, -2, 31, 4, -4]
        return rng.chance(50) ? picks[rng.below(picks.count)] : Int32(rng.below(4096)) - 2048
    }

    enum Element {
        case words([UInt32])
        case branch(f3: UInt32, rs1: Reg, rs2: Reg, skip: Int)
        case back(f3: UInt32, rs1: Reg, rs2: Reg, to: Int)  // to an earlier element's start
        case jal(rd: Reg, skip: Int)
        case jalr(rd: Reg, scratch: Reg, skip: Int, odd: Bool)  // auipc scratch, 0; jalr rd, scratch, offset
    }

    mutating func element(index: Int, remaining: Int) -> Element {
        var a = Assembler(base: 0)
        let skip = 1 + rng.below(min(4, max(1, remaining)))
        switch rng.below(1000) {
        case 0..<380:  // register-register ALU and M
            let ops: [(UInt32, UInt32)] = [  // (funct7, funct3)
                (0, 0), (0x20, 0), (0, 1), (0, 2), (0, 3), (0, 4), (0, 5), (0x20, 5), (0, 6), (0, 7),
                (1, 0), (1, 1), (1, 2), (1, 3), (1, 4), (1, 5), (1, 6), (1, 7),
            ]
            let (f7, f3) = ops[rng.below(ops.count)]
            a.r(f7, src(), src(), f3, dst())
        case 380..<580:  // register-immediate ALU
            let d = dst(), s = src()
            switch rng.below(9) {
            case 0: a.addi(d, s, imm12())
            case 1: a.slti(d, s, imm12())
            case 2: a.sltiu(d, s, imm12())
            case 3: a.xori(d, s, imm12())
            case 4: a.ori(d, s, imm12())
            case 5: a.andi(d, s, imm12())
            case 6: a.slli(d, s, Int32(rng.below(32)))
            case 7: a.srli(d, s, Int32(rng.below(32)))
            default: a.srai(d, s, Int32(rng.below(32)))
            }
        case 580..<620:
            if rng.chance(50) { a.lui(dst(), UInt32(rng.below(1 << 20))) } else { a.auipc(dst(), UInt32(rng.below(1 << 20))) }
        case 620..<740:  // loads from the scratch area (sometimes misaligned, rarely through any register)
            let sizes: [(Int, (inout Assembler, Reg, Int32, Reg) -> Void)] = [
                (1, { $0.lb($1, $2, $3) }), (1, { $0.lbu($1, $2, $3) }), (2, { $0.lh($1, $2, $3) }),
                (2, { $0.lhu($1, $2, $3) }), (4, { $0.lw($1, $2, $3) }),
            ]
            let (size, emit) = sizes[rng.below(sizes.count)]
            var offset = rng.below(RandomRV32.scratchBytes / size) * size
            if rng.chance(2) { offset += 1 }
            emit(&a, dst(), Int32(offset - RandomRV32.bias), rng.chance(1) ? src() : .t6)
        case 740..<840:  // stores to the scratch area
            let sizes: [(Int, (inout Assembler, Reg, Int32, Reg) -> Void)] = [
                (1, { $0.sb($1, $2, $3) }), (2, { $0.sh($1, $2, $3) }), (4, { $0.sw($1, $2, $3) }),
            ]
            let (size, emit) = sizes[rng.below(sizes.count)]
            var offset = rng.below(RandomRV32.scratchBytes / size) * size
            if rng.chance(2) { offset += size > 1 ? size / 2 : 0 }
            emit(&a, src(), Int32(offset - RandomRV32.bias), rng.chance(1) ? src() : .t6)
        case 840..<900:
            return .branch(f3: [0, 1, 4, 5, 6, 7][rng.below(6)], rs1: src(), rs2: src(), skip: skip)
        case 900..<915:
            return .jal(rd: dst(), skip: skip)
        case 915..<935:
            return .jalr(rd: dst(), scratch: reg(), skip: skip, odd: rng.chance(10))
        case 935..<945:  // a loop (or an endless one)
            return .back(f3: [0, 1, 4, 5, 6, 7][rng.below(6)], rs1: src(), rs2: src(), to: rng.below(index + 1))
        case 945..<994:  // a syscall that continues
            switch target {
            case .sp1:
                if rng.chance(50) {  // HINT_LEN: all ones without stdin (v4), in t0
                    a.li(.t0, 0xF0)
                } else {  // WRITE the ASCII line to stdout
                    a.li(.t0, 2)
                    a.li(.a0, 1)
                    a.addi(.a1, .t6, Int32(RandomRV32.textOffset - RandomRV32.bias))
                    a.li(.a2, UInt32(RandomRV32.text.count))
                }
                a.ecall()
            case .risc0:
                a.li(.a0, 0)
                a.li(.a1, 0)
                if rng.chance(50) {  // SYS_CYCLE_COUNT: user cycles so far in a1
                    a.addi(.a2, .t6, Int32(RandomRV32.cycleCountName - RandomRV32.bias))
                } else {  // SYS_WRITE of the ASCII line to stdout
                    a.addi(.a2, .t6, Int32(RandomRV32.writeName - RandomRV32.bias))
                    a.li(.a3, 1)
                    a.addi(.a4, .t6, Int32(RandomRV32.textOffset - RandomRV32.bias))
                    a.li(.a5, UInt32(RandomRV32.text.count))
                }
                a.li(.t0, 2)
                a.ecall()
            }
        case 994..<997:  // out of the text: a jump or a taken (or not) branch far away
            if rng.chance(50) {
                a.jalRaw(dst(), offset: rng.chance(50) ? 0x10000 : -0x1000)
            } else {
                a.beqRaw(src(), src(), offset: rng.chance(50) ? 2048 : -4096)
            }
        default:  // rare stops: EBREAK, FENCE (SP1: unimplemented; RISC Zero: illegal), an unknown syscall, a word
            switch rng.below(4) {
            case 0: a.ebreak()
            case 1: a.fence()
            case 2:
                a.li(.t0, 0x77)
                a.ecall()
            default: a.emit(0xFFFF_FFFF)
            }
        }
        return .words(a.words)
    }

    /// The next program's ELF.
    mutating func program(bodyLength: Int) -> [UInt8] {
        var data = [UInt8]()
        for _ in 0..<(RandomRV32.scratchBytes / 4 + 32) { data += value().littleEndianBytes }
        data += RandomRV32.text + [UInt8](repeating: 0, count: 32 - RandomRV32.text.count)
        for name in ["SYS_CYCLE_COUNT", "SYS_WRITE"] {
            let bytes = Array((R0Guest.prefix + name).utf8) + [0]
            data += bytes + [UInt8](repeating: 0, count: 64 - bytes.count)
        }
        data += [UInt8](repeating: 0x5A, count: 32)
        var body: [Element] = []
        for i in 0..<bodyLength { body.append(element(index: i, remaining: bodyLength - i)) }

        var asm = Assembler(base: RandomRV32.base)
        asm.li(.t6, RandomRV32.dataAddress + UInt32(RandomRV32.bias))
        let regs = Int32(RandomRV32.registersOffset - RandomRV32.bias)
        for r in 1...30 { asm.lw(Reg(rawValue: UInt32(r))!, regs + Int32(4 * r), .t6) }
        func size(_ e: Element) -> Int {
            switch e {
            case .words(let w): w.count
            case .branch, .back, .jal: 1
            case .jalr: 2
            }
        }
        let starts = body.reduce(into: [0]) { $0.append($0.last! + size($1)) }
        for (i, e) in body.enumerated() {
            let here = starts[i]
            func forward(_ skip: Int) -> Int { starts[min(i + 1 + skip, body.count)] }
            switch e {
            case .words(let w): for x in w { asm.emit(x) }
            case .branch(let f3, let rs1, let rs2, let skip):
                asm.emit(Assembler.bImm(Int32(4 * (forward(skip) - here))) | rs2.rawValue << 20 | rs1.rawValue << 15
                    | f3 << 12 | 0x63)
            case .back(let f3, let rs1, let rs2, let to):
                asm.emit(Assembler.bImm(Int32(4 * (starts[to] - here))) | rs2.rawValue << 20 | rs1.rawValue << 15
                    | f3 << 12 | 0x63)
            case .jal(let rd, let skip): asm.jalRaw(rd, offset: Int32(4 * (forward(skip) - here)))
            case .jalr(let rd, let scratch, let skip, let odd):
                asm.auipc(scratch, 0)
                asm.jalr(rd, scratch, Int32(4 * (forward(skip) - here)) + (odd ? 1 : 0))
            }
        }
        // Epilogue: x1..x30 after the scratch bytes, then scratch + registers as the output.
        for r in 1...30 { asm.sw(Reg(rawValue: UInt32(r))!, regs + Int32(4 * r), .t6) }
        let outputBytes = UInt32(RandomRV32.scratchBytes + 4 * 32)
        switch target {
        case .sp1:
            asm.li(.t0, 2)
            asm.li(.a0, 13)
            asm.addi(.a1, .t6, Int32(-RandomRV32.bias))
            asm.li(.a2, outputBytes)
            asm.ecall()
            asm.halt()
        case .risc0:
            asm.li(.a0, 0)
            asm.li(.a1, 0)
            asm.addi(.a2, .t6, Int32(RandomRV32.writeName - RandomRV32.bias))
            asm.li(.a3, 3)
            asm.addi(.a4, .t6, Int32(-RandomRV32.bias))
            asm.li(.a5, outputBytes)
            asm.li(.t0, 2)
            asm.ecall()
            asm.li(.a0, 0)
            asm.addi(.a1, .t6, Int32(RandomRV32.digestOffset - RandomRV32.bias))
            asm.li(.t0, 0)
            asm.ecall()
        }
        return ELFBuilder(code: asm.words, data: data, dataAddress: RandomRV32.dataAddress).build()
    }
}
