import Ethereum

/// The two hex encodings of the Ethereum JSON-RPC spec, parsed strictly.
///
/// QUANTITY: `0x` then the value's hex digits without leading zeros (`0x0` for zero, never `0x`
/// or `0x00`). DATA: `0x` then an even number of hex digits (`0x` for no bytes).
public enum Quantity {
    public static func encode(_ value: UInt64) -> String {
        "0x" + String(value, radix: 16)
    }

    public static func encode(_ value: UInt256) -> String {
        let digits = Hex.encode(value.minimalBigEndianBytes, prefixed: false).drop { $0 == "0" }
        return digits.isEmpty ? "0x0" : "0x" + digits
    }

    /// The digits of a well-formed QUANTITY of at most `maxDigits` digits.
    private static func digits(_ text: String, maxDigits: Int) throws(QuantityError) -> Substring.UTF8View {
        guard text.hasPrefix("0x") else { throw .missingPrefix(text) }
        let digits = text.dropFirst(2).utf8
        guard !digits.isEmpty else { throw .empty(text) }
        guard digits.count == 1 || digits.first != UInt8(ascii: "0") else { throw .leadingZero(text) }
        guard digits.allSatisfy({ $0.isHexDigit }) else { throw .invalidDigit(text) }
        guard digits.count <= maxDigits else { throw .overflow(text) }
        return digits
    }

    public static func parseUInt64(_ text: String) throws(QuantityError) -> UInt64 {
        let digits = try digits(text, maxDigits: 16)
        return digits.reduce(0) { $0 << 4 | UInt64($1.hexValue) }
    }

    public static func parseUInt256(_ text: String) throws(QuantityError) -> UInt256 {
        let digits = try digits(text, maxDigits: 64)
        let padded = [UInt8](repeating: UInt8(ascii: "0"), count: 64 - digits.count) + Array(digits)
        var bytes = [UInt8]()
        bytes.reserveCapacity(32)
        for index in stride(from: 0, to: 64, by: 2) {
            bytes.append(padded[index].hexValue << 4 | padded[index + 1].hexValue)
        }
        return try! UInt256(bigEndianBytes: bytes)  // exactly 32 bytes by construction
    }

    /// DATA: `0x` and an even number of hex digits.
    public static func parseData(_ text: String) throws(QuantityError) -> [UInt8] {
        guard text.hasPrefix("0x") else { throw .missingPrefix(text) }
        do {
            return try Hex.decode(text)
        } catch {
            throw .invalidData(text, error)
        }
    }

    /// DATA of exactly 32 bytes (hashes, topics).
    public static func parseBytes32(_ text: String) throws(QuantityError) -> Bytes32 {
        let bytes = try parseData(text)
        guard let value = try? Bytes32(bytes) else { throw .wrongLength(text, expected: 32) }
        return value
    }
}

public enum QuantityError: Error, Sendable, Equatable, CustomStringConvertible {
    case missingPrefix(String)
    case empty(String)
    case leadingZero(String)
    case invalidDigit(String)
    case overflow(String)
    case invalidData(String, HexError)
    case wrongLength(String, expected: Int)

    public var description: String {
        switch self {
        case .missingPrefix(let text): return "hex value without 0x prefix: \(text.prefix(80))"
        case .empty(let text): return "empty quantity: \(text)"
        case .leadingZero(let text): return "quantity with leading zeros: \(text.prefix(80))"
        case .invalidDigit(let text): return "invalid hex digit in quantity: \(text.prefix(80))"
        case .overflow(let text): return "quantity too large: \(text.prefix(80))"
        case .invalidData(let text, let error): return "invalid hex data \(text.prefix(80)): \(error)"
        case .wrongLength(let text, let expected): return "expected \(expected) bytes of hex data: \(text.prefix(80))"
        }
    }
}

extension UInt8 {
    fileprivate var isHexDigit: Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(self)
            || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(self)
            || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(self)
    }

    /// The value of a hex digit already checked with `isHexDigit`.
    fileprivate var hexValue: UInt8 {
        switch self {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return self - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return self - UInt8(ascii: "a") + 10
        default: return self - UInt8(ascii: "A") + 10
        }
    }
}

// MARK: - Decoding helpers for the response types

extension KeyedDecodingContainer {
    func decodeQuantity(_ key: Key) throws -> UInt64 {
        let text = try decode(String.self, forKey: key)
        do { return try Quantity.parseUInt64(text) } catch { throw dataCorrupted(key, error) }
    }

    func decodeQuantityIfPresent(_ key: Key) throws -> UInt64? {
        guard let text = try decodeIfPresent(String.self, forKey: key) else { return nil }
        do { return try Quantity.parseUInt64(text) } catch { throw dataCorrupted(key, error) }
    }

    func decodeQuantity256(_ key: Key) throws -> UInt256 {
        let text = try decode(String.self, forKey: key)
        do { return try Quantity.parseUInt256(text) } catch { throw dataCorrupted(key, error) }
    }

    func decodeQuantity256IfPresent(_ key: Key) throws -> UInt256? {
        guard let text = try decodeIfPresent(String.self, forKey: key) else { return nil }
        do { return try Quantity.parseUInt256(text) } catch { throw dataCorrupted(key, error) }
    }

    func decodeData(_ key: Key) throws -> [UInt8] {
        let text = try decode(String.self, forKey: key)
        do { return try Quantity.parseData(text) } catch { throw dataCorrupted(key, error) }
    }

    func decodeBytes32(_ key: Key) throws -> Bytes32 {
        let text = try decode(String.self, forKey: key)
        do { return try Quantity.parseBytes32(text) } catch { throw dataCorrupted(key, error) }
    }

    func decodeBytes32IfPresent(_ key: Key) throws -> Bytes32? {
        guard let text = try decodeIfPresent(String.self, forKey: key) else { return nil }
        do { return try Quantity.parseBytes32(text) } catch { throw dataCorrupted(key, error) }
    }

    private func dataCorrupted(_ key: Key, _ error: QuantityError) -> DecodingError {
        DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: error.description)
    }
}
