import Coprocessor
import Ethereum
import Foundation
import TestSupport
import Testing

/// The persisted relay queue's rules, on the SQLite store alone.
@Suite("Relay queue")
struct RelayQueueTests {
    func makeJob(_ nonce: UInt64) -> Job {
        Job(id: JobID.compute(nonce: nonce, consumer: TestKeys.consumer), nonce: nonce, maxCycles: 1000,
            consumer: TestKeys.consumer, programID: [1], onchainInput: [], offchainInputHash: Keccak256.hash([]),
            stateHash: Keccak256.hash([]), requestSignature: [], origin: .offchain, offchainInput: [], state: [],
            request: [], signer: nil)
    }

    func finish(_ store: SQLiteJobStore, _ job: Job, _ strategy: RelayStrategy) async throws {
        try await withCheckedThrowingContinuation { (c: CheckedContinuation<Void, Error>) in
            store.finishJob(id: job.id, outcome: .done(resultWithMetadata: [1], operatorSignature: [2]), relay: strategy) {
                if let error = $0 { c.resume(throwing: error) } else { c.resume() }
            }
        }
    }

    /// A time after every entry's first attempt, however slowly the test runs (entries are due at
    /// the time their job finished; "now + 1 s" made the checks fail on a loaded machine).
    static var farAhead: Double { Date().timeIntervalSince1970 + 3600 }

    /// A fresh store holding PENDING jobs with these nonces.
    func withStore(nonces: [UInt64], _ body: (SQLiteJobStore, [Job]) async throws -> Void) async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("relayq-\(UUID())").path
        let store = try SQLiteJobStore(directory: dir)
        defer { store.close(); try? FileManager.default.removeItem(atPath: dir) }
        let jobs = nonces.map(makeJob)
        for job in jobs { #expect(try await store.insertJob(job)) }
        try await body(store, jobs)
    }

    @Test("ordered: a result waits for every earlier job of its consumer, queued or still PENDING")
    func ordered() async throws {
        try await withStore(nonces: [1, 2, 3]) { store, jobs in
            let now = Self.farAhead

            try await finish(store, jobs[2], .ordered)
            #expect(try await store.dueRelays(now: now, limit: 10).isEmpty, "nonces 1 and 2 are still PENDING")
            try await finish(store, jobs[0], .ordered)
            #expect(try await store.dueRelays(now: now, limit: 10).map(\.nonce) == [1])
            try await store.completeRelay(jobID: jobs[0].id, txHash: Keccak256.hash([9]))
            #expect(try await store.dueRelays(now: now, limit: 10).isEmpty, "nonce 2 is still PENDING")
            try await finish(store, jobs[1], .ordered)
            #expect(try await store.dueRelays(now: now, limit: 10).map(\.nonce) == [2])
            #expect(try await store.job(id: jobs[0].id)?.status == .relayed)
        }
    }

    @Test("per job: a job that asked for Ordered waits under the node's unordered; one that did not does not")
    func perJobStrategy() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("relayq-\(UUID())").path
        let store = try SQLiteJobStore(directory: dir)
        defer { store.close(); try? FileManager.default.removeItem(atPath: dir) }
        var jobs = [1, 2, 3, 4].map(makeJob)
        jobs[1].relayStrategy = .ordered
        jobs[3].relayStrategy = .ordered
        for job in jobs { #expect(try await store.insertJob(job)) }
        let now = Self.farAhead

        try await finish(store, jobs[2], .unordered)
        try await finish(store, jobs[1], .unordered)
        let due = try await store.dueRelays(now: now, limit: 10)
        #expect(due.map(\.nonce) == [3], "nonce 2 asked for Ordered: nonce 1 is still PENDING")
        try await finish(store, jobs[0], .unordered)
        #expect(Set(try await store.dueRelays(now: now, limit: 10).map(\.nonce)) == [1, 3], "nonce 2 waits for 1's relay")
        try await store.completeRelay(jobID: jobs[0].id, txHash: Keccak256.hash([9]))
        let entries = try await store.dueRelays(now: now, limit: 10)
        #expect(Set(entries.map(\.nonce)) == [2, 3])
        #expect(entries.first { $0.nonce == 2 }?.strategy == .ordered)
        #expect(entries.first { $0.nonce == 3 }?.strategy == .unordered)

        // Finished while relaying was off, queued when it starts: the job's own choice holds too.
        try await withCheckedThrowingContinuation { (c: CheckedContinuation<Void, Error>) in
            store.finishJob(id: jobs[3].id, outcome: .done(resultWithMetadata: [1], operatorSignature: [2]), relay: nil) {
                if let error = $0 { c.resume(throwing: error) } else { c.resume() }
            }
        }
        #expect(try await store.queueUnrelayedJobs(strategy: .unordered, now: now - 1) == 1)
        #expect(Set(try await store.dueRelays(now: now, limit: 10).map(\.nonce)) == [2, 3],
                "nonce 4 asked for Ordered: nonces 2 and 3 are queued before it")
        try await store.completeRelay(jobID: jobs[1].id, txHash: Keccak256.hash([10]))
        try await store.completeRelay(jobID: jobs[2].id, txHash: Keccak256.hash([11]))
        let last = try await store.dueRelays(now: now, limit: 10)
        #expect(last.map(\.nonce) == [4])
        #expect(last.first?.strategy == .ordered)
    }

    @Test("unordered: every due result, whatever the nonces")
    func unordered() async throws {
        try await withStore(nonces: [1, 2, 3]) { store, jobs in
            try await finish(store, jobs[2], .unordered)
            try await finish(store, jobs[1], .unordered)
            #expect(Set(try await store.dueRelays(now: Self.farAhead, limit: 10).map(\.nonce)) == [2, 3])
        }
    }

    @Test("a failed attempt counts a retry; past the limit the job stays DONE with the reason")
    func giveUp() async throws {
        try await withStore(nonces: [7]) { store, jobs in
            let job = jobs[0]
            try await finish(store, job, .unordered)
            let requeued = try await store.failRelay(jobID: job.id, error: "boom", nextAttemptAt: 0, maxRetries: 1,
                                                     keepInFlight: false)
            #expect(requeued?.attempts == 1)
            #expect(try await store.job(id: job.id)?.retries == 1)
            #expect(try await store.failRelay(jobID: job.id, error: "boom again", nextAttemptAt: 0, maxRetries: 1,
                                              keepInFlight: false) == nil)
            let final = try #require(try await store.job(id: job.id))
            #expect(final.status == .done)
            #expect(final.retries == 2)
            #expect(final.failureReason == "relaying gave up after 2 attempts: boom again")
            #expect(try await store.dueRelays(now: Self.farAhead, limit: 10).isEmpty)
        }
    }
}
