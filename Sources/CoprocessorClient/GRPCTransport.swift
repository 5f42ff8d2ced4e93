import CoprocessorGRPC
import CoprocessorWire
import GRPCCore
import GRPCNIOTransportHTTP2

/// The node's API over gRPC, on a `GRPCClient` the caller runs (`CoprocessorClient.withGRPC` runs
/// one for a scope). A refusal arrives as the `NodeError` the node gave: its status code and message.
public struct GRPCNodeTransport<Transport: ClientTransport>: WireCaller {
    public let client: GRPCClient<Transport>
    /// Sent as `authorization: Bearer <token>` on the operator-only method (SubmitProgram).
    public let operatorToken: String?

    public init(client: GRPCClient<Transport>, operatorToken: String? = nil) {
        self.client = client
        self.operatorToken = operatorToken
    }

    func call<Request, Response>(_ method: WireMethod<Request, Response>, _ request: Request)
        async throws(NodeError) -> Response
    {
        var metadata = Metadata()
        if method.operatorOnly, let operatorToken {
            metadata.addString("\(OperatorToken.scheme) \(operatorToken)", forKey: "authorization")
        }
        do {
            return try await client.unary(
                request: ClientRequest(message: request, metadata: metadata), descriptor: method.descriptor,
                serializer: WireSerializer<Request>(), deserializer: WireDeserializer<Response>(), options: .defaults
            ) { try $0.message }
        } catch let error as RPCError {
            throw NodeError(StatusCode(rawValue: error.code.rawValue) ?? .unavailable, error.message)
        } catch {
            throw NodeError(.unavailable, "gRPC call \(method.name) failed: \(error)")
        }
    }
}
