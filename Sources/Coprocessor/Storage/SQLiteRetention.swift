import CoprocessorWire
import Ethereum
import Foundation
import GRDB

extension SQLiteJobStore {
    /// Jobs looked at per read and deleted per group commit, so that pruning a large backlog never
    /// holds the writer for long.
    static let pruneBatch = 500

    public func pruneFinishedJobs(changedBefore cutoff: Double, keepUnrelayed: Bool) async throws -> Int {
        // Oldest rows first, by rowid (insertion order), without an index of our own: the scan
        // stops at the first job created after the cutoff, which cannot have finished before it.
        // Jobs it skips (still PENDING, queued for relay, changed later) are looked at again next
        // time, so each run reads what it deletes plus those few.
        let prunable = """
            (status IN (\(JobStatusType.failed.rawValue), \(JobStatusType.relayed.rawValue))
             OR (status = \(JobStatusType.done.rawValue) AND (failure_reason IS NOT NULL OR ?3 = 0)))
            """
        var after: Int64 = 0
        var deleted = 0
        while true {
            // Sendable values out of the read, so the asynchronous `read` runs it off this thread.
            let rows: [(rowid: Int64, id: [UInt8], createdAt: Double)] = try await pool.read { [after] db in
                try Row.fetchAll(db, sql: "SELECT rowid, id, created_at FROM jobs WHERE rowid > ? ORDER BY rowid LIMIT ?",
                                 arguments: [after, Self.pruneBatch])
                    .map { ($0["rowid"], [UInt8]($0["id"] as Data), $0["created_at"]) }
            }
            let old = rows.prefix { $0.createdAt < cutoff }
            if !old.isEmpty {
                let ids = old.map(\.id)
                let gone: [[UInt8]] = try await batcherWrite { db in
                    let delete = try db.cachedStatement(sql: """
                        DELETE FROM jobs WHERE id = ?1 AND updated_at < ?2 AND \(prunable)
                          AND NOT EXISTS (SELECT 1 FROM relay_queue WHERE job_id = ?1)
                        """)
                    let remember = try db.cachedStatement(sql: "INSERT OR IGNORE INTO pruned_jobs (id, pruned_at) VALUES (?, ?)")
                    let now = Date().timeIntervalSince1970
                    var gone: [[UInt8]] = []
                    for id in ids {
                        try delete.execute(arguments: [Data(id), cutoff, keepUnrelayed ? 1 : 0])
                        guard db.changesCount > 0 else { continue }
                        try remember.execute(arguments: [Data(id), now])
                        gone.append(id)
                    }
                    return gone
                }
                for id in gone { if let key = try? Bytes32(id) { cache.remove(key) } }
                deleted += gone.count
            }
            guard old.count == rows.count, rows.count == Self.pruneBatch, let last = rows.last else { return deleted }
            after = last.rowid
        }
    }

    public func wasPruned(id: Bytes32) async throws -> Bool {
        try await pool.read { db in
            try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM pruned_jobs WHERE id = ?)", arguments: [Data(id.bytes)])
                ?? false
        }
    }

    public func pruneUnusedPrograms(unusedBefore cutoff: Double, uses: [[UInt8]: Double]) async throws -> [[UInt8]] {
        try await batcherWrite { db in
            let touch = try db.cachedStatement(sql: """
                UPDATE programs SET last_used_at = MAX(COALESCE(last_used_at, 0), ?) WHERE id = ?
                """)
            for (id, time) in uses { try touch.execute(arguments: [time, Data(id)]) }
            // PENDING jobs are found through their partial index (a handful of rows), never by a
            // scan of every job.
            let unused = try Data.fetchAll(db, sql: """
                SELECT id FROM programs WHERE COALESCE(last_used_at, created_at) < ?
                  AND id NOT IN (SELECT program_id FROM jobs INDEXED BY jobs_pending WHERE \(Self.isPending))
                """, arguments: [cutoff])
            let delete = try db.cachedStatement(sql: "DELETE FROM programs WHERE id = ?")
            for id in unused { try delete.execute(arguments: [id]) }
            return unused.map { [UInt8]($0) }
        }
    }
}
