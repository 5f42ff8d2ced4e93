/// Jobs held under a lease, for stores that several nodes share (PostgreSQL): the node that
/// stores a job holds it (`JobStore.insertJob`) and renews its leases while it lives; when a
/// holder dies or stalls, its jobs' leases expire and any node claims them, each claim raising
/// the job's `attempt`, so a late outcome of the stalled run is not stored (`finishJob`).
public protocol JobLeases: Sendable {
    /// This node's name in the store.
    var holder: String { get }
    /// How long a lease lasts unless renewed.
    var leaseDuration: Duration { get }
    /// Stores a new job that no node holds yet, for any node to claim (a node whose workers are
    /// busy shares its overflow); false if a job with its ID exists. Signals `jobsAvailable`.
    func insertSharedJob(_ job: Job) async throws -> Bool
    /// Extends every lease this node holds on a PENDING job (one statement); returns how many,
    /// and how many PENDING jobs no node holds (the shared backlog).
    func renewJobLeases() async throws -> (held: Int, unclaimed: Int)
    /// Claims up to `limit` PENDING jobs whose lease expired, oldest lease first, skipping rows
    /// another node is claiming at the same moment; returns them with their new attempt.
    func claimExpiredJobs(limit: Int) async throws -> [Job]
    /// Ends this node's leases on its PENDING jobs now (a clean stop), so other nodes take them
    /// at once instead of after the lease runs out; signals `jobsAvailable`.
    func releaseJobLeases() async throws
}

/// Named singletons (the relayer, with its one nonce sequence, and the JobCreated listener) held
/// by one node at a time. The holder has a fencing token, `epoch`, raised whenever the
/// singleton changes hands; writes made under an older epoch are refused.
public protocol SingletonLeases: Sendable {
    var holder: String { get }
    /// Takes the singleton if it is free or its lease expired, or renews it if this node holds it.
    /// Returns the epoch this node holds it under, or nil if another node holds it.
    func acquireSingleton(_ name: String) async throws -> UInt64?
    /// Gives the singleton up now (a clean stop) if this node holds it under `epoch`.
    func releaseSingleton(_ name: String, epoch: UInt64) async throws
    /// The relay store as seen by the holder of singleton `name` under `epoch`: its writes fail
    /// with `FencedOut` once another node holds it.
    func fenced(by name: String, epoch: UInt64) -> any JobStore & RelayStore
}

/// A write refused because the writer no longer holds the singleton it wrote under.
public struct FencedOut: Error, CustomStringConvertible {
    public let singleton: String
    public let epoch: UInt64
    public init(singleton: String, epoch: UInt64) {
        self.singleton = singleton
        self.epoch = epoch
    }

    public var description: String { "fenced out: this node no longer holds '\(singleton)' under epoch \(epoch)" }
}

/// Wake-ups a shared store sends between nodes (PostgreSQL: NOTIFY, delivered at commit). A
/// missed signal only delays the work: whoever waits on one also polls.
public enum StoreSignal: Sendable, Hashable, CaseIterable {
    /// Jobs any node may claim were stored (overflow from a busy node, or leases released).
    case jobsAvailable
    /// A result entered the relay queue (wakes the relayer, which may run on another node).
    case relayQueued
}

public protocol StoreSignals: Sendable {
    /// Calls `handler` each time any node raises `signal` (while the store is open).
    func onSignal(_ signal: StoreSignal, _ handler: @escaping @Sendable () -> Void)
}
