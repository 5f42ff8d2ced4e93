import Coprocessor
import CoprocessorWire
import Ethereum
import Foundation
import Logging
import Metrics
import NIOCore
import PostgresNIO

/// The store on PostgreSQL, for several nodes on one database (`--database-url`). The same
/// protocols as the embedded SQLite store (`JobStore`, `RelayStore`, `NodeDatabase`), plus what
/// only a shared database needs: job leases (`JobLeases`) and singleton leases
/// (`SingletonLeases`). Every write is one statement or one transaction, committed before the
/// call returns.
public final class PostgresStore: NodeDatabase, JobLeases, SingletonLeases, StoreSignals, @unchecked Sendable {
    // @unchecked: every stored property is immutable and Sendable except the client's run task,
    // which only `close()` touches.
    public struct Settings: Sendable {
        /// This node's name in the `holder` columns (unique per process).
        public var holder: String
        /// How long a job's or a singleton's lease lasts without renewal.
        public var leaseDuration: Duration
        /// Connections in the pool.
        public var maximumConnections: Int

        public init(holder: String = PostgresStore.newHolderName(), leaseDuration: Duration = .seconds(10),
                    maximumConnections: Int = 16) {
            self.holder = holder
            self.leaseDuration = leaseDuration
            self.maximumConnections = maximumConnections
        }
    }

    let client: PostgresClient
    let url: PostgresURL
    public let settings: Settings
    let logger: Logger
    private let runner: Task<Void, Never>
    private let listener: PostgresListener
    /// A re-run of a job produced other bytes than the stored result (see `finishJob`).
    let nondeterminism = Counter(label: "coprocessor_nondeterminism_alarms_total")

    public var holder: String { settings.holder }
    public var leaseDuration: Duration { settings.leaseDuration }
    var leaseSeconds: Double { settings.leaseDuration.seconds }
    public var location: String { url.description }

    /// Connects, and migrates the schema unless `migrate` is false (then it must be current).
    public init(url: PostgresURL, settings: Settings = Settings(), migrate: Bool = true,
                logger: Logger = Logger(label: "coprocessor.postgres")) async throws {
        self.url = url
        self.settings = settings
        self.logger = logger
        let client = PostgresClient(configuration: try url.clientConfiguration(maximumConnections: settings.maximumConnections),
                                    backgroundLogger: logger)
        self.client = client
        runner = Task { await client.run() }
        listener = PostgresListener(url: url, logger: logger)
        do {
            if migrate {
                let applied = try await PostgresMigrations.migrate(client, logger: logger)
                if !applied.isEmpty { logger.info("database migrated", metadata: ["versions": "\(applied)"]) }
            } else {
                let current = try await Self.schemaVersion(client, logger: logger)
                let latest = PostgresMigrations.all.last?.version ?? 0
                guard current == latest else {
                    throw StorageSchemaError(description: "the database is at schema version \(current), this node "
                        + "needs \(latest): run `coprocessor-node migrate`")
                }
            }
        } catch {
            await listener.stop()
            runner.cancel()
            await runner.value
            throw error
        }
    }

    /// Applies the missing migrations and returns the versions applied (`coprocessor-node migrate`).
    public static func migrate(url: PostgresURL, logger: Logger) async throws -> (applied: [Int], version: Int) {
        let client = PostgresClient(configuration: try url.clientConfiguration(maximumConnections: 2), backgroundLogger: logger)
        let runner = Task { await client.run() }
        defer { runner.cancel() }
        let applied = try await PostgresMigrations.migrate(client, logger: logger)
        return (applied, try await schemaVersion(client, logger: logger))
    }

    static func schemaVersion(_ client: PostgresClient, logger: Logger) async throws -> Int {
        let exists = try await client.query("SELECT to_regclass('schema_migrations') IS NOT NULL", logger: logger)
            .decode(Bool.self).first { _ in true } ?? false
        guard exists else { return 0 }
        return try await client.query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", logger: logger)
            .decode(Int.self).first { _ in true } ?? 0
    }

