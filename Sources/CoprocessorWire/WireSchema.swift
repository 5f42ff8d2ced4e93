/// The wire interface described as data: every message of `coprocessor_node.v1` is a Swift struct
/// whose fields are listed once, in `fields`, with their proto name, number, type and meaning.
/// Everything else is derived from that list: the protobuf binary codec (gRPC), the JSON reader
/// and writer (HTTP gateway), the `.proto` text and the OpenAPI document. Adding a field means
/// adding one property and one `WireField` line.

/// A message of the wire interface.
public protocol WireMessage: Sendable, Equatable {
    /// Every field at its proto3 default.
    init()
    /// The message name in the `.proto` file.
    static var wireName: String { get }
    /// One line of documentation (the `.proto` comment and the OpenAPI description).
    static var wireDoc: String { get }
    /// The fields, in field-number order.
    static var fields: [WireField<Self>] { get }
}

/// A proto3 enum whose unknown numbers survive a round trip (an "open" enum).
public protocol WireEnum: RawRepresentable, Sendable, Hashable where RawValue == Int32 {
    init(rawValue: Int32)
    static var wireName: String { get }
    static var wireDoc: String { get }
    /// Every named value, in number order.
    static var wireValues: [(name: String, value: Int32)] { get }
    /// The message this enum is declared in (`HealthCheckResponse.ServingStatus`), or nil for a
    /// top-level enum.
    static var wireParent: String? { get }
}

extension WireEnum {
    public static var wireParent: String? { nil }

    /// The name of this value, if the enum has one for it.
    public var wireValueName: String? { Self.wireValues.first { $0.value == rawValue }?.name }
}

/// How the gateway writes a bytes field in JSON. Every bytes field declares one: InfinityVM's
/// gateway serializes its prost types with serde, where a field annotated `serde_as(Hex)` is a hex
/// string and any other `Vec<u8>` is an array of integers, and its Rust clients parse our answers
/// with those same types. The reader accepts both shapes for every field, whatever it declares.
public enum JSONBytes: Sendable, Equatable {
    /// Lowercase hex without `0x` (serde_with's `Hex`).
    case hex
    /// An array of integers 0–255 (serde's `Vec<u8>`).
    case integerArray
}

/// What a field holds, for the `.proto` text and the OpenAPI document.
public indirect enum WireFieldType: Sendable, Equatable {
    case bytes(JSONBytes)
    case uint64
    case uint32
    case int32
    case bool
    /// proto3 `string` (implicit presence: "" is not written).
    case string
    /// proto3 `optional string`, or a string member of a oneof: absent (nil) is not the same as "".
    case optionalString
    case repeatedUInt64
    case repeatedInt32
    case repeatedBytes(JSONBytes)
    case enumeration(WireEnumDescriptor)
    case message(WireMessageDescriptor)
    case repeatedMessage(WireMessageDescriptor)
}

/// An enum, without its Swift type.
public struct WireEnumDescriptor: Sendable, Equatable {
    public let name: String
    public let doc: String
    public let values: [String]
    public let numbers: [Int32]
    /// The message it is declared in, if any.
    public let parent: String?

    init<E: WireEnum>(_: E.Type) {
        name = E.wireName
        doc = E.wireDoc
        values = E.wireValues.map(\.name)
        numbers = E.wireValues.map(\.value)
        parent = E.wireParent
    }

    /// Its name relative to the file's package: `Parent.Name` for a nested enum.
    public var scopedName: String { parent.map { "\($0).\(name)" } ?? name }

    /// The number of a value name, exact or ignoring case.
    public func number(named name: String) -> Int32? {
        if let i = values.firstIndex(of: name) { return numbers[i] }
        let lowered = name.lowercased()
        return values.firstIndex { $0.lowercased() == lowered }.map { numbers[$0] }
    }
}

/// A message, without its Swift type: enough to describe it (nested messages, documents).
public struct WireMessageDescriptor: Sendable, Equatable {
    public let name: String
    public let doc: String
    /// (name, JSON name, number, type, doc) of each field.
    public let fields: [FieldInfo]

    public struct FieldInfo: Sendable, Equatable {
        public let name: String
        public let jsonName: String
        public let number: Int
        public let type: WireFieldType
        public let doc: String
        /// The oneof the field belongs to, if any.
        public let oneof: String?
    }

    public init<M: WireMessage>(_: M.Type) {
        name = M.wireName
        doc = M.wireDoc
        fields = M.fields.map {
            FieldInfo(name: $0.name, jsonName: $0.jsonName, number: $0.number, type: $0.type, doc: $0.doc, oneof: $0.oneof)
        }
    }

    /// The oneofs of the message, in the order of their first member.
    public var oneofs: [String] {
        var names: [String] = []
        for field in fields { if let o = field.oneof, !names.contains(o) { names.append(o) } }
        return names
    }

    public static func == (a: Self, b: Self) -> Bool { a.name == b.name }
}

