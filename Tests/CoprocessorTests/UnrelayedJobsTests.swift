import Coprocessor
import CoprocessorWire
import Ethereum
import Foundation
import TestSupport
import Testing

/// `RelayStore.queueUnrelayedJobs`: when relaying is turned on, results that became DONE while it
/// was off are queued for relaying, once; results relaying gave up on are not.
@Suite("Unrelayed jobs")
struct UnrelayedJobsTests {
    @Test("DONE jobs from a run without relaying are queued exactly once; given-up, FAILED and RELAYED ones are not")
    func queueUnrelayedJobs() async throws {
        // A run without relaying: three DONE jobs, one FAILED.
        let first = try await TestNode()
        defer { first.removeFiles() }
        let mock = try await first.submitProgram("mock-consumer")
        let heavy = try await first.submitProgram("intensity-test")
        var done: [Bytes32] = []
        for nonce in UInt64(1)...3 {
            let id = try await first.submit(SignedJob(nonce: nonce, programID: mock, onchainInput: [UInt8](repeating: 1, count: 32)))
            #expect(try await first.wait(for: id).status == .done)
            done.append(try Bytes32(id))
        }
        let failed = try await first.submit(SignedJob(nonce: 4, programID: heavy, onchainInput: [0xE8, 0x03, 0, 0],
                                                      maxCycles: 10_000))
        #expect(try await first.wait(for: failed).status == .failed)
        // After every entry's first attempt, however slowly the test runs.
        let later = Date().timeIntervalSince1970 + 3600
        #expect(try await first.store.dueRelays(now: later, limit: 100).isEmpty, "nothing is queued while relaying is off")
        await first.stop()

        // A run with relaying: a job queued as it finishes, whose relaying gives up.
        var relaying = CoprocessorConfig()
        relaying.relayStrategy = .unordered
        let second = try await TestNode(directory: first.directory, config: relaying)
        let givenUp = try Bytes32(try await second.submit(SignedJob(nonce: 5, programID: mock,
                                                                    onchainInput: [UInt8](repeating: 5, count: 32))))
        #expect(try await second.wait(for: givenUp.bytes).status == .done)
        #expect(try await second.store.dueRelays(now: later, limit: 100).map(\.jobID) == [givenUp])
        #expect(try await second.store.failRelay(jobID: givenUp, error: "reverted", nextAttemptAt: 0, maxRetries: 0,
                                                 keepInFlight: false) == nil)
        let gaveUp = try await second.job(givenUp.bytes)
        #expect(gaveUp.status == .done)
        #expect(gaveUp.failureReason == "relaying gave up after 1 attempts: reverted")

        // The relayer starts: the first run's DONE jobs are queued, once.
        let store = second.store
        #expect(try await store.queueUnrelayedJobs(strategy: .ordered, now: later - 1) == 3)
        let queued = try await store.dueRelays(now: later, limit: 100)
        #expect(queued.map(\.nonce) == [1], "ordered: nonce 1 first")
        #expect(try await store.queueUnrelayedJobs(strategy: .ordered, now: later - 1) == 0, "already queued")
        try await store.completeRelay(jobID: done[0], txHash: Keccak256.hash([1]))
        #expect(try await store.dueRelays(now: later, limit: 100).map(\.nonce) == [2])
        #expect(try await store.queueUnrelayedJobs(strategy: .ordered, now: later - 1) == 0, "RELAYED is not DONE")
        let entries = try await store.dueRelays(now: later, limit: 100)
        #expect(entries.allSatisfy { $0.strategy == .ordered && $0.attempts == 0 && $0.inFlight == nil })
        #expect(try await store.job(id: done[0])?.status == .relayed)
        await second.stop()
    }
}
