import CoprocessorWire
import Ethereum
import GRDB

/// The `jobs` table's columns and the `Job` field each one holds: the one place the row mapping
/// is spelled. The INSERT statement, its bindings, the SELECT list and the decoding of a row are
/// all derived from `columns` (uint64 values are stored as their Int64 bit pattern). Statements
/// run through `RawStatement`, without GRDB's per-value conversions.
enum JobRows {
    struct Column: Sendable {
        let name: String
        /// Binds the job's value to parameter `index` (1-based).
        let bind: @Sendable (Job, RawStatement, Int32) -> Void
        /// Reads column `index` (0-based) of a row into the job.
        let read: @Sendable (inout Job, RawStatement.Row, Int32) throws -> Void
    }

    static let columns: [Column] = [
        bytes32("id", \.id),
        uint64("nonce", \.nonce),
        uint64("max_cycles", \.maxCycles),
        Column(name: "consumer", bind: { $1.bind($2, $0.consumer.bytes) },
               read: { job, row, i in job.consumer = try Address(bytes: row.bytes(i)) }),
        bytes("program_id", \.programID),
        bytes("onchain_input", \.onchainInput),
        bytes32("offchain_input_hash", \.offchainInputHash),
        bytes32("state_hash", \.stateHash),
        bytes("request_signature", \.requestSignature),
        bytes("result_with_metadata", \.resultWithMetadata),
        bytes("operator_signature", \.operatorSignature),
        Column(name: "status", bind: { $1.bind($2, Int64($0.status.rawValue)) },
               read: { job, row, i in job.status = JobStatusType(rawValue: Int32(truncatingIfNeeded: row.int64(i))) }),
        Column(name: "failure_reason", bind: { $1.bind($2, $0.failureReason) },
               read: { job, row, i in job.failureReason = row.text(i) }),
        Column(name: "retries", bind: { $1.bind($2, Int64($0.retries)) },
               read: { job, row, i in job.retries = UInt32(truncatingIfNeeded: row.int64(i)) }),
        bytes("relay_tx_hash", \.relayTxHash),
        Column(name: "origin", bind: { $1.bind($2, Int64($0.origin.rawValue)) },
               read: { job, row, i in job.origin = JobOrigin(rawValue: Int(row.int64(i))) ?? .offchain }),
        bytes("offchain_input", \.offchainInput),
        bytes("state", \.state),
        bytes("request", \.request),
        Column(name: "signer", bind: { job, statement, i in
                   if let signer = job.signer { statement.bind(i, signer.bytes) } else { statement.bind(i, nil as String?) }
               },
               read: { job, row, i in job.signer = row.isNull(i) ? nil : try? Address(bytes: row.bytes(i)) }),
        Column(name: "created_at", bind: { $1.bind($2, $0.createdAt) }, read: { job, row, i in job.createdAt = row.double(i) }),
        Column(name: "relay_strategy", bind: { $1.bind($2, Int64($0.relayStrategy.rawValue)) },
               read: { job, row, i in job.relayStrategy = RelayStrategy(rawValue: Int(row.int64(i))) ?? .unordered }),
    ]

    /// `INSERT OR IGNORE INTO jobs (...) SELECT ...`, with `updated_at` = `created_at`, unless
    /// the ID is one retention pruned (`?1` is the id, the first column).
    private static let insertSQL: String = {
        let names = columns.map(\.name) + ["updated_at"]
        return "INSERT OR IGNORE INTO jobs (\(names.joined(separator: ", "))) SELECT "
            + Array(repeating: "?", count: names.count).joined(separator: ", ")
            + " WHERE NOT EXISTS (SELECT 1 FROM pruned_jobs WHERE id = ?1)"
    }()

    /// The columns of `decode`, in order, for `SELECT \(selectList) FROM jobs ...`.
    private static let selectList = columns.map(\.name).joined(separator: ", ")
    static let byIDSQL = "SELECT \(selectList) FROM jobs WHERE id = ?"
    private static let pendingSQL = "SELECT \(selectList) FROM jobs WHERE \(SQLiteJobStore.isPending) ORDER BY created_at"

    /// Stores a new job; false if one with its ID exists or was pruned (nothing changes).
    static func insert(_ job: Job, _ db: Database) throws -> Bool {
        let statement = try RawStatement(db, sql: insertSQL)
        for (i, column) in columns.enumerated() { column.bind(job, statement, Int32(i + 1)) }
        statement.bind(Int32(columns.count + 1), job.createdAt)
        try statement.execute()
        return db.changesCount > 0
    }

    /// The job with this ID, read with `byIDSQL`.
    static func job(id: Bytes32, _ statement: RawStatement) throws -> Job? {
        statement.bind(1, id.bytes)
        return try statement.first(decode)
    }

    /// Every PENDING job, oldest first.
    static func pendingJobs(_ db: Database) throws -> [Job] {
        try RawStatement(db, sql: pendingSQL).all(decode)
    }

    private static func decode(_ row: RawStatement.Row) throws -> Job {
        var job = Job(id: .zero, nonce: 0, maxCycles: 0, consumer: .zero, programID: [], onchainInput: [],
                      offchainInputHash: .zero, stateHash: .zero, requestSignature: [], origin: .offchain,
                      offchainInput: [], state: [], request: [], signer: nil)
        do {
            for (i, column) in columns.enumerated() { try column.read(&job, row, Int32(i)) }
        } catch {
            throw StorageError("corrupt job row: \(error)")
        }
        return job
    }

    private static func bytes(_ name: String, _ key: WritableKeyPath<Job, [UInt8]> & Sendable) -> Column {
        Column(name: name, bind: { $1.bind($2, $0[keyPath: key]) }, read: { job, row, i in job[keyPath: key] = row.bytes(i) })
    }

    private static func bytes32(_ name: String, _ key: WritableKeyPath<Job, Bytes32> & Sendable) -> Column {
        Column(name: name, bind: { $1.bind($2, $0[keyPath: key].bytes) },
               read: { job, row, i in job[keyPath: key] = try Bytes32(row.bytes(i)) })
    }

    private static func uint64(_ name: String, _ key: WritableKeyPath<Job, UInt64> & Sendable) -> Column {
        Column(name: name, bind: { $1.bind($2, Int64(bitPattern: $0[keyPath: key])) },
               read: { job, row, i in job[keyPath: key] = UInt64(bitPattern: row.int64(i)) })
    }
}
