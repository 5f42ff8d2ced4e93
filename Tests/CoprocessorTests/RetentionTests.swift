import Coprocessor
import CoprocessorWire
import Ethereum
import Foundation
import TestSupport
import Testing

/// A SQLite store in a folder of its own, for the store-level tests.
final class TemporaryStore {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("retention-\(UUID().uuidString)").path
    let store: SQLiteJobStore

    init() throws { store = try SQLiteJobStore(directory: directory) }

    func remove() {
        store.close()
        try? FileManager.default.removeItem(atPath: directory)
    }
}

/// Retention (`RetentionPolicy`, `--retain-days`, `--retain-program-days`): what is deleted, what
/// is kept, and that a pruned job's ID stays taken.
@Suite("Retention")
struct RetentionTests {
    /// A job row for the store-level tests (not run: nothing queues it).
    func storedJob(nonce: UInt64, programID: [UInt8], createdAt: Double = Date().timeIntervalSince1970) -> Job {
        let request = SignedJob(nonce: nonce, programID: programID, onchainInput: [1, 2, 3]).request
        return Job(id: request.jobID, nonce: nonce, maxCycles: 1_000, consumer: TestKeys.consumer, programID: programID,
                   onchainInput: [1, 2, 3], offchainInputHash: request.offchainInputHash, stateHash: request.stateHash,
                   requestSignature: [], origin: .offchain, offchainInput: [], state: [], request: [], signer: nil,
                   createdAt: createdAt)
    }

    func finish(_ store: SQLiteJobStore, _ id: Bytes32, _ outcome: JobOutcome, relay: RelayStrategy? = nil) async throws {
        let error: (any Error)? = await withCheckedContinuation { continuation in
            store.finishJob(id: id, outcome: outcome, relay: relay) { continuation.resume(returning: $0) }
        }
        if let error { throw error }
    }

