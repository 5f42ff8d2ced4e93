import Ethereum
import Foundation
import Logging
import Synchronization
import ZKVM

/// Settings of the service core.
public struct CoprocessorConfig: Sendable {
    /// Threads executing jobs (default: one per core).
    public var workerCount: Int = ProcessInfo.processInfo.activeProcessorCount
    /// Jobs that may wait for a worker; beyond it SubmitJob answers RESOURCE_EXHAUSTED.
    public var queueBound: Int = 10_000
    /// Largest ELF SubmitProgram accepts.
    public var maxELFBytes: Int = 16 << 20
    /// Largest max_cycles a job may ask for: it bounds how long one job can hold a worker (a guest
    /// that loops forever with max_cycles = 2^64 - 1 would otherwise never give it back).
    public var maxCyclesCap: UInt64 = 10_000_000_000
    public var signerPolicy: SignerPolicy = .any
    public var executionLimits: ExecutionLimits = .default
    public var loadLimits: LoadLimits = .default
    /// Host memory for loaded programs (least recently used ones are evicted and reloaded).
    public var programCacheBytes: Int = 1 << 30
    /// Queue DONE jobs for relaying with this strategy (nil: relaying is off).
    public var relayStrategy: RelayStrategy? = nil

    public init() {}
}

/// The node's calls over a store, a program cache and a worker pool. Both front ends use one
/// instance of this; nothing here knows about gRPC or HTTP.
public final class CoprocessorService: CoprocessorAPI {
    public let store: JobStore
    public let operatorAddress: Address
    let config: CoprocessorConfig
    let logger: Logger
    let programs: ProgramCache
    let queue: JobQueue
    let metrics = NodeMetrics()
    private let runner: JobRunner
    private let onJobFinished: @Sendable (Job) -> Void
    private let workers = Mutex<WorkerPool?>(nil)
    private let accepting = Mutex(true)

    /// - Parameter onJobFinished: called on a worker thread after a job's outcome is durable
    ///   (the relayer hooks in here).
    public init(store: JobStore, operatorKey: PrivateKey, config: CoprocessorConfig = CoprocessorConfig(),
                logger: Logger = Logger(label: "coprocessor"), onJobFinished: @escaping @Sendable (Job) -> Void = { _ in }) {
        self.store = store
        self.operatorAddress = operatorKey.address
        self.config = config
        self.logger = logger
        self.queue = JobQueue(bound: config.queueBound)
        self.onJobFinished = onJobFinished
        let programs = ProgramCache(budget: config.programCacheBytes)
        self.programs = programs
        let loadLimits = config.loadLimits
        self.runner = JobRunner(
            programs: programs,
            loadProgram: { id in
                // Worker threads are not part of Swift's cooperative pool, so waiting here is fine.
                let result = BlockingResult<StoredProgram?>()
                Task { result.set(try? await store.program(id: id)) }
                guard let stored = result.wait(), let program = try? Program(elf: stored.elf, limits: loadLimits)
                else { return nil }
                programs.put(program)
                return program
            },
            operatorKey: operatorKey, limits: config.executionLimits, maxCyclesCap: config.maxCyclesCap,
            metrics: metrics, logger: logger)
    }

    /// Re-queues every PENDING job left by a previous run (crash recovery), then starts the workers.
    public func start() async throws {
        let pending = try await store.pendingJobs()
        for job in pending {
            if programs.get(job.programID) == nil, let stored = try await store.program(id: job.programID),
               let program = try? Program(elf: stored.elf, limits: config.loadLimits)
            {
                programs.put(program)
            }
            queue.push(job, reserved: false)
        }
        if !pending.isEmpty { logger.info("re-queued pending jobs", metadata: ["count": "\(pending.count)"]) }
        metrics.queueDepth.record(queue.depth)
        let pool = WorkerPool(count: config.workerCount, queue: queue, runner: runner, store: store,
                              relay: config.relayStrategy, logger: logger, onFinished: onJobFinished)
        workers.withLock { $0 = pool }
    }

