import CoprocessorWire
import GRPCCore

/// The `coprocessor_node.v1.CoprocessorNode` service over a `CoprocessorNodeAPI`: every method of
/// the wire description, unary, protobuf-coded from that description. Pure translation:
/// validation and every decision stay in the core, so both front ends behave the same.
public struct CoprocessorGRPCService: RegistrableRPCService {
    private let api: any CoprocessorNodeAPI
    private let operatorToken: OperatorToken?

    /// `operatorToken`: required (`authorization` metadata) by the operator-only methods when set.
    public init(api: any CoprocessorNodeAPI, operatorToken: OperatorToken? = nil) {
        self.api = api
        self.operatorToken = operatorToken
    }

    public func registerMethods<Transport: ServerTransport>(with router: inout RPCRouter<Transport>) {
        var registrar = Registrar(router: router, api: api, operatorToken: operatorToken)
        CoprocessorNodeService.visitMethods(&registrar)
        router = registrar.router
    }

    /// Registers one unary handler per method.
    private struct Registrar<Transport: ServerTransport>: WireMethodVisitor {
        var router: RPCRouter<Transport>
        let api: any CoprocessorNodeAPI
        let operatorToken: OperatorToken?

        mutating func visit<Request, Response>(_ method: WireMethod<Request, Response>) {
            let api = self.api, operatorToken = self.operatorToken
            router.registerHandler(
                forMethod: method.descriptor,
                deserializer: WireDeserializer<Request>(),
                serializer: WireSerializer<Response>()
            ) { stream, _ in
                let request = try await ServerRequest(stream: stream)
                let authorization = request.metadata[stringValues: "authorization"].first(where: { _ in true })
                if let refusal = OperatorToken.refusal(of: method, token: operatorToken, authorization: authorization) {
                    return StreamingServerResponse(single: ServerResponse(of: Response.self, error: RPCError(refusal)))
                }
                let response: Response
                do throws(NodeError) {
                    response = try await method.call(api, request.message)
                } catch {
                    return StreamingServerResponse(single: ServerResponse(of: Response.self, error: RPCError(error)))
                }
                return StreamingServerResponse(single: ServerResponse(message: response))
            }
        }
    }
}
