import CoprocessorWire
import Ethereum
import Foundation
import GRDB

/// The embedded store: SQLite through GRDB, in WAL mode with `synchronous = FULL`, in a folder
/// of its own (`<dir>/coprocessor.sqlite`). Writes go through a group-commit writer thread.
public final class SQLiteJobStore: JobStore, NodeDatabase {
    let pool: DatabasePool
    private let batcher: WriteBatcher
    /// Connections of our own for point reads of single jobs (no queue hop, no transaction).
    private let readers: PointReaders
    /// Recently written jobs, so GetResult polling rarely reaches SQLite. Filled and updated only
    /// after the writes it mirrors are committed, so it never shows uncommitted state.
    let cache = JobCache(capacity: 65_536)

    /// Opens (creating if needed) the database in `directory` and migrates it.
    public init(directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var config = Configuration()
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        config.busyMode = .timeout(10)
        pool = try DatabasePool(path: (directory as NSString).appendingPathComponent("coprocessor.sqlite"),
                                configuration: config)
        try Self.migrator.migrate(pool)
        batcher = WriteBatcher(pool: pool)
        readers = PointReaders(path: pool.path)
    }

    /// Commits what is queued and stops the writer thread.
    public func close() { batcher.shutdown() }

    public var location: String { "sqlite:" + pool.path }

    /// A store released without `close()` still commits what is queued and stops its writer.
    deinit { batcher.shutdown() }

