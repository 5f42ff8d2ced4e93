import Coprocessor
import CoprocessorWire
import Ethereum
import NIOCore
import PostgresNIO

/// The `jobs` table's columns on PostgreSQL and the `Job` field each holds: the INSERT, its
/// bindings, the SELECT list and the decoding of a row are derived from `columns` (uint64 values
/// are stored as their Int64 bit pattern, bytes as bytea).
enum PostgresJobRows {
    /// A column's value for a job, as bound.
    enum Value {
        case bytes([UInt8])
        case optionalBytes([UInt8]?)
        case int8(Int64)
        case int4(Int32)
        case float8(Double)
        case text(String?)

        // As array elements: a missing value is 0, "" or no bytes (the batch insert restores NULLs).
        var int8: Int64 { if case .int8(let v) = self { return v }; return 0 }
        var int4: Int32 { if case .int4(let v) = self { return v }; return 0 }
        var float8: Double { if case .float8(let v) = self { return v }; return 0 }
        var text: String { if case .text(let v) = self { return v ?? "" }; return "" }
        var bytes: [UInt8] {
            switch self {
            case .bytes(let b): return b
            case .optionalBytes(let b): return b ?? []
            default: return []
            }
        }
    }

    struct Column: Sendable {
        let name: String
        /// The parameter's type (prepared statements; `[type]` in the batch insert's arrays).
        let type: PostgresDataType
        let value: @Sendable (Job) -> Value
        let read: @Sendable (inout Job, PostgresCell) throws -> Void
    }

    static let columns: [Column] = [
        bytes32("id", \.id),
        uint64("nonce", \.nonce),
        uint64("max_cycles", \.maxCycles),
        Column(name: "consumer", type: .bytea, value: { .bytes($0.consumer.bytes) },
               read: { job, cell in job.consumer = try Address(bytes: try cell.bytes()) }),
        bytes("program_id", \.programID),
        bytes("onchain_input", \.onchainInput),
        bytes32("offchain_input_hash", \.offchainInputHash),
        bytes32("state_hash", \.stateHash),
        bytes("request_signature", \.requestSignature),
        bytes("result_with_metadata", \.resultWithMetadata),
        bytes("operator_signature", \.operatorSignature),
        Column(name: "status", type: .int4, value: { .int4($0.status.rawValue) },
               read: { job, cell in job.status = JobStatusType(rawValue: try cell.decode(Int32.self)) }),
        Column(name: "failure_reason", type: .text, value: { .text($0.failureReason) },
               read: { job, cell in job.failureReason = try cell.decode(String?.self) }),
        Column(name: "retries", type: .int4, value: { .int4(Int32(bitPattern: $0.retries)) },
               read: { job, cell in job.retries = UInt32(bitPattern: try cell.decode(Int32.self)) }),
        bytes("relay_tx_hash", \.relayTxHash),
        Column(name: "origin", type: .int4, value: { .int4(Int32($0.origin.rawValue)) },
               read: { job, cell in job.origin = JobOrigin(rawValue: Int(try cell.decode(Int32.self))) ?? .offchain }),
        bytes("offchain_input", \.offchainInput),
        bytes("state", \.state),
        bytes("request", \.request),
        Column(name: "signer", type: .bytea, value: { .optionalBytes($0.signer?.bytes) },
               read: { job, cell in
                   job.signer = try cell.decode(ByteBuffer?.self).flatMap { try? Address(bytes: Array($0.readableBytesView)) }
               }),
        Column(name: "created_at", type: .float8, value: { .float8($0.createdAt) },
               read: { job, cell in job.createdAt = try cell.decode(Double.self) }),
        Column(name: "relay_strategy", type: .int4, value: { .int4(Int32($0.relayStrategy.rawValue)) },
               read: { job, cell in job.relayStrategy = RelayStrategy(rawValue: Int(try cell.decode(Int32.self))) ?? .unordered }),
        Column(name: "attempt", type: .int4, value: { .int4(Int32(bitPattern: $0.attempt)) },
               read: { job, cell in job.attempt = UInt32(bitPattern: try cell.decode(Int32.self)) }),
    ]

