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

    /// Blocks until every worker has exited (after the queue was closed).
    func waitForExit() {
        lock.lock()
        while running > 0 { lock.wait() }
        lock.unlock()
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
            do {
                try store.finishJob(id: job.id, outcome: outcome, relay: relay)
                onFinished(finished)
            } catch {
                // The job stays PENDING in the store and runs again after a restart.
                logger.error("could not store a job's outcome", metadata: ["job_id": "\(job.id)", "error": "\(error)"])
            }
        }
        lock.lock()
        running -= 1
        lock.broadcast()
        lock.unlock()
    }
}
