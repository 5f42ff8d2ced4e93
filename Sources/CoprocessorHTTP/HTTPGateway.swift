import CoprocessorWire
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import NIOSSL
import ServiceLifecycle

/// The node's JSON/HTTP gateway: a Hummingbird 2 server (HTTP/1.1) over a `CoprocessorAPI`, plus
/// the probes `GET /healthz` and `GET /readyz` (`HealthRoutes`).
///
/// It is a service-lifecycle `Service`: add it to the node's `ServiceGroup`, which runs it and
/// shuts it down gracefully. To serve the routes from a bigger Hummingbird application instead,
/// use `addRoutes(to:)`.
public final class HTTPGateway: Service, Sendable {
    public struct Configuration: Sendable {
        /// Host name or IP address to bind.
        public var host: String
        /// 0 picks a free port; read it back with `boundPort`.
        public var port: Int
        /// Largest request body accepted (413 above it). Hummingbird's own default is 2 MiB.
        public var maxBodyBytes: Int
        /// Sent as the `Server` header if set.
        public var serverName: String?
        /// A connection that sends nothing for this long is closed: idle keep-alive connections,
        /// and requests whose head or body stalls (slowloris, a body that never arrives). nil:
        /// never.
        public var idleTimeout: Duration?
        /// Required by the operator-only methods (SubmitProgram) when set: 401 without it.
        public var operatorToken: OperatorToken?
        /// Connections open at once; one beyond it is answered 503 and closed. nil: no limit.
        public var maxConnections: Int?
        /// Serve HTTPS with these files; nil: plain HTTP.
        public var tls: TLSFiles?
        /// Bytes of request bodies held at once across all connections (a body over what is left
        /// is answered 429). Keep it at least `maxBodyBytes`, or the largest bodies never fit.
        public var bodyBudgetBytes: Int

        public static let defaultIdleTimeout: Duration = .seconds(30)
        public static let defaultMaxConnections = 10_000
        public static let defaultBodyBudgetBytes = 1 << 30

        public static let defaultMaxBodyBytes = maxBodyBytes(forMessageBytes: CoprocessorNodeService.defaultMaxMessageBytes)

        /// The body that carries a message of `n` bytes: JSON carries bytes as hex (two characters
        /// each), plus room for the field names around them.
        public static func maxBodyBytes(forMessageBytes n: Int) -> Int { 2 * n + 4096 }

        public init(
            host: String = "127.0.0.1",
            port: Int = 8080,
            maxBodyBytes: Int = Configuration.defaultMaxBodyBytes,
            serverName: String? = nil,
            idleTimeout: Duration? = Configuration.defaultIdleTimeout,
            operatorToken: OperatorToken? = nil,
            maxConnections: Int? = Configuration.defaultMaxConnections,
            tls: TLSFiles? = nil,
            bodyBudgetBytes: Int = Configuration.defaultBodyBudgetBytes
        ) {
            self.tls = tls
            self.bodyBudgetBytes = bodyBudgetBytes
            self.operatorToken = operatorToken
            self.maxConnections = maxConnections
            self.host = host
            self.port = port
            self.maxBodyBytes = maxBodyBytes
            self.serverName = serverName
            self.idleTimeout = idleTimeout
        }
    }

    public let configuration: Configuration
    private let routes: GatewayRoutes
    private let logger: Logger
    private let port = BoundPort()
    /// Open connections against `configuration.maxConnections`.
    private let slots: ConnectionSlots?

