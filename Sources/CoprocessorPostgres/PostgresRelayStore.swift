import Coprocessor
import CoprocessorWire
import Ethereum
import Foundation
import Logging
import NIOCore
import PostgresNIO

/// The relay queue and chain state on PostgreSQL. The writes take an optional fence: the
/// singleton the writer must still hold (`PostgresStore.fenced(by:epoch:)`); the protocol's
/// own methods write unfenced, as a single node does.
extension PostgresStore: RelayStore {
    static let done = Int32(JobStatusType.done.rawValue)
    static let pending = Int32(JobStatusType.pending.rawValue)

    public func queueUnrelayedJobs(strategy: RelayStrategy, now: Double) async throws -> Int {
        try await queueUnrelayedJobs(strategy: strategy, now: now, fence: nil)
    }

    func queueUnrelayedJobs(strategy: RelayStrategy, now: Double, fence: Fence?) async throws -> Int {
        try await write(fence: fence) { connection, logger in
            try await connection.query("""
                INSERT INTO relay_queue (job_id, consumer, nonce, strategy, attempts, next_attempt_at, created_at)
                SELECT id, consumer, nonce, GREATEST(\(Int32(strategy.rawValue)), relay_strategy), 0, \(now), \(now)
                FROM jobs WHERE status = \(Self.done) AND failure_reason IS NULL
                ON CONFLICT (job_id) DO NOTHING RETURNING 1
                """, logger: logger).collect().count
        }
    }

    public func dueRelays(now: Double, limit: Int) async throws -> [RelayEntry] {
        try await rows("""
            SELECT job_id, consumer, nonce, strategy, attempts, next_attempt_at, last_error, tx_nonce, raw_tx, tx_hash
            FROM relay_queue r WHERE next_attempt_at <= \(now)
              AND (strategy = \(Int32(RelayStrategy.unordered.rawValue)) OR (
                  NOT EXISTS (SELECT 1 FROM relay_queue o WHERE o.consumer = r.consumer AND o.nonce < r.nonce)
                  AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.consumer = r.consumer AND j.status = \(Self.pending)
                                  AND j.nonce < r.nonce)))
            ORDER BY created_at LIMIT \(Int64(limit))
            """).map(Self.relayEntry)
    }

    public func inFlightRelays() async throws -> [RelayEntry] {
        try await rows("""
            SELECT job_id, consumer, nonce, strategy, attempts, next_attempt_at, last_error, tx_nonce, raw_tx, tx_hash
            FROM relay_queue WHERE tx_hash IS NOT NULL ORDER BY tx_nonce
            """).map(Self.relayEntry)
    }

    public func highestInFlightNonce() async throws -> UInt64? {
        try await rows("SELECT MAX(tx_nonce) FROM relay_queue WHERE tx_hash IS NOT NULL").first.map { try $0.decode(Int64?.self) }.flatMap { $0 }.map { UInt64(bitPattern: $0) }
    }

    public func nextRelayDue() async throws -> Double? {
        try await rows("SELECT MIN(next_attempt_at) FROM relay_queue").first.map { try $0.decode(Double?.self) }.flatMap { $0 }
    }

    public func relayBacklog() async throws -> (count: Int, oldestQueuedAt: Double?) {
        let row = try await rows("SELECT COUNT(*), MIN(created_at) FROM relay_queue").first.map { try $0.decode((Int64, Double?).self) }
        return (Int(row?.0 ?? 0), row?.1)
    }

    public func recordInFlight(jobID: Bytes32, transaction: InFlightTransaction) async throws {
        try await recordInFlight(jobID: jobID, transaction: transaction, fence: nil)
    }

    func recordInFlight(jobID: Bytes32, transaction: InFlightTransaction, fence: Fence?) async throws {
        try await write(fence: fence) { connection, logger in
            try await connection.query("""
                UPDATE relay_queue SET tx_nonce = \(Int64(bitPattern: transaction.nonce)), raw_tx = \(ByteBuffer(bytes: transaction.raw)),
                    tx_hash = \(ByteBuffer(bytes: transaction.hash.bytes))
                WHERE job_id = \(ByteBuffer(bytes: jobID.bytes))
                """, logger: logger)
        }
    }

    public func completeRelay(jobID: Bytes32, txHash: Bytes32) async throws {
        try await completeRelay(jobID: jobID, txHash: txHash, fence: nil)
    }

