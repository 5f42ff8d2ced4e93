import Coprocessor
import CoprocessorWire
import Ethereum
import Foundation
import Synchronization
import TestSupport
import Testing

/// A job's outcome is written through the store's group commit without the worker waiting for
/// the disk; a failed write is retried, so no outcome is lost.
@Suite("Outcome writes")
struct OutcomeWriteTests {
    /// Jobs reported by `onJobFinished`, in order.
    final class Finished: Sendable {
        let jobs = Mutex<[Job]>([])
        func record(_ job: Job) { jobs.withLock { $0.append(job) } }
        var all: [Job] { jobs.withLock { $0 } }
    }

    @Test("a DONE outcome whose first writes fail is retried and stored with the right result")
    func doneRetried() async throws {
        var instrumented: InstrumentedStore?
        let finished = Finished()
        try await TestNode.run(wrapStore: { store in
            let wrapped = InstrumentedStore(store, failingFirstFinishes: 3)
            instrumented = wrapped
            return wrapped
        }, onJobFinished: { finished.record($0) }) { node in
            let store = try #require(instrumented)
            let programID = try await node.submitProgram("mock-consumer")
            let vector = try Repo.guestVector(program: "mock-consumer", name: "address 0x4545..45")
            let signed = SignedJob(nonce: 1, programID: programID, onchainInput: vector.stdin[0])
            let job = try await node.wait(for: try await node.submit(signed), timeout: .seconds(20))
            #expect(job.status == .done, "\(job.failureReason ?? "")")
            #expect(store.finishCalls == 4, "three failed writes, then the durable one")
            let result = try OffchainResultWithMetadata(abiEncoded: job.resultWithMetadata)
            #expect(result.jobID.bytes == signed.jobID)
            #expect(result.result == vector.publicValues)
            let signer = try Signature(bytes: job.operatorSignature).recoverPersonalMessageSigner(job.resultWithMetadata)
            #expect(signer == TestKeys.operatorKey.address)
            // The relayer hears about the job once, when its outcome is durable.
            _ = try await eventually("onJobFinished") { _ in finished.all.isEmpty ? nil : true }
            try await Task.sleep(for: .milliseconds(200))
            #expect(finished.all.map(\.id) == [job.id])
            #expect(finished.all.first?.status == .done)
            #expect(finished.all.first?.resultWithMetadata == job.resultWithMetadata)
        }
    }

    @Test("a FAILED outcome is retried too, and keeps its reason")
    func failedRetried() async throws {
        var instrumented: InstrumentedStore?
        try await TestNode.run(wrapStore: { store in
            let wrapped = InstrumentedStore(store, failingFirstFinishes: 2)
            instrumented = wrapped
            return wrapped
        }) { node in
            let programID = try await node.submitProgram("intensity-test")
            let signed = SignedJob(nonce: 2, programID: programID, onchainInput: [0xE8, 0x03, 0, 0], maxCycles: 10_000)
            let job = try await node.wait(for: try await node.submit(signed), timeout: .seconds(20))
            #expect(job.status == .failed)
            #expect(job.failureReason?.contains("cycle limit exceeded") == true, "\(job.failureReason ?? "")")
            #expect(try #require(instrumented).finishCalls == 3)
        }
    }

    @Test("shutdown waits until an outcome being retried is durable")
    func shutdownWaitsForRetries() async throws {
        var instrumented: InstrumentedStore?
        let node = try await TestNode(wrapStore: { store in
            let wrapped = InstrumentedStore(store, failingFirstFinishes: 2)
            instrumented = wrapped
            return wrapped
        })
        defer { node.removeFiles() }
        let store = try #require(instrumented)
        let programID = try await node.submitProgram("mock-consumer")
        let signed = SignedJob(nonce: 3, programID: programID, onchainInput: [UInt8](repeating: 0x45, count: 32))
        _ = try await node.submit(signed)
        // The first write has failed: the job is still PENDING and its retry is scheduled.
        _ = try await eventually("a failed outcome write") { _ in store.finishCalls >= 1 ? true : nil }
        await node.stop()
        #expect(store.finishCalls == 3)

        let reopened = try SQLiteJobStore(directory: node.directory)
        defer { reopened.close() }
        let job = try #require(try await reopened.job(id: try Bytes32(signed.jobID)))
        #expect(job.status == .done)
        #expect(try OffchainResultWithMetadata(abiEncoded: job.resultWithMetadata).jobID.bytes == signed.jobID)
    }
}
