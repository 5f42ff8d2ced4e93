/// The Solidity ABI types this project needs.
public indirect enum ABIType: Hashable, Sendable, CustomStringConvertible {
    case uint64
    case uint256
    case address
    case bytes32
    case bool
    /// Dynamic `bytes`.
    case bytes
    /// A struct or parameter list; dynamic when any member is.
    case tuple([ABIType])

    /// Dynamic types live in the tail and are referenced from the head by an offset.
    public var isDynamic: Bool {
        switch self {
        case .bytes: return true
        case .tuple(let members): return members.contains { $0.isDynamic }
        case .uint64, .uint256, .address, .bytes32, .bool: return false
        }
    }

    /// Bytes the type takes in its enclosing head: 32 for every basic or dynamic type, the sum of
    /// the members for a static tuple.
    public var headSize: Int {
        switch self {
        case .tuple(let members) where !isDynamic: return members.reduce(0) { $0 + $1.headSize }
        default: return 32
        }
    }

    /// The canonical type name used in function and event signatures.
    public var description: String {
        switch self {
        case .uint64: return "uint64"
        case .uint256: return "uint256"
        case .address: return "address"
        case .bytes32: return "bytes32"
        case .bool: return "bool"
        case .bytes: return "bytes"
        case .tuple(let members): return "(" + members.map(\.description).joined(separator: ",") + ")"
        }
    }
}

/// A value of an `ABIType`.
public indirect enum ABIValue: Hashable, Sendable {
    case uint64(UInt64)
    case uint256(UInt256)
    case address(Address)
    case bytes32(Bytes32)
    case bool(Bool)
    case bytes([UInt8])
    case tuple([ABIValue])

    public var type: ABIType {
        switch self {
        case .uint64: return .uint64
        case .uint256: return .uint256
        case .address: return .address
        case .bytes32: return .bytes32
        case .bool: return .bool
        case .bytes: return .bytes
        case .tuple(let members): return .tuple(members.map(\.type))
        }
    }

    public var isDynamic: Bool { type.isDynamic }
}

/// Why strict ABI decoding refused its input. Positions are byte offsets into the decoded data.
public enum ABIDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The data ends before something the layout requires.
    case truncated(at: Int, needed: Int, available: Int)
    /// An offset word points beyond the end of the enclosing data.
    case offsetOutOfRange(at: Int, offset: UInt256, available: Int)
    /// An offset points inside the data but not where the canonical encoder puts that value
    /// (gaps, overlaps or reordered tails), which would let two byte strings mean one value.
    case nonCanonicalOffset(at: Int, expected: Int, found: Int)
    /// A length word claims more bytes than remain.
    case lengthOutOfRange(at: Int, length: UInt256, available: Int)
    /// Bits that must be zero are set: the high bytes of a uint64, address or bool word, or the
    /// padding after the contents of a `bytes`.
    case dirtyPadding(at: Int, type: ABIType)
    /// A bool word whose low byte is neither 0 nor 1.
    case invalidBool(at: Int, value: UInt8)
    /// Bytes left over after the complete layout.
    case trailingData(at: Int, count: Int)
    /// Calldata that does not start with the expected 4-byte function selector.
    case wrongSelector(expected: [UInt8], found: [UInt8])

    public var description: String {
        switch self {
        case .truncated(let at, let needed, let available):
            return "ABI data truncated: \(needed) bytes needed at offset \(at), only \(available) available"
        case .offsetOutOfRange(let at, let offset, let available):
            return "ABI offset \(offset) at byte \(at) is out of range (\(available) bytes available)"
        case .nonCanonicalOffset(let at, let expected, let found):
            return "ABI offset at byte \(at) is \(found), but the canonical encoding has \(expected)"
        case .lengthOutOfRange(let at, let length, let available):
            return "ABI length \(length) at byte \(at) exceeds the \(available) bytes that follow"
        case .dirtyPadding(let at, let type):
            return "ABI \(type) at byte \(at) has non-zero padding bits"
        case .invalidBool(let at, let value):
            return "ABI bool at byte \(at) has value \(value), expected 0 or 1"
        case .trailingData(let at, let count):
            return "ABI data has \(count) trailing bytes after the layout ends at byte \(at)"
        case .wrongSelector(let expected, let found):
            return "calldata selector \(Hex.encode(found)) does not match \(Hex.encode(expected))"
        }
    }
}
