import Coprocessor
import Ethereum
import EthereumRPC
import Foundation
import Logging
import Relayer
import ServiceLifecycle

/// The project's development chain (devchain/server.py: py-evm behind a loopback JSON-RPC server,
/// with the Vyper JobManager deployed), as a child process.
final class DevChain: @unchecked Sendable {
    struct Info: Decodable {
        let rpc_url: String
        let job_manager: String
    }

    /// A Python with the dev chain's packages.
    static let python: String? = Python.find(importing: "alysis, vyper")

    static var available: Bool { python != nil }

    let process = Process()
    let rpcURL: String
    let jobManager: Address
    let client: EthereumClient

    /// The accounts of the dev chain (anvil's well-known keys).
    static let relayerKey = try! PrivateKey(hex: "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d")  // #1
    static let consumerKey = try! PrivateKey(hex: "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a")  // #2

    init() async throws {
        let python = try DevChain.python.orThrow("no Python with the dev chain's packages (make test installs them)")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("devchain-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let out = dir.appendingPathComponent("stdout"), err = dir.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        // Children of the test runner inherit a blocked SIGTERM; unblock it before exec'ing the
        // server so stop() can end it cleanly.
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", "import os, signal, sys; signal.pthread_sigmask(signal.SIG_SETMASK, set()); "
                                 + "os.execv(sys.executable, [sys.executable] + sys.argv[1:])",
                             Repo.root.appendingPathComponent("devchain/server.py").path, "--port", "0", "--deploy",
                             "--watch-parent"]
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
        // The server prints one JSON line once it serves.
        var info: Info?
        for _ in 0..<600 where info == nil {
            if let data = try? Data(contentsOf: out), let line = data.split(separator: UInt8(ascii: "\n")).first {
                info = try? JSONDecoder().decode(Info.self, from: Data(line))
            }
            if info == nil {
                guard process.isRunning else { break }
                try await Task.sleep(for: .milliseconds(50))
            }
        }
        guard let info else {
            process.terminate()
            throw StorageError("dev chain did not start: \((try? String(contentsOf: err, encoding: .utf8)) ?? "")")
        }
        rpcURL = info.rpc_url
        jobManager = try Address(hex: info.job_manager)
        client = try EthereumClient(url: rpcURL, logger: Logger(label: "test-rpc"))
    }

    func stop() async {
        try? await client.shutdown()
        process.terminate()
        for _ in 0..<1000 where process.isRunning { try? await Task.sleep(for: .milliseconds(10)) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    /// Closes the chain's listening socket for `seconds` (connections are refused meanwhile).
    func suspend(seconds: Double) async throws {
        let _: JSONValue = try await client.rpc.call("devchain_suspend", params: [.double(seconds)])
    }

    /// Sends `data` to the JobManager from `key` and waits for the receipt.
    func transact(from key: PrivateKey, data: [UInt8]) async throws -> Receipt {
        let call = CallRequest(from: key.address, to: jobManager, data: data)
        let gas = try await client.estimateGas(call, headroomPercent: 20)
        let fees = try await client.suggestFees()
        let nonce = try await client.transactionCount(key.address, block: .pending)
        let tx = EIP1559Transaction(chainID: try await client.chainID(), nonce: nonce,
                                    maxPriorityFeePerGas: fees.maxPriorityFeePerGas, maxFeePerGas: fees.maxFeePerGas,
                                    gasLimit: gas, to: jobManager, value: .zero, data: data)
        let signed = try tx.sign(with: key)
        _ = try await client.sendRawTransaction(signed.raw)
        return try await client.waitForReceipt(signed.hash, pollInterval: .milliseconds(20), timeout: .seconds(30))
    }

    /// Every JobCompleted event for `jobID`: (transaction hash, result).
    func completions(of jobID: Bytes32) async throws -> [(tx: Bytes32, result: [UInt8])] {
        let logs = try await client.getLogs(LogFilter(fromBlock: .number(0), toBlock: .latest, address: jobManager,
                                                      topics: [[JobManager.jobCompletedTopic], [jobID]]))
        return try logs.map { log in
            guard case .bytes(let result) = try ABI.decode([.bytes], from: log.data).first else {
                throw StorageError("JobCompleted data is not abi.encode(bytes)")
            }
            return (log.transactionHash, result)
        }
    }
}

extension Optional {
    func orThrow(_ message: String) throws -> Wrapped {
        guard let self else { throw StorageError(message) }
        return self
    }
}

/// A node core with relaying on (relayer and listener as services) against a dev chain.
final class RelayingNode: @unchecked Sendable {
    let node: TestNode
    let relayer: ResultRelayer
    let listener: JobCreatedListener
    let group: ServiceGroup
    private var runner: Task<Void, Error>?

    init(chain: DevChain, directory: String? = nil, operatorKey: PrivateKey = TestKeys.operatorKey,
         configure: (inout RelayerConfig) -> Void = { _ in }, runRelayer: Bool = true) async throws {
        var relayConfig = RelayerConfig(rpcURL: chain.rpcURL, jobManager: chain.jobManager, relayerKey: DevChain.relayerKey)
        relayConfig.retryBaseDelay = .milliseconds(100)
        relayConfig.maxRetryDelay = .milliseconds(500)
        relayConfig.receiptPollInterval = .milliseconds(20)
        relayConfig.pollInterval = .milliseconds(50)
        relayConfig.startBlock = 0
        configure(&relayConfig)
        var config = CoprocessorConfig()
        config.relayStrategy = relayConfig.strategy
        var logger = Logger(label: "relay-test")
        logger.logLevel = .warning
        let nodeDirectory = directory ?? FileManager.default.temporaryDirectory
            .appendingPathComponent("relay-\(UUID().uuidString)").path
        let store = try SQLiteJobStore(directory: nodeDirectory)
        let relayer = ResultRelayer(config: relayConfig, store: store, client: chain.client, logger: logger)
        let service = CoprocessorService(store: store, operatorKey: operatorKey, config: config, logger: logger,
                                         onJobFinished: { _ in relayer.notify() })
        node = try await TestNode(store: store, service: service, directory: nodeDirectory)
        self.relayer = relayer
        listener = JobCreatedListener(config: relayConfig, service: service, store: store, client: chain.client,
                                      logger: logger)
        group = ServiceGroup(services: runRelayer ? [relayer, listener] : [listener], logger: logger)
        let group = self.group
        runner = Task { try await group.run() }
    }

    func stop() async {
        await group.triggerGracefulShutdown()
        _ = await runner?.result
        node.stop()
    }

    /// Polls until the job exists and reaches `status`.
    func wait(for id: [UInt8], status: JobStatusType, timeout: Duration = .seconds(60)) async throws -> Job {
        let deadline = ContinuousClock.now + timeout
        while true {
            var state = "not found"
            let job: Job?
            do { job = try await node.service.getResult(jobID: id) } catch {
                // An onchain job appears once the listener has read its event.
                guard error.code == .notFound else { throw error }
                job = nil
            }
            if let job {
                if job.status == status { return job }
                state = "\(job.status) \(job.failureReason ?? "")"
            }
            if ContinuousClock.now > deadline { throw StorageError("job is \(state), not \(status)") }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}