    @Test("finished jobs older than the retention are deleted, PENDING ones kept; a pruned ID stays taken")
    func finishedJobs() async throws {
        var config = CoprocessorConfig()
        config.retention = RetentionPolicy(finishedJobs: .seconds(3_600))
        config.retention.interval = .seconds(3_600)  // runs are triggered by the test
        try await TestNode.run(config: config) { node in
            let program = try await node.submitProgram("mock-consumer")
            let vector = try Repo.guestVector(program: "mock-consumer", name: "address 0x4545..45")
            let done = SignedJob(nonce: 1, programID: program, onchainInput: vector.stdin[0])
            let failed = SignedJob(nonce: 2, programID: program, onchainInput: vector.stdin[0], maxCycles: 10)
            for job in [done, failed] { _ = try await node.submit(job) }
            #expect(try await node.wait(for: done.jobID).status == .done)
            #expect(try await node.wait(for: failed.jobID).status == .failed)
            // A PENDING job (stored, never queued).
            let pending = storedJob(nonce: 3, programID: program)
            #expect(try await node.store.insertJob(pending))

            let now = Date().timeIntervalSince1970
            await node.service.pruneNow(now: now)  // finished moments ago: kept
            for id in [done.jobID, failed.jobID] { #expect(try await node.store.job(id: try Bytes32(id)) != nil) }

            await node.service.pruneNow(now: now + 7_200)  // two hours on: older than the hour kept
            for id in [done.jobID, failed.jobID] {
                let key = try Bytes32(id)
                #expect(try await node.store.job(id: key) == nil, "job \(key) was deleted (cache included)")
                #expect(try await node.store.wasPruned(id: key))
                let missing = await expectNodeError(.notFound) {
                    _ = try await node.service.getResult(GetResultRequest(jobID: id))
                }
                #expect(missing?.message.contains("was pruned") == true, "\(missing?.message ?? "")")
                // The signed request cannot come back as a new job.
                await expectNodeError(.alreadyExists) { _ = try await node.submit(done) }
            }
            #expect(try await node.store.job(id: pending.id)?.status == .pending)
            #expect(try await node.store.wasPruned(id: pending.id) == false)
            let unknown = await expectNodeError(.notFound) {
                _ = try await node.service.getResult(GetResultRequest(jobID: [UInt8](repeating: 9, count: 32)))
            }
            #expect(unknown?.message.contains("pruned") == false, "\(unknown?.message ?? "")")
        }
    }

    @Test("pruning walks the table in batches and stops at the first job created after the cutoff")
    func batches() async throws {
        let temporary = try TemporaryStore()
        defer { temporary.remove() }
        let store = temporary.store
        let program = [UInt8](repeating: 1, count: 32)
        let now = Date().timeIntervalSince1970
        // 1,200 finished jobs (more than two batches), then one created after the cutoff, then
        // more old finished ones that this run does not reach. The cutoffs are taken once every
        // job has finished (a job's last change must be before them), however long that took.
        let old = (1...1_200).map { storedJob(nonce: UInt64($0), programID: program, createdAt: now - 100) }
        let young = storedJob(nonce: 5_000, programID: program, createdAt: now + 1_000_000)
        let after = (5_001...5_010).map { storedJob(nonce: UInt64($0), programID: program, createdAt: now - 100) }
        for group in [old, [young], after] {  // in this order of rowids; each group at once
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                for job in group {
                    tasks.addTask {
                        #expect(try await store.insertJob(job))
                        try await finish(store, job.id, .failed(reason: "test"))
                    }
                }
                try await tasks.waitForAll()
            }
        }
        let cutoff = Date().timeIntervalSince1970 + 1  // after every finish, before the young job
        #expect(try await store.pruneFinishedJobs(changedBefore: cutoff, keepUnrelayed: false) == 1_200)
        #expect(try await store.job(id: old[0].id) == nil)
        #expect(try await store.job(id: old[1_199].id) == nil)
        #expect(try await store.job(id: young.id) != nil)
        #expect(try await store.job(id: after[0].id) != nil)
        #expect(try await store.pruneFinishedJobs(changedBefore: cutoff, keepUnrelayed: false) == 0)
        // Once the young job is old enough too, the scan goes past it.
        #expect(try await store.pruneFinishedJobs(changedBefore: now + 2_000_000, keepUnrelayed: false) == 11)
        #expect(try await store.insertJob(old[0]) == false, "a pruned ID is refused")
    }

