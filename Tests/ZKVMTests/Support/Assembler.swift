/// A minimal RV32IM assembler for tests: enough to write small guest programs inline.
struct Assembler {
    enum Reg: UInt32 {
        case zero = 0, ra, sp, gp, tp, t0, t1, t2, s0, s1, a0, a1, a2, a3, a4, a5, a6, a7
        case s2, s3, s4, s5, s6, s7, s8, s9, s10, s11, t3, t4, t5, t6
    }

    struct Label { fileprivate let id: Int }

    let base: UInt32
    private(set) var words: [UInt32] = []
    private var labels: [Int: UInt32] = [:]
    private var fixups: [(index: Int, label: Int, kind: FixupKind)] = []
    private enum FixupKind { case branch, jal }

    init(base: UInt32 = 0x0020_0800) { self.base = base }

    var pc: UInt32 { base + UInt32(words.count * 4) }

    mutating func emit(_ word: UInt32) { words.append(word) }

    // MARK: encodings
    mutating func r(_ f7: UInt32, _ rs2: Reg, _ rs1: Reg, _ f3: UInt32, _ rd: Reg, _ op: UInt32 = 0x33) {
        emit(f7 << 25 | rs2.rawValue << 20 | rs1.rawValue << 15 | f3 << 12 | rd.rawValue << 7 | op)
    }
    mutating func i(_ imm: Int32, _ rs1: Reg, _ f3: UInt32, _ rd: Reg, _ op: UInt32) {
        emit((UInt32(bitPattern: imm) & 0xFFF) << 20 | rs1.rawValue << 15 | f3 << 12 | rd.rawValue << 7 | op)
    }
    mutating func s(_ imm: Int32, _ rs2: Reg, _ rs1: Reg, _ f3: UInt32) {
        let u = UInt32(bitPattern: imm)
        emit((u >> 5 & 0x7F) << 25 | rs2.rawValue << 20 | rs1.rawValue << 15 | f3 << 12 | (u & 0x1F) << 7 | 0x23)
    }
    static func bImm(_ offset: Int32) -> UInt32 {
        let u = UInt32(bitPattern: offset)
        return (u >> 12 & 1) << 31 | (u >> 5 & 0x3F) << 25 | (u >> 1 & 0xF) << 8 | (u >> 11 & 1) << 7
    }
    static func jImm(_ offset: Int32) -> UInt32 {
        let u = UInt32(bitPattern: offset)
        return (u >> 20 & 1) << 31 | (u >> 1 & 0x3FF) << 21 | (u >> 11 & 1) << 20 | (u >> 12 & 0xFF) << 12
    }

    // MARK: R-type
    mutating func add(_ d: Reg, _ a: Reg, _ b: Reg) { r(0, b, a, 0, d) }
    mutating func sub(_ d: Reg, _ a: Reg, _ b: Reg) { r(0x20, b, a, 0, d) }
    mutating func sll(_ d: Reg, _ a: Reg, _ b: Reg) { r(0, b, a, 1, d) }
    mutating func slt(_ d: Reg, _ a: Reg, _ b: Reg) { r(0, b, a, 2, d) }
    mutating func sltu(_ d: Reg, _ a: Reg, _ b: Reg) { r(0, b, a, 3, d) }
    mutating func xor(_ d: Reg, _ a: Reg, _ b: Reg) { r(0, b, a, 4, d) }
    mutating func srl(_ d: Reg, _ a: Reg, _ b: Reg) { r(0, b, a, 5, d) }
    mutating func sra(_ d: Reg, _ a: Reg, _ b: Reg) { r(0x20, b, a, 5, d) }
    mutating func or(_ d: Reg, _ a: Reg, _ b: Reg) { r(0, b, a, 6, d) }
    mutating func and(_ d: Reg, _ a: Reg, _ b: Reg) { r(0, b, a, 7, d) }
    mutating func mul(_ d: Reg, _ a: Reg, _ b: Reg) { r(1, b, a, 0, d) }
    mutating func mulh(_ d: Reg, _ a: Reg, _ b: Reg) { r(1, b, a, 1, d) }
    mutating func mulhsu(_ d: Reg, _ a: Reg, _ b: Reg) { r(1, b, a, 2, d) }
    mutating func mulhu(_ d: Reg, _ a: Reg, _ b: Reg) { r(1, b, a, 3, d) }
    mutating func div(_ d: Reg, _ a: Reg, _ b: Reg) { r(1, b, a, 4, d) }
    mutating func divu(_ d: Reg, _ a: Reg, _ b: Reg) { r(1, b, a, 5, d) }
    mutating func rem(_ d: Reg, _ a: Reg, _ b: Reg) { r(1, b, a, 6, d) }
    mutating func remu(_ d: Reg, _ a: Reg, _ b: Reg) { r(1, b, a, 7, d) }

