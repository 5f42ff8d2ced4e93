import CoprocessorWire
import Ethereum
import Foundation
import Logging
import Synchronization

/// Runs queued jobs: one task per worker, each on a `WorkerThread` of its own. A worker takes the
/// next job, gets its program from the library (loading it from the store if needed), executes
/// it, and hands the outcome to the store without waiting for the disk; a failed write is retried
/// until it is durable, so no outcome is lost.
final class WorkerPool: Sendable {
    private let workers: [Task<Void, Never>]
    private let outcomes: OutcomeWriter

    init(count: Int, queue: JobQueue, programs: ProgramLibrary, runner: JobRunner, outcomes: OutcomeWriter) {
        self.outcomes = outcomes
        runner.metrics.workers.record(max(1, count))
        workers = (0..<max(1, count)).map { i in
            Task(executorPreference: WorkerThread(name: "job-worker-\(i)")) {
                while let job = await queue.next() {
                    runner.metrics.queueDepth.record(queue.depth)
                    runner.metrics.workersBusy.increment()
                    defer { runner.metrics.workersBusy.decrement() }
                    let outcome: JobOutcome
                    do throws(NodeError) {
                        if let program = try await programs.program(id: job.programID) {
                            // nil: interrupted at shutdown; the job stays PENDING.
                            guard let ran = runner.run(job, program: program) else { continue }
                            outcome = ran
                        } else {
                            outcome = .failed(reason: "program 0x\(Hex.encode(job.programID, prefixed: false)) is not stored on this node")
                        }
                    } catch {
                        outcome = .failed(reason: error.message)
                    }
                    outcomes.write(outcome, of: job)
                }
            }
        }
    }

    /// Waits until every worker has stopped (after the queue was closed) and every outcome is
    /// durable.
    func waitForExit() async {
        for worker in workers { await worker.value }
        await outcomes.pending.waitForZero()
    }
}

/// Writes outcomes through the store's group commit: the worker moves on at once and the relayer
/// hears about the job when the write is durable. A failed write is retried with back-off for a
/// few minutes (the job stays PENDING meanwhile); if the database stays unusable that long, the
/// job is left PENDING and runs again after a restart.
final class OutcomeWriter: Sendable {
    private let store: JobStore
    private let relay: RelayStrategy?
    private let logger: Logger
    private let onFinished: @Sendable (Job) -> Void
    /// Writes not yet durable.
    let pending = PendingCount()
    static let retryDelays: [Duration] = [.milliseconds(50), .milliseconds(200), .seconds(1), .seconds(5)]
    static let maxAttempts = 40

    init(store: JobStore, relay: RelayStrategy?, logger: Logger, onFinished: @escaping @Sendable (Job) -> Void) {
        self.store = store
        self.relay = relay
        self.logger = logger
        self.onFinished = onFinished
    }

    func write(_ outcome: JobOutcome, of job: Job, attempt: Int = 0) {
        pending.add()
        store.finishJob(id: job.id, attempt: job.attempt, outcome: outcome, relay: relay) { [self] error in
            defer { pending.done() }
            guard let error else {
                var finished = job
                finished.apply(outcome)
                onFinished(finished)
                return
            }
            guard attempt + 1 < Self.maxAttempts else {
                logger.critical("giving up storing a job's outcome; it stays PENDING and runs again after a restart",
                                metadata: ["job_id": "\(job.id)", "error": "\(error)"])
                return
            }
            let delay = Self.retryDelays[min(attempt, Self.retryDelays.count - 1)]
            logger.error("could not store a job's outcome; retrying", metadata: [
                "job_id": "\(job.id)", "error": "\(error)", "attempt": "\(attempt + 1)", "retry_in": "\(delay)",
            ])
            pending.add()
            Task {
                try? await Task.sleep(for: delay)
                self.write(outcome, of: job, attempt: attempt + 1)
                self.pending.done()
            }
        }
    }
}

extension Job {
    /// The job as its outcome leaves it.
    public mutating func apply(_ outcome: JobOutcome) {
        switch outcome {
        case .done(let result, let signature):
            status = .done
            resultWithMetadata = result
            operatorSignature = signature
            failureReason = nil
        case .failed(let reason):
            status = .failed
            failureReason = reason
        }
    }
}

/// A counter that can be waited on until it reaches zero.
final class PendingCount: Sendable {
    private struct State {
        var count = 0
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    func add() { state.withLock { $0.count += 1 } }

    func done() {
        let waiters: [CheckedContinuation<Void, Never>] = state.withLock { s in
            s.count -= 1
            guard s.count == 0 else { return [] }
            defer { s.waiters.removeAll() }
            return s.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    func waitForZero() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ready = state.withLock { s in
                if s.count == 0 { return true }
                s.waiters.append(continuation)
                return false
            }
            if ready { continuation.resume() }
        }
    }
}