    /// Stops taking jobs at once: new SubmitJob calls answer UNAVAILABLE, workers take no queued
    /// job any more (those stay PENDING for the next start), running ones finish. Call it first
    /// when shutting down, before the front ends drain.
    public func stopIntake() {
        accepting.withLock { $0 = false }
        queue.closeAndDiscard()
    }

    /// Stops intake. With `finishQueued`, workers run every queued job first; otherwise only the
    /// running ones finish and the rest stay PENDING for the next start. Blocks until the
    /// workers have exited and their outcomes are durable, so call it off the cooperative pool
    /// (or accept the brief block).
    public func shutdown(finishQueued: Bool = false) {
        accepting.withLock { $0 = false }
        if finishQueued { queue.close() } else { queue.closeAndDiscard() }
        workers.withLock { $0 }?.waitForExit()
    }

    /// Jobs waiting for a worker.
    public var queueDepth: Int { queue.depth }

    // MARK: - CoprocessorAPI

    public func submitProgram(elf: [UInt8], vmType: Int) async throws(NodeError) -> [UInt8] {
        guard vmType == VMType.sp1.rawValue else {
            let name = VMType(rawValue: vmType).map { "\($0)" } ?? "unknown"
            throw .invalidArgument("unsupported vm_type \(name) (\(vmType)): this node runs Sp1 (1) programs only")
        }
        guard !elf.isEmpty else { throw .invalidArgument("program_elf is empty") }
        guard elf.count <= config.maxELFBytes else {
            throw .invalidArgument("program_elf is \(elf.count) bytes; the limit is \(config.maxELFBytes)")
        }
        let program: Program
        do { program = try Program(elf: elf, limits: config.loadLimits) } catch {
            throw .invalidArgument("invalid program ELF: \(error.message)")
        }
        do {
            let inserted = try await store.insertProgram(StoredProgram(id: program.id.bytes, elf: elf, vmType: vmType))
            programs.put(program)
            if inserted {
                metrics.programsSubmitted.increment()
                logger.info("program stored", metadata: ["program_id": "\(program.id)", "elf_bytes": "\(elf.count)"])
            }
        } catch {
            throw .internal("storing the program failed: \(error)")
        }
        return program.id.bytes
    }

    public func submitJob(request: [UInt8], signature: [UInt8], offchainInput: [UInt8], state: [UInt8])
        async throws(NodeError) -> [UInt8]
    {
        do {
            return try await acceptJob(request: request, signature: signature, offchainInput: offchainInput, state: state)
        } catch {
            metrics.rejected.increment()
            throw error
        }
    }

    private func acceptJob(request bytes: [UInt8], signature: [UInt8], offchainInput: [UInt8], state: [UInt8])
        async throws(NodeError) -> [UInt8]
    {
        let request: OffchainJobRequest
        do { request = try OffchainJobRequest(abiEncoded: bytes) } catch {
            throw .invalidArgument("request is not an ABI-encoded OffchainJobRequest: \(error)")
        }
        do { try request.validate(offchainInput: offchainInput, state: state) } catch {
            throw .invalidArgument(error.description)
        }
        guard signature.count == 65 else {
            throw .invalidArgument("signature must be 65 bytes (r || s || v), got \(signature.count)")
        }
        let signer: Address
        do { signer = try Signature(bytes: signature).recoverPersonalMessageSigner(bytes) } catch {
            throw .invalidArgument("invalid request signature: \(error)")
        }
        guard config.signerPolicy.permits(signer: signer, consumer: request.consumer) else {
            throw .permissionDenied("signer \(signer) is not allowed to submit jobs for consumer \(request.consumer)")
        }
        try await ensureProgramLoaded(request.programID)

        let job = Job(id: request.jobID, nonce: request.nonce, maxCycles: request.maxCycles, consumer: request.consumer,
                      programID: request.programID, onchainInput: request.onchainInput,
                      offchainInputHash: request.offchainInputHash, stateHash: request.stateHash,
                      requestSignature: signature, origin: .offchain, offchainInput: offchainInput, state: state,
                      request: bytes, signer: signer)
        try await enqueueNewJob(job)
        return job.id.bytes
    }

