import CoprocessorWire
import Ethereum
import Foundation
import GRDB

/// The `jobs` table's columns and the `Job` field each one holds: the one place the row mapping
/// is spelled. The INSERT statement, its arguments, the SELECT list and the decoding of a row are
/// all derived from `columns` (uint64 values are stored as their Int64 bit pattern).
enum JobRows {
    struct Column: Sendable {
        let name: String
        let bind: @Sendable (Job) -> (any DatabaseValueConvertible)?
        /// Reads the column at `index` of a row into the job.
        let read: @Sendable (inout Job, Row, Int) throws -> Void
    }

    static let columns: [Column] = [
        bytes32("id", \.id),
        uint64("nonce", \.nonce),
        uint64("max_cycles", \.maxCycles),
        Column(name: "consumer", bind: { Data($0.consumer.bytes) },
               read: { job, row, i in job.consumer = try Address(bytes: bytes(row, i)) }),
        bytes("program_id", \.programID),
        bytes("onchain_input", \.onchainInput),
        bytes32("offchain_input_hash", \.offchainInputHash),
        bytes32("state_hash", \.stateHash),
        bytes("request_signature", \.requestSignature),
        bytes("result_with_metadata", \.resultWithMetadata),
        bytes("operator_signature", \.operatorSignature),
        Column(name: "status", bind: { $0.status.rawValue },
               read: { job, row, i in job.status = JobStatusType(rawValue: row[i]) }),
        Column(name: "failure_reason", bind: { $0.failureReason }, read: { job, row, i in job.failureReason = row[i] }),
        Column(name: "retries", bind: { Int64($0.retries) },
               read: { job, row, i in job.retries = UInt32(truncatingIfNeeded: row[i] as Int64) }),
        bytes("relay_tx_hash", \.relayTxHash),
        Column(name: "origin", bind: { $0.origin.rawValue },
               read: { job, row, i in job.origin = JobOrigin(rawValue: row[i]) ?? .offchain }),
        bytes("offchain_input", \.offchainInput),
        bytes("state", \.state),
        bytes("request", \.request),
        Column(name: "signer", bind: { $0.signer.map { Data($0.bytes) } },
               read: { job, row, i in job.signer = (row[i] as Data?).flatMap { try? Address(bytes: [UInt8]($0)) } }),
        Column(name: "created_at", bind: { $0.createdAt }, read: { job, row, i in job.createdAt = row[i] }),
    ]

    /// `INSERT OR IGNORE INTO jobs (...) VALUES (...)`, with `updated_at` = `created_at`.
    static let insertSQL: String = {
        let names = columns.map(\.name) + ["updated_at"]
        return "INSERT OR IGNORE INTO jobs (\(names.joined(separator: ", "))) VALUES ("
            + Array(repeating: "?", count: names.count).joined(separator: ", ") + ")"
    }()

    static func insertArguments(_ job: Job) -> StatementArguments {
        StatementArguments(columns.map { $0.bind(job) } + [job.createdAt])
    }

    /// The columns of `decode`, in order, for `SELECT <selectList> FROM jobs ...`.
    static let selectList = columns.map(\.name).joined(separator: ", ")

    static func decode(_ row: Row) throws -> Job {
        var job = Job(id: .zero, nonce: 0, maxCycles: 0, consumer: .zero, programID: [], onchainInput: [],
                      offchainInputHash: .zero, stateHash: .zero, requestSignature: [], origin: .offchain,
                      offchainInput: [], state: [], request: [], signer: nil)
        do {
            for (i, column) in columns.enumerated() { try column.read(&job, row, i) }
        } catch {
            throw StorageError("corrupt job row: \(error)")
        }
        return job
    }

    private static func bytes(_ row: Row, _ i: Int) -> [UInt8] { [UInt8]((row[i] as Data?) ?? Data()) }

    private static func bytes(_ name: String, _ key: WritableKeyPath<Job, [UInt8]> & Sendable) -> Column {
        Column(name: name, bind: { Data($0[keyPath: key]) }, read: { job, row, i in job[keyPath: key] = bytes(row, i) })
    }

    private static func bytes32(_ name: String, _ key: WritableKeyPath<Job, Bytes32> & Sendable) -> Column {
        Column(name: name, bind: { Data($0[keyPath: key].bytes) },
               read: { job, row, i in job[keyPath: key] = try Bytes32(bytes(row, i)) })
    }

    private static func uint64(_ name: String, _ key: WritableKeyPath<Job, UInt64> & Sendable) -> Column {
        Column(name: name, bind: { Int64(bitPattern: $0[keyPath: key]) },
               read: { job, row, i in job[keyPath: key] = UInt64(bitPattern: row[i]) })
    }
}