    /// `readiness`: what `GET /readyz` reports (shared with the gRPC health service). `observer`:
    /// told about every call of a method (method, status code, duration).
    public init(api: any CoprocessorNodeAPI, configuration: Configuration = Configuration(), logger: Logger? = nil,
                readiness: ReadinessMonitor = ReadinessMonitor(.alwaysReady), observer: (any RPCObserver)? = nil) {
        self.configuration = configuration
        self.routes = GatewayRoutes(api: api, maxBodyBytes: configuration.maxBodyBytes,
                                    operatorToken: configuration.operatorToken,
                                    bodies: BodyBudget(limit: max(0, configuration.bodyBudgetBytes)),
                                    readiness: readiness, observer: observer)
        self.logger = logger ?? Logger(label: "coprocessor.http")
        self.slots = configuration.maxConnections.map { ConnectionSlots(limit: max(1, $0)) }
    }

    /// HTTP connections open now (nil without a connection limit).
    public var openConnections: Int? { slots?.count }
    /// Bytes of request bodies held now (of `configuration.bodyBudgetBytes`).
    public var bodyBytesHeld: Int { routes.bodies.inUse }

    /// Adds the gateway endpoints, and JSON 404/405 answers for paths no route matches, to a
    /// router. Add them before routes that should not get JSON not-found handling.
    public func addRoutes<Context: RequestContext>(to router: Router<Context>) {
        routes.register(on: router)
    }

    /// The TLS configuration of `files`, or an error naming the file that cannot be used.
    public static func loadTLS(_ files: TLSFiles) throws -> TLSConfiguration {
        let chain: [NIOSSLCertificate]
        do { chain = try NIOSSLCertificate.fromPEMFile(files.certificateChain) } catch {
            throw TLSFilesError(description: "\(files.certificateChain): not a readable PEM certificate chain (\(error))")
        }
        guard !chain.isEmpty else { throw TLSFilesError(description: "\(files.certificateChain): no certificate in it") }
        let key: NIOSSLPrivateKey
        do { key = try NIOSSLPrivateKey(file: files.privateKey, format: .pem) } catch {
            throw TLSFilesError(description: "\(files.privateKey): not a readable PEM private key (\(error))")
        }
        return .makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
    }

    public struct TLSFilesError: Error, CustomStringConvertible {
        public let description: String
    }

    /// A Hummingbird application serving only the gateway. `run()` uses it; exposed for callers
    /// that want to add services or run it themselves (then `boundPort` is still reported).
    /// Throws if the TLS files cannot be used.
    public func makeApplication() throws -> Application<RouterResponder<BasicRequestContext>> {
        let router = Router(context: BasicRequestContext.self)
        addRoutes(to: router)
        let port = self.port
        let idle = configuration.idleTimeout.map { TimeAmount.nanoseconds(Int64(($0 / .nanoseconds(1)).rounded())) }
        var server: HTTPServerBuilder
        if let slots {
            server = HTTPServerBuilder { responder in
                ConnectionCappedHTTP1(inner: HTTP1Channel(responder: responder, configuration: .init(idleTimeout: idle)),
                                      slots: slots)
            }
        } else {
            server = .http1(configuration: .init(idleTimeout: idle))
        }
        if let tls = configuration.tls { server = try .tls(server, tlsConfiguration: Self.loadTLS(tls)) }
        return Application(
            router: router,
            server: server,
            configuration: ApplicationConfiguration(
                address: .hostname(configuration.host, port: configuration.port),
                serverName: configuration.serverName
            ),
            onServerRunning: { channel in
                if let bound = channel.localAddress?.port { port.bind(bound) }
            },
            logger: logger
        )
    }

    /// Serves until graceful shutdown (from the enclosing `ServiceGroup`) or cancellation.
    /// Run a given gateway once.
    public func run() async throws {
        do {
            try await makeApplication().run()
            port.fail(GatewayStopped())
        } catch {
            port.fail(error)
            throw error
        }
    }

    /// The port actually bound; waits until the server is listening. Throws if the server
    /// stopped (for example, could not bind) before it ever listened.
    public var boundPort: Int {
        get async throws { try await port.value }
    }

    struct GatewayStopped: Error, CustomStringConvertible {
        var description: String { "the HTTP gateway stopped before it was listening" }
    }
}