    func completeRelay(jobID: Bytes32, txHash: Bytes32, fence: Fence?) async throws {
        recent.forget(jobID)
        try await write(fence: fence) { connection, logger in
            let id = ByteBuffer(bytes: jobID.bytes)
            try await connection.query("""
                UPDATE jobs SET status = \(Int32(JobStatusType.relayed.rawValue)), relay_tx_hash = \(ByteBuffer(bytes: txHash.bytes)),
                    updated_at = \(Date().timeIntervalSince1970)
                WHERE id = \(id) AND status = \(Self.done)
                """, logger: logger)
            try await connection.query("DELETE FROM relay_queue WHERE job_id = \(id)", logger: logger)
        }
    }

    public func failRelay(jobID: Bytes32, error: String, nextAttemptAt: Double, maxRetries: UInt32,
                          keepInFlight: Bool) async throws -> RelayEntry?
    {
        try await failRelay(jobID: jobID, error: error, nextAttemptAt: nextAttemptAt, maxRetries: maxRetries,
                            keepInFlight: keepInFlight, fence: nil)
    }

    func failRelay(jobID: Bytes32, error: String, nextAttemptAt: Double, maxRetries: UInt32, keepInFlight: Bool,
                   fence: Fence?) async throws -> RelayEntry?
    {
        recent.forget(jobID)
        return try await write(fence: fence) { connection, logger -> RelayEntry? in
            let id = ByteBuffer(bytes: jobID.bytes)
            guard let row = try await connection.query("""
                SELECT job_id, consumer, nonce, strategy, attempts, next_attempt_at, last_error, tx_nonce, raw_tx, tx_hash
                FROM relay_queue WHERE job_id = \(id) FOR UPDATE
                """, logger: logger).collect().first else { return nil }
            var entry = try Self.relayEntry(row)
            entry.attempts += 1
            entry.lastError = error
            if !keepInFlight { entry.inFlight = nil }
            let now = Date().timeIntervalSince1970
            let attempts = Int32(bitPattern: entry.attempts)
            if entry.attempts > maxRetries {
                let reason = "relaying gave up after \(entry.attempts) attempts: \(error)"
                try await connection.query("""
                    UPDATE jobs SET retries = \(attempts), failure_reason = \(reason), updated_at = \(now) WHERE id = \(id)
                    """, logger: logger)
                try await connection.query("DELETE FROM relay_queue WHERE job_id = \(id)", logger: logger)
                return nil
            }
            entry.nextAttemptAt = nextAttemptAt
            try await connection.query("UPDATE jobs SET retries = \(attempts), updated_at = \(now) WHERE id = \(id)", logger: logger)
            try await connection.query("""
                UPDATE relay_queue SET attempts = \(attempts), last_error = \(error), next_attempt_at = \(nextAttemptAt)
                WHERE job_id = \(id)
                """, logger: logger)
            if !keepInFlight {
                try await connection.query("""
                    UPDATE relay_queue SET tx_nonce = NULL, raw_tx = NULL, tx_hash = NULL WHERE job_id = \(id)
                    """, logger: logger)
            }
            return entry
        }
    }

    public func chainValue(_ key: String) async throws -> UInt64? {
        try await rows("SELECT value FROM chain_state WHERE key = \(key)").first.map { try $0.decode(Int64.self) }.map { UInt64(bitPattern: $0) }
    }

    public func setChainValue(_ key: String, _ value: UInt64) async throws {
        try await setChainValue(key, value, fence: nil)
    }

    func setChainValue(_ key: String, _ value: UInt64, fence: Fence?) async throws {
        try await write(fence: fence) { connection, logger in
            try await connection.query("""
                INSERT INTO chain_state (key, value) VALUES (\(key), \(Int64(bitPattern: value)))
                ON CONFLICT (key) DO UPDATE SET value = excluded.value
                """, logger: logger)
        }
    }

    public func recordEvents(_ events: [ChainEvent], checkpoint key: String, next: UInt64) async throws {
        try await recordEvents(events, checkpoint: key, next: next, fence: nil)
    }

    func recordEvents(_ events: [ChainEvent], checkpoint key: String, next: UInt64, fence: Fence?) async throws {
        try await write(fence: fence) { connection, logger in
            for e in events {
                try await connection.query("""
                    INSERT INTO chain_events (chain_id, tx_hash, log_index, block_number, job_id)
                    VALUES (\(Int64(bitPattern: e.chainID)), \(ByteBuffer(bytes: e.transactionHash.bytes)),
                            \(Int64(bitPattern: e.logIndex)), \(Int64(bitPattern: e.blockNumber)), \(ByteBuffer(bytes: e.jobID.bytes)))
                    ON CONFLICT DO NOTHING
                    """, logger: logger)
            }
            try await connection.query("""
                INSERT INTO chain_state (key, value) VALUES (\(key), \(Int64(bitPattern: next)))
                ON CONFLICT (key) DO UPDATE SET value = excluded.value
                """, logger: logger)
        }
    }

