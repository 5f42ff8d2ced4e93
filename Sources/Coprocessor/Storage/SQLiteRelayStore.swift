import CoprocessorWire
import Ethereum
import Foundation
import GRDB

extension SQLiteJobStore: RelayStore {
    public func queueUnrelayedJobs(strategy: RelayStrategy, now: Double) async throws -> Int {
        try await batcherWrite { db in
            // A job relaying gave up on stays DONE with its failure_reason set: not queued again.
            try db.execute(sql: """
                INSERT OR IGNORE INTO relay_queue (job_id, consumer, nonce, strategy, attempts, next_attempt_at, created_at)
                SELECT id, consumer, nonce, MAX(?, relay_strategy), 0, ?, ? FROM jobs WHERE status = ? AND failure_reason IS NULL
                """, arguments: [strategy.rawValue, now, now, JobStatusType.done.rawValue])
            return db.changesCount
        }
    }

    public func dueRelays(now: Double, limit: Int) async throws -> [RelayEntry] {
        try await pool.read { db in
            // An ordered entry waits for every earlier job of its consumer: queued for relay, or
            // not even executed yet.
            try Row.fetchAll(db, sql: """
                SELECT * FROM relay_queue r WHERE next_attempt_at <= ?
                  AND (strategy = ? OR (
                      NOT EXISTS (SELECT 1 FROM relay_queue o WHERE o.consumer = r.consumer AND o.nonce < r.nonce)
                      AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.consumer = r.consumer AND j.\(Self.isPending)
                                      AND j.nonce < r.nonce)))
                ORDER BY created_at LIMIT ?
                """, arguments: [now, RelayStrategy.unordered.rawValue, limit])
                .map(Self.relayEntry(from:))
        }
    }

