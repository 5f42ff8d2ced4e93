import Coprocessor
import CoprocessorWire
import Ethereum
import NIOCore
import PostgresNIO

/// The `jobs` table's columns on PostgreSQL and the `Job` field each holds: the INSERT, its
/// bindings, the SELECT list and the decoding of a row are derived from `columns` (uint64 values
/// are stored as their Int64 bit pattern, bytes as bytea).
enum PostgresJobRows {
    struct Column: Sendable {
        let name: String
        let bind: @Sendable (Job, inout PostgresBindings) throws -> Void
        let read: @Sendable (inout Job, PostgresCell) throws -> Void
    }

    static let columns: [Column] = [
        bytes32("id", \.id),
        uint64("nonce", \.nonce),
        uint64("max_cycles", \.maxCycles),
        Column(name: "consumer", bind: { $1.append(ByteBuffer(bytes: $0.consumer.bytes)) },
               read: { job, cell in job.consumer = try Address(bytes: try cell.bytes()) }),
        bytes("program_id", \.programID),
        bytes("onchain_input", \.onchainInput),
        bytes32("offchain_input_hash", \.offchainInputHash),
        bytes32("state_hash", \.stateHash),
        bytes("request_signature", \.requestSignature),
        bytes("result_with_metadata", \.resultWithMetadata),
        bytes("operator_signature", \.operatorSignature),
        Column(name: "status", bind: { $1.append(Int32($0.status.rawValue)) },
               read: { job, cell in job.status = JobStatusType(rawValue: try cell.decode(Int32.self)) }),
        Column(name: "failure_reason", bind: { $1.append($0.failureReason) },
               read: { job, cell in job.failureReason = try cell.decode(String?.self) }),
        Column(name: "retries", bind: { $1.append(Int32(bitPattern: $0.retries)) },
               read: { job, cell in job.retries = UInt32(bitPattern: try cell.decode(Int32.self)) }),
        bytes("relay_tx_hash", \.relayTxHash),
        Column(name: "origin", bind: { $1.append(Int32($0.origin.rawValue)) },
               read: { job, cell in job.origin = JobOrigin(rawValue: Int(try cell.decode(Int32.self))) ?? .offchain }),
        bytes("offchain_input", \.offchainInput),
        bytes("state", \.state),
        bytes("request", \.request),
        Column(name: "signer", bind: { $1.append($0.signer.map { ByteBuffer(bytes: $0.bytes) }) },
               read: { job, cell in
                   job.signer = try cell.decode(ByteBuffer?.self).flatMap { try? Address(bytes: Array($0.readableBytesView)) }
               }),
        Column(name: "created_at", bind: { $1.append($0.createdAt) }, read: { job, cell in job.createdAt = try cell.decode(Double.self) }),
        Column(name: "relay_strategy", bind: { $1.append(Int32($0.relayStrategy.rawValue)) },
               read: { job, cell in job.relayStrategy = RelayStrategy(rawValue: Int(try cell.decode(Int32.self))) ?? .unordered }),
        Column(name: "attempt", bind: { $1.append(Int32(bitPattern: $0.attempt)) },
               read: { job, cell in job.attempt = UInt32(bitPattern: try cell.decode(Int32.self)) }),
    ]

    /// `SELECT \(selectList) FROM jobs …`, the columns `decode` reads.
    static let selectList = columns.map(\.name).joined(separator: ", ")
    /// The same list qualified by a table alias (`j.id, j.nonce, …`).
    static func selectList(_ alias: String) -> String { columns.map { "\(alias).\($0.name)" }.joined(separator: ", ") }

    /// Inserts `job` held by `holder` for `leaseSeconds` (database time), unless a job with its ID
    /// exists or was pruned; the query returns a row only if it inserted one. Without a holder the
    /// job is claimable at once, and `jobsAvailable` is signalled at commit.
    static func insert(_ job: Job, holder: String?, leaseSeconds: Double) throws -> PostgresQuery {
        var binds = PostgresBindings(capacity: columns.count + 3)
        for column in columns { try column.bind(job, &binds) }
        binds.append(job.createdAt)  // updated_at
        binds.append(holder)
        binds.append(leaseSeconds)
        let n = columns.count
        let names = columns.map(\.name) + ["updated_at", "holder", "lease_expires_at"]
        let values = (1...n + 2).map { "$\($0)" } + ["now() + make_interval(secs => $\(n + 3))"]
        let insert = """
            INSERT INTO jobs (\(names.joined(separator: ", "))) SELECT \(values.joined(separator: ", "))
            WHERE NOT EXISTS (SELECT 1 FROM pruned_jobs WHERE id = $1)
            ON CONFLICT (id) DO NOTHING RETURNING 1
            """
        guard holder == nil else { return PostgresQuery(unsafeSQL: insert, binds: binds) }
        return PostgresQuery(unsafeSQL: """
            WITH inserted AS (\(insert)) SELECT pg_notify('\(StoreSignal.jobsAvailable.channel)', '') FROM inserted
            """, binds: binds)
    }

    /// A row of `selectList` as a job.
    static func decode(_ row: PostgresRow) throws -> Job {
        var job = Job(id: .zero, nonce: 0, maxCycles: 0, consumer: .zero, programID: [], onchainInput: [],
                      offchainInputHash: .zero, stateHash: .zero, requestSignature: [], origin: .offchain,
                      offchainInput: [], state: [], request: [], signer: nil)
        let cells = row.makeRandomAccess()
        do {
            for (i, column) in columns.enumerated() { try column.read(&job, cells[i]) }
        } catch {
            throw StorageError("corrupt job row: \(error)")
        }
        return job
    }

    private static func bytes(_ name: String, _ key: WritableKeyPath<Job, [UInt8]> & Sendable) -> Column {
        Column(name: name, bind: { $1.append(ByteBuffer(bytes: $0[keyPath: key])) },
               read: { job, cell in job[keyPath: key] = try cell.bytes() })
    }

    private static func bytes32(_ name: String, _ key: WritableKeyPath<Job, Bytes32> & Sendable) -> Column {
        Column(name: name, bind: { $1.append(ByteBuffer(bytes: $0[keyPath: key].bytes)) },
               read: { job, cell in job[keyPath: key] = try Bytes32(try cell.bytes()) })
    }

    private static func uint64(_ name: String, _ key: WritableKeyPath<Job, UInt64> & Sendable) -> Column {
        Column(name: name, bind: { $1.append(Int64(bitPattern: $0[keyPath: key])) },
               read: { job, cell in job[keyPath: key] = UInt64(bitPattern: try cell.decode(Int64.self)) })
    }
}

extension PostgresCell {
    /// A bytea cell's bytes.
    func bytes() throws -> [UInt8] { Array(try decode(ByteBuffer.self).readableBytesView) }
}