    public func recordedEvent(chainID: UInt64, transactionHash: Bytes32, logIndex: UInt64) async throws -> Bytes32? {
        try await rows("""
            SELECT job_id FROM chain_events WHERE chain_id = \(Int64(bitPattern: chainID))
              AND tx_hash = \(ByteBuffer(bytes: transactionHash.bytes)) AND log_index = \(Int64(bitPattern: logIndex))
            """).first.map { try $0.decode(ByteBuffer.self) }.map { try Bytes32(Array($0.readableBytesView)) }
    }

    static func relayEntry(_ row: PostgresRow) throws -> RelayEntry {
        let (jobID, consumer, nonce, strategy, attempts, nextAttemptAt, lastError, txNonce, rawTx, txHash) =
            try row.decode((ByteBuffer, ByteBuffer, Int64, Int32, Int32, Double, String?, Int64?, ByteBuffer?, ByteBuffer?).self)
        let inFlight: InFlightTransaction? = try txHash.map { hash in
            InFlightTransaction(nonce: UInt64(bitPattern: txNonce ?? 0), raw: rawTx.map { Array($0.readableBytesView) } ?? [],
                                hash: try Bytes32(Array(hash.readableBytesView)))
        }
        return RelayEntry(jobID: try Bytes32(Array(jobID.readableBytesView)),
                          consumer: try Address(bytes: Array(consumer.readableBytesView)),
                          nonce: UInt64(bitPattern: nonce), strategy: RelayStrategy(rawValue: Int(strategy)) ?? .unordered,
                          attempts: UInt32(bitPattern: attempts), nextAttemptAt: nextAttemptAt, lastError: lastError,
                          inFlight: inFlight)
    }
}

/// Retention on PostgreSQL (`RetentionPolicy`): the same rules as SQLite's, in batches.
extension PostgresStore {
    static let pruneBatch = 500

    public func pruneFinishedJobs(changedBefore cutoff: Double, keepUnrelayed: Bool) async throws -> Int {
        var deleted = 0
        while true {
            let now = Date().timeIntervalSince1970
            let gone = try await rows("""
                WITH old AS (
                    SELECT id FROM jobs
                    WHERE created_at < \(cutoff) AND updated_at < \(cutoff)
                      AND (status IN (\(Int32(JobStatusType.failed.rawValue)), \(Int32(JobStatusType.relayed.rawValue)))
                           OR (status = \(Self.done) AND (failure_reason IS NOT NULL OR NOT \(keepUnrelayed))))
                      AND NOT EXISTS (SELECT 1 FROM relay_queue r WHERE r.job_id = jobs.id)
                    LIMIT \(Int64(Self.pruneBatch)) FOR UPDATE SKIP LOCKED),
                gone AS (DELETE FROM jobs WHERE id IN (SELECT id FROM old) RETURNING id),
                remembered AS (INSERT INTO pruned_jobs (id, pruned_at) SELECT id, \(now) FROM gone ON CONFLICT (id) DO NOTHING)
                SELECT id FROM gone
                """).map { try $0.decode(ByteBuffer.self) }
            for id in gone { if let key = try? Bytes32(Array(id.readableBytesView)) { recent.forget(key) } }
            deleted += gone.count
            if gone.count < Self.pruneBatch { return deleted }
        }
    }

    public func wasPruned(id: Bytes32) async throws -> Bool {
        try await count("SELECT 1 FROM pruned_jobs WHERE id = \(ByteBuffer(bytes: id.bytes))") > 0
    }

    public func pruneUnusedPrograms(unusedBefore cutoff: Double, uses: [[UInt8]: Double]) async throws -> [[UInt8]] {
        try await write(fence: nil) { connection, logger in
            for (id, time) in uses {
                try await connection.query("""
                    UPDATE programs SET last_used_at = GREATEST(COALESCE(last_used_at, 0), \(time)) WHERE id = \(ByteBuffer(bytes: id))
                    """, logger: logger)
            }
            var gone: [[UInt8]] = []
            for try await id in try await connection.query("""
                DELETE FROM programs WHERE COALESCE(last_used_at, created_at) < \(cutoff)
                  AND id NOT IN (SELECT program_id FROM jobs WHERE status = \(Self.pending))
                RETURNING id
                """, logger: logger).decode(ByteBuffer.self) { gone.append(Array(id.readableBytesView)) }
            return gone
        }
    }
}
