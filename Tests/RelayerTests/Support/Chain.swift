import Coprocessor
import CoprocessorWire
import Ethereum
import EthereumRPC
import Foundation
import Logging
import Relayer
import ServiceLifecycle
import Synchronization
import TestSupport

/// The dev chain (TestSupport's launcher) with a JSON-RPC client, for the relaying tests.
struct Chain: Sendable {
    let devChain: DevChain
    let client: EthereumClient

    var rpcURL: String { devChain.rpcURL }
    var jobManager: Address { devChain.jobManager }

    /// Runs `body` with a fresh chain and client, and stops both afterwards, whatever happens.
    static func with<T>(_ body: (Chain) async throws -> T) async throws -> T {
        try await DevChain.with { devChain in
            let chain = Chain(devChain: devChain, client: try EthereumClient(url: devChain.rpcURL,
                                                                              logger: Logger(label: "test-rpc")))
            return try await withCleanup { try await body(chain) } cleanup: { try? await chain.client.shutdown() }
        }
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
                throw TestFailure("JobCompleted data is not abi.encode(bytes)")
            }
            return (log.transactionHash, result)
        }
    }
}

/// A node core with relaying on (relayer and listener as services, as the executable runs them)
/// against a dev chain.
final class RelayingNode: Sendable {
    let node: TestNode
    let relayer: ResultRelayer
    let listener: JobCreatedListener
    private let group: ServiceGroup
    private let runner: Task<Void, Error>

    var service: CoprocessorService { node.service }

    init(chain: Chain, directory: String? = nil, operatorKey: PrivateKey = TestKeys.operatorKey,
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
        // The relayer needs the node's store, and the node wakes the relayer: fill it in after.
        let wake = RelayerReference()
        node = try await TestNode(directory: directory, config: config, operatorKey: operatorKey,
                                  onJobFinished: { _ in wake.relayer.withLock { $0 }?.notify() })
        let relayer = ResultRelayer(config: relayConfig, store: node.store, client: chain.client, logger: logger)
        wake.relayer.withLock { $0 = relayer }
        self.relayer = relayer
        listener = JobCreatedListener(config: relayConfig, service: node.service, store: node.store, client: chain.client,
                                      logger: logger)
        let group = ServiceGroup(services: runRelayer ? [relayer, listener] : [listener], logger: logger)
        self.group = group
        runner = Task { try await group.run() }
    }

    /// Stops the relayer and listener, then the core (the files stay).
    func stop() async {
        await group.triggerGracefulShutdown()
        _ = await runner.result
        await node.stop()
    }

    /// Polls until the job exists (an onchain job appears once the listener has read its event)
    /// and has `status`.
    func wait(for id: [UInt8], status: JobStatusType, timeout: Duration = .seconds(60)) async throws -> Job {
        try await node.wait(for: id, status: status, timeout: timeout)
    }
}

private final class RelayerReference: Sendable {
    let relayer = Mutex<ResultRelayer?>(nil)
}

extension Chain {
    /// Runs `body` with a relaying node on this chain, and stops the node afterwards (and removes
    /// its files, unless it ran on an existing `directory`).
    func withNode<T>(directory: String? = nil, operatorKey: PrivateKey = TestKeys.operatorKey,
                     configure: (inout RelayerConfig) -> Void = { _ in },
                     _ body: (RelayingNode) async throws -> T) async throws -> T {
        let node = try await RelayingNode(chain: self, directory: directory, operatorKey: operatorKey, configure: configure)
        return try await withCleanup { try await body(node) } cleanup: {
            await node.stop()
            if directory == nil { node.node.removeFiles() }
        }
    }
}
