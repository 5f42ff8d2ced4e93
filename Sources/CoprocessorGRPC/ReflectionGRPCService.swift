import CoprocessorWire
import GRPCCore

/// gRPC server reflection, `grpc.reflection.v1.ServerReflection` and its `v1alpha` twin (messages
/// from `CoprocessorWire/Standard/Reflection.swift`): lists the server's services and hands out
/// each file's `FileDescriptorProto`, rendered from the same description as the codecs, by file
/// name or by any symbol the file defines. Each request of the stream gets one response; a
/// question it cannot answer gets an `error_response` (NOT_FOUND, INVALID_ARGUMENT) and the stream
/// goes on.
public struct ReflectionGRPCService: RegistrableRPCService {
    /// The files served, each with its serialized descriptor.
    private let files: [(file: WireProtoFile, descriptor: [UInt8], symbols: Set<String>)]
    /// Fully qualified names of the services the server has, for `list_services`.
    public let serviceNames: [String]

    /// `files`: every file whose services the server registers (their services are listed).
    public init(files: [WireProtoFile] = ReflectionGRPCService.standardFiles) {
        self.files = files.map { ($0, FileDescriptorEncoder.encode($0), $0.symbols) }
        self.serviceNames = files.flatMap { file in file.services.map { "\(file.package).\($0.name)" } }
    }

    /// The node's own file, health, and both reflection versions.
    public static let standardFiles: [WireProtoFile] =
        [CoprocessorNodeService.protoFile, HealthService.protoFile] + ReflectionService.packages.map(ReflectionService.protoFile)

    public func registerMethods<Transport: ServerTransport>(with router: inout RPCRouter<Transport>) {
        let service = self
        for package in ReflectionService.packages {
            router.registerHandler(
                forMethod: MethodDescriptor(fullyQualifiedService: "\(package).\(ReflectionService.name)",
                                            method: ReflectionService.info.name),
                deserializer: WireDeserializer<ServerReflectionRequest>(),
                serializer: WireSerializer<ServerReflectionResponse>()
            ) { stream, _ in
                StreamingServerResponse { writer in
                    for try await request in stream.messages { try await writer.write(service.answer(request)) }
                    return [:]
                }
            }
        }
    }

    /// The response to one request.
    public func answer(_ request: ServerReflectionRequest) -> ServerReflectionResponse {
        var response = ServerReflectionResponse()
        response.validHost = request.host
        response.originalRequest = request
        func notFound(_ message: String) {
            response.errorResponse = ReflectionErrorResponse(errorCode: Int32(RPCError.Code.notFound.rawValue),
                                                             errorMessage: message)
        }
        if request.listServices != nil {
            response.listServicesResponse = ListServiceResponse(service: serviceNames.map(ServiceResponse.init(name:)))
        } else if let name = request.fileByFilename {
            if let entry = files.first(where: { $0.file.path == name }) {
                response.fileDescriptorResponse = FileDescriptorResponse(fileDescriptorProto: [entry.descriptor])
            } else {
                notFound("no file named \"\(name)\"; this server has \(files.map(\.file.path).joined(separator: ", "))")
            }
        } else if let symbol = request.fileContainingSymbol {
            let name = symbol.hasPrefix(".") ? String(symbol.dropFirst()) : symbol
            if let entry = files.first(where: { $0.symbols.contains(name) }) {
                response.fileDescriptorResponse = FileDescriptorResponse(fileDescriptorProto: [entry.descriptor])
            } else {
                notFound("no symbol \"\(symbol)\"")
            }
        } else if let extensionRequest = request.fileContainingExtension {
            notFound("no extension \(extensionRequest.extensionNumber) of \"\(extensionRequest.containingType)\" (proto3 files declare none)")
        } else if let type = request.allExtensionNumbersOfType {
            let name = type.hasPrefix(".") ? String(type.dropFirst()) : type
            if files.contains(where: { entry in entry.file.messages.contains { "\(entry.file.package).\($0.name)" == name } }) {
                response.allExtensionNumbersResponse = ExtensionNumberResponse(baseTypeName: name, extensionNumber: [])
            } else {
                notFound("no message type \"\(type)\"")
            }
        } else {
            response.errorResponse = ReflectionErrorResponse(
                errorCode: Int32(RPCError.Code.invalidArgument.rawValue),
                errorMessage: "the request asks nothing: set one of list_services, file_by_filename, file_containing_symbol, file_containing_extension, all_extension_numbers_of_type")
        }
        return response
    }
}