    // MARK: I-type
    mutating func addi(_ d: Reg, _ a: Reg, _ imm: Int32) { i(imm, a, 0, d, 0x13) }
    mutating func mv(_ d: Reg, _ a: Reg) { addi(d, a, 0) }
    mutating func slti(_ d: Reg, _ a: Reg, _ imm: Int32) { i(imm, a, 2, d, 0x13) }
    mutating func sltiu(_ d: Reg, _ a: Reg, _ imm: Int32) { i(imm, a, 3, d, 0x13) }
    mutating func xori(_ d: Reg, _ a: Reg, _ imm: Int32) { i(imm, a, 4, d, 0x13) }
    mutating func ori(_ d: Reg, _ a: Reg, _ imm: Int32) { i(imm, a, 6, d, 0x13) }
    mutating func andi(_ d: Reg, _ a: Reg, _ imm: Int32) { i(imm, a, 7, d, 0x13) }
    mutating func slli(_ d: Reg, _ a: Reg, _ sh: Int32) { i(sh, a, 1, d, 0x13) }
    mutating func srli(_ d: Reg, _ a: Reg, _ sh: Int32) { i(sh, a, 5, d, 0x13) }
    mutating func srai(_ d: Reg, _ a: Reg, _ sh: Int32) { i(sh | 0x400, a, 5, d, 0x13) }
    mutating func lb(_ d: Reg, _ off: Int32, _ a: Reg) { i(off, a, 0, d, 0x03) }
    mutating func lh(_ d: Reg, _ off: Int32, _ a: Reg) { i(off, a, 1, d, 0x03) }
    mutating func lw(_ d: Reg, _ off: Int32, _ a: Reg) { i(off, a, 2, d, 0x03) }
    mutating func lbu(_ d: Reg, _ off: Int32, _ a: Reg) { i(off, a, 4, d, 0x03) }
    mutating func lhu(_ d: Reg, _ off: Int32, _ a: Reg) { i(off, a, 5, d, 0x03) }
    mutating func sb(_ v: Reg, _ off: Int32, _ a: Reg) { s(off, v, a, 0) }
    mutating func sh(_ v: Reg, _ off: Int32, _ a: Reg) { s(off, v, a, 1) }
    mutating func sw(_ v: Reg, _ off: Int32, _ a: Reg) { s(off, v, a, 2) }
    mutating func jalr(_ d: Reg, _ a: Reg, _ imm: Int32) { i(imm, a, 0, d, 0x67) }
    mutating func lui(_ d: Reg, _ imm20: UInt32) { emit(imm20 << 12 | d.rawValue << 7 | 0x37) }
    mutating func auipc(_ d: Reg, _ imm20: UInt32) { emit(imm20 << 12 | d.rawValue << 7 | 0x17) }
    mutating func ecall() { emit(0x0000_0073) }
    mutating func ebreak() { emit(0x0010_0073) }
    mutating func fence() { emit(0x0FF0_000F) }

    /// Loads any 32-bit constant (always two instructions: LUI then ADDI).
    mutating func li(_ d: Reg, _ value: UInt32) {
        let lo = Int32(bitPattern: value << 20) >> 20  // sign-extended low 12 bits
        let hi = (value &- UInt32(bitPattern: lo)) >> 12
        lui(d, hi)
        addi(d, d, lo)
    }

    // MARK: control flow with labels
    private var labelCount = 0
    mutating func label() -> Label {
        labelCount += 1
        return Label(id: labelCount)
    }
    mutating func bind(_ l: Label) { labels[l.id] = pc }
    private mutating func branch(_ f3: UInt32, _ a: Reg, _ b: Reg, _ l: Label) {
        fixups.append((words.count, l.id, .branch))
        emit(b.rawValue << 20 | a.rawValue << 15 | f3 << 12 | 0x63)
    }
    mutating func beq(_ a: Reg, _ b: Reg, _ l: Label) { branch(0, a, b, l) }
    mutating func bne(_ a: Reg, _ b: Reg, _ l: Label) { branch(1, a, b, l) }
    mutating func blt(_ a: Reg, _ b: Reg, _ l: Label) { branch(4, a, b, l) }
    mutating func bge(_ a: Reg, _ b: Reg, _ l: Label) { branch(5, a, b, l) }
    mutating func bltu(_ a: Reg, _ b: Reg, _ l: Label) { branch(6, a, b, l) }
    mutating func bgeu(_ a: Reg, _ b: Reg, _ l: Label) { branch(7, a, b, l) }
    mutating func jal(_ d: Reg, _ l: Label) {
        fixups.append((words.count, l.id, .jal))
        emit(d.rawValue << 7 | 0x6F)
    }
    /// A branch / jump with a raw byte offset (for out-of-text targets).
    mutating func beqRaw(_ a: Reg, _ b: Reg, offset: Int32) {
        emit(Self.bImm(offset) | b.rawValue << 20 | a.rawValue << 15 | 0x63)
    }
    mutating func jalRaw(_ d: Reg, offset: Int32) { emit(Self.jImm(offset) | d.rawValue << 7 | 0x6F) }

    // MARK: syscalls (t0 = code, result in t0)
    mutating func syscall(_ code: UInt32, a0: UInt32? = nil, a1: UInt32? = nil, a2: UInt32? = nil) {
        if let a0 { li(.a0, a0) }
        if let a1 { li(.a1, a1) }
        if let a2 { li(.a2, a2) }
        li(.t0, code)
        ecall()
    }
    mutating func halt(_ code: UInt32 = 0) { syscall(0, a0: code) }

    /// Resolves labels; returns the text words.
    func assemble() -> [UInt32] {
        var out = words
        for f in fixups {
            guard let target = labels[f.label] else { fatalError("unbound label") }
            let offset = Int32(bitPattern: target &- (base + UInt32(f.index * 4)))
            out[f.index] |= f.kind == .branch ? Self.bImm(offset) : Self.jImm(offset)
        }
        return out
    }
}
