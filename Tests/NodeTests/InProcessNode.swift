import Coprocessor
import CoprocessorGRPC
import CoprocessorHTTP
import CoprocessorWire
import GRPCCore
import GRPCNIOTransportHTTP2
import Logging
import ServiceLifecycle
import TestSupport

/// The real node in-process: the service core with SQLite, workers and the engine, behind the real
/// gRPC server and HTTP gateway on loopback ports.
enum InProcessNode {
    typealias Client = GRPCClient<HTTP2ClientTransport.Posix>

    /// A running node: core + both front ends.
    struct Running: Sendable {
        let grpcPort: Int
        let http: GatewayClient
        let grpc: Client
        let core: TestNode
    }

    /// Starts a node on a fresh folder, runs `body` with it, shuts it down and removes its files.
    static func with<T: Sendable>(config: CoprocessorConfig = CoprocessorConfig(),
                                  _ body: @escaping @Sendable (Running) async throws -> T) async throws -> T {
        try await TestNode.run(config: config) { node in
            var logger = Logger(label: "e2e")
            logger.logLevel = .warning
            let frontEnd = GRPCFrontEnd(api: node.service, configuration: .init(host: "127.0.0.1", port: 0))
            let gateway = HTTPGateway(api: node.service, configuration: .init(host: "127.0.0.1", port: 0), logger: logger)
            let services = ServiceGroup(services: [gateway], logger: logger)
            return try await whileServing([{ try await frontEnd.serve() }, { try await services.run() }], stop: {
                frontEnd.beginGracefulShutdown()
                await services.triggerGracefulShutdown()
            }) {
                let grpcPort = try await frontEnd.boundPort, httpPort = try await gateway.boundPort
                let transport = try HTTP2ClientTransport.Posix(target: .ipv4(address: "127.0.0.1", port: grpcPort),
                                                              transportSecurity: .plaintext)
                return try await withGRPCClient(transport: transport) { client in
                    try await body(Running(grpcPort: grpcPort, http: GatewayClient(port: httpPort), grpc: client, core: node))
                }
            }
        }
    }
}
