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
