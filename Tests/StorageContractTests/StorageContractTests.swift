import Coprocessor
import CoprocessorPostgres
import CoprocessorWire
import Ethereum
import Foundation
import TestSupport
import Testing

/// What `JobStore`, `RelayStore` and `NodeDatabase` promise, checked on every back end with the
/// same code: the embedded SQLite store and the PostgreSQL store.
@Suite("Storage contract")
struct StorageContractTests {
    static func job(_ nonce: UInt64, consumer: Address = TestKeys.consumer, program: [UInt8] = [7, 7],
                    createdAt: Double = Date().timeIntervalSince1970, strategy: RelayStrategy = .unordered) -> Job {
        Job(id: JobID.compute(nonce: nonce, consumer: consumer), nonce: nonce, maxCycles: 1_000_000 &+ nonce,
            consumer: consumer, programID: program, onchainInput: [1, 2, 3, UInt8(nonce & 0xff)],
            offchainInputHash: Keccak256.hash([4]), stateHash: Keccak256.hash([5]), requestSignature: [UInt8](repeating: 9, count: 65),
            origin: nonce % 2 == 0 ? .offchain : .onchain, offchainInput: [4], state: [5], request: [0, 1, 0xff],
            signer: nonce % 2 == 0 ? TestKeys.requestSigner.address : nil, createdAt: createdAt, relayStrategy: strategy)
    }

    static func finish(_ store: any JobStore, _ job: Job, _ outcome: JobOutcome, relay: RelayStrategy? = nil,
                       attempt: UInt32 = 1) async throws {
        try await withCheckedThrowingContinuation { (c: CheckedContinuation<Void, Error>) in
            store.finishJob(id: job.id, attempt: attempt, outcome: outcome, relay: relay) {
                if let error = $0 { c.resume(throwing: error) } else { c.resume() }
            }
        }
    }

    static let done = JobOutcome.done(resultWithMetadata: [0xaa, 0xbb, 0], operatorSignature: [UInt8](repeating: 3, count: 65))
    static var farAhead: Double { Date().timeIntervalSince1970 + 3600 }

    @Test("PostgreSQL is there when the test command promises it (ZKVM_REQUIRE_POSTGRES=1)",
          .enabled(if: Backend.requirePostgres))
    func postgresIsThere() async throws {
        let url = try #require(Backend.serverURL, "ZKVM_REQUIRE_POSTGRES=1 but ZKVM_TEST_DATABASE_URL is missing or invalid")
        let scratch = try await Scratch.make(.postgres)
        let store = try await scratch.openPostgres()
        try await store.checkWritable()
        await store.close()
        await scratch.remove()
        #expect(url.host == "127.0.0.1")
    }

