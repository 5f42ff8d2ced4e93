/// The little arithmetic that fees and RLP need (wei amounts can exceed 64 bits), with overflow
/// reported rather than trapping, so callers choose to saturate or refuse.
extension UInt256 {
    /// Limbs least significant first, the order carries propagate in.
    private var littleEndianLimbs: [UInt64] { [limbs.3, limbs.2, limbs.1, limbs.0] }

    private init(littleEndianLimbs words: [UInt64]) {
        self.init(limbs: (words[3], words[2], words[1], words[0]))
    }

    /// Big-endian bytes without leading zeros; zero is no bytes (RLP's and JSON-RPC's integer form).
    public var minimalBigEndianBytes: [UInt8] {
        Array(bigEndianBytes.drop { $0 == 0 })
    }

    /// From at most 32 big-endian bytes (leading zeros allowed; none is zero).
    public init?<Bytes: Collection<UInt8>>(truncatingBigEndianBytes bytes: Bytes) {
        guard bytes.count <= 32 else { return nil }
        self.init(uncheckedBigEndianBytes: [UInt8](repeating: 0, count: 32 - bytes.count) + Array(bytes))
    }

    public var isZero: Bool { self == .zero }

    public func addingReportingOverflow(_ other: UInt256) -> (partialValue: UInt256, overflow: Bool) {
        let a = littleEndianLimbs, b = other.littleEndianLimbs
        var sum = [UInt64](repeating: 0, count: 4)
        var carry = false
        for index in 0..<4 {
            let (partial, overflow1) = a[index].addingReportingOverflow(b[index])
            let (withCarry, overflow2) = partial.addingReportingOverflow(carry ? 1 : 0)
            sum[index] = withCarry
            carry = overflow1 || overflow2
        }
        return (UInt256(littleEndianLimbs: sum), carry)
    }

    public func subtractingReportingOverflow(_ other: UInt256) -> (partialValue: UInt256, overflow: Bool) {
        let a = littleEndianLimbs, b = other.littleEndianLimbs
        var difference = [UInt64](repeating: 0, count: 4)
        var borrow = false
        for index in 0..<4 {
            let (partial, overflow1) = a[index].subtractingReportingOverflow(b[index])
            let (withBorrow, overflow2) = partial.subtractingReportingOverflow(borrow ? 1 : 0)
            difference[index] = withBorrow
            borrow = overflow1 || overflow2
        }
        return (UInt256(littleEndianLimbs: difference), borrow)
    }

    public func multipliedReportingOverflow(by factor: UInt64) -> (partialValue: UInt256, overflow: Bool) {
        var product = [UInt64](repeating: 0, count: 4)
        var carry: UInt64 = 0
        for (index, limb) in littleEndianLimbs.enumerated() {
            let (high, low) = limb.multipliedFullWidth(by: factor)
            let (sum, overflow) = low.addingReportingOverflow(carry)
            product[index] = sum
            carry = high &+ (overflow ? 1 : 0)  // high ≤ 2^64 - 2, so this cannot wrap
        }
        return (UInt256(littleEndianLimbs: product), carry != 0)
    }

    /// Truncating division by a non-zero 64-bit divisor.
    public func quotientAndRemainder(dividingBy divisor: UInt64) -> (quotient: UInt256, remainder: UInt64) {
        precondition(divisor != 0, "division by zero")
        var quotient = [UInt64](repeating: 0, count: 4)
        var remainder: UInt64 = 0
        for (index, limb) in [limbs.0, limbs.1, limbs.2, limbs.3].enumerated() {
            let (q, r) = divisor.dividingFullWidth((high: remainder, low: limb))
            quotient[index] = q
            remainder = r
        }
        return (UInt256(limbs: (quotient[0], quotient[1], quotient[2], quotient[3])), remainder)
    }

    /// `self + other`, or `.max` on overflow.
    public func saturatingAdd(_ other: UInt256) -> UInt256 {
        let (value, overflow) = addingReportingOverflow(other)
        return overflow ? .max : value
    }

    /// `self * factor`, or `.max` on overflow.
    public func saturatingMultiply(by factor: UInt64) -> UInt256 {
        let (value, overflow) = multipliedReportingOverflow(by: factor)
        return overflow ? .max : value
    }
}
