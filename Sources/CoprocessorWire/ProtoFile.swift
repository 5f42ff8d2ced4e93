/// The `.proto` file of the service, rendered from the schema. `Protos/coprocessor_node/v1/
/// coprocessor_node.proto` is this text (a test checks it), for clients in other languages.
public enum ProtoFile {
    public static var text: String {
        var out = """
            // The coprocessor node's wire interface. Generated from Sources/CoprocessorWire (the one place
            // each message is described); regenerate with `coprocessor-node schema proto`. Messages and
            // field numbers follow InfinityVM's coprocessor_node.v1 at commit d0fdb477 so existing clients
            // keep working. Never renumber or reuse a field number.
            syntax = "proto3";

            package \(CoprocessorNodeService.package);

            service \(CoprocessorNodeService.name) {

            """
        struct Methods: WireMethodVisitor {
            var lines: [String] = []
            mutating func visit<Request, Response>(_ method: WireMethod<Request, Response>) {
                lines.append("  // \(method.doc)")
                lines.append("  rpc \(method.name)(\(Request.wireName)) returns (\(Response.wireName));")
            }
        }
        var methods = Methods()
        CoprocessorNodeService.visitMethods(&methods)
        out += methods.lines.joined(separator: "\n") + "\n}\n"

        for message in CoprocessorNodeService.messages {
            out += "\n// \(message.doc)\nmessage \(message.name) {\n"
            for field in message.fields {
                if !field.doc.isEmpty { out += "  // \(field.doc)\n" }
                out += "  \(protoType(field.type)) \(field.name) = \(field.number);\n"
            }
            out += "}\n"
        }
        for e in CoprocessorNodeService.enums {
            out += "\n// \(e.doc)\nenum \(e.name) {\n"
            for (name, number) in zip(e.values, e.numbers) { out += "  \(name) = \(number);\n" }
            out += "}\n"
        }
        return out
    }

    static func protoType(_ type: WireFieldType) -> String {
        switch type {
        case .bytes: "bytes"
        case .uint64: "uint64"
        case .uint32: "uint32"
        case .bool: "bool"
        case .optionalString: "optional string"
        case .repeatedUInt64: "repeated uint64"
        case .enumeration(let e): e.name
        case .message(let m): m.name
        }
    }
}
