/// A 20-byte Ethereum account address. Printed with its EIP-55 mixed-case checksum.
public struct Address: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// Always 20 bytes.
    public let bytes: [UInt8]

    public static let zero = Address(uncheckedBytes: [UInt8](repeating: 0, count: 20))

    public init<Bytes: Collection<UInt8>>(bytes: Bytes) throws(AddressError) {
        guard bytes.count == 20 else { throw .wrongLength(bytes.count) }
        self.bytes = Array(bytes)
    }

    /// Parses 40 hex digits with an optional `0x`. All-lowercase and all-uppercase input is
    /// accepted as is; mixed case must carry a correct EIP-55 checksum, since mixed case is how
    /// EIP-55 marks a checksummed address and a wrong one means a typo.
    public init(hex: String) throws(AddressError) {
        let decoded: [UInt8]
        do {
            decoded = try Hex.decode(hex)
        } catch {
            throw .invalidHex(error)
        }
        guard decoded.count == 20 else { throw .wrongLength(decoded.count) }
        self.bytes = decoded

        let digits = Hex.digits(hex)
        let hasLower = digits.contains { (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0) }
        let hasUpper = digits.contains { (UInt8(ascii: "A")...UInt8(ascii: "F")).contains($0) }
        if hasLower && hasUpper {
            let expected = checksummed
            guard expected.utf8.dropFirst(2).elementsEqual(digits) else {
                throw .invalidChecksum(given: hex, expected: expected)
            }
        }
    }

    init(uncheckedBytes bytes: [UInt8]) {
        assert(bytes.count == 20)
        self.bytes = bytes
    }

    /// The address of an uncompressed secp256k1 public key given as its 64 coordinate bytes
    /// (X ‖ Y, without the 0x04 prefix): the last 20 bytes of its Keccak-256.
    init(publicKeyCoordinates coordinates: [UInt8]) {
        precondition(coordinates.count == 64)
        self.init(uncheckedBytes: Array(Keccak256.hash(coordinates).bytes[12...]))
    }

    /// `0x`-prefixed lowercase hex.
    public var lowercaseHex: String { Hex.encode(bytes) }

    /// EIP-55: a hex letter is uppercased when the matching nibble of keccak256(lowercase hex
    /// text, without 0x) is 8 or more.
    public var checksummed: String {
        let lower = Array(Hex.encode(bytes, prefixed: false).utf8)
        let hash = Keccak256.hash(lower).bytes
        var out: [UInt8] = [UInt8(ascii: "0"), UInt8(ascii: "x")]
        for (index, character) in lower.enumerated() {
            let nibble = index % 2 == 0 ? hash[index / 2] >> 4 : hash[index / 2] & 0x0f
            let isLetter = character >= UInt8(ascii: "a")
            out.append(isLetter && nibble >= 8 ? character - 0x20 : character)
        }
        return String(decoding: out, as: UTF8.self)
    }

    public var description: String { checksummed }

    public static func < (lhs: Address, rhs: Address) -> Bool {
        lhs.bytes.lexicographicallyPrecedes(rhs.bytes)
    }
}

extension Address: Codable {
    /// Encoded as the EIP-55 checksummed string; decoding accepts any form `init(hex:)` accepts.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            self = try Address(hex: text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "address: \(error)")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(checksummed)
    }
}

public enum AddressError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidHex(HexError)
    /// Not 20 bytes.
    case wrongLength(Int)
    /// Mixed-case input whose EIP-55 checksum is wrong.
    case invalidChecksum(given: String, expected: String)

    public var description: String {
        switch self {
        case .invalidHex(let error): return "invalid address: \(error)"
        case .wrongLength(let count): return "invalid address: expected 20 bytes, got \(count)"
        case .invalidChecksum(let given, let expected):
            return "invalid address checksum (EIP-55): \(given), expected \(expected)"
        }
    }
}
