import Foundation

/// A thread of its own that runs the tasks which prefer it (`Task(executorPreference:)`). Guest
/// execution is CPU-bound and may take long, so each worker's task runs here: it never occupies
/// the event loops or Swift's cooperative pool, yet it can `await` (a program load, the next job)
/// like any task — while it waits, the thread simply sleeps.
final class WorkerThread: TaskExecutor, @unchecked Sendable {  // `jobs` is guarded by `condition`
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []

    init(name: String) {
        let thread = Thread { [unowned self] in self.loop() }
        thread.name = name
        thread.stackSize = 8 << 20
        thread.start()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    /// Runs jobs for as long as the process lives (a worker thread is never torn down: an idle one
    /// costs nothing but its stack).
    private func loop() {
        while true {
            condition.lock()
            while jobs.isEmpty { condition.wait() }
            let batch = jobs
            jobs.removeAll(keepingCapacity: true)
            condition.unlock()
            for job in batch { job.runSynchronously(on: asUnownedTaskExecutor()) }
        }
    }
}