/// One field of a message: its description and how to reach the value.
public struct WireField<Message: WireMessage>: Sendable {
    /// The proto field name (snake_case).
    public let name: String
    /// The proto3 JSON name (lowerCamelCase).
    public let jsonName: String
    public let number: Int
    public let doc: String
    /// The oneof this field belongs to (optional strings and messages only: members of a oneof
    /// have presence).
    public let oneof: String?
    let access: Access

    /// How the codecs read and write the value. Messages and enums go through closures built by
    /// generic factories, so this type needs no knowledge of the concrete field types.
    enum Access: Sendable {
        case bytes(WritableKeyPath<Message, [UInt8]> & Sendable, JSONBytes)
        case uint64(WritableKeyPath<Message, UInt64> & Sendable)
        case uint32(WritableKeyPath<Message, UInt32> & Sendable)
        case int32(WritableKeyPath<Message, Int32> & Sendable)
        case bool(WritableKeyPath<Message, Bool> & Sendable)
        case string(WritableKeyPath<Message, String> & Sendable)
        case optionalString(WritableKeyPath<Message, String?> & Sendable)
        case repeatedUInt64(WritableKeyPath<Message, [UInt64]> & Sendable)
        case repeatedInt32(WritableKeyPath<Message, [Int32]> & Sendable)
        case repeatedBytes(WritableKeyPath<Message, [[UInt8]]> & Sendable, JSONBytes)
        case enumeration(EnumAccess)
        case message(MessageAccess)
        case repeatedMessage(RepeatedMessageAccess)
    }

    struct EnumAccess: Sendable {
        let descriptor: WireEnumDescriptor
        let get: @Sendable (Message) -> Int32
        let set: @Sendable (inout Message, Int32) -> Void
    }

    /// A nested message field (proto3: explicit presence; nil = absent).
    struct MessageAccess: Sendable {
        let descriptor: WireMessageDescriptor
        let isPresent: @Sendable (Message) -> Bool
        let writeJSON: @Sendable (Message, inout JSONWriter) -> Void
        let readJSON: @Sendable (inout Message, inout JSONReader) throws(WireDecodingError) -> Void
        let writeProto: @Sendable (Message, inout ProtobufWriter) -> Void
        let readProto: @Sendable (inout Message, UnsafeRawBufferPointer, Int) throws(WireDecodingError) -> Void
    }

    /// A repeated message field: each element is one occurrence of the field.
    struct RepeatedMessageAccess: Sendable {
        let descriptor: WireMessageDescriptor
        let writeJSON: @Sendable (Message, inout JSONWriter) -> Void
        /// Reads one element (a JSON object) and appends it.
        let readJSONElement: @Sendable (inout Message, inout JSONReader) throws(WireDecodingError) -> Void
        let clear: @Sendable (inout Message) -> Void
        /// Writes every element, each with the field's tag.
        let writeProto: @Sendable (Message, UInt64, inout ProtobufWriter) -> Void
        let readProto: @Sendable (inout Message, UnsafeRawBufferPointer, Int) throws(WireDecodingError) -> Void
    }

    private init(_ name: String, _ number: Int, _ doc: String, oneof: String? = nil, _ access: Access) {
        self.name = name
        self.jsonName = Self.lowerCamelCase(name)
        self.number = number
        self.doc = doc
        self.oneof = oneof
        self.access = access
    }

    public var type: WireFieldType {
        switch access {
        case .bytes(_, let shape): .bytes(shape)
        case .uint64: .uint64
        case .uint32: .uint32
        case .int32: .int32
        case .bool: .bool
        case .string: .string
        case .optionalString: .optionalString
        case .repeatedUInt64: .repeatedUInt64
        case .repeatedInt32: .repeatedInt32
        case .repeatedBytes(_, let shape): .repeatedBytes(shape)
        case .enumeration(let e): .enumeration(e.descriptor)
        case .message(let m): .message(m.descriptor)
        case .repeatedMessage(let m): .repeatedMessage(m.descriptor)
        }
    }

