/// `.proto` text rendered from a `WireProtoFile`. `Protos/coprocessor_node/v1/coprocessor_node.proto`
/// is `ProtoFile.text` (a test checks it), for clients in other languages.
public enum ProtoFile {
    /// The node's own `.proto` file.
    public static var text: String {
        render(CoprocessorNodeService.protoFile, header: """
            // The coprocessor node's wire interface. Generated from Sources/CoprocessorWire (the one place
            // each message is described); regenerate with `coprocessor-node schema proto`. Messages and
            // field numbers follow InfinityVM's coprocessor_node.v1 at commit d0fdb477 so existing clients
            // keep working. Never renumber or reuse a field number.

            """)
    }

    /// The text of `file`, after `header` (comment lines, each ending in a newline).
    public static func render(_ file: WireProtoFile, header: String = "") -> String {
        var out = header + "syntax = \"proto3\";\n\npackage \(file.package);\n"
        for service in file.services {
            out += "\n"
            if !service.doc.isEmpty { out += "// \(service.doc)\n" }
            out += "service \(service.name) {\n"
            for method in service.methods {
                out += "  // \(method.doc)\n"
                out += "  rpc \(method.name)(\(method.clientStreaming ? "stream " : "")\(method.input.name)) "
                out += "returns (\(method.serverStreaming ? "stream " : "")\(method.output.name));\n"
            }
            out += "}\n"
        }
        for message in file.messages {
            out += "\n// \(message.doc)\nmessage \(message.name) {\n"
            for e in file.enums where e.parent == message.name { out += render(e, indent: "  ") + "\n" }
            var renderedOneofs = Set<String>()
            for field in message.fields {
                if let oneof = field.oneof {
                    // A oneof is written whole where its first member stands.
                    guard renderedOneofs.insert(oneof).inserted else { continue }
                    out += "  oneof \(oneof) {\n"
                    for member in message.fields where member.oneof == oneof {
                        out += line(member, in: message, indent: "    ")
                    }
                    out += "  }\n"
                } else {
                    out += line(field, in: message, indent: "  ")
                }
            }
            out += "}\n"
        }
        for e in file.enums where e.parent == nil { out += "\n" + render(e, indent: "") }
        return out
    }

    private static func line(_ field: WireMessageDescriptor.FieldInfo, in message: WireMessageDescriptor,
                             indent: String) -> String {
        var out = field.doc.isEmpty ? "" : "\(indent)// \(field.doc)\n"
        var type = protoType(field.type)
        // An enum declared in this message is named without its scope.
        if case .enumeration(let e) = field.type, e.parent == message.name { type = e.name }
        // Inside a oneof, members have presence without the `optional` keyword.
        if field.oneof != nil, type.hasPrefix("optional ") { type.removeFirst("optional ".count) }
        out += "\(indent)\(type) \(field.name) = \(field.number);\n"
        return out
    }

    private static func render(_ e: WireEnumDescriptor, indent: String) -> String {
        var out = "\(indent)// \(e.doc)\n\(indent)enum \(e.name) {\n"
        for (name, number) in zip(e.values, e.numbers) { out += "\(indent)  \(name) = \(number);\n" }
        return out + "\(indent)}\n"
    }

    static func protoType(_ type: WireFieldType) -> String {
        switch type {
        case .bytes: "bytes"
        case .uint64: "uint64"
        case .uint32: "uint32"
        case .int32: "int32"
        case .bool: "bool"
        case .string: "string"
        case .optionalString: "optional string"
        case .repeatedUInt64: "repeated uint64"
        case .repeatedInt32: "repeated int32"
        case .repeatedBytes: "repeated bytes"
        case .enumeration(let e): e.scopedName
        case .message(let m): m.name
        case .repeatedMessage(let m): "repeated \(m.name)"
        }
    }
}
