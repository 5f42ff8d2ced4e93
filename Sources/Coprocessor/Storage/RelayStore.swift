import Ethereum

/// How a consumer's results are sent onchain.
public enum RelayStrategy: Int, Sendable, Codable, CaseIterable {
    /// Any order (default): every due result is relayed as soon as possible.
    case unordered = 0
    /// Per consumer, strictly by ascending job nonce: a result waits until the consumer's
    /// earlier results have been relayed (or given up on).
    case ordered = 1
}

/// A result waiting to be relayed (the persisted retry queue).
public struct RelayEntry: Sendable, Equatable {
    public var jobID: Bytes32
    public var consumer: Address
    public var nonce: UInt64
    public var strategy: RelayStrategy
    /// Failed attempts so far.
    public var attempts: UInt32
    /// Seconds since 1970 when the next attempt is due.
    public var nextAttemptAt: Double
    public var lastError: String?
    /// The transaction of the current attempt, recorded before it is sent, so a restart checks
    /// its receipt (or re-sends the same bytes) instead of relaying twice.
    public var inFlight: InFlightTransaction?

    public init(jobID: Bytes32, consumer: Address, nonce: UInt64, strategy: RelayStrategy, attempts: UInt32,
                nextAttemptAt: Double, lastError: String?, inFlight: InFlightTransaction?) {
        self.jobID = jobID
        self.consumer = consumer
        self.nonce = nonce
        self.strategy = strategy
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.lastError = lastError
        self.inFlight = inFlight
    }
}

public struct InFlightTransaction: Sendable, Equatable {
    public var nonce: UInt64
    public var raw: [UInt8]
    public var hash: Bytes32

    public init(nonce: UInt64, raw: [UInt8], hash: Bytes32) {
        self.nonce = nonce
        self.raw = raw
        self.hash = hash
    }
}

/// Persistence for the relayer and the onchain listener (same database as the jobs, so a job's
/// status and its queue entry change in one transaction).
public protocol RelayStore: Sendable {
    /// Queues every DONE job that is neither queued nor given up on (jobs finished while relaying
    /// was off), ordered if the job asked for it or `strategy` is ordered; returns how many were
    /// queued. Called when the relayer starts.
    func queueUnrelayedJobs(strategy: RelayStrategy, now: Double) async throws -> Int
    /// Due entries (next attempt at or before `now`), oldest first. An ordered entry is returned
    /// only when no earlier job of its consumer is still queued for relay or still PENDING.
    func dueRelays(now: Double, limit: Int) async throws -> [RelayEntry]
    /// Every entry with a recorded, not yet settled transaction, by ascending transaction nonce.
    func inFlightRelays() async throws -> [RelayEntry]
    /// The highest nonce of a recorded, not yet settled relay transaction.
    func highestInFlightNonce() async throws -> UInt64?
    /// Earliest `nextAttemptAt` of any entry, if there is one.
    func nextRelayDue() async throws -> Double?
    /// Entries in the relay queue, and when the oldest of them was queued (seconds since 1970).
    func relayBacklog() async throws -> (count: Int, oldestQueuedAt: Double?)
    func recordInFlight(jobID: Bytes32, transaction: InFlightTransaction) async throws
    /// DONE → RELAYED with the transaction hash; the entry is removed.
    func completeRelay(jobID: Bytes32, txHash: Bytes32) async throws
    /// Counts a failed attempt: job.retries = attempts; either schedules the next attempt or,
    /// past `maxRetries`, removes the entry and records the failure as the job's failure_reason
    /// as "relaying gave up after N attempts: <error>" (the job stays DONE). Returns the entry if it
    /// stays queued.
    /// `keepInFlight`: the attempt's transaction may still be mined (e.g. the send timed out), so
    /// the next attempt checks its receipt or re-sends the same bytes rather than signing anew.
    func failRelay(jobID: Bytes32, error: String, nextAttemptAt: Double, maxRetries: UInt32, keepInFlight: Bool)
        async throws -> RelayEntry?
    /// Small integers the chain components persist (the listener's checkpoint).
    func chainValue(_ key: String) async throws -> UInt64?
    func setChainValue(_ key: String, _ value: UInt64) async throws
    /// Records the JobCreated events of a block range, each keyed by (chain id, transaction hash,
    /// log index) with the job it created, and moves checkpoint `key` to `next`, in one
    /// transaction. An event recorded before keeps its first record.
    func recordEvents(_ events: [ChainEvent], checkpoint key: String, next: UInt64) async throws
    /// The job a recorded event created, if the event was recorded.
    func recordedEvent(chainID: UInt64, transactionHash: Bytes32, logIndex: UInt64) async throws -> Bytes32?
}

/// A consumed onchain event: where it was, and the job it created.
public struct ChainEvent: Sendable, Equatable {
    public var chainID: UInt64
    public var transactionHash: Bytes32
    public var logIndex: UInt64
    public var blockNumber: UInt64
    public var jobID: Bytes32

    public init(chainID: UInt64, transactionHash: Bytes32, logIndex: UInt64, blockNumber: UInt64, jobID: Bytes32) {
        self.chainID = chainID
        self.transactionHash = transactionHash
        self.logIndex = logIndex
        self.blockNumber = blockNumber
        self.jobID = jobID
    }
}
