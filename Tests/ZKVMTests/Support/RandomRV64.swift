/// Random RV64IM guest programs for the differential tests against refexec64.py. Deterministic
/// for a seed. A program loads x1..x30 from a data segment full of edge values (0, ±1, INT64_MIN
/// / MAX, INT32_MIN / MAX sign- and zero-extended, ...), runs a body of random instructions of
/// every RV64IM kind, then writes x1..x30 and its scratch memory to the public values and halts.
/// Bodies include division by zero, INT64_MIN / -1, *W sign extension, forward branches and
/// jumps (JALR targets sometimes odd, which SP1 v6 rounds down), HINT_LEN with high bits in t0,
/// WRITEs to stdout and, rarely, misaligned or out-of-range accesses, which end the run with a
/// fault in both executors.
struct RandomRV64 {

    static let dataAddress: UInt64 = 0x7810_0000
    /// Bytes of the data segment the body loads from and stores to; then x1..x30 (8 bytes each,
    /// slot r at scratchBytes + 8r) and an ASCII line for WRITEs to stdout.
    static let scratchBytes = 2048
    /// t6 (x31) holds dataAddress + bias, so 12-bit offsets reach the scratch bytes and the registers.
    static let bias = 1024
    static let text = Array("stdout from RV64\n".utf8)
    static var textOffset: Int { scratchBytes + 8 * 31 }

    static let edges: [UInt64] = [
        0, 1, 2, 3, 7, .max, .max - 1, 1 << 63, (1 << 63) - 1, 0x8000_0000, 0x7FFF_FFFF, 0xFFFF_FFFF,
        0xFFFF_FFFF_8000_0000, 0x1_0000_0000, 0x1_8000_0001, 0xFFFF_FFFF_0000_0000, 31, 32, 63, 64,
        0x5555_5555_5555_5555, 0xAAAA_AAAA_AAAA_AAAA, 0x0000_0000_0000_FFFF, 0xFFFF_FFFF_FFFF_0000,
    ]

    var rng: SplitMix64

    init(seed: UInt64) { rng = SplitMix64(seed: seed) }

    mutating func value() -> UInt64 { rng.chance(60) ? RandomRV64.edges[rng.below(RandomRV64.edges.count)] : rng.next() }
    mutating func reg() -> Reg { Reg(rawValue: UInt32(1 + rng.below(30)))! }     // x1..x30: x31 is the data base
    mutating func src() -> Reg { rng.chance(5) ? .zero : reg() }
    mutating func dst() -> Reg { rng.chance(3) ? .zero : reg() }
    mutating func imm12() -> Int32 {
        let picks: [Int32] = [0, 1, -1, 2047, -2048, 2, -2, 31, 32, 63]
        return rng.chance(50) ? picks[rng.below(picks.count)] : Int32(rng.below(4096)) - 2048
    }

    /// One body element: its words, or a forward control transfer fixed up once every element's
    /// size is known.
    enum Element {
        case words([UInt32])
        case branch(f3: UInt32, rs1: Reg, rs2: Reg, skip: Int)
        case jal(rd: Reg, skip: Int)
        case jalr(rd: Reg, scratch: Reg, skip: Int, odd: Bool)  // auipc scratch, 0; jalr rd, scratch, offset
    }

