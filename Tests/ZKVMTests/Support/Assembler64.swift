/// RV64IM additions to the test assembler: the *W ops, LD / LWU / SD, and constants of any width.
/// Encodings share Assembler's R / I / S formats; the shift immediates take 6 bits on RV64.
extension Assembler {
    // MARK: OP-32 (0x3B)
    mutating func addw(_ d: Reg, _ a: Reg, _ b: Reg) { r(0, b, a, 0, d, 0x3B) }
    mutating func subw(_ d: Reg, _ a: Reg, _ b: Reg) { r(0x20, b, a, 0, d, 0x3B) }
    mutating func sllw(_ d: Reg, _ a: Reg, _ b: Reg) { r(0, b, a, 1, d, 0x3B) }
    mutating func srlw(_ d: Reg, _ a: Reg, _ b: Reg) { r(0, b, a, 5, d, 0x3B) }
    mutating func sraw(_ d: Reg, _ a: Reg, _ b: Reg) { r(0x20, b, a, 5, d, 0x3B) }
    mutating func mulw(_ d: Reg, _ a: Reg, _ b: Reg) { r(1, b, a, 0, d, 0x3B) }
    mutating func divw(_ d: Reg, _ a: Reg, _ b: Reg) { r(1, b, a, 4, d, 0x3B) }
    mutating func divuw(_ d: Reg, _ a: Reg, _ b: Reg) { r(1, b, a, 5, d, 0x3B) }
    mutating func remw(_ d: Reg, _ a: Reg, _ b: Reg) { r(1, b, a, 6, d, 0x3B) }
    mutating func remuw(_ d: Reg, _ a: Reg, _ b: Reg) { r(1, b, a, 7, d, 0x3B) }

    // MARK: OP-IMM-32 (0x1B) and 6-bit shifts
    mutating func addiw(_ d: Reg, _ a: Reg, _ imm: Int32) { i(imm, a, 0, d, 0x1B) }
    mutating func slliw(_ d: Reg, _ a: Reg, _ sh: Int32) { i(sh, a, 1, d, 0x1B) }
    mutating func srliw(_ d: Reg, _ a: Reg, _ sh: Int32) { i(sh, a, 5, d, 0x1B) }
    mutating func sraiw(_ d: Reg, _ a: Reg, _ sh: Int32) { i(sh | 0x400, a, 5, d, 0x1B) }
    // slli / srli / srai take shift amounts up to 63 as they are: bit 25 is the sixth bit.

    // MARK: loads and stores
    mutating func ld(_ d: Reg, _ off: Int32, _ a: Reg) { i(off, a, 3, d, 0x03) }
    mutating func lwu(_ d: Reg, _ off: Int32, _ a: Reg) { i(off, a, 6, d, 0x03) }
    mutating func sd(_ v: Reg, _ off: Int32, _ a: Reg) { s(off, v, a, 3) }

    /// A sign-extended 32-bit constant on RV64: LUI + ADDIW (ADDI would be wrong near 2^31).
    mutating func liw(_ d: Reg, _ value: Int32) {
        let v = UInt32(bitPattern: value)
        let lo = Int32(bitPattern: v << 20) >> 20
        let hi = (v &- UInt32(bitPattern: lo)) >> 12
        lui(d, hi & 0xFFFFF)
        addiw(d, d, lo)
    }

    /// Any 64-bit constant in `d` alone: the high half sign-extended, then the low 32 bits in three
    /// unsigned chunks (11 + 11 + 10 bits) shifted in.
    mutating func li64(_ d: Reg, _ value: UInt64) {
        liw(d, Int32(truncatingIfNeeded: value >> 32))
        for (shift, bits) in [(21, 11), (10, 11), (0, 10)] as [(UInt64, UInt64)] {
            slli(d, d, Int32(bits))
            ori(d, d, Int32((value >> shift) & ((1 << bits) - 1)))
        }
    }
}
