import Foundation
import GRDB
import Metrics

/// Group commit: writes from many callers are collected by one writer thread and committed
/// together in a single durable transaction (if one of them fails, the batch is run again with
/// each write in its own savepoint, so one bad write cannot sink the others). With
/// `synchronous = FULL` every commit is an fsync; batching keeps durability per request without
/// paying one fsync per request. Async callers suspend; worker threads may block.
final class WriteBatcher: @unchecked Sendable {  // state is guarded by `condition`
    private final class Item {
        let run: (Database) throws -> Void
        let complete: (Error?) -> Void
        init(run: @escaping (Database) throws -> Void, complete: @escaping (Error?) -> Void) {
            self.run = run
            self.complete = complete
        }
    }

    private final class Box<T>: @unchecked Sendable {
        var value: T?
    }

    private let pool: DatabasePool
    private let condition = NSCondition()
    private var queue: [Item] = []
    private var stopped = false
    private let maxBatch: Int
    private var thread: Thread?
    /// Each group commit, from its first write to the durable commit (an fsync with
    /// `synchronous = FULL`).
    private let commitTime = Timer(label: "coprocessor_db_commit_seconds")

    init(pool: DatabasePool, maxBatch: Int = 512) {
        self.pool = pool
        self.maxBatch = maxBatch
        // The thread keeps the batcher alive until `shutdown()` (the store's `close()` or deinit).
        let thread = Thread { self.loop() }
        thread.name = "sqlite-writer"
        self.thread = thread
        thread.start()
    }

    /// Runs `body` in the next group commit and returns its result once that commit is durable.
    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, Error>) in
            let box = Box<T>()
            enqueue(Item(run: { db in box.value = try body(db) }, complete: { error in
                if let error { continuation.resume(throwing: error) } else { continuation.resume(returning: box.value!) }
            }))
        }
    }

    /// Queues `body` for the next group commit without waiting; `completion` runs on the writer
    /// thread once the commit is durable (nil) or failed.
    func writeDetached(_ body: @escaping (Database) throws -> Void, completion: @escaping (Error?) -> Void) {
        enqueue(Item(run: body, complete: completion))
    }

    /// Stops the writer after everything queued has been committed.
    func shutdown() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
        while true {
            condition.lock()
            let drained = queue.isEmpty && thread == nil
            condition.unlock()
            if drained { return }
            Thread.sleep(forTimeInterval: 0.001)
        }
    }

    private func enqueue(_ item: Item) {
        condition.lock()
        if stopped {
            condition.unlock()
            item.complete(StorageError("the database is shutting down"))
            return
        }
        queue.append(item)
        condition.signal()
        condition.unlock()
    }

    private func loop() {
        while true {
            condition.lock()
            while queue.isEmpty && !stopped { condition.wait() }
            if queue.isEmpty && stopped {
                thread = nil
                condition.unlock()
                return
            }
            let batch = Array(queue.prefix(maxBatch))
            queue.removeFirst(batch.count)
            condition.unlock()

            var errors = [Error?](repeating: nil, count: batch.count)
            let started = ContinuousClock.now
            do {
                // Usually every write succeeds: one transaction, no savepoints.
                try pool.write { db in
                    for item in batch { try item.run(db) }
                }
            } catch {
                // Some write failed and the transaction rolled back: run the batch again with each
                // write in its own savepoint, so one bad write cannot sink the others.
                do {
                    try pool.write { db in
                        for (i, item) in batch.enumerated() {
                            do {
                                try db.inSavepoint {
                                    try item.run(db)
                                    return .commit
                                }
                            } catch {
                                errors[i] = error
                            }
                        }
                    }
                } catch {
                    // The commit itself failed: nothing of this batch is stored.
                    errors = batch.map { _ in error }
                }
            }
            commitTime.recordSeconds((ContinuousClock.now - started).seconds)
            for (item, error) in zip(batch, errors) { item.complete(error) }
        }
    }
}
