import Coprocessor
import CoprocessorGRPC
import CoprocessorHTTP
import CoprocessorWire
import Foundation
import Hummingbird
import Logging
import Prometheus
import ServiceLifecycle

/// Runs the gRPC front end under service-lifecycle (grpc-swift-2 has no lifecycle glue here).
struct GRPCService: Service {
    let frontEnd: GRPCFrontEnd
    let logger: Logger

    func run() async throws {
        let frontEnd = self.frontEnd, logger = self.logger
        try await withGracefulShutdownHandler {
            try await withThrowingDiscardingTaskGroup { group in
                group.addTask { try await frontEnd.serve() }
                let port = try await frontEnd.boundPort
                logger.info("gRPC listening", metadata: ["address": "\(frontEnd.configuration.host):\(port)",
                                                          "tls": "\(frontEnd.configuration.tls != nil)"])
            }
        } onGracefulShutdown: {
            frontEnd.beginGracefulShutdown()
        }
    }
}

/// Runs the HTTP gateway and says where it listens once the port is bound.
struct HTTPService: Service {
    let gateway: HTTPGateway
    let logger: Logger

    func run() async throws {
        let gateway = self.gateway, logger = self.logger
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { try await gateway.run() }
            let port = try await gateway.boundPort
            logger.info("HTTP gateway listening", metadata: ["address": "\(gateway.configuration.host):\(port)",
                                                       "tls": "\(gateway.configuration.tls != nil)"])
        }
    }
}

/// Owns the service core: on graceful shutdown (after the front ends stopped taking requests)
/// it lets running jobs finish, leaves queued ones PENDING for the next start, and closes the
/// database.
struct CoreService: Service {
    let service: CoprocessorService
    let store: any NodeDatabase
    let logger: Logger

    func run() async throws {
        // Also on cancellation (another service failed): the store must be closed cleanly.
        try? await gracefulShutdown()
        logger.info("stopping: running jobs finish, queued jobs stay pending")
        await service.shutdown()
        await store.close()
        logger.info("stopped")
    }
}

/// Signalled first on SIGTERM/SIGINT (it is last in the group): stops taking jobs so queued ones
/// stay PENDING while the front ends drain, and turns readiness off (`/readyz` 503, gRPC health
/// NOT_SERVING) so load balancers stop sending requests.
struct IntakeService: Service {
    let service: CoprocessorService
    let readiness: ReadinessMonitor

    func run() async throws {
        try? await gracefulShutdown()
        service.stopIntake()
        await readiness.beginDraining()
    }
}

/// Serves the Prometheus text format on GET /metrics.
struct MetricsServer: Service {
    let registry: PrometheusCollectorRegistry
    let address: (host: String, port: Int)
    let logger: Logger

    func run() async throws {
        let router = Router()
        let registry = self.registry
        router.get("metrics") { _, _ -> Response in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                     body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
        }
        let logger = self.logger
        let app = Application(router: router,
                              configuration: .init(address: .hostname(address.host, port: address.port)),
                              onServerRunning: { channel in
                                  logger.info("metrics listening", metadata: ["address": "\(channel.localAddress.map { "\($0)" } ?? "?")"])
                              },
                              logger: logger)
        try await app.run()
    }
}