    @Test("DONE jobs: kept while queued for relay or relayable later, deleted when relaying is off")
    func relayedAndUnrelayed() async throws {
        let temporary = try TemporaryStore()
        defer { temporary.remove() }
        let store = temporary.store
        let program = [UInt8](repeating: 1, count: 32)
        let queued = storedJob(nonce: 1, programID: program)
        let unrelayed = storedJob(nonce: 2, programID: program)
        let failed = storedJob(nonce: 3, programID: program)
        for job in [queued, unrelayed, failed] { #expect(try await store.insertJob(job)) }
        let done = JobOutcome.done(resultWithMetadata: [7], operatorSignature: [8])
        try await finish(store, queued.id, done, relay: .unordered)
        try await finish(store, unrelayed.id, done)
        try await finish(store, failed.id, .failed(reason: "test"))
        let later = Date().timeIntervalSince1970 + 10

        // Relaying on: only the FAILED job is final.
        #expect(try await store.pruneFinishedJobs(changedBefore: later, keepUnrelayed: true) == 1)
        #expect(try await store.job(id: failed.id) == nil)
        #expect(try await store.job(id: unrelayed.id)?.status == .done)
        // Relaying off: the DONE job no one will relay goes; the one in the relay queue stays.
        #expect(try await store.pruneFinishedJobs(changedBefore: later, keepUnrelayed: false) == 1)
        #expect(try await store.job(id: unrelayed.id) == nil)
        #expect(try await store.job(id: queued.id)?.status == .done)
        #expect(try await store.dueRelays(now: later, limit: 10).map(\.jobID) == [queued.id])
    }

    @Test("programs: deleted when neither used since the cutoff nor needed by a PENDING job; uses only move forward")
    func unusedPrograms() async throws {
        var config = CoprocessorConfig()
        config.retention = RetentionPolicy(unusedPrograms: .seconds(3_600))
        config.retention.interval = .seconds(3_600)
        try await TestNode.run(config: config, start: false) { node in  // no workers: jobs stay PENDING
            let mock = try await node.submitProgram("mock-consumer")
            let needed = try await node.submitProgram("intensity-test")
            let counter = try await node.submitProgram("stateful-counter")
            _ = try await node.submit(SignedJob(nonce: 1, programID: needed, onchainInput: [0, 0, 0, 1]))
            let now = Date().timeIntervalSince1970
            await node.service.pruneNow(now: now + 1_800)  // used half an hour "ago": kept
            for id in [mock, needed, counter] {
                #expect(try await node.service.containsProgram(ContainsProgramRequest(programID: id)).contains)
            }
            await node.service.pruneNow(now: now + 7_200)
            #expect(try await node.service.containsProgram(ContainsProgramRequest(programID: mock)).contains == false)
            #expect(try await node.service.containsProgram(ContainsProgramRequest(programID: counter)).contains == false)
            #expect(try await node.service.containsProgram(ContainsProgramRequest(programID: needed)).contains,
                    "a PENDING job needs it")
            let vector = try Repo.guestVector(program: "mock-consumer", name: "address 0x4545..45")
            let refused = await expectNodeError(.notFound) {
                _ = try await node.submit(SignedJob(nonce: 2, programID: mock, onchainInput: vector.stdin[0]))
            }
            #expect(refused?.message.contains("submit it with SubmitProgram first") == true, "\(refused?.message ?? "")")
            #expect(try await node.submitProgram("mock-consumer") == mock, "a pruned program can be submitted again")
            #expect(try await node.service.containsProgram(ContainsProgramRequest(programID: mock)).contains)
        }

        // Store level: a recorded use keeps a program past its creation time; an earlier use
        // recorded later does not move it back.
        let temporary = try TemporaryStore()
        defer { temporary.remove() }
        let store = temporary.store
        let id = [UInt8](repeating: 3, count: 32)
        #expect(try await store.insertProgram(StoredProgram(id: id, elf: [0x7F], vmType: .sp1)))
        let t = Date().timeIntervalSince1970 + 100
        #expect(try await store.pruneUnusedPrograms(unusedBefore: t, uses: [id: t + 10]).isEmpty)
        #expect(try await store.pruneUnusedPrograms(unusedBefore: t + 5, uses: [id: t - 50]).isEmpty)
        #expect(try await store.pruneUnusedPrograms(unusedBefore: t + 20, uses: [:]) == [id])
        #expect(try await store.containsProgram(id: id) == false)
    }

    @Test("the periodic task prunes on its own")
    func periodic() async throws {
        var config = CoprocessorConfig()
        config.retention = RetentionPolicy(finishedJobs: .zero)
        config.retention.interval = .milliseconds(50)
        try await TestNode.run(config: config) { node in
            let program = try await node.submitProgram("mock-consumer")
            let vector = try Repo.guestVector(program: "mock-consumer", name: "address 0x4545..45")
            let job = SignedJob(nonce: 1, programID: program, onchainInput: vector.stdin[0])
            _ = try await node.submit(job)
            let key = try Bytes32(job.jobID)
            _ = try await eventually("the finished job to be pruned", timeout: .seconds(20)) { state in
                let pruned = try await node.store.wasPruned(id: key)
                state = pruned ? "pruned" : "\(try await node.store.job(id: key)?.status.rawValue ?? -1)"
                return pruned ? true : nil
            }
            #expect(try await node.store.job(id: key) == nil)
        }
    }
}
