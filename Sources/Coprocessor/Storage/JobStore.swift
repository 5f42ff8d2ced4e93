import CoprocessorWire
import Ethereum

/// A stored guest program.
public struct StoredProgram: Sendable, Equatable {
    public let id: [UInt8]
    public let elf: [UInt8]
    public let vmType: VmType

    public init(id: [UInt8], elf: [UInt8], vmType: VmType) {
        self.id = id
        self.elf = elf
        self.vmType = vmType
    }
}

/// Outcome of an execution, as persisted.
public enum JobOutcome: Sendable, Equatable {
    case done(resultWithMetadata: [UInt8], operatorSignature: [UInt8])
    case failed(reason: String)
}

/// Persistence behind the service core. Every write is durable when the call returns. SQLite
/// (`SQLiteJobStore`) is the embedded default; another backend implements this protocol.
public protocol JobStore: Sendable {
    /// Stores a program; returns false if one with the same ID already exists (nothing changes).
    func insertProgram(_ program: StoredProgram) async throws -> Bool
    func program(id: [UInt8]) async throws -> StoredProgram?
    func containsProgram(id: [UInt8]) async throws -> Bool

    /// Stores a new job; returns false if a job with its ID already exists (nothing changes).
    func insertJob(_ job: Job) async throws -> Bool
    func job(id: Bytes32) async throws -> Job?
    /// Records the outcome of a PENDING job (DONE or FAILED) run as `attempt` (`Job.attempt`): a
    /// store whose jobs can be rescued by other nodes changes nothing unless `attempt` is still
    /// the job's current one. With `relay`, a DONE job also enters the relay queue in the same
    /// transaction, ordered if the job asked for it or `relay` is `.ordered`. Returns at once;
    /// `completion` runs once the write is durable (or failed), so worker threads do not wait for
    /// the disk.
    func finishJob(id: Bytes32, attempt: UInt32, outcome: JobOutcome, relay: RelayStrategy?,
                   completion: @escaping @Sendable (Error?) -> Void)
    /// Every PENDING job, oldest first (re-queued at start).
    func pendingJobs() async throws -> [Job]
    /// Nonces of a consumer's PENDING jobs, ascending.
    func pendingNonces(consumer: Address) async throws -> [UInt64]

    // Retention (`RetentionPolicy`).

    /// Deletes finished jobs last changed before `cutoff` (seconds since 1970): FAILED and RELAYED
    /// ones, and DONE ones that will not be relayed — all of them when `keepUnrelayed` is false
    /// (relaying is off), else only those relaying gave up on. A job in the relay queue is never
    /// deleted. A deleted job's ID is remembered, so `insertJob` refuses it and `wasPruned`
    /// knows it. Returns how many jobs were deleted.
    func pruneFinishedJobs(changedBefore cutoff: Double, keepUnrelayed: Bool) async throws -> Int
    /// Whether `pruneFinishedJobs` deleted the job with this ID.
    func wasPruned(id: Bytes32) async throws -> Bool
    /// Records when programs were last used (`uses`: ID → seconds since 1970, kept when later
    /// than the stored time), then deletes the programs neither used nor stored since `cutoff`
    /// that no PENDING job needs. Returns the deleted IDs.
    func pruneUnusedPrograms(unusedBefore cutoff: Double, uses: [[UInt8]: Double]) async throws -> [[UInt8]]
}

extension JobStore {
    /// `finishJob` of a job's first attempt.
    public func finishJob(id: Bytes32, outcome: JobOutcome, relay: RelayStrategy?,
                          completion: @escaping @Sendable (Error?) -> Void) {
        finishJob(id: id, attempt: 1, outcome: outcome, relay: relay, completion: completion)
    }
}

/// What the node's process needs of its database beyond the jobs and the relay queue: the
/// readiness probe and closing. Both back ends (SQLite, PostgreSQL) are one.
public protocol NodeDatabase: JobStore, RelayStore {
    /// Whether the database takes a durable write now; throws with the reason otherwise.
    func checkWritable() async throws
    /// Commits what is queued and releases the connections.
    func close() async
    /// Where the data lives, for the log ("sqlite:./.zkvm-node", "postgres://host:port/db").
    var location: String { get }
}

public struct StorageError: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
