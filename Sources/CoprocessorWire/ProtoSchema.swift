/// A `.proto` file described as data: its package, its services and the messages and enums they
/// reach. The node's own file (`CoprocessorNodeService.protoFile`) is built from the wire
/// description; the standard gRPC files it also serves (health, reflection) are described the same
/// way in `Standard/`. The `.proto` text (`ProtoFile`) and the serialized `FileDescriptorProto`
/// that server reflection hands out (`FileDescriptorEncoder`) are both rendered from this.
public struct WireProtoFile: Sendable {
    /// The file's path as clients import it, e.g. `coprocessor_node/v1/coprocessor_node.proto`.
    public let path: String
    public let package: String
    public let services: [WireServiceDescriptor]
    /// Every message the services reach, each once, in first-use order.
    public let messages: [WireMessageDescriptor]
    /// Every enum the messages use, each once, in first-use order (nested ones included).
    public let enums: [WireEnumDescriptor]

    public init(path: String, package: String, services: [WireServiceDescriptor]) {
        self.path = path
        self.package = package
        self.services = services
        var messages: [WireMessageDescriptor] = []
        func add(_ message: WireMessageDescriptor) {
            guard !messages.contains(message) else { return }
            messages.append(message)
            for field in message.fields {
                switch field.type {
                case .message(let nested), .repeatedMessage(let nested): add(nested)
                default: break
                }
            }
        }
        for service in services {
            for method in service.methods {
                add(method.input)
                add(method.output)
            }
        }
        self.messages = messages
        var enums: [WireEnumDescriptor] = []
        for message in messages {
            for field in message.fields {
                if case .enumeration(let e) = field.type, !enums.contains(where: { $0.scopedName == e.scopedName }) {
                    enums.append(e)
                }
            }
        }
        self.enums = enums
    }

    /// `.package.Name` of a message or enum of this file (protobuf's fully qualified type name).
    public func typeName(_ scopedName: String) -> String { ".\(package).\(scopedName)" }

    /// Every fully qualified symbol the file defines (services, methods, messages, fields, enums,
    /// enum values), for server reflection's `file_containing_symbol`.
    public var symbols: Set<String> {
        var out = Set<String>()
        for service in services {
            let name = "\(package).\(service.name)"
            out.insert(name)
            for method in service.methods { out.insert("\(name).\(method.name)") }
        }
        for message in messages {
            let name = "\(package).\(message.name)"
            out.insert(name)
            for field in message.fields { out.insert("\(name).\(field.name)") }
            for oneof in message.oneofs { out.insert("\(name).\(oneof)") }
        }
        for e in enums {
            let name = "\(package).\(e.scopedName)"
            out.insert(name)
            // Enum values are scoped like the enum itself (C++ scoping rules).
            let scope = e.parent.map { "\(package).\($0)" } ?? package
            for value in e.values { out.insert("\(scope).\(value)") }
        }
        return out
    }
}

/// A service of a `.proto` file.
public struct WireServiceDescriptor: Sendable {
    public let name: String
    public let doc: String
    public let methods: [WireMethodDescriptor]

    public init(name: String, doc: String, methods: [WireMethodDescriptor]) {
        self.name = name
        self.doc = doc
        self.methods = methods
    }
}

/// A method of a service: its messages and whether each side streams.
public struct WireMethodDescriptor: Sendable {
    public let name: String
    public let doc: String
    public let input: WireMessageDescriptor
    public let output: WireMessageDescriptor
    public let clientStreaming: Bool
    public let serverStreaming: Bool

    public init<Request: WireMessage, Response: WireMessage>(
        _ name: String, _: Request.Type, _: Response.Type, doc: String,
        clientStreaming: Bool = false, serverStreaming: Bool = false
    ) {
        self.name = name
        self.doc = doc
        self.input = WireMessageDescriptor(Request.self)
        self.output = WireMessageDescriptor(Response.self)
        self.clientStreaming = clientStreaming
        self.serverStreaming = serverStreaming
    }
}

extension CoprocessorNodeService {
    /// The node's own `.proto` file, from the wire description.
    public static let protoFile: WireProtoFile = {
        struct Methods: WireMethodVisitor {
            var methods: [WireMethodDescriptor] = []
            mutating func visit<Request, Response>(_ method: WireMethod<Request, Response>) {
                methods.append(WireMethodDescriptor(method.name, Request.self, Response.self, doc: method.doc))
            }
        }
        var collector = Methods()
        visitMethods(&collector)
        return WireProtoFile(path: "coprocessor_node/v1/coprocessor_node.proto", package: package,
                             services: [WireServiceDescriptor(name: name, doc: "", methods: collector.methods)])
    }()
}
