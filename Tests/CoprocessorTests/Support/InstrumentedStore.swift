import Coprocessor
import Ethereum
import Synchronization

/// A `JobStore` around another one that counts the calls tests care about and can fail the first
/// `finishJob` writes (as a full disk or a locked database would), without writing anything.
final class InstrumentedStore: JobStore {
    struct InjectedFailure: Error, CustomStringConvertible {
        var description: String { "injected: disk I/O error" }
    }

    private struct State {
        var finishFailuresLeft = 0
        var finishCalls = 0
        var programReads: [[UInt8]] = []
    }

    let inner: any JobStore
    private let state = Mutex(State())

    init(_ inner: any JobStore, failingFirstFinishes failures: Int = 0) {
        self.inner = inner
        state.withLock { $0.finishFailuresLeft = failures }
    }

    /// `finishJob` calls so far, failed ones included.
    var finishCalls: Int { state.withLock { $0.finishCalls } }
    /// The IDs `program(id:)` was asked for, in order.
    var programReads: [[UInt8]] { state.withLock { $0.programReads } }

    func insertProgram(_ program: StoredProgram) async throws -> Bool { try await inner.insertProgram(program) }

    func program(id: [UInt8]) async throws -> StoredProgram? {
        state.withLock { $0.programReads.append(id) }
        return try await inner.program(id: id)
    }

    func containsProgram(id: [UInt8]) async throws -> Bool { try await inner.containsProgram(id: id) }
    func insertJob(_ job: Job) async throws -> Bool { try await inner.insertJob(job) }
    func job(id: Bytes32) async throws -> Job? { try await inner.job(id: id) }

    func finishJob(id: Bytes32, attempt: UInt32, outcome: JobOutcome, relay: RelayStrategy?,
                   completion: @escaping @Sendable (Error?) -> Void) {
        let fail = state.withLock { s in
            s.finishCalls += 1
            guard s.finishFailuresLeft > 0 else { return false }
            s.finishFailuresLeft -= 1
            return true
        }
        if fail {
            completion(InjectedFailure())
        } else {
            inner.finishJob(id: id, attempt: attempt, outcome: outcome, relay: relay, completion: completion)
        }
    }

    func pendingJobs() async throws -> [Job] { try await inner.pendingJobs() }
    func pendingNonces(consumer: Address) async throws -> [UInt64] { try await inner.pendingNonces(consumer: consumer) }
    func pruneFinishedJobs(changedBefore cutoff: Double, keepUnrelayed: Bool) async throws -> Int {
        try await inner.pruneFinishedJobs(changedBefore: cutoff, keepUnrelayed: keepUnrelayed)
    }
    func wasPruned(id: Bytes32) async throws -> Bool { try await inner.wasPruned(id: id) }
    func pruneUnusedPrograms(unusedBefore cutoff: Double, uses: [[UInt8]: Double]) async throws -> [[UInt8]] {
        try await inner.pruneUnusedPrograms(unusedBefore: cutoff, uses: uses)
    }
}