    /// A fresh holder name: host, process and a random suffix.
    public static func newHolderName() -> String {
        "\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)-"
            + String(UInt32.random(in: 0...UInt32.max), radix: 36)
    }

    public func onSignal(_ signal: StoreSignal, _ handler: @escaping @Sendable () -> Void) { listener.onSignal(signal, handler) }

    public func close() async {
        await listener.stop()
        runner.cancel()
        await runner.value
    }

    // MARK: queries

    /// Runs a query and collects its rows.
    @discardableResult
    func rows(_ query: PostgresQuery) async throws -> [PostgresRow] {
        try await client.query(query, logger: logger).collect()
    }

    func count(_ query: PostgresQuery) async throws -> Int {
        try await rows(query).count
    }

    // MARK: NodeDatabase

    public func checkWritable() async throws {
        let token = Int64.random(in: 1...Int64.max)
        let back = try await client.query("""
            INSERT INTO readiness_probe (holder, token, written_at) VALUES (\(holder), \(token), now())
            ON CONFLICT (holder) DO UPDATE SET token = excluded.token, written_at = excluded.written_at RETURNING token
            """, logger: logger).decode(Int64.self).first { _ in true }
        guard back == token else {
            throw StorageError("wrote token \(token) but read back \(back.map(String.init) ?? "nothing")")
        }
    }

    // MARK: programs

    public func insertProgram(_ program: StoredProgram) async throws -> Bool {
        try await count("""
            INSERT INTO programs (id, elf, vm_type, created_at)
            VALUES (\(ByteBuffer(bytes: program.id)), \(ByteBuffer(bytes: program.elf)), \(program.vmType.rawValue),
                    \(Date().timeIntervalSince1970))
            ON CONFLICT (id) DO NOTHING RETURNING 1
            """) > 0
    }

    public func program(id: [UInt8]) async throws -> StoredProgram? {
        guard let row = try await rows("SELECT elf, vm_type FROM programs WHERE id = \(ByteBuffer(bytes: id))").first else {
            return nil
        }
        let (elf, vmType) = try row.decode((ByteBuffer, Int32).self)
        return StoredProgram(id: id, elf: Array(elf.readableBytesView), vmType: VmType(rawValue: vmType))
    }

    public func containsProgram(id: [UInt8]) async throws -> Bool {
        try await count("SELECT 1 FROM programs WHERE id = \(ByteBuffer(bytes: id))") > 0
    }

    // MARK: jobs

    /// Stores the job held by this node (its lease starts now), so that the node that took it
    /// runs it and any other node rescues it if this one dies. The unique key makes a second
    /// insert of the same ID, from any node, a no-op that returns false.
    public func insertJob(_ job: Job) async throws -> Bool {
        try await count(try PostgresJobRows.insert(job, holder: holder, leaseSeconds: leaseSeconds)) > 0
    }

    /// Stores the job held by no node, claimable at once by any (attempt 0: the claim makes it
    /// 1), and signals `jobsAvailable` when the insert commits.
    public func insertSharedJob(_ job: Job) async throws -> Bool {
        var shared = job
        shared.attempt = 0
        return try await count(try PostgresJobRows.insert(shared, holder: nil, leaseSeconds: 0)) > 0
    }

    public func job(id: Bytes32) async throws -> Job? {
        try await rows(PostgresQuery(unsafeSQL: "SELECT \(PostgresJobRows.selectList) FROM jobs WHERE id = $1",
                                     binds: Self.binds(ByteBuffer(bytes: id.bytes))))
            .first.map(PostgresJobRows.decode)
    }

    public func finishJob(id: Bytes32, attempt: UInt32, outcome: JobOutcome, relay: RelayStrategy?,
                          completion: @escaping @Sendable (Error?) -> Void) {
        Task {
            do {
                try await self.finish(id: id, attempt: attempt, outcome: outcome, relay: relay)
                completion(nil)
            } catch {
                completion(error)
            }
        }
    }