    /// A bytes field and its JSON shape (InfinityVM's serde shape for the field: `.hex` where its
    /// prost type says `serde_as(Hex)`, else `.integerArray`).
    public static func bytes(_ name: String, _ number: Int, _ key: WritableKeyPath<Message, [UInt8]> & Sendable,
                             json: JSONBytes, doc: String = "") -> Self { Self(name, number, doc, .bytes(key, json)) }
    public static func uint64(_ name: String, _ number: Int, _ key: WritableKeyPath<Message, UInt64> & Sendable,
                              doc: String = "") -> Self { Self(name, number, doc, .uint64(key)) }
    public static func uint32(_ name: String, _ number: Int, _ key: WritableKeyPath<Message, UInt32> & Sendable,
                              doc: String = "") -> Self { Self(name, number, doc, .uint32(key)) }
    public static func int32(_ name: String, _ number: Int, _ key: WritableKeyPath<Message, Int32> & Sendable,
                             doc: String = "") -> Self { Self(name, number, doc, .int32(key)) }
    public static func bool(_ name: String, _ number: Int, _ key: WritableKeyPath<Message, Bool> & Sendable,
                            doc: String = "") -> Self { Self(name, number, doc, .bool(key)) }
    public static func string(_ name: String, _ number: Int, _ key: WritableKeyPath<Message, String> & Sendable,
                              doc: String = "") -> Self { Self(name, number, doc, .string(key)) }
    /// `oneof`: the field is a member of that oneof rather than a proto3 `optional` field.
    public static func optionalString(_ name: String, _ number: Int,
                                      _ key: WritableKeyPath<Message, String?> & Sendable, oneof: String? = nil,
                                      doc: String = "") -> Self {
        Self(name, number, doc, oneof: oneof, .optionalString(key))
    }
    public static func repeatedUInt64(_ name: String, _ number: Int,
                                      _ key: WritableKeyPath<Message, [UInt64]> & Sendable, doc: String = "") -> Self {
        Self(name, number, doc, .repeatedUInt64(key))
    }
    public static func repeatedInt32(_ name: String, _ number: Int,
                                     _ key: WritableKeyPath<Message, [Int32]> & Sendable, doc: String = "") -> Self {
        Self(name, number, doc, .repeatedInt32(key))
    }
    public static func repeatedBytes(_ name: String, _ number: Int, _ key: WritableKeyPath<Message, [[UInt8]]> & Sendable,
                                     json: JSONBytes, doc: String = "") -> Self {
        Self(name, number, doc, .repeatedBytes(key, json))
    }

    public static func enumeration<E: WireEnum>(_ name: String, _ number: Int,
                                                _ key: WritableKeyPath<Message, E> & Sendable, doc: String = "") -> Self {
        Self(name, number, doc, .enumeration(EnumAccess(
            descriptor: WireEnumDescriptor(E.self),
            get: { $0[keyPath: key].rawValue },
            set: { $0[keyPath: key] = E(rawValue: $1) })))
    }

    public static func message<Nested: WireMessage>(_ name: String, _ number: Int,
                                                    _ key: WritableKeyPath<Message, Nested?> & Sendable,
                                                    oneof: String? = nil, doc: String = "") -> Self {
        Self(name, number, doc, oneof: oneof, .message(MessageAccess(
            descriptor: WireMessageDescriptor(Nested.self),
            isPresent: { $0[keyPath: key] != nil },
            writeJSON: { message, writer in
                if let nested = message[keyPath: key] { writer.writeObject(nested) }
            },
            readJSON: { (message: inout Message, reader: inout JSONReader) throws(WireDecodingError) in
                // A repeated occurrence merges into the message read so far, as protobuf does.
                var nested = message[keyPath: key] ?? Nested()
                try reader.readObject(into: &nested)
                message[keyPath: key] = nested
            },
            writeProto: { message, writer in
                if let nested = message[keyPath: key] { writer.writeMessage(nested) }
            },
            readProto: { (message: inout Message, bytes: UnsafeRawBufferPointer, depth: Int) throws(WireDecodingError) in
                var nested = message[keyPath: key] ?? Nested()
                try ProtobufReader.merge(bytes, into: &nested, depth: depth)
                message[keyPath: key] = nested
            })))
    }

    public static func repeatedMessage<Element: WireMessage>(_ name: String, _ number: Int,
                                                             _ key: WritableKeyPath<Message, [Element]> & Sendable,
                                                             doc: String = "") -> Self {
        Self(name, number, doc, .repeatedMessage(RepeatedMessageAccess(
            descriptor: WireMessageDescriptor(Element.self),
            writeJSON: { message, writer in
                writer.writeRaw("[")
                for (i, element) in message[keyPath: key].enumerated() {
                    if i > 0 { writer.writeRaw(",") }
                    writer.writeObject(element)
                }
                writer.writeRaw("]")
            },
            readJSONElement: { (message: inout Message, reader: inout JSONReader) throws(WireDecodingError) in
                var element = Element()
                try reader.readObject(into: &element)
                message[keyPath: key].append(element)
            },
            clear: { $0[keyPath: key] = [] },
            writeProto: { message, number, writer in
                for element in message[keyPath: key] {
                    writer.writeTag(number, .lengthDelimited)
                    writer.writeMessage(element)
                }
            },
            readProto: { (message: inout Message, bytes: UnsafeRawBufferPointer, depth: Int) throws(WireDecodingError) in
                var element = Element()
                try ProtobufReader.merge(bytes, into: &element, depth: depth)
                message[keyPath: key].append(element)
            })))
    }

    /// `max_cycles` → `maxCycles` (proto3 JSON names).
    static func lowerCamelCase(_ protoName: String) -> String {
        var out = ""
        var upperNext = false
        for character in protoName {
            if character == "_" {
                upperNext = true
            } else if upperNext {
                out += character.uppercased()
                upperNext = false
            } else {
                out.append(character)
            }
        }
        return out
    }
}

/// A request body or message that cannot be decoded, with a message for the client.
public struct WireDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }

    static func invalidField(_ field: String, _ reason: String) -> Self { Self("invalid field \"\(field)\": \(reason)") }
}