    static func bind(_ value: Value, _ binds: inout PostgresBindings) {
        switch value {
        case .bytes(let b): binds.append(ByteBuffer(bytes: b))
        case .optionalBytes(let b): binds.append(b.map { ByteBuffer(bytes: $0) })
        case .int8(let v): binds.append(v)
        case .int4(let v): binds.append(v)
        case .float8(let v): binds.append(v)
        case .text(let t): binds.append(t)
        }
    }

    /// `SELECT \(selectList) FROM jobs …`, the columns `decode` reads.
    static let selectList = columns.map(\.name).joined(separator: ", ")
    /// The same list qualified by a table alias (`j.id, j.nonce, …`).
    static func selectList(_ alias: String) -> String { columns.map { "\(alias).\($0.name)" }.joined(separator: ", ") }

    /// `INSERT … SELECT $1… WHERE NOT EXISTS (pruned) ON CONFLICT DO NOTHING RETURNING 1`: the
    /// columns, `updated_at` (= created_at), `holder` and the lease in seconds from now (database
    /// time). Without a holder (`shared`), the job is claimable at once and `jobsAvailable` is
    /// signalled at commit.
    static func insertSQL(shared: Bool) -> String {
        let n = columns.count
        let names = columns.map(\.name) + ["updated_at", "holder", "lease_expires_at"]
        let values = (1...n + 2).map { "$\($0)" } + ["now() + make_interval(secs => $\(n + 3))"]
        let insert = """
            INSERT INTO jobs (\(names.joined(separator: ", "))) SELECT \(values.joined(separator: ", "))
            WHERE NOT EXISTS (SELECT 1 FROM pruned_jobs WHERE id = $1)
            ON CONFLICT (id) DO NOTHING RETURNING 1
            """
        guard shared else { return insert }
        return "WITH inserted AS (\(insert)) SELECT pg_notify('\(StoreSignal.jobsAvailable.channel)', '') FROM inserted"
    }

    static let insertTypes = columns.map(\.type) + [.float8, .text, .float8]

    static func insertBindings(_ job: Job, holder: String?, leaseSeconds: Double) throws -> PostgresBindings {
        var binds = PostgresBindings(capacity: columns.count + 3)
        for column in columns { bind(column.value(job), &binds) }
        binds.append(job.createdAt)  // updated_at
        binds.append(holder)
        binds.append(leaseSeconds)
        return binds
    }

    /// The insert of a job this node holds (prepared once per connection).
    struct InsertHeld: PostgresPreparedStatement {
        static let sql = insertSQL(shared: false)
        static let bindingDataTypes = insertTypes
        typealias Row = Void
        let job: Job, holder: String, leaseSeconds: Double
        func makeBindings() throws -> PostgresBindings { try insertBindings(job, holder: holder, leaseSeconds: leaseSeconds) }
        func decodeRow(_ row: PostgresRow) throws {}
    }

    /// The insert of a job no node holds yet.
    struct InsertShared: PostgresPreparedStatement {
        static let sql = insertSQL(shared: true)
        static let bindingDataTypes = insertTypes
        typealias Row = Void
        let job: Job
        func makeBindings() throws -> PostgresBindings { try insertBindings(job, holder: nil, leaseSeconds: 0) }
        func decodeRow(_ row: PostgresRow) throws {}
    }

