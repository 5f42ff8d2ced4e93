import CoprocessorWire
import GRPCCore

/// The `coprocessor_node.v1.CoprocessorNode` service over a `CoprocessorNodeAPI`: every method of
/// the wire description, unary, protobuf-coded from that description. Pure translation:
/// validation and every decision stay in the core, so both front ends behave the same.
public struct CoprocessorGRPCService: RegistrableRPCService {
    private let api: any CoprocessorNodeAPI
    private let operatorToken: OperatorToken?
    private let observer: (any RPCObserver)?

    /// `operatorToken`: required (`authorization` metadata) by the operator-only methods when set.
    /// `observer`: told about every call (method, status code, duration).
    public init(api: any CoprocessorNodeAPI, operatorToken: OperatorToken? = nil, observer: (any RPCObserver)? = nil) {
        self.api = api
        self.operatorToken = operatorToken
        self.observer = observer
    }

    public func registerMethods<Transport: ServerTransport>(with router: inout RPCRouter<Transport>) {
        var registrar = Registrar(router: router, api: api, operatorToken: operatorToken, observer: observer)
        CoprocessorNodeService.visitMethods(&registrar)
        router = registrar.router
    }

    /// Registers one unary handler per method.
    private struct Registrar<Transport: ServerTransport>: WireMethodVisitor {
        var router: RPCRouter<Transport>
        let api: any CoprocessorNodeAPI
        let operatorToken: OperatorToken?
        let observer: (any RPCObserver)?

        mutating func visit<Request, Response>(_ method: WireMethod<Request, Response>) {
            let api = self.api, operatorToken = self.operatorToken, observer = self.observer
            router.registerHandler(
                forMethod: method.descriptor,
                deserializer: WireDeserializer<Request>(),
                serializer: WireSerializer<Response>()
            ) { stream, _ in
                let started = ContinuousClock.now
                var code = Status.Code.unknown.rawValue  // unless the call says otherwise
                defer {
                    observer?.callFinished(RPCCall(transport: .grpc, method: method.name, code: code,
                                                   duration: ContinuousClock.now - started))
                }
                let request: ServerRequest<Request>
                do { request = try await ServerRequest(stream: stream) } catch let error as RPCError {
                    code = error.code.rawValue  // e.g. a message that does not decode
                    throw error
                }
                let authorization = request.metadata[stringValues: "authorization"].first(where: { _ in true })
                if let refusal = OperatorToken.refusal(of: method, token: operatorToken, authorization: authorization) {
                    code = refusal.code.rawValue
                    return StreamingServerResponse(single: ServerResponse(of: Response.self, error: RPCError(refusal)))
                }
                let response: Response
                do throws(NodeError) {
                    response = try await method.call(api, request.message)
                } catch {
                    code = error.code.rawValue
                    return StreamingServerResponse(single: ServerResponse(of: Response.self, error: RPCError(error)))
                }
                code = Status.Code.ok.rawValue
                return StreamingServerResponse(single: ServerResponse(message: response))
            }
        }
    }
}
