import CoprocessorWire
import Ethereum
import Foundation
import Logging
import Synchronization
import ZKVM

/// The node's service core: the calls of the wire API over a store, the program library and a
/// worker pool. Both front ends use one instance of this; nothing here knows about gRPC or HTTP.
/// Every job — offchain request or onchain event — enters through `admit`.
public final class CoprocessorService: CoprocessorNodeAPI {
    public let store: JobStore
    public let operatorAddress: Address
    let config: CoprocessorConfig
    let logger: Logger
    let programs: ProgramLibrary
    let queue: JobQueue
    let metrics = NodeMetrics()
    private let intake: Intake
    private let runner: JobRunner
    private let outcomes: OutcomeWriter
    private let waiting = ProgramWaitList()
    private let onJobFinished: @Sendable (Job) -> Void
    private let workers = Mutex<WorkerPool?>(nil)
    private let sweeper = Mutex<Task<Void, Never>?>(nil)
    /// Retention (`config.retention`) and its periodic task.
    private let pruner: Pruner
    private let pruning = Mutex<Task<Void, Never>?>(nil)
    private let leaseTending = Mutex<Task<Void, Never>?>(nil)
    /// The store's leases when several nodes share it.
    private var leases: JobLeases? { store as? JobLeases }
    /// Queued jobs beyond which a node on a shared store shares new ones with the other nodes: a
    /// backlog of several jobs per worker (below it, sharing costs more round trips than it saves).
    private var shareAbove: Int { max(16, 8 * config.workerCount) }
    /// PENDING jobs no node holds, as counted at the last lease renewal plus those this node
    /// shared since, less those it claimed (bounds the shared queue).
    private let sharedBacklog = Mutex(0)
    private let accepting = Mutex(true)
    private let quota: ConsumerQuota
    private let signerRate: SignerRateLimit
    /// Raised by `shutdown()`: stops the running executions.
    private let interrupt = ExecutionInterrupt()

    /// - Parameter onJobFinished: called after a job's outcome is durable (the relayer hooks in here).
    public init(store: JobStore, operatorKey: PrivateKey, config: CoprocessorConfig = CoprocessorConfig(),
                logger: Logger = Logger(label: "coprocessor"), onJobFinished: @escaping @Sendable (Job) -> Void = { _ in }) {
        self.store = store
        self.operatorAddress = operatorKey.address
        self.config = config
        self.logger = logger
        self.queue = JobQueue(bound: config.queueBound)
        self.onJobFinished = onJobFinished
        self.programs = ProgramLibrary(store: store, cacheBytes: config.programCacheBytes,
                                       loadLimits: config.loadLimits, maxELFBytes: config.maxELFBytes,
                                       notesUses: config.retention.unusedPrograms != nil)
        self.pruner = Pruner(policy: config.retention, store: store, programs: programs,
                             keepUnrelayed: config.relayStrategy != nil, logger: logger)
        self.intake = Intake(signerPolicy: config.signerPolicy, maxCyclesCap: config.maxCyclesCap,
                             maxJobDataBytes: config.maxJobDataBytes)
        var limits = config.executionLimits
        limits.maxWallTime = config.maxJobTime
        self.runner = JobRunner(operatorKey: operatorKey, limits: limits,
                                maxCyclesCap: config.maxCyclesCap, metrics: metrics, logger: logger,
                                engine: config.engine, interrupt: interrupt)
        let quota = ConsumerQuota(limit: config.maxUnfinishedJobsPerConsumer)
        self.quota = quota
        self.signerRate = SignerRateLimit(rate: config.maxJobsPerSignerPerSecond)
        self.outcomes = OutcomeWriter(store: store, relay: config.relayStrategy, logger: logger,
                                      onFinished: { job in
                                          if job.origin == .offchain { quota.release(job.consumer) }
                                          onJobFinished(job)
                                      })
    }

