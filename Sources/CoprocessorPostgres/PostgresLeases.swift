import Coprocessor
import CoprocessorWire
import Ethereum
import Foundation
import Logging
import NIOCore
import PostgresNIO

/// Job leases and singleton leases on PostgreSQL. Lease times are the database's clock
/// (`now()`), so the nodes' clocks need not agree.
extension PostgresStore {
    public func renewJobLeases() async throws -> (held: Int, unclaimed: Int) {
        let pending = Int32(JobStatusType.pending.rawValue)
        let counts = try await rows("""
            WITH renewed AS (
                UPDATE jobs SET lease_expires_at = now() + make_interval(secs => \(leaseSeconds))
                WHERE holder = \(holder) AND status = \(pending) RETURNING 1)
            SELECT (SELECT count(*) FROM renewed), (SELECT count(*) FROM jobs WHERE status = \(pending) AND holder IS NULL)
            """).first.map { try $0.decode((Int64, Int64).self) }
        return (Int(counts?.0 ?? 0), Int(counts?.1 ?? 0))
    }

    /// The claim: a materialized CTE picks expired PENDING rows with `FOR UPDATE SKIP LOCKED`
    /// (rows another node is claiming are skipped, not waited for), then one UPDATE takes them
    /// over and raises their attempt.
    public func claimExpiredJobs(limit: Int) async throws -> [Job] {
        guard limit > 0 else { return [] }
        let claimed = try await rows(PostgresQuery(unsafeSQL: """
            WITH expired AS MATERIALIZED (
                SELECT id FROM jobs WHERE status = \(JobStatusType.pending.rawValue) AND lease_expires_at <= now()
                ORDER BY lease_expires_at LIMIT $1 FOR UPDATE SKIP LOCKED)
            UPDATE jobs j SET holder = $2, lease_expires_at = now() + make_interval(secs => $3), attempt = j.attempt + 1
            FROM expired WHERE j.id = expired.id
            RETURNING \(PostgresJobRows.selectList("j"))
            """, binds: {
                var binds = PostgresBindings(capacity: 3)
                binds.append(Int64(limit))
                binds.append(holder)
                binds.append(leaseSeconds)
                return binds
            }())).map(PostgresJobRows.decode).sorted { $0.createdAt < $1.createdAt }
        for job in claimed { recent.held(job) }
        return claimed
    }

    public func releaseJobLeases() async throws {
        recent.forgetHeld()
        try await rows("""
            WITH released AS (
                UPDATE jobs SET holder = NULL, lease_expires_at = now()
                WHERE holder = \(holder) AND status = \(Int32(JobStatusType.pending.rawValue)) RETURNING 1)
            SELECT pg_notify(\(StoreSignal.jobsAvailable.channel), '') FROM released LIMIT 1
            """)
    }

    /// Takes a free or expired singleton (raising its epoch), or renews this node's own lease
    /// (same epoch) — one statement, so two nodes racing for it cannot both win.
    public func acquireSingleton(_ name: String) async throws -> UInt64? {
        try await rows("""
            INSERT INTO leases (name, holder, epoch, expires_at)
            VALUES (\(name), \(holder), 1, now() + make_interval(secs => \(leaseSeconds)))
            ON CONFLICT (name) DO UPDATE SET
                epoch = CASE WHEN leases.holder = excluded.holder AND leases.expires_at > now()
                             THEN leases.epoch ELSE leases.epoch + 1 END,
                holder = excluded.holder, expires_at = excluded.expires_at
            WHERE leases.holder = excluded.holder OR leases.expires_at <= now()
            RETURNING epoch
            """).first.map { try $0.decode(Int64.self) }.map { UInt64($0) }
    }

    public func releaseSingleton(_ name: String, epoch: UInt64) async throws {
        try await rows("""
            UPDATE leases SET expires_at = now() WHERE name = \(name) AND holder = \(holder) AND epoch = \(Int64(epoch))
            """)
    }

    public func fenced(by name: String, epoch: UInt64) -> any JobStore & RelayStore {
        FencedPostgresStore(store: self, fence: Fence(name: name, holder: holder, epoch: epoch))
    }

    /// Runs `body` in a transaction that first checks `fence` (locking the lease row against a
    /// takeover until the commit): throws `FencedOut` if the singleton changed hands.
    @discardableResult
    func write<T: Sendable>(fence: Fence?, _ body: @escaping @Sendable (PostgresConnection, Logger) async throws -> T)
        async throws -> T
    {
        let logger = self.logger
        do {
            return try await client.withTransaction(logger: logger) { connection in
                if let fence {
                    let held = try await connection.query("""
                        SELECT 1 FROM leases WHERE name = \(fence.name) AND holder = \(fence.holder)
                          AND epoch = \(Int64(fence.epoch)) AND expires_at > now() FOR SHARE
                        """, logger: logger).collect()
                    guard !held.isEmpty else { throw FencedOut(singleton: fence.name, epoch: fence.epoch) }
                }
                return try await body(connection, logger)
            }
        } catch let error as PostgresTransactionError {
            if let fenced = error.closureError as? FencedOut { throw fenced }
            throw Self.storageError(error)
        }
    }
}

