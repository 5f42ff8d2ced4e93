/// A `WireProtoFile` as a serialized `google.protobuf.FileDescriptorProto`: what gRPC server
/// reflection hands to clients, and what `protoc` produces from the same file's `.proto` text (a
/// test compiles `ProtoFile.render(file)` with protoc and compares). Field numbers below are
/// those of `google/protobuf/descriptor.proto`.
public enum FileDescriptorEncoder {
    public static func encode(_ file: WireProtoFile) -> [UInt8] {
        var out = ProtobufWriter(capacity: 4096)
        out.writeString(1, file.path)  // name
        out.writeString(2, file.package)  // package
        for message in file.messages {
            out.writeNested(4) { encodeMessage(message, file: file, into: &$0) }  // message_type
        }
        for e in file.enums where e.parent == nil {
            out.writeNested(5) { encodeEnum(e, into: &$0) }  // enum_type
        }
        for service in file.services {
            out.writeNested(6) { s in  // service
                s.writeString(1, service.name)
                for method in service.methods {
                    s.writeNested(2) { m in  // method
                        m.writeString(1, method.name)
                        m.writeString(2, file.typeName(method.input.name))  // input_type
                        m.writeString(3, file.typeName(method.output.name))  // output_type
                        if method.clientStreaming { m.writeVarintField(5, 1) }
                        if method.serverStreaming { m.writeVarintField(6, 1) }
                    }
                }
            }
        }
        out.writeString(12, "proto3")  // syntax
        return out.bytes
    }

    // FieldDescriptorProto.Type and .Label values.
    private enum FieldType: UInt64 {
        case int32 = 5, uint64 = 4, bool = 8, string = 9, message = 11, bytes = 12, uint32 = 13, enumeration = 14
    }
    private static let labelOptional: UInt64 = 1
    private static let labelRepeated: UInt64 = 3

    private static func encodeMessage(_ message: WireMessageDescriptor, file: WireProtoFile, into d: inout ProtobufWriter) {
        d.writeString(1, message.name)
        // Real oneofs first, in order, then one synthetic oneof per proto3 `optional` field (as protoc does).
        var oneofs = message.oneofs
        for field in message.fields {
            let isProto3Optional = field.oneof == nil && field.type == .optionalString
            let oneofIndex: Int? = field.oneof.flatMap { oneofs.firstIndex(of: $0) }
                ?? (isProto3Optional ? oneofs.count : nil)
            if isProto3Optional { oneofs.append("_" + field.name) }
            d.writeNested(2) { f in  // field
                f.writeString(1, field.name)
                f.writeVarintField(3, UInt64(field.number))
                let (label, type, typeName) = describe(field.type, file: file)
                f.writeVarintField(4, label)
                f.writeVarintField(5, type.rawValue)
                if let typeName { f.writeString(6, typeName) }
                if let oneofIndex { f.writeVarintField(9, UInt64(oneofIndex)) }
                f.writeString(10, field.jsonName)
                if isProto3Optional { f.writeVarintField(17, 1) }
            }
        }
        for e in file.enums where e.parent == message.name {
            d.writeNested(4) { encodeEnum(e, into: &$0) }  // enum_type
        }
        for oneof in oneofs {
            d.writeNested(8) { $0.writeString(1, oneof) }  // oneof_decl
        }
    }

    private static func describe(_ type: WireFieldType, file: WireProtoFile) -> (UInt64, FieldType, String?) {
        switch type {
        case .bytes: (labelOptional, .bytes, nil)
        case .uint64: (labelOptional, .uint64, nil)
        case .uint32: (labelOptional, .uint32, nil)
        case .int32: (labelOptional, .int32, nil)
        case .bool: (labelOptional, .bool, nil)
        case .string, .optionalString: (labelOptional, .string, nil)
        case .repeatedUInt64: (labelRepeated, .uint64, nil)
        case .repeatedInt32: (labelRepeated, .int32, nil)
        case .repeatedBytes: (labelRepeated, .bytes, nil)
        case .enumeration(let e): (labelOptional, .enumeration, file.typeName(e.scopedName))
        case .message(let m): (labelOptional, .message, file.typeName(m.name))
        case .repeatedMessage(let m): (labelRepeated, .message, file.typeName(m.name))
        }
    }

    private static func encodeEnum(_ e: WireEnumDescriptor, into d: inout ProtobufWriter) {
        d.writeString(1, e.name)
        for (name, number) in zip(e.values, e.numbers) {
            d.writeNested(2) { v in  // value
                v.writeString(1, name)
                v.writeVarintField(2, UInt64(bitPattern: Int64(number)))  // proto2: written even when 0
            }
        }
    }
}

extension ProtobufWriter {
    mutating func writeString(_ number: UInt64, _ value: String) {
        writeTag(number, .lengthDelimited)
        writeVarint(UInt64(value.utf8.count))
        appendRaw(value.utf8)
    }

    mutating func writeVarintField(_ number: UInt64, _ value: UInt64) {
        writeTag(number, .varint)
        writeVarint(value)
    }

    /// A length-delimited field whose contents `body` writes.
    mutating func writeNested(_ number: UInt64, _ body: (inout ProtobufWriter) -> Void) {
        var inner = ProtobufWriter(capacity: 256)
        body(&inner)
        writeTag(number, .lengthDelimited)
        writeVarint(UInt64(inner.bytes.count))
        appendRaw(inner.bytes)
    }
}
