/// Hex text <-> bytes. Input may carry a `0x`/`0X` prefix and mix upper and lower case;
/// output is always lowercase.
public enum Hex {
    private static let digits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Lowercase hex of `bytes`, with a `0x` prefix unless `prefixed` is false.
    public static func encode<Bytes: Sequence<UInt8>>(_ bytes: Bytes, prefixed: Bool = true) -> String {
        var ascii: [UInt8] = prefixed ? [UInt8(ascii: "0"), UInt8(ascii: "x")] : []
        ascii.reserveCapacity(ascii.count + bytes.underestimatedCount * 2)
        for byte in bytes {
            ascii.append(digits[Int(byte >> 4)])
            ascii.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: ascii, as: UTF8.self)
    }

    /// The UTF-8 of `text` without a leading `0x` or `0X`.
    static func digits(_ text: String) -> ArraySlice<UInt8> {
        let utf8 = Array(text.utf8)[...]
        let prefixed = utf8.count >= 2 && utf8[0] == UInt8(ascii: "0") && utf8[1] | 0x20 == UInt8(ascii: "x")
        return prefixed ? utf8.dropFirst(2) : utf8
    }

    /// Bytes of a hex string. `""` and `"0x"` give no bytes.
    public static func decode(_ text: String) throws(HexError) -> [UInt8] {
        let utf8 = digits(text)
        var position = utf8.startIndex  // a character position in `text`
        guard utf8.count % 2 == 0 else { throw .oddLength(digits: utf8.count) }
        var bytes = [UInt8]()
        bytes.reserveCapacity(utf8.count / 2)
        while position < utf8.endIndex {
            guard let high = nibble(utf8[position]) else {
                throw .invalidCharacter(utf8[position], position: position)
            }
            guard let low = nibble(utf8[position + 1]) else {
                throw .invalidCharacter(utf8[position + 1], position: position + 1)
            }
            bytes.append(high << 4 | low)
            position += 2
        }
        return bytes
    }

    /// Bytes of a hex string that must decode to exactly `count` bytes.
    public static func decode(_ text: String, count: Int) throws(HexError) -> [UInt8] {
        let bytes = try decode(text)
        guard bytes.count == count else { throw .wrongLength(expected: count, actual: bytes.count) }
        return bytes
    }

    private static func nibble(_ ascii: UInt8) -> UInt8? {
        switch ascii {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return ascii - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return ascii - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return ascii - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}

public enum HexError: Error, Sendable, Equatable, CustomStringConvertible {
    /// An odd number of hex digits (after any `0x` prefix).
    case oddLength(digits: Int)
    /// A character that is not a hex digit, at a character position of the whole input.
    case invalidCharacter(UInt8, position: Int)
    /// Valid hex, but not the number of bytes the caller requires.
    case wrongLength(expected: Int, actual: Int)

    public var description: String {
        switch self {
        case .oddLength(let digits):
            return "hex string has an odd number of digits (\(digits))"
        case .invalidCharacter(let byte, let position):
            let shown = (0x21...0x7e).contains(byte) ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x\(String(byte, radix: 16))"
            return "invalid hex character \(shown) at position \(position)"
        case .wrongLength(let expected, let actual):
            return "expected \(expected) bytes of hex, got \(actual)"
        }
    }
}

extension Array where Element == UInt8 {
    /// Bytes of a hex string (`0x` prefix optional, either case).
    public init(hex: String) throws(HexError) {
        self = try Hex.decode(hex)
    }

    /// `0x`-prefixed lowercase hex.
    public var hexString: String { Hex.encode(self) }
}

extension ArraySlice where Element == UInt8 {
    /// `0x`-prefixed lowercase hex.
    public var hexString: String { Hex.encode(self) }
}
