import CoprocessorWire
import GRPCCore

/// Protobuf coding of a wire message for grpc-swift, straight from the wire description.
public struct WireSerializer<Message: WireMessage>: MessageSerializer {
    public init() {}

    public func serialize<Bytes: GRPCContiguousBytes>(_ message: Message) throws -> Bytes {
        Bytes(ProtobufWriter.encode(message))
    }
}

public struct WireDeserializer<Message: WireMessage>: MessageDeserializer {
    public init() {}

    public func deserialize<Bytes: GRPCContiguousBytes>(_ serializedMessageBytes: Bytes) throws -> Message {
        do {
            return try serializedMessageBytes.withUnsafeBytes { buffer in try ProtobufReader.decode(Message.self, from: buffer) }
        } catch let error as WireDecodingError {
            throw RPCError(code: .invalidArgument, message: "malformed \(Message.wireName): \(error)")
        }
    }
}

extension WireMethod {
    /// `coprocessor_node.v1.CoprocessorNode/<name>`
    public var descriptor: MethodDescriptor {
        MethodDescriptor(fullyQualifiedService: CoprocessorNodeService.fullName, method: name)
    }
}

extension RPCError {
    /// `StatusCode`'s raw values are gRPC status codes, so the mapping is one to one; a code gRPC
    /// does not know becomes INTERNAL rather than being dropped.
    public init(_ error: NodeError) {
        let code = Status.Code(rawValue: error.code.rawValue).flatMap(RPCError.Code.init) ?? .internalError
        self.init(code: code, message: error.message)
    }
}

extension GRPCClient {
    /// Calls a method of the `CoprocessorNode` service (used by the tests, benchmarks and tools).
    public func call<Request, Response>(_ method: WireMethod<Request, Response>, _ request: Request,
                                        options: CallOptions = .defaults) async throws -> Response {
        try await unary(request: ClientRequest(message: request), descriptor: method.descriptor,
                        serializer: WireSerializer<Request>(), deserializer: WireDeserializer<Response>(),
                        options: options) { try $0.message }
    }
}