    /// Re-queues every PENDING job left by a previous run (onchain jobs whose program is still
    /// missing go back to waiting for it), then starts the workers. On a store several nodes
    /// share (`JobLeases`), PENDING jobs belong to the nodes holding them: this node instead
    /// renews its own leases and takes over expired ones (`tendLeases`), from now on.
    public func start() async throws {
        if let leases = store as? JobLeases {
            startWorkers()
            leaseTending.withLock { $0 = Task { [weak self] in await self?.tendLeases(leases) } }
            return
        }
        let pending = try await store.pendingJobs()
        var parked = 0
        for job in pending {
            if job.origin == .onchain, try await !store.containsProgram(id: job.programID) {
                waiting.park(job)
                parked += 1
            } else {
                queue.push(job, reserved: false)
            }
            // Jobs left by the previous run count against their consumer's limit (they may exceed it).
            if job.origin == .offchain { quota.add(job.consumer) }
        }
        if !pending.isEmpty {
            logger.info("re-queued pending jobs", metadata: ["count": "\(pending.count - parked)",
                                                             "waiting_for_program": "\(parked)"])
        }
        metrics.queueDepth.record(queue.depth)
        startWorkers()
    }

    private func startWorkers() {
        let pool = WorkerPool(count: config.workerCount, queue: queue, programs: programs, runner: runner,
                              outcomes: outcomes)
        workers.withLock { $0 = pool }
        sweeper.withLock { $0 = Task { [weak self] in await self?.expireWaitingJobs() } }
        if !config.retention.isOff {
            let pruner = self.pruner
            pruning.withLock { $0 = Task { await pruner.run() } }
        }
    }

    /// Several nodes on one database: renews this node's job leases a few times per lease, and
    /// takes over jobs whose holder's lease ran out (the node died or stalled), as many as keep
    /// its workers busy, so the rescued jobs spread over the nodes that have room.
    private func tendLeases(_ leases: JobLeases) async {
        let interval = leases.leaseDuration / 3
        let wakeup = Wakeup()
        (store as? StoreSignals)?.onSignal(.jobsAvailable) { wakeup.signal() }
        var renewedAt = ContinuousClock.now - interval
        while !Task.isCancelled {
            do {
                if ContinuousClock.now - renewedAt >= interval {
                    let (held, unclaimed) = try await leases.renewJobLeases()
                    metrics.leasedJobs.record(held)
                    metrics.leaseRenewals.increment()
                    renewedAt = .now
                    sharedBacklog.withLock { $0 = unclaimed }
                }
                let room = max(0, 2 * config.workerCount - queue.depth)
                if room > 0, accepting.withLock({ $0 }) {
                    let claimed = try await leases.claimExpiredJobs(limit: room)
                    for job in claimed {
                        if job.origin == .onchain, try await !store.containsProgram(id: job.programID) {
                            waiting.park(job)
                        } else {
                            queue.push(job, reserved: false)
                        }
                        if job.origin == .offchain { quota.add(job.consumer) }
                    }
                    if !claimed.isEmpty {
                        metrics.claims.increment(by: claimed.count)
                        // Attempt 1 is a shared job's first run; later attempts rescue a dead
                        // or stalled holder's job.
                        let rescued = claimed.filter { $0.attempt > 1 }.count
                        if rescued > 0 {
                            metrics.rescued.increment(by: rescued)
                            logger.warning("took over jobs whose holder's lease expired", metadata: [
                                "count": "\(rescued)", "holder": "\(leases.holder)",
                            ])
                        }
                        metrics.queueDepth.record(queue.depth)
                        sharedBacklog.withLock { $0 = max(0, $0 - claimed.count) }
                        continue  // more may be waiting
                    }
                }
            } catch {
                logger.error("renewing or claiming job leases failed", metadata: ["error": "\(error)"])
            }
            // Until a job is shared or released (any node's signal), a worker frees up, or the
            // next renewal: polling stands in for signals lost with the LISTEN connection.
            await wakeup.wait(timeout: queue.depth >= 2 * config.workerCount ? .milliseconds(50) : interval)
        }
    }

    /// Runs one pruning pass now, as the periodic task does (for tests and operators' tools).
    public func pruneNow(now: Double = Date().timeIntervalSince1970) async { await pruner.pruneOnce(now: now) }

    /// Stops taking jobs at once: new SubmitJob calls answer UNAVAILABLE, workers take no queued
    /// job any more (those stay PENDING for the next start), running ones finish. Call it first
    /// when shutting down, before the front ends drain.
    public func stopIntake() {
        accepting.withLock { $0 = false }
        queue.close()
    }

