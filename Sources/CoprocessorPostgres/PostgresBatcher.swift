import Synchronization

/// Group commit on PostgreSQL: a call made while `maxInFlight` batches are being written waits
/// for the next batch, which carries every call queued by then in one statement (at most
/// `maxBatch`). Under load each statement then carries many jobs; alone, a call is written at
/// once.
final class PostgresBatcher<Item: Sendable, Result: Sendable>: Sendable {
    private typealias Waiter = (item: Item, continuation: CheckedContinuation<Result, any Error>)
    private struct State {
        var queue: [Waiter] = []
        var inFlight = 0
    }

    private let state = Mutex(State())
    private let maxBatch: Int
    private let maxInFlight: Int
    /// Writes a batch; returns one result per item, in order.
    private let write: @Sendable ([Item]) async throws -> [Result]

    private let gather: Duration

    init(maxBatch: Int = 512, maxInFlight: Int = 2, gather: Duration = .microseconds(500),
         write: @escaping @Sendable ([Item]) async throws -> [Result]) {
        self.maxBatch = maxBatch
        self.gather = gather
        self.maxInFlight = maxInFlight
        self.write = write
    }

    func submit(_ item: Item) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            let start = state.withLock { s -> Bool in
                s.queue.append((item, continuation))
                guard s.inFlight < maxInFlight else { return false }
                s.inFlight += 1
                return true
            }
            if start { Task { await self.drain() } }
        }
    }

    private func drain() async {
        while true {
            // A moment for more calls to join (the statement costs the database about the same
            // for one job as for ten).
            if gather > .zero, state.withLock({ $0.queue.count }) < 16 { try? await Task.sleep(for: gather) }
            let batch: [Waiter] = state.withLock { s in
                guard !s.queue.isEmpty else {
                    s.inFlight -= 1
                    return []
                }
                let n = min(maxBatch, s.queue.count)
                defer { s.queue.removeFirst(n) }
                return Array(s.queue.prefix(n))
            }
            if batch.isEmpty { return }
            do {
                let results = try await write(batch.map(\.item))
                for (waiter, result) in zip(batch, results) { waiter.continuation.resume(returning: result) }
            } catch {
                for waiter in batch { waiter.continuation.resume(throwing: error) }
            }
        }
    }
}
