import Foundation

/// Any JSON value, for checking JSON bodies exactly (numbers here are always integers: an `Int`, or
/// a `UInt64` above `Int.max`; a fraction or exponent does not parse).
public enum TestJSON: Decodable, Equatable, Sendable, CustomStringConvertible,
    ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    case string(String)
    case int(Int)
    /// Only above `Int.max` (below it, `.int`).
    case uint(UInt64)
    case bool(Bool)
    case array([TestJSON])
    case object([String: TestJSON])
    case null

    public init(from decoder: any Decoder) throws {
        let value = try decoder.singleValueContainer()
        if value.decodeNil() {
            self = .null
        } else if let bool = try? value.decode(Bool.self) {
            self = .bool(bool)
        } else if let int = try? value.decode(Int.self) {
            self = .int(int)
        } else if let uint = try? value.decode(UInt64.self) {
            self = .uint(uint)
        } else if let string = try? value.decode(String.self) {
            self = .string(string)
        } else if let array = try? value.decode([TestJSON].self) {
            self = .array(array)
        } else {
            self = .object(try value.decode([String: TestJSON].self))
        }
    }

    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: TestJSON...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, TestJSON)...) {
        self = .object(Dictionary(uniqueKeysWithValues: elements))
    }

    /// A JSON number of any size.
    public static func number(_ value: UInt64) -> TestJSON { value > UInt64(Int.max) ? .uint(value) : .int(Int(value)) }

    public subscript(key: String) -> TestJSON? {
        if case .object(let object) = self { return object[key] }
        return nil
    }

    public var object: [String: TestJSON]? {
        if case .object(let object) = self { return object }
        return nil
    }

    public var array: [TestJSON]? {
        if case .array(let array) = self { return array }
        return nil
    }

    public var string: String? {
        if case .string(let string) = self { return string }
        return nil
    }

    /// Parses JSON text.
    public init(parsing bytes: some Sequence<UInt8>) throws {
        self = try JSONDecoder().decode(TestJSON.self, from: Data(bytes))
    }

    public var description: String {
        switch self {
        case .string(let string):
            let shown = string.count > 80 ? String(string.prefix(80)) + "…" : string
            return "\"\(shown)\""
        case .int(let int): return "\(int)"
        case .uint(let uint): return "\(uint)"
        case .bool(let bool): return "\(bool)"
        case .array(let array): return "[\(array.map(\.description).joined(separator: ", "))]"
        case .object(let object):
            return "{\(object.sorted { $0.key < $1.key }.map { "\"\($0.key)\": \($0.value)" }.joined(separator: ", "))}"
        case .null: return "null"
        }
    }
}