/// The singleton a write is made under.
struct Fence: Sendable {
    let name: String
    let holder: String
    let epoch: UInt64
}

/// `PostgresStore.fenced(by:epoch:)`: reads and job writes go to the store; the relay queue's and
/// chain state's writes check the fence in their transaction.
final class FencedPostgresStore: JobStore, RelayStore {
    let store: PostgresStore
    let fence: Fence

    init(store: PostgresStore, fence: Fence) {
        self.store = store
        self.fence = fence
    }

    func insertProgram(_ program: StoredProgram) async throws -> Bool { try await store.insertProgram(program) }
    func program(id: [UInt8]) async throws -> StoredProgram? { try await store.program(id: id) }
    func containsProgram(id: [UInt8]) async throws -> Bool { try await store.containsProgram(id: id) }
    func insertJob(_ job: Job) async throws -> Bool { try await store.insertJob(job) }
    func job(id: Bytes32) async throws -> Job? { try await store.job(id: id) }
    func finishJob(id: Bytes32, attempt: UInt32, outcome: JobOutcome, relay: RelayStrategy?,
                   completion: @escaping @Sendable (Error?) -> Void) {
        store.finishJob(id: id, attempt: attempt, outcome: outcome, relay: relay, completion: completion)
    }
    func pendingJobs() async throws -> [Job] { try await store.pendingJobs() }
    func pendingNonces(consumer: Address) async throws -> [UInt64] { try await store.pendingNonces(consumer: consumer) }
    func pruneFinishedJobs(changedBefore cutoff: Double, keepUnrelayed: Bool) async throws -> Int {
        try await store.pruneFinishedJobs(changedBefore: cutoff, keepUnrelayed: keepUnrelayed)
    }
    func wasPruned(id: Bytes32) async throws -> Bool { try await store.wasPruned(id: id) }
    func pruneUnusedPrograms(unusedBefore cutoff: Double, uses: [[UInt8]: Double]) async throws -> [[UInt8]] {
        try await store.pruneUnusedPrograms(unusedBefore: cutoff, uses: uses)
    }

    func queueUnrelayedJobs(strategy: RelayStrategy, now: Double) async throws -> Int {
        try await store.queueUnrelayedJobs(strategy: strategy, now: now, fence: fence)
    }
    func dueRelays(now: Double, limit: Int) async throws -> [RelayEntry] { try await store.dueRelays(now: now, limit: limit) }
    func highestInFlightNonce() async throws -> UInt64? { try await store.highestInFlightNonce() }
    func inFlightRelays() async throws -> [RelayEntry] { try await store.inFlightRelays() }
    func nextRelayDue() async throws -> Double? { try await store.nextRelayDue() }
    func relayBacklog() async throws -> (count: Int, oldestQueuedAt: Double?) { try await store.relayBacklog() }
    func recordInFlight(jobID: Bytes32, transaction: InFlightTransaction) async throws {
        try await store.recordInFlight(jobID: jobID, transaction: transaction, fence: fence)
    }
    func completeRelay(jobID: Bytes32, txHash: Bytes32) async throws {
        try await store.completeRelay(jobID: jobID, txHash: txHash, fence: fence)
    }
    func failRelay(jobID: Bytes32, error: String, nextAttemptAt: Double, maxRetries: UInt32, keepInFlight: Bool)
        async throws -> RelayEntry?
    {
        try await store.failRelay(jobID: jobID, error: error, nextAttemptAt: nextAttemptAt, maxRetries: maxRetries,
                                  keepInFlight: keepInFlight, fence: fence)
    }
    func chainValue(_ key: String) async throws -> UInt64? { try await store.chainValue(key) }
    func setChainValue(_ key: String, _ value: UInt64) async throws {
        try await store.setChainValue(key, value, fence: fence)
    }
    func recordEvents(_ events: [ChainEvent], checkpoint key: String, next: UInt64) async throws {
        try await store.recordEvents(events, checkpoint: key, next: next, fence: fence)
    }
    func recordedEvent(chainID: UInt64, transactionHash: Bytes32, logIndex: UInt64) async throws -> Bytes32? {
        try await store.recordedEvent(chainID: chainID, transactionHash: transactionHash, logIndex: logIndex)
    }
}
