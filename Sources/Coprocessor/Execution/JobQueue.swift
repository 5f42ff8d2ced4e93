import Synchronization

/// The execution queue: a FIFO of jobs with a bound on jobs waiting (not yet running). Intake
/// reserves a place before it stores a job, so a full queue rejects a request without storing
/// anything. Workers wait for jobs with `next()` (a suspension, not a blocked thread).
final class JobQueue: Sendable {
    private struct State {
        var items: [Job] = []
        var head = 0
        var reserved = 0
        var closed = false
        var waiters: [CheckedContinuation<Job?, Never>] = []

        var depth: Int { items.count - head }

        /// The first waiting job; `.some(nil)` when the queue is closed; nil when it is empty.
        mutating func take() -> Job?? {
            if head < items.count {
                let job = items[head]
                head += 1
                if head > 1024 && head * 2 > items.count {  // compact occasionally
                    items.removeFirst(head)
                    head = 0
                }
                return .some(job)
            }
            return closed ? .some(nil) : nil
        }
    }

    private let state = Mutex(State())
    let bound: Int

    init(bound: Int) { self.bound = bound }

    /// Jobs waiting to run (for the queue-depth gauge).
    var depth: Int { state.withLock { $0.depth } }

    /// Takes a place in the queue for a job about to be stored; false if the queue is full.
    func reserve() -> Bool {
        state.withLock { s in
            guard !s.closed, s.depth + s.reserved < bound else { return false }
            s.reserved += 1
            return true
        }
    }

    /// Gives back a reservation whose job was not stored.
    func cancelReservation() {
        state.withLock { $0.reserved -= 1 }
    }

    /// Queues a job: with a reservation (intake), or past the bound (jobs accepted earlier:
    /// recovery at start, jobs whose program has just arrived).
    func push(_ job: Job, reserved hadReservation: Bool) {
        let waiter: CheckedContinuation<Job?, Never>? = state.withLock { s in
            if hadReservation { s.reserved -= 1 }
            guard !s.closed else { return nil }
            if !s.waiters.isEmpty { return s.waiters.removeFirst() }
            s.items.append(job)
            return nil
        }
        waiter?.resume(returning: job)
    }

    /// The next job; waits while the queue is empty; nil once the queue is closed.
    func next() async -> Job? {
        // A busy queue answers without suspending the worker's task.
        if let ready = state.withLock({ $0.take() }) { return ready }
        return await withCheckedContinuation { (continuation: CheckedContinuation<Job?, Never>) in
            let ready: Job?? = state.withLock { s in
                if let ready = s.take() { return ready }
                s.waiters.append(continuation)
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    /// Stops the queue and drops what is waiting (those jobs stay PENDING in the store and run
    /// after the next start); `next()` returns nil from now on.
    func close() {
        let waiters = state.withLock { s in
            s.closed = true
            s.items.removeAll()
            s.head = 0
            defer { s.waiters.removeAll() }
            return s.waiters
        }
        for waiter in waiters { waiter.resume(returning: nil) }
    }
}