    /// Stops intake, interrupts the running jobs (they stop within milliseconds and stay PENDING,
    /// like the queued ones, for the next start) and waits for every outcome to be durable.
    public func shutdown() async {
        stopIntake()
        interrupt.raise()
        sweeper.withLock { $0 }?.cancel()
        pruning.withLock { $0 }?.cancel()
        await workers.withLock { $0 }?.waitForExit()
        // Jobs still queued or interrupted: other nodes may take them at once.
        if let tending = leaseTending.withLock({ $0 }), let leases = store as? JobLeases {
            tending.cancel()
            await tending.value
            do { try await leases.releaseJobLeases() } catch {
                logger.warning("could not release job leases; other nodes take the jobs when they expire",
                               metadata: ["error": "\(error)"])
            }
        }
    }

    /// Jobs waiting for a worker.
    public var queueDepth: Int { queue.depth }
    /// Onchain jobs waiting for their program to be submitted.
    public var jobsWaitingForPrograms: Int { waiting.count }

    // MARK: - The wire API

    public func submitProgram(_ request: SubmitProgramRequest) async throws(NodeError) -> SubmitProgramResponse {
        let (program, inserted) = try await programs.add(elf: request.programELF, vmType: request.vmType)
        if inserted {
            metrics.programsSubmitted.increment()
            logger.info("program stored", metadata: ["program_id": "\(program.id)", "elf_bytes": "\(request.programELF.count)"])
        }
        releaseJobs(waitingFor: program.id.bytes)
        return SubmitProgramResponse(programID: program.id.bytes)
    }

    public func submitJob(_ request: SubmitJobRequest) async throws(NodeError) -> SubmitJobResponse {
        do throws(NodeError) {
            let now = Date().timeIntervalSince1970
            let job = try intake.offchainJob(request, now: now)
            if let signer = job.signer, !signerRate.take(signer, now: now) {
                throw .resourceExhausted("signer \(signer) submits more than \(signerRate.rate) jobs per second, this "
                    + "node's limit; retry later")
            }
            guard try await programs.contains(id: job.programID) else {
                throw .notFound("program 0x\(Hex.encode(job.programID, prefixed: false)) not found; submit it with SubmitProgram first")
            }
            try await admit(job)
            return SubmitJobResponse(jobID: job.id.bytes)
        } catch {
            metrics.rejected.increment()
            throw error
        }
    }

    public func getResult(_ request: GetResultRequest) async throws(NodeError) -> GetResultResponse {
        guard let id = try? Bytes32(request.jobID) else {
            throw .invalidArgument("job_id must be 32 bytes, got \(request.jobID.count)")
        }
        let job: Job?
        do { job = try await store.job(id: id) } catch { throw .internal("reading the job failed: \(error)") }
        guard let job else {
            if (try? await store.wasPruned(id: id)) == true {
                throw .notFound("job \(id) was pruned: it finished longer ago than this node keeps finished jobs")
            }
            throw .notFound("job \(id) not found")
        }
        return GetResultResponse(jobResult: JobResult(job))
    }

    public func getPendingJobs(_ request: GetPendingJobsRequest) async throws(NodeError) -> GetPendingJobsResponse {
        guard let address = try? Address(bytes: request.consumerAddress) else {
            throw .invalidArgument("consumer_address must be 20 bytes, got \(request.consumerAddress.count)")
        }
        do { return GetPendingJobsResponse(pendingJobs: try await store.pendingNonces(consumer: address)) } catch {
            throw .internal("reading pending jobs failed: \(error)")
        }
    }

    public func containsProgram(_ request: ContainsProgramRequest) async throws(NodeError) -> ContainsProgramResponse {
        guard request.programID.count == 32 else {
            throw .invalidArgument("program_id must be 32 bytes, got \(request.programID.count)")
        }
        return ContainsProgramResponse(contains: try await programs.contains(id: request.programID))
    }

    // MARK: - Onchain jobs

