import ArgumentParser
import Coprocessor
import CoprocessorGRPC
import CoprocessorHTTP
import CoprocessorWire
import Ethereum
import EthereumRPC
import Foundation
import Logging
import Metrics
import Prometheus
import Relayer
import ServiceLifecycle
import Synchronization

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Start the node: gRPC and JSON/HTTP front ends over one service core.",
        discussion: """
            The operator key (which signs results) comes from the environment variable \
            ZKVM_OPERATOR_PRIV_KEY (or ZKVM_OPERATOR_PRIVATE_KEY, InfinityVM's later name), from \
            --operator-key-file, or, for development only, from --dev (a well-known public key; never \
            use it with real contracts).
            """
    )

    @Option(help: "gRPC listen address.") var grpcAddress = SocketAddressArgument(argument: "127.0.0.1:50051")!
    @Option(help: "JSON/HTTP gateway listen address.") var httpAddress = SocketAddressArgument(argument: "127.0.0.1:8080")!
    @Option(name: [.customLong("metrics-address"), .customLong("prom-address")],
            help: "Prometheus metrics listen address (GET /metrics); 'off' disables it. --prom-address is InfinityVM's name for it.")
    var metricsAddress = "127.0.0.1:9090"
    @OptionGroup(title: "Database") var database: DatabaseOptions
    @Option(help: "Threads executing jobs (default: one per core).")
    var workerCount = ProcessInfo.processInfo.activeProcessorCount
    @Option(help: "Jobs that may wait for a worker; beyond it SubmitJob answers RESOURCE_EXHAUSTED.")
    var execQueueBound = 10_000
    @Option(help: "Offchain jobs one consumer may have queued or running; beyond it SubmitJob answers RESOURCE_EXHAUSTED (0 = no limit).")
    var maxJobsPerConsumer = 1_000
    @Option(help: "Offchain jobs per second one request signer may submit; beyond it SubmitJob answers RESOURCE_EXHAUSTED (0 = no limit).")
    var maxJobsPerSigner: Double = 0
    @Option(help: "Largest ELF SubmitProgram accepts, in bytes.") var maxElfBytes = 16 << 20
    @Option(help: "Largest offchain input plus state one SubmitJob may carry, in bytes.")
    var maxJobDataBytes = 16 << 20
    @Option(help: "Largest max_cycles a job may ask for (bounds how long one job holds a worker).")
    var maxCyclesCap: UInt64 = 10_000_000_000
    @Option(help: "Seconds a job may execute before it FAILS with 'time limit exceeded' (a wall-clock backstop; guests looping on expensive precompiles FAIL first, deterministically, with 'work limit exceeded' once their host work passes the budget their max_cycles buys; 0 = no limit).")
    var maxJobSeconds: Double = 600
    @Option(help: "Memory one job's execution may commit, in MiB (guest pages it touches and host buffers); a job over it FAILS with 'memory limit exceeded'. Default: half the machine's memory shared by the workers, at most 4096.")
    var maxJobMemoryMib: UInt64?
    @Option(help: "File holding the operator token (16-4096 printable ASCII characters): SubmitProgram then needs 'Authorization: Bearer <token>' (HTTP header or gRPC metadata), else UNAUTHENTICATED / 401. Default: SubmitProgram is open.")
    var adminTokenFile: String?
    @Option(help: "PEM file of the node's certificate chain (leaf first): gRPC and HTTP are then served over TLS. Needs --tls-key.")
    var tlsCert: String?
    @Option(help: "PEM file of the private key of --tls-cert.")
    var tlsKey: String?
    @Option(help: "Seconds an HTTP connection may send nothing (idle keep-alive, or a stalled request head or body) before it is closed; 0 = never.")
    var httpIdleSeconds: Double = 30
    @Option(help: "HTTP connections open at once; a connection beyond it is answered 503 (Retry-After: 1) and closed; 0 = no limit.")
    var httpMaxConnections = HTTPGateway.Configuration.defaultMaxConnections
    @Option(help: "MiB of HTTP request bodies held at once across connections; a body that does not fit is answered 429. At least twice --max-request-bytes, or the largest bodies never fit.")
    var httpBodyBudgetMib = HTTPGateway.Configuration.defaultBodyBudgetBytes >> 20
    @Option(help: "Seconds a gRPC connection may have no RPC open before it is closed; 0 = never.")
    var grpcIdleSeconds: Double = 300
    @Option(help: "Days a finished job is kept after its last change (DONE, FAILED, RELAYED), then deleted; its ID stays taken. Jobs waiting to be relayed are kept. 0 = forever.")
    var retainDays: Double = 0
    @Option(help: "Days a program neither submitted nor run is kept (unless a PENDING job needs it), then deleted. 0 = forever.")
    var retainProgramDays: Double = 0
    @Option(help: "Host memory for loaded programs, in MiB (least recently used ones are reloaded on demand).")
    var programCacheMib = 1024
    @Option(help: "Largest gRPC message, in bytes (HTTP bodies may be twice as large: they carry bytes as hex).")
    var maxRequestBytes = CoprocessorNodeService.defaultMaxMessageBytes
    @Option(help: "'any' (record the signer, accept all) or 'allowlist:<file.json>' mapping consumer → [signers].")
    var signerPolicy = "any"
    @Option(help: "File holding the operator's private key as hex.") var operatorKeyFile: String?
    @Flag(help: "Use the public development operator key if no other key is given.") var dev = false
    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.") var logLevel: Logger.Level = .info
    @Option(help: "Log lines as 'text' (swift-log's format) or 'json' (one object per line: timestamp, level, label, message, metadata).")
    var logFormat: LogFormat = .text
    @Option(help: "Execution tier for jobs: auto (the JIT where available), interpreter or jit. Results are identical.")
    var engine = "auto"

    // Chain: relaying results and onchain jobs are on only when both of these are given.
    @Option(help: "Ethereum JSON-RPC URL; with --job-manager-address, turns on relaying and onchain jobs.")
    var ethRpcUrl: String?
    @Option(help: "JobManager contract address.") var jobManagerAddress: String?
    @Option(help: "File holding the relayer's private key as hex (or set RELAYER_PRIVATE_KEY).")
    var relayerKeyFile: String?
    @Option(help: "Failed relay attempts after which a job stays DONE with 'relaying gave up'.")
    var maxRelayRetries: UInt32 = 5
    @Option(help: "'unordered' (each job as its SubmitJob's relayStrategy asks, default Unordered; onchain jobs unordered), or 'ordered' (every job: per consumer, by ascending job nonce).")
    var relayStrategy = "unordered"
    @Option(help: "Blocks a relay transaction must be under before the job is RELAYED (1 = mined).")
    var confirmations: UInt64 = 1
    @Option(help: "First block to read JobCreated events from (default: the head at first start).")
    var startBlock: UInt64?
    @Option(help: "JobCreated poll interval, in milliseconds.") var pollIntervalMs = 1000
    @Option(help: "Seconds an onchain job waits for its program to be submitted before it is FAILED.")
    var programWaitSeconds = 300

    /// The token of --admin-token-file (surrounding whitespace ignored), or nil.
    private func loadOperatorToken() throws -> OperatorToken? {
        guard let adminTokenFile else { return nil }
        guard let text = try? String(contentsOfFile: adminTokenFile, encoding: .utf8) else {
            throw ValidationError("--admin-token-file: cannot read \(adminTokenFile)")
        }
        do { return try OperatorToken(text.trimmingCharacters(in: .whitespacesAndNewlines)) } catch {
            throw ValidationError("--admin-token-file: \(error.message)")
        }
    }

    /// The TLS files of --tls-cert and --tls-key (checked to be usable), or nil for plaintext.
    private func loadTLSFiles() throws -> TLSFiles? {
        switch (tlsCert, tlsKey) {
        case (nil, nil): return nil
        case (let cert?, let key?):
            let files = TLSFiles(certificateChain: cert, privateKey: key)
            do { _ = try HTTPGateway.loadTLS(files) } catch { throw ValidationError("--tls-cert / --tls-key: \(error)") }
            return files
        default: throw ValidationError("--tls-cert and --tls-key go together")
        }
    }

    /// A timeout option in seconds: nil for 0 (never).
    private func seconds(_ value: Double) -> Duration? { value > 0 ? .milliseconds(Int64(value * 1000)) : nil }

    func validate() throws {
        for (name, value) in [("--http-idle-seconds", httpIdleSeconds), ("--grpc-idle-seconds", grpcIdleSeconds),
                              ("--max-job-seconds", maxJobSeconds), ("--retain-days", retainDays),
                              ("--retain-program-days", retainProgramDays)] where !(value >= 0 && value.isFinite) {
            throw ValidationError("\(name) must be 0 or more")
        }
    }

    func run() async throws {
        logFormat.bootstrap(level: logLevel)
        var logger = Logger(label: "coprocessor-node")
        logger.logLevel = logLevel
        let build = BuildInfo.current
        logger.info("coprocessor-node \(build.version)",
                    metadata: Logger.Metadata(uniqueKeysWithValues: build.fields.map { ($0, .string($1)) }))

        let registry = MetricsSetup.bootstrap(build: build)
        let requestMetrics = RequestMetrics()

        let operatorKey = try loadOperatorKey(logger: logger)
        let operatorToken = try loadOperatorToken()
        let tls = try loadTLSFiles()
        var config = CoprocessorConfig()
        config.workerCount = max(1, workerCount)
        config.queueBound = max(1, execQueueBound)
        config.maxUnfinishedJobsPerConsumer = max(0, maxJobsPerConsumer)
        config.maxELFBytes = maxElfBytes
        config.maxJobDataBytes = max(0, maxJobDataBytes)
        config.maxJobsPerSignerPerSecond = max(0, maxJobsPerSigner)
        config.maxCyclesCap = maxCyclesCap
        let jobMemoryMib = maxJobMemoryMib ?? CoprocessorConfig.defaultJobMemoryMiB(workers: config.workerCount)
        guard jobMemoryMib >= 1 else { throw ValidationError("--max-job-memory-mib must be at least 1") }
        config.executionLimits.maxMemoryBytes = jobMemoryMib << 20
        config.maxJobTime = seconds(maxJobSeconds)
        config.retention = RetentionPolicy(finishedJobs: seconds(retainDays * 86_400),
                                           unusedPrograms: seconds(retainProgramDays * 86_400))
        config.programCacheBytes = max(1, programCacheMib) << 20
        config.programWait = .seconds(max(0, programWaitSeconds))
        guard let engine = ExecutionEngine(rawValue: engine) else {
            throw ValidationError("--engine must be auto, interpreter or jit")
        }
        config.engine = engine
        do { config.signerPolicy = try SignerPolicy(argument: signerPolicy) } catch {
            throw ValidationError("\(error)")
        }

        var metrics: SocketAddressArgument?
        if metricsAddress != "off" {
            guard let address = SocketAddressArgument(argument: metricsAddress) else {
                throw ValidationError("--metrics-address must be host:port or 'off'")
            }
            metrics = address
        }
        // Check the options before opening the store: a store released without close() traps
        // (its writer thread outlives it), and so does an RPC client released without shutdown().
        let chain = try chainComponents(logger: logger)
        config.relayStrategy = chain?.config.strategy
        let store: any NodeDatabase
        do { store = try await database.open(logger: logger) } catch {
            try? await chain?.client.shutdown()
            throw error
        }
        // One node relays and listens: the only one, or, on a shared database, the one holding
        // the chain lease (ChainLeadership), on the store fenced by its epoch.
        // Wakes the relayer when a job finishes here (set once the relayer exists).
        let wakeRelayer = Mutex<(@Sendable () -> Void)?>(nil)
        let service = CoprocessorService(store: store, operatorKey: operatorKey, config: config,
                                         logger: Logger(label: "coprocessor"),
                                         onJobFinished: { _ in wakeRelayer.withLock { $0 }?() })
        var chainServices: [any Service] = []
        if let chain {
            if let leases = store as? SingletonLeases {
                let leadership = ChainLeadership(
                    leases: leases, leaseDuration: .milliseconds(Int64(database.leaseSeconds * 1000)),
                    makeRelayer: { ResultRelayer(config: chain.config, store: $0, client: chain.client) },
                    makeListener: { JobCreatedListener(config: chain.config, service: service, store: $0, client: chain.client) })
                chainServices = [leadership]
                wakeRelayer.withLock { $0 = { leadership.notify() } }
                // Results queued on any node wake the leader's relayer.
                (store as? StoreSignals)?.onSignal(.relayQueued) { leadership.notify() }
            } else {
                let single = ResultRelayer(config: chain.config, store: store, client: chain.client)
                wakeRelayer.withLock { $0 = { single.notify() } }
                chainServices = [single, JobCreatedListener(config: chain.config, service: service, store: store, client: chain.client)]
            }
        }
        do { try await service.start() } catch {
            await store.close()
            try? await chain?.client.shutdown()
            throw error
        }
        logger.info("node ready", metadata: [
            "operator": "\(operatorKey.address)", "database": "\(store.location)", "workers": "\(config.workerCount)",
            "max_job_memory_mib": "\(config.executionLimits.maxMemoryBytes >> 20)",
            "queue_bound": "\(config.queueBound)", "signer_policy": "\(signerPolicy)",
        ])

        // What /readyz and the gRPC health service report: the database takes a write; with
        // relaying on, the chain answers.
        var checks = [Readiness.Check("database") {
            do { try await store.checkWritable(); return nil } catch { return "not writable: \(error)" }
        }]
        if let client = chain?.client {
            checks.append(Readiness.Check("chain") {
                do { _ = try await client.blockNumber(); return nil } catch { return "eth_blockNumber failed: \(error)" }
            })
        }
        let readiness = ReadinessMonitor(Readiness(checks: checks))
        let grpc = GRPCFrontEnd(api: service, configuration: .init(host: grpcAddress.host, port: grpcAddress.port,
                                                                   maxReceiveMessageBytes: maxRequestBytes,
                                                                   maxIdleTime: seconds(grpcIdleSeconds),
                                                                   operatorToken: operatorToken, tls: tls),
                                readiness: readiness, observer: requestMetrics)
        let http = HTTPGateway(api: service, configuration: .init(host: httpAddress.host, port: httpAddress.port,
                                                                   maxBodyBytes: HTTPGateway.Configuration.maxBodyBytes(forMessageBytes: maxRequestBytes),
                                                                   idleTimeout: seconds(httpIdleSeconds),
                                                                   operatorToken: operatorToken,
                                                                   maxConnections: httpMaxConnections > 0 ? httpMaxConnections : nil,
                                                                   tls: tls, bodyBudgetBytes: max(1, httpBodyBudgetMib) << 20),
                               logger: Logger(label: "coprocessor.http"), readiness: readiness,
                               observer: requestMetrics)
        // Shut down in reverse order: front ends stop taking requests before the core stops.
        var services: [any Service] = [CoreService(service: service, store: store, logger: logger),
                                       GRPCService(frontEnd: grpc, logger: logger),
                                       HTTPService(gateway: http, logger: logger)]
        if let chain {
            services += chainServices
            logger.info("relaying on", metadata: ["rpc_url": "\(chain.config.rpcURL)",
                                                  "job_manager": "\(chain.config.jobManager)",
                                                  "relayer": "\(chain.config.relayerKey.address)"])
        } else {
            logger.info("relaying off (give --eth-rpc-url and --job-manager-address to turn it on)")
        }
        if let metrics {
            services.append(MetricsServer(registry: registry, address: (metrics.host, metrics.port), logger: logger))
        }
        // Last, so it hears the shutdown signal first.
        services.append(IntakeService(service: service, readiness: readiness))
        let group = ServiceGroup(configuration: .init(services: services.map { .init(service: $0) },
                                                      gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        // The RPC client must be shut down before it is released (AsyncHTTPClient traps otherwise),
        // once the relayer and the listener have stopped using it.
        do {
            try await group.run()
        } catch {
            try? await chain?.client.shutdown()
            throw error
        }
        try? await chain?.client.shutdown()
    }

    /// The relayer settings and RPC client, or nil when relaying is off.
    private func chainComponents(logger: Logger) throws
        -> (config: RelayerConfig, client: EthereumClient)?
    {
        guard let url = ethRpcUrl, let manager = jobManagerAddress else {
            if (ethRpcUrl == nil) != (jobManagerAddress == nil) {
                throw ValidationError("relaying needs both --eth-rpc-url and --job-manager-address")
            }
            return nil
        }
        let jobManager: Address
        do { jobManager = try Address(hex: manager) } catch { throw ValidationError("--job-manager-address: \(error)") }
        let keyHex: String
        if let env = ProcessInfo.processInfo.environment["RELAYER_PRIVATE_KEY"], !env.isEmpty {
            keyHex = env
        } else if let path = relayerKeyFile, let text = try? String(contentsOfFile: path, encoding: .utf8) {
            keyHex = text
        } else {
            throw ValidationError("relaying needs the relayer key: set RELAYER_PRIVATE_KEY or pass --relayer-key-file")
        }
        var config = RelayerConfig(rpcURL: url, jobManager: jobManager, relayerKey: try OperatorKeySource.load(hex: keyHex))
        config.maxRetries = maxRelayRetries
        config.confirmations = max(1, confirmations)
        config.startBlock = startBlock
        config.pollInterval = .milliseconds(max(10, pollIntervalMs))
        switch relayStrategy {
        case "unordered": config.strategy = .unordered
        case "ordered": config.strategy = .ordered
        default: throw ValidationError("--relay-strategy must be 'unordered' or 'ordered'")
        }
        let client: EthereumClient
        do { client = try EthereumClient(url: url, logger: Logger(label: "ethereum-rpc")) } catch {
            throw ValidationError("--eth-rpc-url: \(error)")
        }
        return (config, client)
    }

    private func loadOperatorKey(logger: Logger) throws -> PrivateKey {
        do {
            if let key = try OperatorKeySource.fromEnvironment(ProcessInfo.processInfo.environment) { return key }
        } catch {
            throw ValidationError("\(error)")
        }
        if let path = operatorKeyFile {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw ValidationError("cannot read --operator-key-file \(path)")
            }
            return try OperatorKeySource.load(hex: text)
        }
        guard dev else {
            throw ValidationError("""
                no operator key: set ZKVM_OPERATOR_PRIV_KEY (or ZKVM_OPERATOR_PRIVATE_KEY), pass \
                --operator-key-file, or use --dev for the public development key
                """)
        }
        let key = try OperatorKeySource.load(hex: OperatorKeySource.developmentKeyHex)
        logger.warning("using the PUBLIC development operator key — results are signed by a key anyone knows",
                       metadata: ["operator": "\(key.address)"])
        return key
    }
}
