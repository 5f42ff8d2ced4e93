/// Recursive Length Prefix (yellow paper, appendix B): the serialization of Ethereum transactions.
///
/// An item is a byte string or a list of items. Integers are byte strings holding the big-endian
/// value without leading zeros (zero is the empty string); `RLPItem.uint(_:)` and `asUInt64()` /
/// `asUInt256()` do that conversion, strictly on the way in.
public indirect enum RLPItem: Hashable, Sendable {
    case bytes([UInt8])
    case list([RLPItem])

    /// A canonical integer: big-endian, no leading zeros, 0 as the empty string.
    public static func uint(_ value: UInt64) -> RLPItem {
        .bytes(UInt256(value).minimalBigEndianBytes)
    }

    public static func uint(_ value: UInt256) -> RLPItem {
        .bytes(value.minimalBigEndianBytes)
    }

    /// The UTF-8 bytes of `text`.
    public static func string(_ text: String) -> RLPItem {
        .bytes(Array(text.utf8))
    }

    /// The byte string, or `RLPError.expectedBytes` for a list.
    public func asBytes() throws(RLPError) -> [UInt8] {
        guard case .bytes(let bytes) = self else { throw .expectedBytes }
        return bytes
    }

    /// The items, or `RLPError.expectedList` for a byte string.
    public func asList() throws(RLPError) -> [RLPItem] {
        guard case .list(let items) = self else { throw .expectedList }
        return items
    }

    /// A canonical integer of at most 8 bytes.
    public func asUInt64() throws(RLPError) -> UInt64 {
        let bytes = try canonicalIntegerBytes(maxBytes: 8)
        return bytes.reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// A canonical integer of at most 32 bytes.
    public func asUInt256() throws(RLPError) -> UInt256 {
        let bytes = try canonicalIntegerBytes(maxBytes: 32)
        return UInt256(uncheckedBigEndianBytes: [UInt8](repeating: 0, count: 32 - bytes.count) + bytes)
    }

    private func canonicalIntegerBytes(maxBytes: Int) throws(RLPError) -> [UInt8] {
        let bytes = try asBytes()
        // A leading zero would give one number two encodings (and so two transaction hashes).
        guard bytes.first != 0 else { throw .leadingZeroInInteger }
        guard bytes.count <= maxBytes else { throw .integerTooLarge(bytes: bytes.count, maxBytes: maxBytes) }
        return bytes
    }
}

public enum RLP {
    /// Nesting deeper than this is refused by the decoder, so hostile input cannot exhaust the
    /// stack (a task's stack is small); transactions nest at most three levels.
    public static let maximumDepth = 64

    public static func encode(_ item: RLPItem) -> [UInt8] {
        var out = [UInt8]()
        append(item, to: &out)
        return out
    }

    /// Encodes a list without building the `RLPItem.list` first.
    public static func encodeList(_ items: [RLPItem]) -> [UInt8] {
        encode(.list(items))
    }

    private static func append(_ item: RLPItem, to out: inout [UInt8]) {
        switch item {
        case .bytes(let bytes):
            if bytes.count == 1 && bytes[0] < 0x80 {
                out.append(bytes[0])  // a single low byte is its own encoding
            } else {
                appendHeader(length: bytes.count, shortOffset: 0x80, to: &out)
                out.append(contentsOf: bytes)
            }
        case .list(let items):
            var payload = [UInt8]()
            for child in items { append(child, to: &payload) }
            appendHeader(length: payload.count, shortOffset: 0xc0, to: &out)
            out.append(contentsOf: payload)
        }
    }

    /// 0x80/0xc0 + length below 56; otherwise 0xb7/0xf7 + the length's byte count, then the length.
    private static func appendHeader(length: Int, shortOffset: UInt8, to out: inout [UInt8]) {
        if length < 56 {
            out.append(shortOffset + UInt8(length))
        } else {
            let lengthBytes = UInt256(UInt64(length)).minimalBigEndianBytes
            out.append(shortOffset + 55 + UInt8(lengthBytes.count))
            out.append(contentsOf: lengthBytes)
        }
    }

    /// Decodes exactly one item that spans all of `bytes`. Strict: every length must use the
    /// shortest form, single bytes below 0x80 must stand alone, and nothing may follow the item.
    public static func decode(_ bytes: [UInt8]) throws(RLPError) -> RLPItem {
        guard !bytes.isEmpty else { throw .unexpectedEnd(at: 0) }
        var decoder = Decoder(bytes: bytes)
        let item = try decoder.item(end: bytes.count, depth: 0)
        guard decoder.position == bytes.count else {
            throw .trailingBytes(at: decoder.position, count: bytes.count - decoder.position)
        }
        return item
    }

    private struct Decoder {
        let bytes: [UInt8]
        var position = 0

        init(bytes: [UInt8]) { self.bytes = bytes }

        /// Reads one item that must end at or before `end` (the end of its enclosing list).
        mutating func item(end: Int, depth: Int) throws(RLPError) -> RLPItem {
            guard depth <= RLP.maximumDepth else { throw .tooDeep(at: position) }
            guard position < end else { throw .unexpectedEnd(at: position) }
            let start = position
            let prefix = bytes[position]
            position += 1
            switch prefix {
            case 0x00...0x7f:
                return .bytes([prefix])
            case 0x80...0xb7:
                let payload = try take(Int(prefix - 0x80), end: end)
                if payload.count == 1 && payload[0] < 0x80 { throw .nonCanonicalSingleByte(at: start) }
                return .bytes(payload)
            case 0xb8...0xbf:
                let length = try longLength(byteCount: Int(prefix - 0xb7), end: end, headerAt: start)
                return .bytes(try take(length, end: end))
            case 0xc0...0xf7:
                return .list(try listItems(length: Int(prefix - 0xc0), end: end, depth: depth))
            default:  // 0xf8...0xff
                let length = try longLength(byteCount: Int(prefix - 0xf7), end: end, headerAt: start)
                return .list(try listItems(length: length, end: end, depth: depth))
            }
        }

        private mutating func take(_ count: Int, end: Int) throws(RLPError) -> [UInt8] {
            guard count <= end - position else { throw .unexpectedEnd(at: end) }
            defer { position += count }
            return Array(bytes[position..<(position + count)])
        }

        private mutating func longLength(byteCount: Int, end: Int, headerAt start: Int) throws(RLPError) -> Int {
            guard byteCount <= end - position else { throw .unexpectedEnd(at: end) }
            guard bytes[position] != 0 else { throw .leadingZeroInLength(at: start) }
            var length: UInt64 = 0
            for index in position..<(position + byteCount) { length = length << 8 | UInt64(bytes[index]) }
            position += byteCount
            // Compare before narrowing: an 8-byte length may not fit in Int.
            guard length <= UInt64(end - position) else { throw .unexpectedEnd(at: end) }
            guard length >= 56 else { throw .nonCanonicalLength(at: start) }
            return Int(length)
        }

        private mutating func listItems(length: Int, end: Int, depth: Int) throws(RLPError) -> [RLPItem] {
            guard length <= end - position else { throw .unexpectedEnd(at: end) }
            let listEnd = position + length
            var items = [RLPItem]()
            while position < listEnd {
                items.append(try item(end: listEnd, depth: depth + 1))
            }
            return items
        }
    }
}

/// Why strict RLP decoding refused its input. Positions are byte offsets into the input.
public enum RLPError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The input, or an enclosing list, ends before the item does.
    case unexpectedEnd(at: Int)
    /// Bytes after the one top-level item.
    case trailingBytes(at: Int, count: Int)
    /// A one-byte string below 0x80 written with a 0x81 prefix instead of as itself.
    case nonCanonicalSingleByte(at: Int)
    /// The long length form used for a payload shorter than 56 bytes.
    case nonCanonicalLength(at: Int)
    /// A long-form length with leading zero bytes.
    case leadingZeroInLength(at: Int)
    /// Lists nested deeper than `RLP.maximumDepth`.
    case tooDeep(at: Int)
    /// A list where a byte string was required.
    case expectedBytes
    /// A byte string where a list was required.
    case expectedList
    /// An integer with a leading zero byte (zero itself is the empty string).
    case leadingZeroInInteger
    case integerTooLarge(bytes: Int, maxBytes: Int)

    public var description: String {
        switch self {
        case .unexpectedEnd(let at): return "RLP: input ends early (at byte \(at))"
        case .trailingBytes(let at, let count): return "RLP: \(count) trailing bytes after the item ending at byte \(at)"
        case .nonCanonicalSingleByte(let at): return "RLP: single byte below 0x80 with a length prefix at byte \(at)"
        case .nonCanonicalLength(let at): return "RLP: long length form for a payload under 56 bytes at byte \(at)"
        case .leadingZeroInLength(let at): return "RLP: length with leading zero bytes at byte \(at)"
        case .tooDeep(let at): return "RLP: lists nested deeper than \(RLP.maximumDepth) at byte \(at)"
        case .expectedBytes: return "RLP: expected a byte string, found a list"
        case .expectedList: return "RLP: expected a list, found a byte string"
        case .leadingZeroInInteger: return "RLP: integer with a leading zero byte"
        case .integerTooLarge(let bytes, let maxBytes): return "RLP: integer of \(bytes) bytes, at most \(maxBytes) allowed"
        }
    }
}
