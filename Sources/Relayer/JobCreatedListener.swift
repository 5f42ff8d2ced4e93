import Coprocessor
import Ethereum
import EthereumRPC
import Foundation
import Logging
import Metrics
import ServiceLifecycle
import Synchronization

/// Takes onchain jobs: polls `eth_getLogs` for the JobManager's `JobCreated` events from a
/// persisted block checkpoint and hands each event to the service core's intake (which stores
/// it, or records why it cannot run), and advances the checkpoint only after the jobs of a range
/// are durable — so a restart processes no event twice and skips none.
public final class JobCreatedListener: Service, @unchecked Sendable {  // immutable after init
    static let checkpointKey = "listener_next_block"

    private let config: RelayerConfig
    private let service: CoprocessorService
    private let store: RelayStore
    private let client: EthereumClient
    private let logger: Logger
    /// Blocks up to the chain's head not read for JobCreated events yet (confirmations - 1 when
    /// caught up).
    private let blockLag = Gauge(label: "coprocessor_listener_block_lag")

    public init(config: RelayerConfig, service: CoprocessorService, store: RelayStore, client: EthereumClient,
                logger: Logger = Logger(label: "job-listener")) {
        self.config = config
        self.service = service
        self.store = store
        self.client = client
        self.logger = logger
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            var next: UInt64?
            while !Task.isCancelled {
                do {
                    if next == nil { next = try await self.store.chainValue(Self.checkpointKey) }
                    if next == nil {
                        // First start: from --start-block, else from the current head.
                        let start: UInt64
                        if let configured = self.config.startBlock { start = configured } else {
                            start = try await self.client.blockNumber()
                        }
                        try await self.store.setChainValue(Self.checkpointKey, start)
                        next = start
                        self.logger.info("listening for JobCreated", metadata: [
                            "job_manager": "\(self.config.jobManager)", "from_block": "\(start)",
                        ])
                    }
                    next = try await self.catchUp(from: next!)
                } catch is CancellationError {
                    return
                } catch {
                    self.logger.warning("JobCreated polling failed; retrying", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: self.config.pollInterval)
            }
        }
    }

    /// Processes every block from `from` to the head less `confirmations - 1` blocks (so a block
    /// is read only once it is that deep, like relay receipts); returns the next block to read.
    func catchUp(from: UInt64) async throws -> UInt64 {
        var next = from
        let latest = try await client.blockNumber()
        let depth = max(config.confirmations, 1) - 1
        guard latest >= depth else { return next }
        let head = latest - depth
        while next <= head && !Task.isCancelled {
            let to = min(head, next + config.maxLogRange - 1)
            let logs = try await client.getLogs(LogFilter(fromBlock: .number(next), toBlock: .number(to),
                                                          address: config.jobManager,
                                                          topics: [[JobManager.jobCreatedTopic]]))
            var events: [ChainEvent] = []
            for log in logs.sorted(by: { ($0.blockNumber, $0.logIndex) < ($1.blockNumber, $1.logIndex) }) {
                if let jobID = try await ingest(log) {
                    events.append(ChainEvent(chainID: try await chainID(), transactionHash: log.transactionHash,
                                             logIndex: log.logIndex, blockNumber: log.blockNumber, jobID: jobID))
                }
            }
            // Every job of the range is stored: only now may the checkpoint move past it, in the
            // transaction that records the range's events.
            try await store.recordEvents(events, checkpoint: Self.checkpointKey, next: to + 1)
            next = to + 1
            blockLag.record(Int64(clamping: latest + 1 - min(next, latest + 1)))
        }
        blockLag.record(Int64(clamping: latest + 1 - min(next, latest + 1)))
        return next
    }

    /// The chain's id, asked once.
    private let chainIDCache = Mutex<UInt64?>(nil)
    private func chainID() async throws -> UInt64 {
        if let known = chainIDCache.withLock({ $0 }) { return known }
        let id = try await client.chainID()
        chainIDCache.withLock { $0 = id }
        return id
    }

    /// Hands the event to the intake; returns its job's ID (nil for a malformed log).
    private func ingest(_ log: Log) async throws -> Bytes32? {
        let event: JobCreatedEvent
        do { event = try JobCreatedEvent(topics: log.topics, data: log.data) } catch {
            logger.error("skipping a malformed JobCreated log", metadata: [
                "tx_hash": "\(log.transactionHash)", "log_index": "\(log.logIndex)", "error": "\(error)",
            ])
            return nil
        }
        // The core's one intake decides; only what is worth retrying (queue full, storage,
        // shutting down) comes back as an error, and then the whole range is read again.
        let outcome = try await service.submitOnchainJob(event)
        switch outcome {
        case .accepted, .waitingForProgram:
            logger.info("onchain job accepted", metadata: [
                "job_id": "\(event.jobID)", "block": "\(log.blockNumber)", "outcome": "\(outcome)",
            ])
        case .alreadyKnown:
            break  // seen before (a range read again after a restart)
        case .rejected(let reason):
            logger.warning("onchain job rejected", metadata: ["job_id": "\(event.jobID)", "reason": "\(reason)"])
        }
        return event.jobID
    }
}