    public func inFlightRelays() async throws -> [RelayEntry] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM relay_queue WHERE tx_hash IS NOT NULL ORDER BY tx_nonce")
                .map(Self.relayEntry(from:))
        }
    }

    public func highestInFlightNonce() async throws -> UInt64? {
        try await pool.read { db in
            try Int64.fetchOne(db, sql: "SELECT MAX(tx_nonce) FROM relay_queue WHERE tx_hash IS NOT NULL")
                .map { UInt64(bitPattern: $0) }
        }
    }

    public func nextRelayDue() async throws -> Double? {
        try await pool.read { db in try Double.fetchOne(db, sql: "SELECT MIN(next_attempt_at) FROM relay_queue") }
    }

    public func relayBacklog() async throws -> (count: Int, oldestQueuedAt: Double?) {
        try await pool.read { db in
            let row = try Row.fetchOne(db, sql: "SELECT COUNT(*), MIN(created_at) FROM relay_queue")
            return (row?[0] ?? 0, row?[1])
        }
    }

    public func recordInFlight(jobID: Bytes32, transaction: InFlightTransaction) async throws {
        try await batcherWrite { db in
            try db.execute(sql: "UPDATE relay_queue SET tx_nonce = ?, raw_tx = ?, tx_hash = ? WHERE job_id = ?",
                           arguments: [Int64(bitPattern: transaction.nonce), Data(transaction.raw),
                                       Data(transaction.hash.bytes), Data(jobID.bytes)])
        }
    }

    public func completeRelay(jobID: Bytes32, txHash: Bytes32) async throws {
        try await batcherWrite { db in
            try db.execute(sql: "UPDATE jobs SET status = ?, relay_tx_hash = ?, updated_at = ? WHERE id = ? AND status = ?",
                           arguments: [JobStatusType.relayed.rawValue, Data(txHash.bytes), Date().timeIntervalSince1970,
                                       Data(jobID.bytes), JobStatusType.done.rawValue])
            try db.execute(sql: "DELETE FROM relay_queue WHERE job_id = ?", arguments: [Data(jobID.bytes)])
        }
        cache.update(jobID) { job in
            guard job.status == .done else { return }
            job.status = .relayed
            job.relayTxHash = txHash.bytes
        }
    }

    public func failRelay(jobID: Bytes32, error: String, nextAttemptAt: Double, maxRetries: UInt32,
                          keepInFlight: Bool) async throws -> RelayEntry?
    {
        let (entry, attempts, reason) = try await batcherWrite { db -> (RelayEntry?, UInt32?, String?) in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM relay_queue WHERE job_id = ?",
                                             arguments: [Data(jobID.bytes)]) else { return (nil, nil, nil) }
            var entry = try Self.relayEntry(from: row)
            entry.attempts += 1
            entry.lastError = error
            if !keepInFlight { entry.inFlight = nil }
            let now = Date().timeIntervalSince1970
            if entry.attempts > maxRetries {
                let reason = "relaying gave up after \(entry.attempts) attempts: \(error)"
                try db.execute(sql: "UPDATE jobs SET retries = ?, failure_reason = ?, updated_at = ? WHERE id = ?",
                               arguments: [Int64(entry.attempts), reason, now, Data(jobID.bytes)])
                try db.execute(sql: "DELETE FROM relay_queue WHERE job_id = ?", arguments: [Data(jobID.bytes)])
                return (nil, entry.attempts, reason)
            }
            entry.nextAttemptAt = nextAttemptAt
            try db.execute(sql: "UPDATE jobs SET retries = ?, updated_at = ? WHERE id = ?",
                           arguments: [Int64(entry.attempts), now, Data(jobID.bytes)])
            try db.execute(sql: "UPDATE relay_queue SET attempts = ?, last_error = ?, next_attempt_at = ? WHERE job_id = ?",
                           arguments: [Int64(entry.attempts), error, nextAttemptAt, Data(jobID.bytes)])
            if !keepInFlight {
                try db.execute(sql: "UPDATE relay_queue SET tx_nonce = NULL, raw_tx = NULL, tx_hash = NULL WHERE job_id = ?",
                               arguments: [Data(jobID.bytes)])
            }
            return (entry, entry.attempts, nil)
        }
        if let attempts {
            cache.update(jobID) { job in
                job.retries = attempts
                if let reason { job.failureReason = reason }
            }
        }
        return entry
    }

    public func chainValue(_ key: String) async throws -> UInt64? {
        try await pool.read { db in
            try Int64.fetchOne(db, sql: "SELECT value FROM chain_state WHERE key = ?", arguments: [key])
                .map { UInt64(bitPattern: $0) }
        }
    }

    public func setChainValue(_ key: String, _ value: UInt64) async throws {
        try await batcherWrite { db in
            try db.execute(sql: "INSERT INTO chain_state (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                           arguments: [key, Int64(bitPattern: value)])
        }
    }

    public func recordEvents(_ events: [ChainEvent], checkpoint key: String, next: UInt64) async throws {
        try await batcherWrite { db in
            let insert = try db.cachedStatement(sql: """
                INSERT OR IGNORE INTO chain_events (chain_id, tx_hash, log_index, block_number, job_id) VALUES (?, ?, ?, ?, ?)
                """)
            for e in events {
                try insert.execute(arguments: [Int64(bitPattern: e.chainID), Data(e.transactionHash.bytes),
                                               Int64(bitPattern: e.logIndex), Int64(bitPattern: e.blockNumber),
                                               Data(e.jobID.bytes)])
            }
            try db.execute(sql: "INSERT INTO chain_state (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                           arguments: [key, Int64(bitPattern: next)])
        }
    }

    public func recordedEvent(chainID: UInt64, transactionHash: Bytes32, logIndex: UInt64) async throws -> Bytes32? {
        try await pool.read { db in
            try Data.fetchOne(db, sql: "SELECT job_id FROM chain_events WHERE chain_id = ? AND tx_hash = ? AND log_index = ?",
                              arguments: [Int64(bitPattern: chainID), Data(transactionHash.bytes), Int64(bitPattern: logIndex)])
        }.map { try Bytes32([UInt8]($0)) }
    }

    static func relayEntry(from row: Row) throws -> RelayEntry {
        let inFlight: InFlightTransaction? = try (row["tx_hash"] as Data?).map { hash in
            InFlightTransaction(nonce: UInt64(bitPattern: row["tx_nonce"]), raw: [UInt8]((row["raw_tx"] as Data?) ?? Data()),
                                hash: try Bytes32([UInt8](hash)))
        }
        return RelayEntry(jobID: try Bytes32([UInt8](row["job_id"] as Data)),
                          consumer: try Address(bytes: [UInt8](row["consumer"] as Data)),
                          nonce: UInt64(bitPattern: row["nonce"]),
                          strategy: RelayStrategy(rawValue: row["strategy"]) ?? .unordered,
                          attempts: UInt32(truncatingIfNeeded: row["attempts"] as Int64),
                          nextAttemptAt: row["next_attempt_at"], lastError: row["last_error"], inFlight: inFlight)
    }
}
