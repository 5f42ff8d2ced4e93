import Ethereum
import Synchronization

/// A bounded map of recently written jobs (oldest evicted first). The store updates it after each
/// commit it mirrors; reads fall back to SQLite for anything not here.
final class JobCache: Sendable {
    private struct State {
        var jobs: [Bytes32: Job] = [:]
        var order: [Bytes32] = []  // insertion order, for eviction
        var head = 0
    }

    private let state = Mutex(State())
    private let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    func get(_ id: Bytes32) -> Job? { state.withLock { $0.jobs[id] } }

    func put(_ job: Job) {
        state.withLock { s in
            if s.jobs.updateValue(job, forKey: job.id) == nil { s.order.append(job.id) }
            while s.jobs.count > capacity, s.head < s.order.count {
                s.jobs.removeValue(forKey: s.order[s.head])
                s.head += 1
            }
            if s.head > capacity {  // drop the evicted prefix now and then
                s.order.removeFirst(s.head)
                s.head = 0
            }
        }
    }

    /// Forgets a job (its row was deleted). Its place in the eviction order goes when it comes up.
    func remove(_ id: Bytes32) { _ = state.withLock { $0.jobs.removeValue(forKey: id) } }

    /// Applies `change` to the cached job, if it is cached.
    func update(_ id: Bytes32, _ change: (inout Job) -> Void) {
        state.withLock { s in
            if var job = s.jobs[id] {
                change(&job)
                s.jobs[id] = job
            }
        }
    }
}