    /// Many held jobs in one statement (group commit): one array parameter per column, `unnest`ed
    /// into rows; returns the IDs it inserted. For jobs without a failure reason (the column is
    /// NULL); a missing signer travels as empty bytes.
    struct InsertHeldBatch: PostgresPreparedStatement {
        static let sql: String = {
            let n = columns.count
            let names = columns.map(\.name)
            let values = names.map { name -> String in
                switch name {
                case "signer": "NULLIF(v.signer, ''::bytea)"
                case "failure_reason": "NULL::text"
                default: "v.\(name)"
                }
            }
            let arrays = columns.enumerated().map { i, c in "$\(i + 1)::\(sqlType(c.type))[]" }
            return """
                INSERT INTO jobs (\((names + ["updated_at", "holder", "lease_expires_at"]).joined(separator: ", ")))
                SELECT \(values.joined(separator: ", ")), v.created_at, $\(n + 1), now() + make_interval(secs => $\(n + 2))
                FROM unnest(\(arrays.joined(separator: ", "))) AS v(\(names.joined(separator: ", ")))
                WHERE NOT EXISTS (SELECT 1 FROM pruned_jobs p WHERE p.id = v.id)
                ON CONFLICT (id) DO NOTHING RETURNING id
                """
        }()
        static let bindingDataTypes: [PostgresDataType] = columns.map { arrayType($0.type) } + [.text, .float8]
        typealias Row = ByteBuffer
        let jobs: [Job], holder: String, leaseSeconds: Double

        func makeBindings() throws -> PostgresBindings {
            var binds = PostgresBindings(capacity: columns.count + 2)
            for column in columns {
                switch column.type {
                case .int8: binds.append(jobs.map { column.value($0).int8 })
                case .int4: binds.append(jobs.map { column.value($0).int4 })
                case .float8: binds.append(jobs.map { column.value($0).float8 })
                case .text: binds.append(jobs.map { column.value($0).text })
                default: binds.append(jobs.map { ByteBuffer(bytes: column.value($0).bytes) })
                }
            }
            binds.append(holder)
            binds.append(leaseSeconds)
            return binds
        }

        func decodeRow(_ row: PostgresRow) throws -> ByteBuffer { try row.decode(ByteBuffer.self) }

        static func sqlType(_ type: PostgresDataType) -> String {
            switch type {
            case .int8: "bigint"
            case .int4: "integer"
            case .float8: "double precision"
            case .text: "text"
            default: "bytea"
            }
        }

        static func arrayType(_ type: PostgresDataType) -> PostgresDataType {
            switch type {
            case .int8: .int8Array
            case .int4: .int4Array
            case .float8: .float8Array
            case .text: .textArray
            default: .byteaArray
            }
        }
    }

    /// One job by ID.
    struct ByID: PostgresPreparedStatement {
        static let sql = "SELECT \(selectList) FROM jobs WHERE id = $1"
        static let bindingDataTypes: [PostgresDataType] = [.bytea]
        typealias Row = Job
        let id: Bytes32
        func makeBindings() throws -> PostgresBindings {
            var binds = PostgresBindings(capacity: 1)
            binds.append(ByteBuffer(bytes: id.bytes))
            return binds
        }
        func decodeRow(_ row: PostgresRow) throws -> Job { try decode(row) }
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
        Column(name: name, type: .bytea, value: { .bytes($0[keyPath: key]) },
               read: { job, cell in job[keyPath: key] = try cell.bytes() })
    }

    private static func bytes32(_ name: String, _ key: WritableKeyPath<Job, Bytes32> & Sendable) -> Column {
        Column(name: name, type: .bytea, value: { .bytes($0[keyPath: key].bytes) },
               read: { job, cell in job[keyPath: key] = try Bytes32(try cell.bytes()) })
    }

    private static func uint64(_ name: String, _ key: WritableKeyPath<Job, UInt64> & Sendable) -> Column {
        Column(name: name, type: .int8, value: { .int8(Int64(bitPattern: $0[keyPath: key])) },
               read: { job, cell in job[keyPath: key] = UInt64(bitPattern: try cell.decode(Int64.self)) })
    }
}

extension PostgresCell {
    /// A bytea cell's bytes.
    func bytes() throws -> [UInt8] { Array(try decode(ByteBuffer.self).readableBytesView) }
}