    /// Stores a new job durably as PENDING and queues it; the queue place is reserved first so a
    /// full queue stores nothing. Used for offchain requests and for onchain JobCreated events.
    public func enqueueNewJob(_ job: Job) async throws(NodeError) {
        guard accepting.withLock({ $0 }) else { throw .unavailable("the node is shutting down; retry with another node or later") }
        guard job.maxCycles <= config.maxCyclesCap else {
            throw .invalidArgument("max_cycles \(job.maxCycles) exceeds this node's limit of \(config.maxCyclesCap)")
        }
        guard queue.reserve() else {
            throw .resourceExhausted("the execution queue is full (\(config.queueBound) jobs waiting); retry later")
        }
        let inserted: Bool
        do { inserted = try await store.insertJob(job) } catch {
            queue.cancelReservation()
            throw .internal("storing the job failed: \(error)")
        }
        guard inserted else {
            queue.cancelReservation()
            throw .alreadyExists("job \(job.id) already exists (nonce \(job.nonce), consumer \(job.consumer))")
        }
        metrics.submitted.increment()
        queue.push(job, reserved: true)
        metrics.queueDepth.record(queue.depth)
    }

    /// Makes sure a program is in the cache (loading it from the store after a restart).
    public func ensureProgramLoaded(_ id: [UInt8]) async throws(NodeError) {
        if programs.get(id) != nil { return }
        let stored: StoredProgram?
        do { stored = try await store.program(id: id) } catch { throw .internal("reading the program failed: \(error)") }
        guard let stored else {
            throw .notFound("program 0x\(Hex.encode(id)) not found; submit it with SubmitProgram first")
        }
        do { programs.put(try Program(elf: stored.elf, limits: config.loadLimits)) } catch {
            throw .internal("stored program 0x\(Hex.encode(id)) no longer loads: \(error.message)")
        }
    }

    public func getResult(jobID: [UInt8]) async throws(NodeError) -> Job {
        guard let id = try? Bytes32(jobID) else {
            throw .invalidArgument("job_id must be 32 bytes, got \(jobID.count)")
        }
        let job: Job?
        do { job = try await store.job(id: id) } catch { throw .internal("reading the job failed: \(error)") }
        guard let job else { throw .notFound("job \(id) not found") }
        return job
    }

    public func getPendingJobs(consumer: [UInt8]) async throws(NodeError) -> [UInt64] {
        guard let address = try? Address(bytes: consumer) else {
            throw .invalidArgument("consumer_address must be 20 bytes, got \(consumer.count)")
        }
        do { return try await store.pendingNonces(consumer: address) } catch {
            throw .internal("reading pending jobs failed: \(error)")
        }
    }

    public func containsProgram(programID: [UInt8]) async throws(NodeError) -> Bool {
        guard programID.count == 32 else {
            throw .invalidArgument("program_id must be 32 bytes, got \(programID.count)")
        }
        if programs.get(programID) != nil { return true }
        do { return try await store.containsProgram(id: programID) } catch {
            throw .internal("reading programs failed: \(error)")
        }
    }
}

/// A value handed from an async task to a waiting thread.
final class BlockingResult<Value: Sendable>: @unchecked Sendable {  // guarded by `condition`
    private let condition = NSCondition()
    private var value: Value?
    private var done = false

    func set(_ value: Value) {
        condition.lock()
        self.value = value
        done = true
        condition.signal()
        condition.unlock()
    }

    func wait() -> Value {
        condition.lock()
        defer { condition.unlock() }
        while !done { condition.wait() }
        return value!
    }
}