    /// Takes a `JobCreated` event through the same intake as offchain requests. Throws only what
    /// is worth retrying later (queue full, storage failure, shutting down); a job the node cannot
    /// run is stored FAILED with the reason instead.
    public func submitOnchainJob(_ event: JobCreatedEvent) async throws(NodeError) -> OnchainIntake {
        var (job, reason) = intake.onchainJob(event, now: Date().timeIntervalSince1970)
        if let reason {
            job.status = .failed
            job.failureReason = "rejected at intake: \(reason)"
            return try await insert(job) ? .rejected(reason: reason) : .alreadyKnown
        }
        if try await programs.contains(id: job.programID) {
            do throws(NodeError) { try await admit(job) } catch where error.code == .alreadyExists { return .alreadyKnown }
            return .accepted
        }
        // Stored PENDING now (the event is consumed), run when the program arrives.
        guard accepting.withLock({ $0 }) else { throw .unavailable("the node is shutting down") }
        guard try await insert(job) else { return .alreadyKnown }
        waiting.park(job)
        // The program may have been stored between the check and the park.
        if try await programs.contains(id: job.programID) { releaseJobs(waitingFor: job.programID) }
        logger.info("onchain job waits for its program", metadata: [
            "job_id": "\(job.id)", "program_id": "\(Hex.encode(job.programID, prefixed: false))",
            "wait": "\(config.programWait)",
        ])
        return .waitingForProgram
    }

    // MARK: - Admission

    /// Stores a new job durably as PENDING and queues it; the queue place is reserved first so a
    /// full queue stores nothing.
    private func admit(_ job: Job) async throws(NodeError) {
        guard accepting.withLock({ $0 }) else { throw .unavailable("the node is shutting down; retry with another node or later") }
        guard queue.reserve() else {
            throw .resourceExhausted("the execution queue is full (\(config.queueBound) jobs waiting); retry later")
        }
        let counted = job.origin == .offchain
        guard !counted || quota.reserve(job.consumer) else {
            queue.cancelReservation()
            throw .resourceExhausted("consumer \(job.consumer) has \(quota.limit) jobs queued or running, its limit on "
                + "this node; retry when some have finished")
        }
        // On a shared store, a node whose workers already have a backlog stores the job for any
        // node to claim (idle ones wake on the signal) instead of queueing it here.
        let shared = leases != nil && queue.depth >= shareAbove
        if shared, queue.depth + sharedBacklog.withLock({ $0 }) >= config.queueBound {
            queue.cancelReservation()
            if counted { quota.release(job.consumer) }
            throw .resourceExhausted("the cluster's shared queue is full (\(config.queueBound) jobs waiting); retry later")
        }
        let inserted: Bool
        do {
            if shared, let leases {
                inserted = try await leases.insertSharedJob(job)
            } else {
                inserted = try await store.insertJob(job)
            }
        } catch {
            queue.cancelReservation()
            if counted { quota.release(job.consumer) }
            throw .internal("storing the job failed: \(error)")
        }
        guard inserted else {
            queue.cancelReservation()
            if counted { quota.release(job.consumer) }
            throw .alreadyExists("job \(job.id) already exists (nonce \(job.nonce), consumer \(job.consumer))")
        }
        metrics.submitted.increment()
        if shared {
            // Counted again by whichever node claims it.
            queue.cancelReservation()
            if counted { quota.release(job.consumer) }
            sharedBacklog.withLock { $0 += 1 }
            metrics.shared.increment()
            return
        }
        queue.push(job, reserved: true)
        metrics.queueDepth.record(queue.depth)
    }

    private func insert(_ job: Job) async throws(NodeError) -> Bool {
        do { return try await store.insertJob(job) } catch { throw .internal("storing the job failed: \(error)") }
    }

    private func releaseJobs(waitingFor programID: [UInt8]) {
        for job in waiting.release(programID: programID) { queue.push(job, reserved: false) }
    }

    /// Fails onchain jobs whose program did not arrive in time (checked every second).
    private func expireWaitingJobs() async {
        let wait = config.programWait.seconds
        while !Task.isCancelled {
            for job in waiting.expire(acceptedBefore: Date().timeIntervalSince1970 - wait) {
                let reason = "program 0x\(Hex.encode(job.programID, prefixed: false)) was not submitted within "
                    + "\(config.programWait) of the job's JobCreated event"
                logger.warning("onchain job failed waiting for its program", metadata: ["job_id": "\(job.id)"])
                metrics.failed.increment()
                outcomes.write(.failed(reason: reason), of: job)
            }
            try? await Task.sleep(for: .seconds(1))
        }
    }
}
