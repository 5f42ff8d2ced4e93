/// Protobuf binary decoding of wire messages. Unknown fields are skipped; a repeated scalar is
/// read packed or unpacked; a field that occurs twice takes its last value (nested messages merge),
/// as the protobuf specification requires.
public enum ProtobufReader {
    static let maxDepth = 64

    public static func decode<M: WireMessage>(_: M.Type, from bytes: UnsafeRawBufferPointer) throws(WireDecodingError) -> M {
        var message = M()
        try merge(bytes, into: &message, depth: 0)
        return message
    }

    public static func decode<M: WireMessage>(_ type: M.Type, from bytes: [UInt8]) throws(WireDecodingError) -> M {
        var message = M()
        var failure: WireDecodingError?
        bytes.withUnsafeBytes { buffer in
            do throws(WireDecodingError) { try merge(buffer, into: &message, depth: 0) } catch { failure = error }
        }
        if let failure { throw failure }
        return message
    }

    static func merge<M: WireMessage>(_ bytes: UnsafeRawBufferPointer, into message: inout M, depth: Int)
        throws(WireDecodingError)
    {
        guard depth < maxDepth else { throw WireDecodingError("protobuf message nested deeper than \(maxDepth) levels") }
        var cursor = Cursor(bytes: bytes)
        while !cursor.atEnd {
            let tag = try cursor.varint()
            let number = tag >> 3
            guard number > 0, number <= 0x1FFF_FFFF, let type = ProtobufWireType(rawValue: UInt8(tag & 7)) else {
                throw WireDecodingError("protobuf: invalid tag \(tag)")
            }
            guard let field = M.fields.first(where: { UInt64($0.number) == number }) else {
                try cursor.skip(type)
                continue
            }
            try read(field, type, &cursor, into: &message, depth: depth)
        }
    }

    private static func read<M: WireMessage>(_ field: WireField<M>, _ type: ProtobufWireType, _ cursor: inout Cursor,
                                             into message: inout M, depth: Int) throws(WireDecodingError) {
        func wrongType() -> WireDecodingError {
            WireDecodingError("protobuf: field \(field.name) (\(field.number)) has wire type \(type.rawValue)")
        }
        switch field.access {
        case .bytes(let key, _):
            guard type == .lengthDelimited else { throw wrongType() }
            message[keyPath: key] = Array(try cursor.lengthDelimited())
        case .uint64(let key):
            guard type == .varint else { throw wrongType() }
            message[keyPath: key] = try cursor.varint()
        case .uint32(let key):
            guard type == .varint else { throw wrongType() }
            message[keyPath: key] = UInt32(truncatingIfNeeded: try cursor.varint())
        case .int32(let key):
            guard type == .varint else { throw wrongType() }
            message[keyPath: key] = Int32(truncatingIfNeeded: try cursor.varint())
        case .bool(let key):
            guard type == .varint else { throw wrongType() }
            message[keyPath: key] = try cursor.varint() != 0
        case .string(let key):
            guard type == .lengthDelimited else { throw wrongType() }
            message[keyPath: key] = try utf8(try cursor.lengthDelimited(), field)
        case .optionalString(let key):
            guard type == .lengthDelimited else { throw wrongType() }
            message[keyPath: key] = try utf8(try cursor.lengthDelimited(), field)
        case .repeatedUInt64(let key):
            if type == .varint {
                message[keyPath: key].append(try cursor.varint())
            } else if type == .lengthDelimited {
                var packed = Cursor(bytes: try cursor.lengthDelimited())
                while !packed.atEnd { message[keyPath: key].append(try packed.varint()) }
            } else {
                throw wrongType()
            }
        case .repeatedInt32(let key):
            if type == .varint {
                message[keyPath: key].append(Int32(truncatingIfNeeded: try cursor.varint()))
            } else if type == .lengthDelimited {
                var packed = Cursor(bytes: try cursor.lengthDelimited())
                while !packed.atEnd { message[keyPath: key].append(Int32(truncatingIfNeeded: try packed.varint())) }
            } else {
                throw wrongType()
            }
        case .repeatedBytes(let key, _):
            guard type == .lengthDelimited else { throw wrongType() }
            message[keyPath: key].append(Array(try cursor.lengthDelimited()))
        case .repeatedMessage(let nested):
            guard type == .lengthDelimited else { throw wrongType() }
            try nested.readProto(&message, try cursor.lengthDelimited(), depth + 1)
        case .enumeration(let e):
            guard type == .varint else { throw wrongType() }
            e.set(&message, Int32(truncatingIfNeeded: try cursor.varint()))
        case .message(let nested):
            guard type == .lengthDelimited else { throw wrongType() }
            try nested.readProto(&message, try cursor.lengthDelimited(), depth + 1)
        }
    }

    private static func utf8<M>(_ raw: UnsafeRawBufferPointer, _ field: WireField<M>) throws(WireDecodingError) -> String {
        guard let text = String(validating: raw, as: UTF8.self) else {
            throw WireDecodingError("protobuf: field \(field.name) is not valid UTF-8")
        }
        return text
    }

    struct Cursor {
        let bytes: UnsafeRawBufferPointer
        var position = 0

        var atEnd: Bool { position >= bytes.count }

        mutating func varint() throws(WireDecodingError) -> UInt64 {
            var value: UInt64 = 0
            var shift: UInt64 = 0
            while true {
                guard position < bytes.count else { throw WireDecodingError("protobuf: truncated varint") }
                let b = bytes[position]
                position += 1
                guard shift < 64 else { throw WireDecodingError("protobuf: varint longer than ten bytes") }
                value |= UInt64(b & 0x7F) << shift
                if b < 0x80 { return value }
                shift += 7
            }
        }

        mutating func lengthDelimited() throws(WireDecodingError) -> UnsafeRawBufferPointer {
            let length = try varint()
            guard length <= UInt64(bytes.count - position) else {
                throw WireDecodingError("protobuf: a length of \(length) runs past the end of the message")
            }
            let slice = UnsafeRawBufferPointer(rebasing: bytes[position..<(position + Int(length))])
            position += Int(length)
            return slice
        }

        mutating func skip(_ type: ProtobufWireType) throws(WireDecodingError) {
            switch type {
            case .varint: _ = try varint()
            case .fixed64: try advance(8)
            case .fixed32: try advance(4)
            case .lengthDelimited: _ = try lengthDelimited()
            case .startGroup, .endGroup: throw WireDecodingError("protobuf: groups are not supported")
            }
        }

        private mutating func advance(_ n: Int) throws(WireDecodingError) {
            guard bytes.count - position >= n else { throw WireDecodingError("protobuf: truncated field") }
            position += n
        }
    }
}
