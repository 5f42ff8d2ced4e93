import CoprocessorWire
import GRPCCore

/// The `coprocessor_node.v1.CoprocessorNode` service over a `CoprocessorNodeAPI`: every method of
/// the wire description, unary, protobuf-coded from that description. Pure translation:
/// validation and every decision stay in the core, so both front ends behave the same.
public struct CoprocessorGRPCService: RegistrableRPCService {
    private let api: any CoprocessorNodeAPI

    public init(api: any CoprocessorNodeAPI) { self.api = api }

    public func registerMethods<Transport: ServerTransport>(with router: inout RPCRouter<Transport>) {
        var registrar = Registrar(router: router, api: api)
        CoprocessorNodeService.visitMethods(&registrar)
        router = registrar.router
    }

    /// Registers one unary handler per method.
    private struct Registrar<Transport: ServerTransport>: WireMethodVisitor {
        var router: RPCRouter<Transport>
        let api: any CoprocessorNodeAPI

        mutating func visit<Request, Response>(_ method: WireMethod<Request, Response>) {
            let api = self.api
            router.registerHandler(
                forMethod: method.descriptor,
                deserializer: WireDeserializer<Request>(),
                serializer: WireSerializer<Response>()
            ) { stream, _ in
                let request = try await ServerRequest(stream: stream)
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
