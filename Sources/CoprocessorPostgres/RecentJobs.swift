import Coprocessor
import CoprocessorWire
import Ethereum
import Synchronization

/// What this node knows of the jobs it is running and has just finished, so that GetResult polls
/// rarely reach the database: a job it holds is PENDING until its outcome is written (here), and
/// a finished one is answered from memory for `freshFor` — other nodes may change a finished job
/// (the leader marks it RELAYED), so after that the database answers again. Entries are written
/// only after the writes they mirror are committed.
final class RecentJobs: Sendable {
    private struct Entry {
        var job: Job
        /// nil while this node holds the job unfinished.
        var until: ContinuousClock.Instant?
    }

    private struct State {
        var entries: [Bytes32: Entry] = [:]
        var order: [Bytes32] = []
        var head = 0
    }

    private let state = Mutex(State())
    private let capacity: Int
    private let freshFor: Duration

    init(capacity: Int = 65_536, freshFor: Duration = .milliseconds(500)) {
        self.capacity = capacity
        self.freshFor = freshFor
    }

    /// A job this node stored and holds (PENDING until `finished` or `forget`).
    func held(_ job: Job) { put(job, until: nil) }

    /// This node's outcome of a job, as committed.
    func finished(_ job: Job) { put(job, until: .now + freshFor) }

    func forget(_ id: Bytes32) { _ = state.withLock { $0.entries.removeValue(forKey: id) } }

    /// This node no longer holds its unfinished jobs (it released their leases).
    func forgetHeld() { state.withLock { s in s.entries = s.entries.filter { $0.value.until != nil } } }

    func get(_ id: Bytes32) -> Job? {
        state.withLock { s in
            guard let entry = s.entries[id] else { return nil }
            if let until = entry.until, until < .now {
                s.entries.removeValue(forKey: id)
                return nil
            }
            return entry.job
        }
    }

    private func put(_ job: Job, until: ContinuousClock.Instant?) {
        state.withLock { s in
            if s.entries.updateValue(Entry(job: job, until: until), forKey: job.id) == nil { s.order.append(job.id) }
            // Oldest first out; the order list is compacted when half of it is spent.
            while s.entries.count > capacity, s.head < s.order.count {
                s.entries.removeValue(forKey: s.order[s.head])
                s.head += 1
            }
            if s.head > s.order.count / 2 {
                s.order.removeFirst(s.head)
                s.head = 0
                s.order.removeAll { s.entries[$0] == nil }
            }
        }
    }
}
