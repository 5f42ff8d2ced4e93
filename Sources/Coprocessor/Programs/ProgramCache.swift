import Foundation
import Synchronization
import ZKVM

/// Loaded (validated, pre-decoded) programs by ID, shared by intake and workers. Programs are
/// immutable, so one instance serves every concurrent execution. The cache holds at most
/// `budget` bytes of host memory, evicting the least recently used program; an evicted program
/// is loaded again from the store when a job needs it.
final class ProgramCache: Sendable {
    private struct Entry {
        let program: Program
        var lastUse: UInt64
    }

    private struct State {
        var entries: [[UInt8]: Entry] = [:]
        var bytes = 0
        var clock: UInt64 = 0
    }

    private let state = Mutex(State())
    let budget: Int

    init(budget: Int) { self.budget = budget }

    func get(_ id: [UInt8]) -> Program? {
        state.withLock { s in
            s.clock += 1
            let clock = s.clock
            s.entries[id]?.lastUse = clock
            return s.entries[id]?.program
        }
    }

    /// Forgets a program (it was deleted from the store).
    func remove(_ id: [UInt8]) {
        state.withLock { s in
            if let entry = s.entries.removeValue(forKey: id) { s.bytes -= entry.program.hostBytes }
        }
    }

    func put(_ program: Program) {
        state.withLock { s in
            let id = program.id.bytes
            s.clock += 1
            if s.entries[id] == nil { s.bytes += program.hostBytes }
            s.entries[id] = Entry(program: program, lastUse: s.clock)
            // Evict the least recently used others while over budget (a single program larger
            // than the budget still stays: the job needs it).
            while s.bytes > budget, s.entries.count > 1 {
                guard let victim = s.entries.filter({ $0.key != id }).min(by: { $0.value.lastUse < $1.value.lastUse })
                else { break }
                s.bytes -= victim.value.program.hostBytes
                s.entries.removeValue(forKey: victim.key)
            }
        }
    }
}
