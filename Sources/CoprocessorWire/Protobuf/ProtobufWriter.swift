/// Protobuf binary encoding of wire messages (proto3: fields at their default value are not
/// written; repeated scalars are packed; nested messages are written when present).
public struct ProtobufWriter {
    public private(set) var bytes: [UInt8] = []

    public init(capacity: Int = 128) { bytes.reserveCapacity(capacity) }

    public static func encode<M: WireMessage>(_ message: M) -> [UInt8] {
        var writer = ProtobufWriter(capacity: 64 + message.estimatedPayloadSize)
        writer.writeFields(of: message)
        return writer.bytes
    }

    mutating func writeFields<M: WireMessage>(of message: M) {
        for field in M.fields {
            let number = UInt64(field.number)
            switch field.access {
            case .bytes(let key, _):
                let value = message[keyPath: key]
                if value.isEmpty { continue }
                writeTag(number, .lengthDelimited)
                writeVarint(UInt64(value.count))
                bytes.append(contentsOf: value)
            case .uint64(let key):
                let value = message[keyPath: key]
                if value == 0 { continue }
                writeTag(number, .varint)
                writeVarint(value)
            case .uint32(let key):
                let value = message[keyPath: key]
                if value == 0 { continue }
                writeTag(number, .varint)
                writeVarint(UInt64(value))
            case .int32(let key):
                let value = message[keyPath: key]
                if value == 0 { continue }
                writeTag(number, .varint)
                writeVarint(UInt64(bitPattern: Int64(value)))  // negative values take ten bytes
            case .bool(let key):
                guard message[keyPath: key] else { continue }
                writeTag(number, .varint)
                writeVarint(1)
            case .string(let key):
                let value = message[keyPath: key]
                if value.isEmpty { continue }
                writeTag(number, .lengthDelimited)
                writeVarint(UInt64(value.utf8.count))
                bytes.append(contentsOf: value.utf8)
            case .optionalString(let key):
                guard let value = message[keyPath: key] else { continue }
                writeTag(number, .lengthDelimited)
                writeVarint(UInt64(value.utf8.count))
                bytes.append(contentsOf: value.utf8)
            case .repeatedInt32(let key):
                let values = message[keyPath: key]
                if values.isEmpty { continue }
                var packed = ProtobufWriter(capacity: values.count * 3)
                for value in values { packed.writeVarint(UInt64(bitPattern: Int64(value))) }
                writeTag(number, .lengthDelimited)
                writeVarint(UInt64(packed.bytes.count))
                bytes.append(contentsOf: packed.bytes)
            case .repeatedBytes(let key, _):
                for value in message[keyPath: key] {
                    writeTag(number, .lengthDelimited)
                    writeVarint(UInt64(value.count))
                    bytes.append(contentsOf: value)
                }
            case .repeatedMessage(let nested):
                nested.writeProto(message, number, &self)
            case .repeatedUInt64(let key):
                let values = message[keyPath: key]
                if values.isEmpty { continue }
                var packed = ProtobufWriter(capacity: values.count * 3)
                for value in values { packed.writeVarint(value) }
                writeTag(number, .lengthDelimited)
                writeVarint(UInt64(packed.bytes.count))
                bytes.append(contentsOf: packed.bytes)
            case .enumeration(let e):
                let value = e.get(message)
                if value == 0 { continue }
                writeTag(number, .varint)
                writeVarint(UInt64(bitPattern: Int64(value)))  // negative enums take ten bytes
            case .message(let nested):
                guard nested.isPresent(message) else { continue }
                writeTag(number, .lengthDelimited)
                nested.writeProto(message, &self)
            }
        }
    }

    /// A nested message as its length and bytes.
    mutating func writeMessage<M: WireMessage>(_ message: M) {
        var inner = ProtobufWriter(capacity: 64 + message.estimatedPayloadSize)
        inner.writeFields(of: message)
        writeVarint(UInt64(inner.bytes.count))
        bytes.append(contentsOf: inner.bytes)
    }

    mutating func appendRaw<Bytes: Sequence<UInt8>>(_ raw: Bytes) { bytes.append(contentsOf: raw) }

    mutating func writeTag(_ number: UInt64, _ type: ProtobufWireType) {
        writeVarint(number << 3 | UInt64(type.rawValue))
    }

    mutating func writeVarint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }
}

enum ProtobufWireType: UInt8 {
    case varint = 0
    case fixed64 = 1
    case lengthDelimited = 2
    case startGroup = 3
    case endGroup = 4
    case fixed32 = 5
}
