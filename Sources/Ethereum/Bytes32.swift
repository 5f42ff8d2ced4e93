/// Exactly 32 bytes: a Solidity `bytes32`, a Keccak-256 digest, a job id.
public struct Bytes32: Hashable, Sendable, CustomStringConvertible {
    /// Always 32 bytes.
    public let bytes: [UInt8]

    public static let zero = Bytes32(uncheckedBytes: [UInt8](repeating: 0, count: 32))

    /// Takes exactly 32 bytes.
    public init<Bytes: Collection<UInt8>>(_ bytes: Bytes) throws(ByteLengthError) {
        guard bytes.count == 32 else { throw ByteLengthError(type: "bytes32", expected: 32, actual: bytes.count) }
        self.bytes = Array(bytes)
    }

    /// Parses 64 hex digits (`0x` prefix optional).
    public init(hex: String) throws(HexError) {
        self.bytes = try Hex.decode(hex, count: 32)
    }

    init(uncheckedBytes bytes: [UInt8]) {
        assert(bytes.count == 32)
        self.bytes = bytes
    }

    /// `0x`-prefixed lowercase hex.
    public var hexString: String { Hex.encode(bytes) }
    public var description: String { hexString }
}

extension Bytes32: Codable {
    /// Encoded as a `0x`-prefixed hex string.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            self = try Bytes32(hex: text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "bytes32: \(error)")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(hexString)
    }
}

/// A byte string of the wrong size for a fixed-size type.
public struct ByteLengthError: Error, Sendable, Equatable, CustomStringConvertible {
    public let type: String
    public let expected: Int
    public let actual: Int

    public init(type: String, expected: Int, actual: Int) {
        self.type = type
        self.expected = expected
        self.actual = actual
    }

    public var description: String { "\(type) needs exactly \(expected) bytes, got \(actual)" }
}

/// A Solidity `uint256`, as four 64-bit limbs, most significant first.
public struct UInt256: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// limbs[0] holds bits 255...192, limbs[3] bits 63...0.
    public let limbs: (UInt64, UInt64, UInt64, UInt64)

    public static let zero = UInt256(0)
    public static let max = UInt256(limbs: (.max, .max, .max, .max))

    public init(_ value: UInt64) { limbs = (0, 0, 0, value) }

    public init(limbs: (UInt64, UInt64, UInt64, UInt64)) { self.limbs = limbs }

    /// From 32 big-endian bytes.
    public init<Bytes: Collection<UInt8>>(bigEndianBytes bytes: Bytes) throws(ByteLengthError) {
        guard bytes.count == 32 else { throw ByteLengthError(type: "uint256", expected: 32, actual: bytes.count) }
        self.init(uncheckedBigEndianBytes: bytes)
    }

    /// From 32 big-endian bytes the caller has already counted.
    init<Bytes: Collection<UInt8>>(uncheckedBigEndianBytes bytes: Bytes) {
        var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        for (index, byte) in bytes.enumerated() {
            switch index / 8 {
            case 0: words.0 = words.0 << 8 | UInt64(byte)
            case 1: words.1 = words.1 << 8 | UInt64(byte)
            case 2: words.2 = words.2 << 8 | UInt64(byte)
            default: words.3 = words.3 << 8 | UInt64(byte)
            }
        }
        limbs = words
    }

    /// 32 big-endian bytes.
    public var bigEndianBytes: [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(32)
        for limb in [limbs.0, limbs.1, limbs.2, limbs.3] {
            for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: limb >> UInt64(shift))) }
        }
        return out
    }

    /// The value if it fits in 64 bits.
    public var uint64Value: UInt64? {
        limbs.0 == 0 && limbs.1 == 0 && limbs.2 == 0 ? limbs.3 : nil
    }

    public static func == (lhs: UInt256, rhs: UInt256) -> Bool {
        lhs.limbs == rhs.limbs
    }

    public static func < (lhs: UInt256, rhs: UInt256) -> Bool {
        (lhs.limbs.0, lhs.limbs.1, lhs.limbs.2, lhs.limbs.3) < (rhs.limbs.0, rhs.limbs.1, rhs.limbs.2, rhs.limbs.3)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(limbs.0)
        hasher.combine(limbs.1)
        hasher.combine(limbs.2)
        hasher.combine(limbs.3)
    }

    /// Decimal digits.
    public var description: String {
        var words = [limbs.0, limbs.1, limbs.2, limbs.3]
        if words.allSatisfy({ $0 == 0 }) { return "0" }
        var digits = [UInt8]()
        // Schoolbook long division by 10^19, the largest power of ten below 2^64.
        let chunk: UInt64 = 10_000_000_000_000_000_000
        while words.contains(where: { $0 != 0 }) {
            var remainder: UInt64 = 0
            for index in words.indices {
                let (quotient, rest) = chunk.dividingFullWidth((high: remainder, low: words[index]))
                words[index] = quotient
                remainder = rest
            }
            let isLastChunk = !words.contains(where: { $0 != 0 })
            var part = Array(String(remainder).utf8)
            if !isLastChunk { part = [UInt8](repeating: UInt8(ascii: "0"), count: 19 - part.count) + part }
            digits = part + digits
        }
        return String(decoding: digits, as: UTF8.self)
    }
}
