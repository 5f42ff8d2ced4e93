// gRPC server reflection (grpc/reflection/v1/reflection.proto, and v1alpha, the same messages in
// another package, which many clients still speak), described as data like the node's own
// messages: names, numbers, oneofs and streaming of gRPC's public reflection.proto.

public struct ServerReflectionRequest: WireMessage {
    public var host = ""
    public var fileByFilename: String?
    public var fileContainingSymbol: String?
    public var fileContainingExtension: ExtensionRequest?
    public var allExtensionNumbersOfType: String?
    public var listServices: String?

    public init() {}

    public static let wireName = "ServerReflectionRequest"
    public static let wireDoc = "One question about the server's services and their files."
    public static let fields: [WireField<Self>] = [
        .string("host", 1, \.host),
        .optionalString("file_by_filename", 3, \.fileByFilename, oneof: "message_request",
                        doc: "A file by its name, e.g. coprocessor_node/v1/coprocessor_node.proto."),
        .optionalString("file_containing_symbol", 4, \.fileContainingSymbol, oneof: "message_request",
                        doc: "The file defining a fully qualified symbol (service, method, message, enum, field)."),
        .message("file_containing_extension", 5, \.fileContainingExtension, oneof: "message_request",
                 doc: "The file defining an extension."),
        .optionalString("all_extension_numbers_of_type", 6, \.allExtensionNumbersOfType, oneof: "message_request",
                        doc: "The extension numbers of a message type."),
        .optionalString("list_services", 7, \.listServices, oneof: "message_request",
                        doc: "The server's services (the content is not used)."),
    ]
}

public struct ExtensionRequest: WireMessage {
    public var containingType = ""
    public var extensionNumber: Int32 = 0

    public init() {}

    public static let wireName = "ExtensionRequest"
    public static let wireDoc = "An extension of a message type."
    public static let fields: [WireField<Self>] = [
        .string("containing_type", 1, \.containingType),
        .int32("extension_number", 2, \.extensionNumber),
    ]
}

public struct ServerReflectionResponse: WireMessage {
    public var validHost = ""
    public var originalRequest: ServerReflectionRequest?
    public var fileDescriptorResponse: FileDescriptorResponse?
    public var allExtensionNumbersResponse: ExtensionNumberResponse?
    public var listServicesResponse: ListServiceResponse?
    public var errorResponse: ReflectionErrorResponse?

    public init() {}

    public static let wireName = "ServerReflectionResponse"
    public static let wireDoc = "The answer to one ServerReflectionRequest."
    public static let fields: [WireField<Self>] = [
        .string("valid_host", 1, \.validHost),
        .message("original_request", 2, \.originalRequest),
        .message("file_descriptor_response", 4, \.fileDescriptorResponse, oneof: "message_response",
                 doc: "Serialized FileDescriptorProtos: the file asked for and the files it imports."),
        .message("all_extension_numbers_response", 5, \.allExtensionNumbersResponse, oneof: "message_response"),
        .message("list_services_response", 6, \.listServicesResponse, oneof: "message_response"),
        .message("error_response", 7, \.errorResponse, oneof: "message_response"),
    ]
}

public struct FileDescriptorResponse: WireMessage {
    public var fileDescriptorProto: [[UInt8]] = []

    public init() {}
    public init(fileDescriptorProto: [[UInt8]]) { self.fileDescriptorProto = fileDescriptorProto }

    public static let wireName = "FileDescriptorResponse"
    public static let wireDoc = "Serialized google.protobuf.FileDescriptorProto messages."
    public static let fields: [WireField<Self>] = [
        .repeatedBytes("file_descriptor_proto", 1, \.fileDescriptorProto, json: .hex),
    ]
}

public struct ExtensionNumberResponse: WireMessage {
    public var baseTypeName = ""
    public var extensionNumber: [Int32] = []

    public init() {}
    public init(baseTypeName: String, extensionNumber: [Int32]) {
        self.baseTypeName = baseTypeName
        self.extensionNumber = extensionNumber
    }

    public static let wireName = "ExtensionNumberResponse"
    public static let wireDoc = "The extension numbers of a message type."
    public static let fields: [WireField<Self>] = [
        .string("base_type_name", 1, \.baseTypeName),
        .repeatedInt32("extension_number", 2, \.extensionNumber),
    ]
}

public struct ListServiceResponse: WireMessage {
    public var service: [ServiceResponse] = []

    public init() {}
    public init(service: [ServiceResponse]) { self.service = service }

    public static let wireName = "ListServiceResponse"
    public static let wireDoc = "The server's services."
    public static let fields: [WireField<Self>] = [
        .repeatedMessage("service", 1, \.service),
    ]
}

public struct ServiceResponse: WireMessage {
    public var name = ""

    public init() {}
    public init(name: String) { self.name = name }

    public static let wireName = "ServiceResponse"
    public static let wireDoc = "A service, by its fully qualified name."
    public static let fields: [WireField<Self>] = [
        .string("name", 1, \.name),
    ]
}

public struct ReflectionErrorResponse: WireMessage {
    public var errorCode: Int32 = 0
    public var errorMessage = ""

    public init() {}
    public init(errorCode: Int32, errorMessage: String) {
        self.errorCode = errorCode
        self.errorMessage = errorMessage
    }

    public static let wireName = "ErrorResponse"
    public static let wireDoc = "A question that could not be answered: a gRPC status code and why."
    public static let fields: [WireField<Self>] = [
        .int32("error_code", 1, \.errorCode),
        .string("error_message", 2, \.errorMessage),
    ]
}

/// `grpc.reflection.v1.ServerReflection` and `grpc.reflection.v1alpha.ServerReflection`.
public enum ReflectionService {
    public static let name = "ServerReflection"
    public static let packages = ["grpc.reflection.v1", "grpc.reflection.v1alpha"]

    public static let info = WireMethodDescriptor(
        "ServerReflectionInfo", ServerReflectionRequest.self, ServerReflectionResponse.self,
        doc: "Answers each request of the stream in turn.", clientStreaming: true, serverStreaming: true)

    /// The reflection file of one of `packages`.
    public static func protoFile(package: String) -> WireProtoFile {
        let version = package.split(separator: ".").last.map(String.init) ?? package
        return WireProtoFile(path: "grpc/reflection/\(version)/reflection.proto", package: package,
                             services: [WireServiceDescriptor(name: name, doc: "", methods: [info])])
    }
}
