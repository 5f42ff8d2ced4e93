import Ethereum
import Foundation
import Logging

/// Runs queued jobs on dedicated threads, so guest execution (CPU-bound, possibly long) never
/// occupies the event loops or Swift's cooperative thread pool.
final class WorkerPool: @unchecked Sendable {  // threads and `running` are guarded by `lock`
    private let queue: JobQueue
    private let runner: JobRunner
    private let store: JobStore
    private let onFinished: @Sendable (Job) -> Void
    private let relay: RelayStrategy?
    private let logger: Logger
    private let lock = NSCondition()
    private var running = 0
    /// Outcome writes queued but not yet durable; `waitForExit` waits for them too.
    private let pendingWrites = PendingCount()

    init(count: Int, queue: JobQueue, runner: JobRunner, store: JobStore, relay: RelayStrategy?, logger: Logger,
         onFinished: @escaping @Sendable (Job) -> Void) {
        self.relay = relay
        self.queue = queue
        self.runner = runner
        self.store = store
        self.logger = logger
        self.onFinished = onFinished
        for i in 0..<max(1, count) {
            let thread = Thread { [self] in self.work() }
            thread.name = "job-worker-\(i)"
            thread.stackSize = 8 << 20
            lock.lock()
            running += 1
            lock.unlock()
            thread.start()
        }
    }

    /// Blocks until every worker has exited (after the queue was closed) and their outcomes are
    /// durable.
    func waitForExit() {
        lock.lock()
        while running > 0 { lock.wait() }
        lock.unlock()
        pendingWrites.waitForZero()
    }

    private func work() {
        while let job = queue.pop() {
            runner.metrics.queueDepth.record(queue.depth)
            var finished = job
            let outcome = runner.run(job)
            switch outcome {
            case .done(let result, let signature):
                finished.status = .done
                finished.resultWithMetadata = result
                finished.operatorSignature = signature
            case .failed(let reason):
                finished.status = .failed
                finished.failureReason = reason
            }
            // The outcome is written by the group-commit writer; the worker moves on at once and
            // the relayer hears about the job when the write is durable.
            let onFinished = self.onFinished, logger = self.logger, done = finished
            pendingWrites.add()
            store.finishJob(id: job.id, outcome: outcome, relay: relay) { [pendingWrites] error in
                if let error {
                    // The job stays PENDING in the store and runs again after a restart.
                    logger.error("could not store a job's outcome", metadata: ["job_id": "\(done.id)", "error": "\(error)"])
                } else {
                    onFinished(done)
                }
                pendingWrites.done()
            }
        }
        lock.lock()
        running -= 1
        lock.broadcast()
        lock.unlock()
    }
}

/// A counter that can be waited on until it reaches zero.
final class PendingCount: @unchecked Sendable {  // guarded by `condition`
    private let condition = NSCondition()
    private var count = 0

    func add() {
        condition.lock()
        count += 1
        condition.unlock()
    }

    func done() {
        condition.lock()
        count -= 1
        if count == 0 { condition.broadcast() }
        condition.unlock()
    }

    func waitForZero() {
        condition.lock()
        while count > 0 { condition.wait() }
        condition.unlock()
    }
}