    mutating func element(remaining: Int) -> Element {
        var a = Assembler(base: 0)
        let skip = 1 + rng.below(min(4, max(1, remaining)))
        switch rng.below(100) {
        case 0..<40:  // register-register ALU, M and *W included
            let ops: [(UInt32, UInt32, UInt32)] = [  // (funct7, funct3, opcode)
                (0, 0, 0x33), (0x20, 0, 0x33), (0, 1, 0x33), (0, 2, 0x33), (0, 3, 0x33), (0, 4, 0x33), (0, 5, 0x33),
                (0x20, 5, 0x33), (0, 6, 0x33), (0, 7, 0x33), (1, 0, 0x33), (1, 1, 0x33), (1, 2, 0x33), (1, 3, 0x33),
                (1, 4, 0x33), (1, 5, 0x33), (1, 6, 0x33), (1, 7, 0x33), (0, 0, 0x3B), (0x20, 0, 0x3B), (0, 1, 0x3B),
                (0, 5, 0x3B), (0x20, 5, 0x3B), (1, 0, 0x3B), (1, 4, 0x3B), (1, 5, 0x3B), (1, 6, 0x3B), (1, 7, 0x3B),
            ]
            let (f7, f3, op) = ops[rng.below(ops.count)]
            a.r(f7, src(), src(), f3, dst(), op)
        case 40..<60:  // register-immediate ALU
            let d = dst(), s = src()
            switch rng.below(13) {
            case 0: a.addi(d, s, imm12())
            case 1: a.slti(d, s, imm12())
            case 2: a.sltiu(d, s, imm12())
            case 3: a.xori(d, s, imm12())
            case 4: a.ori(d, s, imm12())
            case 5: a.andi(d, s, imm12())
            case 6: a.slli(d, s, Int32(rng.below(64)))
            case 7: a.srli(d, s, Int32(rng.below(64)))
            case 8: a.srai(d, s, Int32(rng.below(64)))
            case 9: a.addiw(d, s, imm12())
            case 10: a.slliw(d, s, Int32(rng.below(32)))
            case 11: a.srliw(d, s, Int32(rng.below(32)))
            default: a.sraiw(d, s, Int32(rng.below(32)))
            }
        case 60..<64:
            if rng.chance(50) { a.lui(dst(), UInt32(rng.below(1 << 20))) } else { a.auipc(dst(), UInt32(rng.below(1 << 20))) }
        case 64..<76:  // loads from the scratch area (sometimes misaligned, rarely through any register)
            let sizes: [(Int, (inout Assembler, Reg, Int32, Reg) -> Void)] = [
                (1, { $0.lb($1, $2, $3) }), (1, { $0.lbu($1, $2, $3) }), (2, { $0.lh($1, $2, $3) }),
                (2, { $0.lhu($1, $2, $3) }), (4, { $0.lw($1, $2, $3) }), (4, { $0.lwu($1, $2, $3) }),
                (8, { $0.ld($1, $2, $3) }),
            ]
            let (size, emit) = sizes[rng.below(sizes.count)]
            var offset = rng.below(RandomRV64.scratchBytes / size) * size
            if rng.chance(2) { offset += 1 }
            emit(&a, dst(), Int32(offset - RandomRV64.bias), rng.chance(1) ? src() : .t6)
        case 76..<86:  // stores to the scratch area
            let sizes: [(Int, (inout Assembler, Reg, Int32, Reg) -> Void)] = [
                (1, { $0.sb($1, $2, $3) }), (2, { $0.sh($1, $2, $3) }), (4, { $0.sw($1, $2, $3) }), (8, { $0.sd($1, $2, $3) }),
            ]
            let (size, emit) = sizes[rng.below(sizes.count)]
            var offset = rng.below(RandomRV64.scratchBytes / size) * size
            if rng.chance(2) { offset += size > 1 ? size / 2 : 0 }
            emit(&a, src(), Int32(offset - RandomRV64.bias), rng.chance(1) ? src() : .t6)
        case 86..<92:
            return .branch(f3: [0, 1, 4, 5, 6, 7][rng.below(6)], rs1: src(), rs2: src(), skip: skip)
        case 92..<94:
            return .jal(rd: dst(), skip: skip)
        case 94..<96:
            return .jalr(rd: dst(), scratch: reg(), skip: skip, odd: rng.chance(50))
        case 96..<98:  // HINT_LEN with garbage in t0's high half: u64::MAX (no stdin); t0 = the result
            a.li64(.t0, UInt64(rng.below(1 << 20)) << 32 | 0xF0)
            a.ecall()
        default:  // WRITE the ASCII line to stdout; t0 = 2 afterwards
            a.li(.t0, 2)
            a.li(.a0, 1)
            a.addi(.a1, .t6, Int32(RandomRV64.textOffset - RandomRV64.bias))
            a.li(.a2, UInt32(RandomRV64.text.count))
            a.ecall()
        }
        return .words(a.words)
    }

    /// The next program's ELF.
    mutating func program(bodyLength: Int) -> [UInt8] {
        var data = [UInt8]()
        for _ in 0..<(RandomRV64.scratchBytes / 8 + 31) { data += value().littleEndianBytes }
        data += RandomRV64.text
        var body: [Element] = []
        for i in 0..<bodyLength { body.append(element(remaining: bodyLength - i)) }

        var asm = Assembler(base: 0x7800_0000)
        asm.li(.t6, UInt32(RandomRV64.dataAddress) + UInt32(RandomRV64.bias))
        let regs = Int32(RandomRV64.scratchBytes - RandomRV64.bias)
        for r in 1...30 { asm.ld(Reg(rawValue: UInt32(r))!, regs + Int32(8 * r), .t6) }
        // Sizes first, then the words with resolved forward offsets.
        func size(_ e: Element) -> Int {
            switch e {
            case .words(let w): w.count
            case .branch, .jal: 1
            case .jalr: 2
            }
        }
        let starts = body.reduce(into: [0]) { $0.append($0.last! + size($1)) }
        for (i, e) in body.enumerated() {
            let here = starts[i], target = starts[min(i + 1 + skip(e), body.count)]
            switch e {
            case .words(let w): for x in w { asm.emit(x) }
            case .branch(let f3, let rs1, let rs2, _):
                asm.emit(Assembler.bImm(Int32(4 * (target - here))) | rs2.rawValue << 20 | rs1.rawValue << 15 | f3 << 12 | 0x63)
            case .jal(let rd, _): asm.jalRaw(rd, offset: Int32(4 * (target - here)))
            case .jalr(let rd, let scratch, _, let odd):
                asm.auipc(scratch, 0)
                asm.jalr(rd, scratch, Int32(4 * (target - here)) + (odd ? 1 : 0))
            }
        }
        // Epilogue: x1..x30 after the scratch bytes, then scratch + registers as public values.
        for r in 1...30 { asm.sd(Reg(rawValue: UInt32(r))!, regs + Int32(8 * r), .t6) }
        asm.li(.t0, 2)
        asm.li(.a0, 13)
        asm.addi(.a1, .t6, Int32(-RandomRV64.bias))
        asm.li(.a2, UInt32(RandomRV64.scratchBytes + 8 * 31))
        asm.ecall()
        asm.halt()
        return ELF64Builder(code: asm.words, data: data, dataAddress: RandomRV64.dataAddress).build()
    }

    private func skip(_ e: Element) -> Int {
        switch e {
        case .words: 0
        case .branch(_, _, _, let s), .jal(_, let s), .jalr(_, _, let s, _): s
        }
    }
}
