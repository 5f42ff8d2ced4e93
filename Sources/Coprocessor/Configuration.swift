import Foundation
import ZKVM

/// The engine's execution tier (ZKVM.Engine), under a name for the node's command line.
public typealias ExecutionEngine = Engine

/// Settings of the service core.
public struct CoprocessorConfig: Sendable {
    /// Threads executing jobs (default: one per core).
    public var workerCount: Int = ProcessInfo.processInfo.activeProcessorCount
    /// Jobs that may wait for a worker; beyond it SubmitJob answers RESOURCE_EXHAUSTED.
    public var queueBound: Int = 10_000
    /// Offchain jobs one consumer may have queued or running; SubmitJob answers RESOURCE_EXHAUSTED
    /// beyond it, so that one consumer cannot fill the queue. 0: no limit.
    public var maxUnfinishedJobsPerConsumer: Int = 1_000
    /// Offchain jobs per second one request signer may submit (a token bucket holding up to a
    /// second's worth); beyond it SubmitJob answers RESOURCE_EXHAUSTED. 0: no limit.
    public var maxJobsPerSignerPerSecond: Double = 0
    /// Largest ELF SubmitProgram accepts.
    public var maxELFBytes: Int = 16 << 20
    /// Largest offchain input plus state one SubmitJob may carry (both are stored with the job and
    /// handed to the guest): beyond it SubmitJob answers INVALID_ARGUMENT and stores nothing.
    public var maxJobDataBytes: Int = 16 << 20
    /// Largest max_cycles a job may ask for: it bounds how long one job can hold a worker (a guest
    /// that loops forever with max_cycles = 2^64 - 1 would otherwise never give it back).
    public var maxCyclesCap: UInt64 = 10_000_000_000
    public var signerPolicy: SignerPolicy = .any
    public var executionLimits: ExecutionLimits = .default
    /// A job still executing after this long fails ("time limit exceeded"): a backstop for host
    /// work neither the cycle cap nor the work meter bounds (each precompile costs one cycle, and
    /// the engine's work budget — derived from the job's max_cycles, `ExecutionLimits.maxWork` —
    /// fails a guest looping on them deterministically). Not deterministic: set it well above what
    /// honest jobs take. nil: no limit.
    public var maxJobTime: Duration? = .seconds(600)
    /// The execution tier jobs run on (identical results; auto: the JIT where available).
    public var engine: Engine = .auto
    public var loadLimits: LoadLimits = .default
    /// Host memory for loaded programs (least recently used ones are evicted and reloaded).
    public var programCacheBytes: Int = 1 << 30
    /// How long an onchain job whose program has not been submitted yet waits for it before it is
    /// FAILED (the JobCreated event may arrive before the program's SubmitProgram).
    public var programWait: Duration = .seconds(300)
    /// Queue DONE jobs for relaying (nil: relaying is off). `.ordered` orders every job; with
    /// `.unordered` each job is relayed as its SubmitJob asked (relay_strategy; onchain jobs unordered).
    public var relayStrategy: RelayStrategy? = nil
    /// What is deleted after how long (default: nothing, ever).
    public var retention = RetentionPolicy()

    public init() {}

    /// The default per-job memory cap (MiB): half of the machine's memory shared by `workers`
    /// concurrent executions, at most the engine's default of 4 GiB, at least 64 MiB.
    public static func defaultJobMemoryMiB(workers: Int, physicalMemory: UInt64 = ProcessInfo.processInfo.physicalMemory)
        -> UInt64 {
        min(ExecutionLimits.default.maxMemoryBytes >> 20, max(64, (physicalMemory / 2 / UInt64(max(1, workers))) >> 20))
    }
}

/// A setting that cannot be used (a malformed key, an unreadable allowlist, ...).
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
