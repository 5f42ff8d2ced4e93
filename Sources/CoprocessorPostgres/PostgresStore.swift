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
public final class PostgresStore: NodeDatabase, JobLeases, SingletonLeases, StoreSignals, Sendable {
    public struct Settings: Sendable {
        /// This node's name in the `holder` columns (unique per process).
        public var holder: String
        /// How long a job's or a singleton's lease lasts without renewal.
        public var leaseDuration: Duration
        /// Connections in the pool (besides the LISTEN connection). Few are enough: outcomes and
        /// inserts are written in batches, and on a small machine each connection is a server
        /// process competing for the same cores (4 did better than 2, 8 and 16 on 2 cores).
        public var maximumConnections: Int

        public init(holder: String = PostgresStore.newHolderName(), leaseDuration: Duration = .seconds(5),
                    maximumConnections: Int = max(4, 2 * ProcessInfo.processInfo.activeProcessorCount)) {
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
    /// Group commit of the two writes every job makes: its insert and its outcome.
    private let inserts: PostgresBatcher<Job, Bool>
    private let outcomes: PostgresBatcher<FinishBatch.Item, Bool>
    /// Jobs this node runs and has just finished, for GetResult polls.
    let recent = RecentJobs()
    /// A re-run of a job produced other bytes than the stored result (see `finishJob`).
    let nondeterminism = Counter(label: "coprocessor_nondeterminism_alarms_total")

    public var holder: String { settings.holder }
    public var leaseDuration: Duration { settings.leaseDuration }
    var leaseSeconds: Double { settings.leaseDuration.seconds }
    public var location: String { url.description }

    /// Connects, and migrates the schema unless `migrate` is false (then it must be current).
    public init(url: PostgresURL, settings: Settings = Settings(), migrate: Bool = true,
                logger: Logger = Logger(label: "coprocessor.postgres")) async throws {
        try await Self.probe(url, logger: logger)
        self.url = url
        self.settings = settings
        self.logger = logger
        let client = PostgresClient(configuration: try url.clientConfiguration(maximumConnections: settings.maximumConnections),
                                    backgroundLogger: logger)
        self.client = client
        runner = Task { await client.run() }
        listener = PostgresListener(url: url, logger: logger)
        let holder = settings.holder, leaseSeconds = settings.leaseDuration.seconds
        inserts = PostgresBatcher { jobs in try await Self.described {
            var inserted = Set<ByteBuffer>()
            for try await id in try await client.execute(PostgresJobRows.InsertHeldBatch(jobs: jobs, holder: holder,
                                                                                         leaseSeconds: leaseSeconds),
                                                         logger: logger) { inserted.insert(id) }
            // The same ID twice in one batch: the first one inserted it, the second did not.
            return jobs.map { inserted.remove(ByteBuffer(bytes: $0.id.bytes)) != nil }
        } }
        outcomes = PostgresBatcher { items in try await Self.described {
            var finished = Set<ByteBuffer>()
            for try await id in try await client.execute(FinishBatch(items: items, now: Date().timeIntervalSince1970),
                                                         logger: logger) { finished.insert(id) }
            return items.map { finished.remove(ByteBuffer(bytes: $0.id.bytes)) != nil }
        } }
        do {
            if migrate {
                let applied = try await Self.described { try await PostgresMigrations.migrate(client, logger: logger) }
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

    /// One plain connection, closed at once: the pool retries a refused connection forever, so a
    /// wrong URL, a stopped server or a bad password would otherwise stall the start in silence.
    static func probe(_ url: PostgresURL, logger: Logger) async throws {
        do {
            let connection = try await PostgresConnection.connect(configuration: try url.connectionConfiguration(), id: 0,
                                                                  logger: logger)
            try? await connection.close()
        } catch {
            throw StorageError("cannot connect to the database at \(url): \(describe(error))")
        }
    }

    /// Applies the missing migrations and returns the versions applied (`coprocessor-node migrate`).
    public static func migrate(url: PostgresURL, logger: Logger) async throws -> (applied: [Int], version: Int) {
        try await probe(url, logger: logger)
        let client = PostgresClient(configuration: try url.clientConfiguration(maximumConnections: 2), backgroundLogger: logger)
        let runner = Task { await client.run() }
        defer { runner.cancel() }
        let applied = try await described { try await PostgresMigrations.migrate(client, logger: logger) }
        return (applied, try await schemaVersion(client, logger: logger))
    }

    static func schemaVersion(_ client: PostgresClient, logger: Logger) async throws -> Int {
        try await described {
            let exists = try await client.query("SELECT to_regclass('schema_migrations') IS NOT NULL", logger: logger)
                .decode(Bool.self).first { _ in true } ?? false
            guard exists else { return 0 }
            return try await client.query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", logger: logger)
                .decode(Int.self).first { _ in true } ?? 0
        }
    }

    /// What went wrong, in full: postgres-nio's own description of its errors hides the details
    /// (the server's message, the socket error) unless asked for them this way.
    static func describe(_ error: any Error) -> String {
        guard let psql = error as? PSQLError else { return "\(error)" }
        if let server = psql.serverInfo?[.message] { return "\(psql.code): \(server)" }
        if let underlying = psql.underlying { return "\(psql.code): \(underlying)" }
        return String(reflecting: psql)
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
        try await Self.described { try await client.query(query, logger: logger).collect() }
    }

    func count(_ query: PostgresQuery) async throws -> Int {
        try await rows(query).count
    }

    /// Runs a prepared statement (prepared once per pooled connection) and counts its rows.
    func count<Statement: PostgresPreparedStatement>(_ statement: Statement) async throws -> Int {
        try await Self.described {
            var n = 0
            for try await _ in try await client.execute(statement, logger: logger) { n += 1 }
            return n
        }
    }

    /// postgres-nio's errors as `StorageError`s that say what happened (see `describe`).
    static func described<T>(_ body: () async throws -> T) async throws -> T {
        do { return try await body() } catch { throw storageError(error) }
    }

    static func storageError(_ error: any Error) -> any Error {
        switch error {
        case let error as PSQLError:
            return StorageError(describe(error))
        case let error as PostgresTransactionError:
            let cause = error.closureError ?? error.commitError ?? error.beginError
            return StorageError("transaction failed: \(cause.map(describe) ?? String(reflecting: error))")
        default:
            return error
        }
    }

    // MARK: NodeDatabase

    public func checkWritable() async throws {
        let token = Int64.random(in: 1...Int64.max)
        let back = try await rows("""
            INSERT INTO readiness_probe (holder, token, written_at) VALUES (\(holder), \(token), now())
            ON CONFLICT (holder) DO UPDATE SET token = excluded.token, written_at = excluded.written_at RETURNING token
            """).first.map { try $0.decode(Int64.self) }
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
        // Jobs stored FAILED at intake carry a reason, which the batch's arrays do not.
        guard job.failureReason == nil else {
            return try await count(PostgresJobRows.InsertHeld(job: job, holder: holder, leaseSeconds: leaseSeconds)) > 0
        }
        let inserted = try await inserts.submit(job)
        if inserted { recent.held(job) }
        return inserted
    }

    /// Stores the job held by no node, claimable at once by any (attempt 0: the claim makes it
    /// 1), and signals `jobsAvailable` when the insert commits.
    public func insertSharedJob(_ job: Job) async throws -> Bool {
        var shared = job
        shared.attempt = 0
        return try await count(PostgresJobRows.InsertShared(job: shared)) > 0
    }

    public func job(id: Bytes32) async throws -> Job? {
        if let known = recent.get(id) { return known }
        return try await storedJob(id: id)
    }

    /// The job as the database has it now.
    func storedJob(id: Bytes32) async throws -> Job? {
        try await Self.described {
            for try await job in try await client.execute(PostgresJobRows.ByID(id: id), logger: logger) { return job }
            return nil
        }
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
        let changed = try await outcomes.submit(FinishBatch.Item(id: id, attempt: attempt, outcome: outcome, relay: relay))
        if changed, var job = recent.get(id) {
            job.apply(outcome)
            recent.finished(job)
        } else {
            recent.forget(id)
        }
        guard !changed, let stored = try await storedJob(id: id) else { return }
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
        try await rows("""
            SELECT nonce FROM jobs WHERE consumer = \(ByteBuffer(bytes: consumer.bytes)) AND status = \(Int32(JobStatusType.pending.rawValue))
            ORDER BY nonce
            """).map { UInt64(bitPattern: try $0.decode(Int64.self)) }.sorted()
    }

}

/// Outcomes of many jobs in one statement (group commit): each is stored only if its job is
/// PENDING under that attempt; DONE ones enter the relay queue in the same statement when relaying
/// is on (ordered if the job or the node asks for it), signalling `relayQueued` at commit.
/// Returns the IDs it changed.
struct FinishBatch: PostgresPreparedStatement {
    struct Item: Sendable {
        let id: Bytes32
        let attempt: UInt32
        let outcome: JobOutcome
        let relay: RelayStrategy?
    }

    static let sql = """
        WITH v AS (
            SELECT * FROM unnest($1::bytea[], $2::integer[], $3::integer[], $4::bytea[], $5::bytea[], $6::text[],
                                 $7::integer[], $8::boolean[])
                AS v(id, attempt, status, result, signature, reason, strategy, relay)),
        finished AS (
            UPDATE jobs j SET status = v.status,
                result_with_metadata = CASE WHEN v.status = \(JobStatusType.done.rawValue) THEN v.result ELSE j.result_with_metadata END,
                operator_signature = CASE WHEN v.status = \(JobStatusType.done.rawValue) THEN v.signature ELSE j.operator_signature END,
                failure_reason = CASE WHEN v.status = \(JobStatusType.done.rawValue) THEN NULL ELSE v.reason END,
                updated_at = $9, holder = NULL, lease_expires_at = NULL
            FROM v WHERE j.id = v.id AND j.status = \(JobStatusType.pending.rawValue) AND j.attempt = v.attempt
            RETURNING j.id, j.consumer, j.nonce, j.relay_strategy, v.strategy, v.relay AND v.status = \(JobStatusType.done.rawValue) AS queue),
        queued AS (
            INSERT INTO relay_queue (job_id, consumer, nonce, strategy, attempts, next_attempt_at, created_at)
            SELECT id, consumer, nonce, GREATEST(strategy, relay_strategy), 0, $9, $9 FROM finished WHERE queue
            ON CONFLICT (job_id) DO NOTHING)
        SELECT id, CASE WHEN queue THEN pg_notify('\(StoreSignal.relayQueued.channel)', '') END FROM finished
        """
    static let bindingDataTypes: [PostgresDataType] = [.byteaArray, .int4Array, .int4Array, .byteaArray, .byteaArray,
                                                       .textArray, .int4Array, .boolArray, .float8]
    typealias Row = ByteBuffer
    let items: [Item]
    let now: Double

    func makeBindings() throws -> PostgresBindings {
        var binds = PostgresBindings(capacity: 9)
        binds.append(items.map { ByteBuffer(bytes: $0.id.bytes) })
        binds.append(items.map { Int32(bitPattern: $0.attempt) })
        binds.append(items.map { item -> Int32 in
            if case .done = item.outcome { JobStatusType.done.rawValue } else { JobStatusType.failed.rawValue }
        })
        binds.append(items.map { item -> ByteBuffer in
            if case .done(let result, _) = item.outcome { ByteBuffer(bytes: result) } else { ByteBuffer() }
        })
        binds.append(items.map { item -> ByteBuffer in
            if case .done(_, let signature) = item.outcome { ByteBuffer(bytes: signature) } else { ByteBuffer() }
        })
        binds.append(items.map { item -> String in
            if case .failed(let reason) = item.outcome { reason } else { "" }
        })
        binds.append(items.map { Int32($0.relay?.rawValue ?? 0) })
        binds.append(items.map { $0.relay != nil })
        binds.append(now)
        return binds
    }

    func decodeRow(_ row: PostgresRow) throws -> ByteBuffer { try row.decode((ByteBuffer, String?).self).0 }
}
