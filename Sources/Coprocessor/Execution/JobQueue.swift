import Ethereum
import Foundation

/// The execution queue: a FIFO of jobs with a bound on jobs waiting (not yet running).
/// Intake reserves a place before it stores a job, so a full queue rejects a request without
/// storing anything. Worker threads block on it; nothing here runs on Swift's cooperative pool.
final class JobQueue: @unchecked Sendable {  // state is guarded by `condition`
    private let condition = NSCondition()
    private var items: [Job] = []
    private var head = 0
    private var reserved = 0
    private var closed = false
    let bound: Int

    init(bound: Int) { self.bound = bound }

    /// Jobs waiting to run (for the queue-depth gauge).
    var depth: Int {
        condition.lock()
        defer { condition.unlock() }
        return items.count - head
    }

    /// Takes a place in the queue for a job about to be stored; false if the queue is full.
    func reserve() -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard !closed, items.count - head + reserved < bound else { return false }
        reserved += 1
        return true
    }

    /// Gives back a reservation whose job was not stored.
    func cancelReservation() {
        condition.lock()
        reserved -= 1
        condition.unlock()
    }

    /// Queues a job: with a reservation (intake), or past the bound (recovery of accepted jobs).
    func push(_ job: Job, reserved hadReservation: Bool) {
        condition.lock()
        if hadReservation { reserved -= 1 }
        items.append(job)
        condition.signal()
        condition.unlock()
    }

    /// Blocks until a job is available; nil once the queue is closed and drained.
    func pop() -> Job? {
        condition.lock()
        defer { condition.unlock() }
        while head == items.count && !closed { condition.wait() }
        guard head < items.count else { return nil }
        let job = items[head]
        head += 1
        if head > 1024 && head * 2 > items.count {  // compact occasionally
            items.removeFirst(head)
            head = 0
        }
        return job
    }

    /// Stops intake; workers finish what is queued, then `pop` returns nil.
    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    /// Stops intake and drops what is queued (those jobs stay PENDING in the store).
    func closeAndDiscard() {
        condition.lock()
        closed = true
        items.removeAll()
        head = 0
        condition.broadcast()
        condition.unlock()
    }
}