    @Test("programs: stored once, read back byte for byte", arguments: Backend.available)
    func programs(_ backend: Backend) async throws {
        try await withStore(backend) { store, _ async throws in
            let elf = (0..<70_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
            let program = StoredProgram(id: [UInt8](repeating: 0x42, count: 32), elf: elf, vmType: .sp1)
            #expect(try await store.insertProgram(program))
            #expect(try await !store.insertProgram(StoredProgram(id: program.id, elf: [1], vmType: .risc0)))
            #expect(try await store.program(id: program.id) == program)
            #expect(try await store.containsProgram(id: program.id))
            #expect(try await !store.containsProgram(id: [UInt8](repeating: 0x43, count: 32)))
            #expect(try await store.program(id: [1]) == nil)
        }
    }

    @Test("jobs: every field round-trips; a second insert of an ID changes nothing", arguments: Backend.available)
    func jobsRoundTrip(_ backend: Backend) async throws {
        try await withStore(backend) { store, _ async throws in
            for nonce: UInt64 in [0, 1, UInt64.max] {
                var job = Self.job(nonce, strategy: nonce == 1 ? .ordered : .unordered)
                job.failureReason = nonce == 1 ? "ünïcode reason" : nil
                #expect(try await store.insertJob(job))
                #expect(try await store.job(id: job.id) == job)
                var other = job
                other.onchainInput = [0xde, 0xad]
                #expect(try await !store.insertJob(other))
                #expect(try await store.job(id: job.id) == job)
            }
            #expect(try await store.job(id: Keccak256.hash([1, 2, 3])) == nil)
        }
    }

    @Test("jobs: of 16 concurrent inserts of one ID exactly one succeeds", arguments: Backend.available)
    func concurrentInserts(_ backend: Backend) async throws {
        try await withStore(backend) { store, _ async throws in
            let job = Self.job(5)
            let wins = try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 0..<16 { group.addTask { try await store.insertJob(job) } }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(wins == 1)
        }
    }

    @Test("outcomes: DONE and FAILED are stored once; pending lists follow", arguments: Backend.available)
    func outcomes(_ backend: Backend) async throws {
        try await withStore(backend) { store, _ async throws in
            let base = Date().timeIntervalSince1970
            let jobs = (0..<4).map { Self.job(UInt64(10 - $0), createdAt: base + Double($0)) }
            for job in jobs { #expect(try await store.insertJob(job)) }
            #expect(try await store.pendingJobs().map(\.id) == jobs.map(\.id))
            #expect(try await store.pendingNonces(consumer: TestKeys.consumer) == [7, 8, 9, 10])
            #expect(try await store.pendingNonces(consumer: .zero) == [])

            try await Self.finish(store, jobs[0], Self.done)
            try await Self.finish(store, jobs[1], .failed(reason: "guest panicked: x"))
            // A second outcome for a finished job changes nothing.
            try await Self.finish(store, jobs[0], .failed(reason: "late"))
            try await Self.finish(store, jobs[1], Self.done)

            let done = try #require(try await store.job(id: jobs[0].id))
            #expect(done.status == .done)
            #expect(done.resultWithMetadata == [0xaa, 0xbb, 0])
            #expect(done.operatorSignature == [UInt8](repeating: 3, count: 65))
            #expect(done.failureReason == nil)
            let failed = try #require(try await store.job(id: jobs[1].id))
            #expect(failed.status == .failed)
            #expect(failed.failureReason == "guest panicked: x")
            #expect(failed.resultWithMetadata == [])
            #expect(try await store.pendingJobs().map(\.id) == [jobs[2].id, jobs[3].id])
            #expect(try await store.pendingNonces(consumer: TestKeys.consumer) == [7, 8])
            // Without relaying, nothing is queued.
            #expect(try await store.relayBacklog().count == 0)
        }
    }

    @Test("relay queue: queued with the outcome, in flight, retried, given up, relayed", arguments: Backend.available)
    func relayQueue(_ backend: Backend) async throws {
        try await withStore(backend) { store, _ async throws in
            let jobs = (1...3).map { Self.job(UInt64($0)) }
            for job in jobs {
                #expect(try await store.insertJob(job))
                try await Self.finish(store, job, Self.done, relay: .unordered)
            }
            #expect(try await store.relayBacklog().count == 3)
            #expect(try await store.nextRelayDue() != nil)
            let due = try await store.dueRelays(now: Self.farAhead, limit: 10)
            #expect(Set(due.map(\.jobID)) == Set(jobs.map(\.id)))
            #expect(due.allSatisfy { $0.attempts == 0 && $0.inFlight == nil && $0.strategy == .unordered })
            #expect(try await store.dueRelays(now: 0, limit: 10).isEmpty)
            #expect(try await store.highestInFlightNonce() == nil)

            let tx = InFlightTransaction(nonce: 41, raw: [0x02, 0xf8, 1, 2], hash: Keccak256.hash([0x02, 0xf8, 1, 2]))
            try await store.recordInFlight(jobID: jobs[0].id, transaction: tx)
            #expect(try await store.highestInFlightNonce() == 41)
            // In flight, by ascending transaction nonce (what a new relayer sends again first).
            let lower = InFlightTransaction(nonce: 40, raw: [0x02, 1], hash: Keccak256.hash([0x02, 1]))
            try await store.recordInFlight(jobID: jobs[2].id, transaction: lower)
            #expect(try await store.inFlightRelays().map(\.jobID) == [jobs[2].id, jobs[0].id])
            #expect(try await store.inFlightRelays().map(\.inFlight) == [lower, tx])
            #expect(try await store.highestInFlightNonce() == 41)
            _ = try await store.failRelay(jobID: jobs[2].id, error: "dropped", nextAttemptAt: 100, maxRetries: 5,
                                          keepInFlight: false)
            #expect(try await store.inFlightRelays().map(\.jobID) == [jobs[0].id])
            let kept = try #require(try await store.failRelay(jobID: jobs[0].id, error: "timeout", nextAttemptAt: 123,
                                                               maxRetries: 2, keepInFlight: true))
            #expect(kept.attempts == 1)
            #expect(kept.inFlight == tx)
            #expect(kept.nextAttemptAt == 123)
            let reread = try await store.dueRelays(now: Self.farAhead, limit: 10).first { $0.jobID == jobs[0].id }
            #expect(reread == kept)
            #expect(try await store.job(id: jobs[0].id)?.retries == 1)
            let cleared = try #require(try await store.failRelay(jobID: jobs[0].id, error: "reverted", nextAttemptAt: 124,
                                                                  maxRetries: 2, keepInFlight: false))
            #expect(cleared.inFlight == nil)
            #expect(try await store.highestInFlightNonce() == nil)
            #expect(try await store.failRelay(jobID: jobs[0].id, error: "reverted again", nextAttemptAt: 125, maxRetries: 2,
                                              keepInFlight: false) == nil)
            let gaveUp = try #require(try await store.job(id: jobs[0].id))
            #expect(gaveUp.status == .done)
            #expect(gaveUp.retries == 3)
            #expect(gaveUp.failureReason == "relaying gave up after 3 attempts: reverted again")

            let hash = Keccak256.hash([9])
            try await store.completeRelay(jobID: jobs[1].id, txHash: hash)
            let relayed = try #require(try await store.job(id: jobs[1].id))
            #expect(relayed.status == .relayed)
            #expect(relayed.relayTxHash == hash.bytes)
            #expect(try await store.relayBacklog().count == 1)
            // Given up on and relayed jobs are not queued again; a DONE job that never was is.
            let late = Self.job(4)
            #expect(try await store.insertJob(late))
            try await Self.finish(store, late, Self.done)
            #expect(try await store.queueUnrelayedJobs(strategy: .unordered, now: 1) == 1)
            #expect(try await store.queueUnrelayedJobs(strategy: .unordered, now: 1) == 0)
            #expect(Set(try await store.dueRelays(now: Self.farAhead, limit: 10).map(\.jobID)) == [jobs[2].id, late.id])
        }
    }

    @Test("relay queue: an ordered result waits for its consumer's earlier jobs", arguments: Backend.available)
    func orderedRelays(_ backend: Backend) async throws {
        try await withStore(backend) { store, _ async throws in
            let jobs = (1...3).map { Self.job(UInt64($0), strategy: .ordered) }
            for job in jobs { #expect(try await store.insertJob(job)) }
            try await Self.finish(store, jobs[1], Self.done, relay: .unordered)  // the job asked for ordered
            #expect(try await store.dueRelays(now: Self.farAhead, limit: 10).isEmpty)  // nonce 1 still PENDING
            try await Self.finish(store, jobs[0], Self.done, relay: .unordered)
            #expect(try await store.dueRelays(now: Self.farAhead, limit: 10).map(\.jobID) == [jobs[0].id])
            try await store.completeRelay(jobID: jobs[0].id, txHash: Keccak256.hash([1]))
            #expect(try await store.dueRelays(now: Self.farAhead, limit: 10).map(\.jobID) == [jobs[1].id])
        }
    }

    @Test("chain values and the readiness probe", arguments: Backend.available)
    func chainValues(_ backend: Backend) async throws {
        try await withStore(backend) { store, _ async throws in
            #expect(try await store.chainValue("listener") == nil)
            try await store.setChainValue("listener", 17)
            try await store.setChainValue("listener", UInt64.max)
            #expect(try await store.chainValue("listener") == UInt64.max)
            try await store.checkWritable()
            try await store.checkWritable()
        }
    }

    @Test("onchain events: recorded by (chain id, tx hash, log index) with the checkpoint, once", arguments: Backend.available)
    func chainEvents(_ backend: Backend) async throws {
        try await withStore(backend) { store, _ async throws in
            let tx = Keccak256.hash([1]), other = Keccak256.hash([2])
            let events = [ChainEvent(chainID: 31337, transactionHash: tx, logIndex: 0, blockNumber: 5, jobID: Keccak256.hash([10])),
                          ChainEvent(chainID: 31337, transactionHash: tx, logIndex: 1, blockNumber: 5, jobID: Keccak256.hash([11])),
                          ChainEvent(chainID: 31337, transactionHash: other, logIndex: 0, blockNumber: 6, jobID: Keccak256.hash([12]))]
            try await store.recordEvents(events, checkpoint: "listener", next: 7)
            #expect(try await store.chainValue("listener") == 7)
            #expect(try await store.recordedEvent(chainID: 31337, transactionHash: tx, logIndex: 1) == Keccak256.hash([11]))
            #expect(try await store.recordedEvent(chainID: 31337, transactionHash: other, logIndex: 0) == Keccak256.hash([12]))
            #expect(try await store.recordedEvent(chainID: 1, transactionHash: tx, logIndex: 0) == nil)
            // The same range read again (a restart before the checkpoint moved): first records stay.
            var again = events[0]
            again.jobID = Keccak256.hash([99])
            try await store.recordEvents([again], checkpoint: "listener", next: 7)
            #expect(try await store.recordedEvent(chainID: 31337, transactionHash: tx, logIndex: 0) == Keccak256.hash([10]))
            try await store.recordEvents([], checkpoint: "listener", next: 8)
            #expect(try await store.chainValue("listener") == 8)
        }
    }

    @Test("retention: old finished jobs go and stay refused; pending, queued and needed programs stay",
          arguments: Backend.available)
    func retention(_ backend: Backend) async throws {
        try await withStore(backend) { store, _ async throws in
            let old = Date().timeIntervalSince1970 - 10_000
            let program = StoredProgram(id: [UInt8](repeating: 1, count: 32), elf: [1, 2], vmType: .sp1)
            let needed = StoredProgram(id: [UInt8](repeating: 2, count: 32), elf: [3], vmType: .sp1)
            #expect(try await store.insertProgram(program))
            #expect(try await store.insertProgram(needed))
            let jobs = (1...4).map { Self.job(UInt64($0), program: needed.id, createdAt: old) }
            for job in jobs { #expect(try await store.insertJob(job)) }
            try await Self.finish(store, jobs[0], .failed(reason: "x"))
            try await Self.finish(store, jobs[1], Self.done, relay: .unordered)  // queued for relay: kept
            try await Self.finish(store, jobs[2], Self.done)  // DONE, not to be relayed
            // jobs[3] stays PENDING.
            let cutoff = Date().timeIntervalSince1970 + 1
            #expect(try await store.pruneFinishedJobs(changedBefore: cutoff, keepUnrelayed: true) == 1)
            #expect(try await store.pruneFinishedJobs(changedBefore: cutoff, keepUnrelayed: false) == 1)
            #expect(try await store.job(id: jobs[0].id) == nil)
            #expect(try await store.job(id: jobs[2].id) == nil)
            #expect(try await store.job(id: jobs[1].id)?.status == .done)
            #expect(try await store.job(id: jobs[3].id)?.status == .pending)
            #expect(try await store.wasPruned(id: jobs[0].id))
            #expect(try await !store.wasPruned(id: jobs[1].id))
            #expect(try await !store.insertJob(jobs[0]))

            let deleted = try await store.pruneUnusedPrograms(unusedBefore: Date().timeIntervalSince1970 + 1, uses: [:])
            #expect(deleted == [program.id])  // `needed` serves a PENDING job
            #expect(try await store.containsProgram(id: needed.id))
        }
    }
}
