import CoprocessorWire
import GRPCCore
import GRPCNIOTransportHTTP2

/// The node's gRPC server on one address, over HTTP/2 (NIO; plaintext or TLS): `CoprocessorNode`,
/// the standard health service (`grpc.health.v1.Health`, reporting `readiness`) and server
/// reflection (`grpc.reflection.v1` and `v1alpha`).
///
/// Run `serve()` in a task (for example from a service-lifecycle `Service`); it returns once the
/// server has stopped. `beginGracefulShutdown()` stops accepting new RPCs and lets running ones
/// finish; cancelling the serving task stops it abruptly.
public struct GRPCFrontEnd: Sendable {
    public struct Configuration: Sendable {
        /// A numeric IPv4 or IPv6 address (NIO binds without name resolution).
        public var host: String
        /// 0 picks a free port; read it back with `boundPort`.
        public var port: Int
        /// Largest request message accepted. gRPC's default of 4 MiB is too small for guest ELFs.
        public var maxReceiveMessageBytes: Int
        /// A connection with no RPC open for this long is closed (GOAWAY). nil: never.
        public var maxIdleTime: Duration?
        /// Required by the operator-only methods (SubmitProgram) when set: UNAUTHENTICATED without
        /// it in the `authorization` metadata.
        public var operatorToken: OperatorToken?
        /// Serve over TLS with these files; nil: plaintext.
        public var tls: TLSFiles?

        public static let defaultMaxReceiveMessageBytes = CoprocessorNodeService.defaultMaxMessageBytes
        public static let defaultMaxIdleTime: Duration = .seconds(300)

        public init(
            host: String = "127.0.0.1",
            port: Int = 50051,
            maxReceiveMessageBytes: Int = Configuration.defaultMaxReceiveMessageBytes,
            maxIdleTime: Duration? = Configuration.defaultMaxIdleTime,
            operatorToken: OperatorToken? = nil,
            tls: TLSFiles? = nil
        ) {
            self.operatorToken = operatorToken
            self.tls = tls
            self.host = host
            self.port = port
            self.maxReceiveMessageBytes = maxReceiveMessageBytes
            self.maxIdleTime = maxIdleTime
        }
    }

    public let configuration: Configuration
    public let server: GRPCServer<HTTP2ServerTransport.Posix>
    /// What the health service reports (shared with the HTTP gateway's `/readyz`).
    public let readiness: ReadinessMonitor

    /// `observer`: told about every `CoprocessorNode` call (method, status code, duration).
    public init(api: any CoprocessorNodeAPI, configuration: Configuration = Configuration(),
                readiness: ReadinessMonitor = ReadinessMonitor(.alwaysReady), observer: (any RPCObserver)? = nil) {
        self.configuration = configuration
        self.readiness = readiness
        let address: GRPCNIOTransportCore.SocketAddress = configuration.host.contains(":")
            ? .ipv6(host: configuration.host, port: configuration.port)
            : .ipv4(host: configuration.host, port: configuration.port)
        let transport = HTTP2ServerTransport.Posix(
            address: address,
            transportSecurity: configuration.tls.map {
                .tls(certificateChain: [.file(path: $0.certificateChain, format: .pem)],
                     privateKey: .file(path: $0.privateKey, format: .pem))
            } ?? .plaintext,
            config: .defaults { config in
                config.rpc.maxRequestPayloadSize = configuration.maxReceiveMessageBytes
                config.connection.maxIdleTime = configuration.maxIdleTime
            }
        )
        self.server = GRPCServer(transport: transport, services: [
            CoprocessorGRPCService(api: api, operatorToken: configuration.operatorToken, observer: observer),
            HealthGRPCService(monitor: readiness),
            ReflectionGRPCService(),
        ])
    }

    /// Binds and serves until the server stops. Call at most once.
    public func serve() async throws {
        try await server.serve()
    }

    /// Stops accepting new RPCs; `serve()` returns when the running ones have finished. Health
    /// watchers are told NOT_SERVING and their calls end.
    public func beginGracefulShutdown() {
        server.beginGracefulShutdown()
        let readiness = self.readiness
        Task { await readiness.beginDraining() }
    }

    /// The port actually bound; waits until the server is listening (call while `serve()` runs).
    public var boundPort: Int {
        get async throws {
            let address = try await server.transport.listeningAddress
            if let ipv4 = address.ipv4 { return ipv4.port }
            if let ipv6 = address.ipv6 { return ipv6.port }
            throw RPCError(code: .internalError, message: "gRPC server bound a non-IP address: \(address)")
        }
    }
}