    /// A durable write through the group-commit writer.
    func batcherWrite<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await batcher.write(body)
    }

    /// Schema versions. Never edit a shipped migration; add a new one.
    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1: programs and jobs") { db in
            try db.execute(sql: """
                CREATE TABLE programs (
                    id BLOB PRIMARY KEY NOT NULL,
                    elf BLOB NOT NULL,
                    vm_type INTEGER NOT NULL,
                    created_at REAL NOT NULL
                );
                CREATE TABLE jobs (
                    id BLOB PRIMARY KEY NOT NULL,
                    nonce INTEGER NOT NULL,
                    max_cycles INTEGER NOT NULL,
                    consumer BLOB NOT NULL,
                    program_id BLOB NOT NULL,
                    onchain_input BLOB NOT NULL,
                    offchain_input_hash BLOB NOT NULL,
                    state_hash BLOB NOT NULL,
                    request_signature BLOB NOT NULL,
                    result_with_metadata BLOB NOT NULL,
                    operator_signature BLOB NOT NULL,
                    status INTEGER NOT NULL,
                    failure_reason TEXT,
                    retries INTEGER NOT NULL,
                    relay_tx_hash BLOB NOT NULL,
                    origin INTEGER NOT NULL,
                    offchain_input BLOB NOT NULL,
                    state BLOB NOT NULL,
                    request BLOB NOT NULL,
                    signer BLOB,
                    created_at REAL NOT NULL,
                    updated_at REAL NOT NULL
                );
                CREATE INDEX jobs_by_status ON jobs(status, created_at);
                CREATE INDEX jobs_by_consumer ON jobs(consumer, status, nonce);
                """)
        }
        m.registerMigration("v2: relay queue and chain state") { db in
            try db.execute(sql: """
                CREATE TABLE relay_queue (
                    job_id BLOB PRIMARY KEY NOT NULL REFERENCES jobs(id),
                    consumer BLOB NOT NULL,
                    nonce INTEGER NOT NULL,
                    strategy INTEGER NOT NULL,
                    attempts INTEGER NOT NULL,
                    next_attempt_at REAL NOT NULL,
                    last_error TEXT,
                    tx_nonce INTEGER,
                    raw_tx BLOB,
                    tx_hash BLOB,
                    created_at REAL NOT NULL
                );
                CREATE INDEX relay_queue_due ON relay_queue(next_attempt_at);
                CREATE INDEX relay_queue_by_consumer ON relay_queue(consumer, nonce);
                CREATE TABLE chain_state (
                    key TEXT PRIMARY KEY NOT NULL,
                    value INTEGER NOT NULL
                );
                """)
        }
        m.registerMigration("v3: one partial index of pending jobs") { db in
            // PENDING jobs are the only ones looked up by status (recovery at start, GetPendingJobs,
            // the ordered relay strategy); indexing just them keeps every insert and status change
            // to one index update instead of four. Queries must say `status = 1` literally for
            // SQLite to use a partial index.
            try db.execute(sql: """
                DROP INDEX jobs_by_status;
                DROP INDEX jobs_by_consumer;
                CREATE INDEX jobs_pending ON jobs(consumer, nonce) WHERE status = \(JobStatusType.pending.rawValue);
                """)
        }
        m.registerMigration("v4: retention") { db in
            // IDs of jobs deleted by retention, so that a pruned job's signed request cannot be
            // submitted again as a new job; and when each program was last used (flushed by the
            // pruner, not written per job).
            try db.execute(sql: """
                CREATE TABLE pruned_jobs (
                    id BLOB PRIMARY KEY NOT NULL,
                    pruned_at REAL NOT NULL
                ) WITHOUT ROWID;
                ALTER TABLE programs ADD COLUMN last_used_at REAL;
                """)
        }
        m.registerMigration("v5: a relay strategy per job") { db in
            // What SubmitJob's relay_strategy asked for (0 unordered, 1 ordered); jobs stored before
            // it existed asked for nothing, which is unordered.
            try db.execute(sql: "ALTER TABLE jobs ADD COLUMN relay_strategy INTEGER NOT NULL DEFAULT 0")
        }
        m.registerMigration("v6: a row the readiness probe writes") { db in
            try db.execute(sql: """
                CREATE TABLE readiness_probe (
                    id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
                    token INTEGER NOT NULL,
                    written_at REAL NOT NULL
                )
                """)
        }
        m.registerMigration("v7: consumed onchain events") { db in
            try db.execute(sql: """
                CREATE TABLE chain_events (
                    chain_id INTEGER NOT NULL,
                    tx_hash BLOB NOT NULL,
                    log_index INTEGER NOT NULL,
                    block_number INTEGER NOT NULL,
                    job_id BLOB NOT NULL,
                    PRIMARY KEY (chain_id, tx_hash, log_index)
                ) WITHOUT ROWID
                """)
        }
        return m
    }

    /// Whether the database takes a durable write now (the readiness probe): writes a fresh token
    /// into one row through the group-commit writer (so a stuck or failing writer fails it too),
    /// then reads it back on another connection. Throws with the reason otherwise.
    public func checkWritable() async throws {
        let token = Int64.random(in: 1...Int64.max)
        try await batcherWrite { db in
            try db.execute(sql: """
                INSERT INTO readiness_probe (id, token, written_at) VALUES (1, ?, ?)
                ON CONFLICT(id) DO UPDATE SET token = excluded.token, written_at = excluded.written_at
                """, arguments: [token, Date().timeIntervalSince1970])
        }
        let read = try await pool.read { db in try Int64.fetchOne(db, sql: "SELECT token FROM readiness_probe WHERE id = 1") }
        guard read == token else {
            throw ReadinessProbeError(description: "wrote token \(token) but read back \(read.map(String.init) ?? "nothing")")
        }
    }

    public struct ReadinessProbeError: Error, CustomStringConvertible {
        public let description: String
    }

    /// `status = 1`, spelled as the partial index `jobs_pending` is, so SQLite uses it.
    static let isPending = "status = \(JobStatusType.pending.rawValue)"

    // MARK: programs

    public func insertProgram(_ program: StoredProgram) async throws -> Bool {
        try await batcher.write { db in
            try db.execute(sql: "INSERT OR IGNORE INTO programs (id, elf, vm_type, created_at) VALUES (?, ?, ?, ?)",
                           arguments: [Data(program.id), Data(program.elf), program.vmType.rawValue,
                                       Date().timeIntervalSince1970])
            return db.changesCount > 0
        }
    }

    public func program(id: [UInt8]) async throws -> StoredProgram? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT elf, vm_type FROM programs WHERE id = ?", arguments: [Data(id)]).map {
                StoredProgram(id: id, elf: [UInt8]($0["elf"] as Data), vmType: VmType(rawValue: $0["vm_type"]))
            }
        }
    }

    public func containsProgram(id: [UInt8]) async throws -> Bool {
        try await pool.read { db in
            try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM programs WHERE id = ?)", arguments: [Data(id)]) ?? false
        }
    }

    // MARK: jobs

    public func insertJob(_ job: Job) async throws -> Bool {
        let inserted = try await batcher.write { db in try JobRows.insert(job, db) }
        if inserted { cache.put(job) }
        return inserted
    }

    public func job(id: Bytes32) async throws -> Job? {
        if let cached = cache.get(id) { return cached }
        return try readers.read { try JobRows.job(id: id, try $0.statement(JobRows.byIDSQL)) }
    }

    /// One node owns the file: every job has one attempt, so `attempt` is not compared.
    public func finishJob(id: Bytes32, attempt: UInt32, outcome: JobOutcome, relay: RelayStrategy?,
                          completion: @escaping @Sendable (Error?) -> Void) {
        let cache = self.cache
        batcher.writeDetached({ db in
            let now = Date().timeIntervalSince1970
            switch outcome {
            case .done(let result, let signature):
                let update = try RawStatement(db, sql: """
                    UPDATE jobs SET status = ?1, result_with_metadata = ?2, operator_signature = ?3, failure_reason = NULL,
                        updated_at = ?4 WHERE id = ?5 AND status = ?6
                    """)
                update.bind(1, Int64(JobStatusType.done.rawValue))
                update.bind(2, result)
                update.bind(3, signature)
                update.bind(4, now)
                update.bind(5, id.bytes)
                update.bind(6, Int64(JobStatusType.pending.rawValue))
                try update.execute()
                if let relay, db.changesCount > 0 { try Self.insertRelay(db, jobID: id, strategy: relay, now: now) }
            case .failed(let reason):
                let update = try RawStatement(db, sql: """
                    UPDATE jobs SET status = ?1, failure_reason = ?2, updated_at = ?3 WHERE id = ?4 AND status = ?5
                    """)
                update.bind(1, Int64(JobStatusType.failed.rawValue))
                update.bind(2, reason)
                update.bind(3, now)
                update.bind(4, id.bytes)
                update.bind(5, Int64(JobStatusType.pending.rawValue))
                try update.execute()
            }
        }, completion: { error in
            if error == nil {
                cache.update(id) { job in
                    if job.status == .pending { job.apply(outcome) }
                }
            }
            completion(error)
        })
    }

    public func pendingJobs() async throws -> [Job] {
        try await pool.read { db in
            try JobRows.pendingJobs(db)
        }
    }

    public func pendingNonces(consumer: Address) async throws -> [UInt64] {
        try await pool.read { db in
            try Int64.fetchAll(db, sql: "SELECT nonce FROM jobs WHERE consumer = ? AND \(Self.isPending)",
                               arguments: [Data(consumer.bytes)])
                .map { UInt64(bitPattern: $0) }.sorted()
        }
    }

    /// Queues a DONE job for relaying: ordered if the job asked for it or `strategy` (the node's) is
    /// ordered (`MAX`: unordered is 0, ordered 1).
    static func insertRelay(_ db: Database, jobID: Bytes32, strategy: RelayStrategy, now: Double) throws {
        try db.cachedStatement(sql: """
            INSERT OR IGNORE INTO relay_queue (job_id, consumer, nonce, strategy, attempts, next_attempt_at, created_at)
            SELECT id, consumer, nonce, MAX(?, relay_strategy), 0, ?, ? FROM jobs WHERE id = ? AND status = ?
            """).execute(arguments: [strategy.rawValue, now, now, Data(jobID.bytes), JobStatusType.done.rawValue])
    }
}