    /// The outcome, stored only while `attempt` is the job's current attempt and it is PENDING
    /// (one statement: the job's row and its relay queue entry together). Otherwise another
    /// node's run finished or took it over: nothing changes, and since execution and signing are
    /// deterministic, a DONE result that differs from the stored one raises the non-determinism
    /// alarm.
    func finish(id: Bytes32, attempt: UInt32, outcome: JobOutcome, relay: RelayStrategy?) async throws {
        let now = Date().timeIntervalSince1970
        let key = ByteBuffer(bytes: id.bytes)
        let changed: Int
        switch outcome {
        case .done(let result, let signature):
            changed = try await count("""
                WITH finished AS (
                    UPDATE jobs SET status = \(Int32(JobStatusType.done.rawValue)), result_with_metadata = \(ByteBuffer(bytes: result)),
                        operator_signature = \(ByteBuffer(bytes: signature)), failure_reason = NULL, updated_at = \(now),
                        holder = NULL, lease_expires_at = NULL
                    WHERE id = \(key) AND status = \(Int32(JobStatusType.pending.rawValue)) AND attempt = \(Int32(bitPattern: attempt))
                    RETURNING id, consumer, nonce, relay_strategy),
                queued AS (
                    INSERT INTO relay_queue (job_id, consumer, nonce, strategy, attempts, next_attempt_at, created_at)
                    SELECT id, consumer, nonce, GREATEST(\(Int32(relay?.rawValue ?? 0)), relay_strategy), 0, \(now), \(now)
                    FROM finished WHERE \(relay != nil)
                    ON CONFLICT (job_id) DO NOTHING)
                SELECT CASE WHEN \(relay != nil) THEN pg_notify(\(StoreSignal.relayQueued.channel), '') END FROM finished
                """)
        case .failed(let reason):
            changed = try await count("""
                UPDATE jobs SET status = \(Int32(JobStatusType.failed.rawValue)), failure_reason = \(reason), updated_at = \(now),
                    holder = NULL, lease_expires_at = NULL
                WHERE id = \(key) AND status = \(Int32(JobStatusType.pending.rawValue)) AND attempt = \(Int32(bitPattern: attempt))
                RETURNING 1
                """)
        }
        guard changed == 0, let stored = try await job(id: id) else { return }
        if case .done(let result, let signature) = outcome, stored.status == .done || stored.status == .relayed,
           stored.resultWithMetadata != result || stored.operatorSignature != signature {
            nondeterminism.increment()
            logger.critical("non-determinism alarm: a re-run of a job produced a different signed result", metadata: [
                "job_id": "\(id)", "attempt": "\(attempt)", "stored_attempt": "\(stored.attempt)",
                "stored_result": "\(Hex.encode(stored.resultWithMetadata))", "rerun_result": "\(Hex.encode(result))",
            ])
        } else {
            logger.info("outcome of a superseded attempt not stored", metadata: [
                "job_id": "\(id)", "attempt": "\(attempt)", "current_attempt": "\(stored.attempt)", "status": "\(stored.status)",
            ])
        }
    }

    public func pendingJobs() async throws -> [Job] {
        try await rows(PostgresQuery(unsafeSQL: """
            SELECT \(PostgresJobRows.selectList) FROM jobs WHERE status = \(JobStatusType.pending.rawValue) ORDER BY created_at
            """)).map(PostgresJobRows.decode)
    }

    public func pendingNonces(consumer: Address) async throws -> [UInt64] {
        var nonces: [UInt64] = []
        for try await nonce in try await client.query("""
            SELECT nonce FROM jobs WHERE consumer = \(ByteBuffer(bytes: consumer.bytes)) AND status = \(Int32(JobStatusType.pending.rawValue))
            ORDER BY nonce
            """, logger: logger).decode(Int64.self) { nonces.append(UInt64(bitPattern: nonce)) }
        return nonces.sorted()
    }

    static func binds(_ values: ByteBuffer...) -> PostgresBindings {
        var binds = PostgresBindings(capacity: values.count)
        for value in values { binds.append(value) }
        return binds
    }
}
