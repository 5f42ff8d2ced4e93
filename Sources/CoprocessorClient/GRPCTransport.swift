import CoprocessorGRPC
import CoprocessorWire
import GRPCCore
import GRPCNIOTransportHTTP2

/// The node's API over gRPC, on a `GRPCClient` the caller runs (`CoprocessorClient.withGRPC` runs
/// one for a scope). A refusal arrives as the `NodeError` the node gave: its status code and message.
public struct GRPCNodeTransport<Transport: ClientTransport>: CoprocessorNodeAPI {
    public let client: GRPCClient<Transport>
    /// Sent as `authorization: Bearer <token>` on the operator-only method (SubmitProgram).
    public let operatorToken: String?

    public init(client: GRPCClient<Transport>, operatorToken: String? = nil) {
        self.client = client
        self.operatorToken = operatorToken
    }

    private func call<Request, Response>(_ method: WireMethod<Request, Response>, _ request: Request)
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

    public func submitJob(_ request: SubmitJobRequest) async throws(NodeError) -> SubmitJobResponse {
        try await call(CoprocessorNodeService.submitJob, request)
    }

    public func getResult(_ request: GetResultRequest) async throws(NodeError) -> GetResultResponse {
        try await call(CoprocessorNodeService.getResult, request)
    }

    public func submitProgram(_ request: SubmitProgramRequest) async throws(NodeError) -> SubmitProgramResponse {
        try await call(CoprocessorNodeService.submitProgram, request)
    }

    public func getPendingJobs(_ request: GetPendingJobsRequest) async throws(NodeError) -> GetPendingJobsResponse {
        try await call(CoprocessorNodeService.getPendingJobs, request)
    }

    public func containsProgram(_ request: ContainsProgramRequest) async throws(NodeError) -> ContainsProgramResponse {
        try await call(CoprocessorNodeService.containsProgram, request)
    }
}
