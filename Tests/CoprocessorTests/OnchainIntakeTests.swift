import Coprocessor
import CoprocessorWire
import Ethereum
import Foundation
import TestSupport
import Testing

/// Onchain `JobCreated` events through the core's one intake (`submitOnchainJob`): accepted and
/// run, rejected and stored FAILED, waiting for their program (across a restart too), or known.
@Suite("Onchain intake")
struct OnchainIntakeTests {
    static let vector = try! Repo.guestVector(program: "mock-consumer", name: "address 0x0123..")

    /// The mock-consumer program's ID, without submitting it.
    static let mockProgramID = try! Repo.programID("mock-consumer")

    static func event(nonce: UInt64, maxCycles: UInt64 = 1_000_000, programID: [UInt8] = OnchainIntakeTests.mockProgramID) -> JobCreatedEvent {
        jobCreatedEvent(nonce: nonce, programID: programID, onchainInput: vector.stdin[0], maxCycles: maxCycles)
    }

    /// A DONE onchain job: `ResultWithMetadata` (not the offchain struct) of its event and the
    /// guest's output, signed by the operator; no offchain input, state, request or signature.
    func expectDone(_ job: Job, for event: JobCreatedEvent, sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(job.status == .done, "\(job.failureReason ?? "")", sourceLocation: sourceLocation)
        #expect(job.origin == .onchain, sourceLocation: sourceLocation)
        #expect(job.requestSignature.isEmpty && job.request.isEmpty && job.signer == nil, sourceLocation: sourceLocation)
        #expect(job.offchainInputHash == Keccak256.hash([]) && job.stateHash == Keccak256.hash([]),
                sourceLocation: sourceLocation)
        let expected = ResultWithMetadata(jobID: event.jobID, onchainInputHash: Keccak256.hash(event.onchainInput),
                                          maxCycles: event.maxCycles, programID: event.programID,
                                          result: Self.vector.publicValues)
        #expect(job.resultWithMetadata == expected.abiEncoded(), sourceLocation: sourceLocation)
        let signer = try Signature(bytes: job.operatorSignature).recoverPersonalMessageSigner(job.resultWithMetadata)
        #expect(signer == TestKeys.operatorKey.address, sourceLocation: sourceLocation)
    }

    @Test("an event for a stored program is accepted and runs to DONE with a signed ResultWithMetadata")
    func storedProgram() async throws {
        try await TestNode.run { node in
            let programID = try await node.submitProgram("mock-consumer")
            #expect(programID == Self.mockProgramID)
            let event = Self.event(nonce: 9)
            #expect(try await node.service.submitOnchainJob(event) == .accepted)
            let job = try await node.wait(for: event.jobID.bytes)
            try expectDone(job, for: event)
            #expect(job.nonce == 9 && job.consumer == TestKeys.consumer && job.maxCycles == 1_000_000)
            // The wire view: the same job, with an empty request signature.
            let wire = try #require(try await node.service.getResult(GetResultRequest(jobID: event.jobID.bytes)).jobResult)
            #expect(wire == JobResult(job))
            #expect(wire.requestSignature.isEmpty)
            // The same event again (a range read twice): known, nothing changes.
            #expect(try await node.service.submitOnchainJob(event) == .alreadyKnown)
            #expect(try await node.job(event.jobID.bytes) == job)
        }
    }

    @Test("an event the node cannot run is stored FAILED with the reason, and known afterwards", arguments: [
        (UInt64(0), OnchainIntakeTests.mockProgramID, "job max cycles must be positive"),
        (1_000_000, [UInt8](), "job program verification key must not be empty"),
        (50_001, OnchainIntakeTests.mockProgramID, "max_cycles 50001 exceeds this node's limit of 50000"),
    ])
    func rejected(maxCycles: UInt64, programID: [UInt8], reason: String) async throws {
        var config = CoprocessorConfig()
        config.maxCyclesCap = 50_000
        try await TestNode.run(config: config) { node in
            _ = try await node.submitProgram("mock-consumer")
            let event = Self.event(nonce: 4, maxCycles: maxCycles, programID: programID)
            #expect(try await node.service.submitOnchainJob(event) == .rejected(reason: reason))
            let job = try await node.job(event.jobID.bytes)
            #expect(job.status == .failed)
            #expect(job.failureReason == "rejected at intake: \(reason)")
            #expect(job.origin == .onchain)
            #expect(job.resultWithMetadata.isEmpty && job.operatorSignature.isEmpty)
            let wire = try #require(try await node.service.getResult(GetResultRequest(jobID: event.jobID.bytes)).jobResult)
            #expect(wire.status == JobStatus(status: .failed, failureReason: "rejected at intake: \(reason)"))
            #expect(try await node.service.submitOnchainJob(event) == .alreadyKnown)
            // It never runs: still FAILED a moment later, and not among the pending jobs.
            try await Task.sleep(for: .milliseconds(200))
            #expect(try await node.job(event.jobID.bytes) == job)
            #expect(try await node.store.pendingNonces(consumer: TestKeys.consumer).isEmpty)
        }
    }

    @Test("an event for a program not stored yet waits PENDING and runs once SubmitProgram stores it")
    func waitsForProgram() async throws {
        try await TestNode.run { node in
            let event = Self.event(nonce: 11)
            #expect(try await node.service.submitOnchainJob(event) == .waitingForProgram)
            #expect(node.service.jobsWaitingForPrograms == 1)
            #expect(try await node.job(event.jobID.bytes).status == .pending)
            try await Task.sleep(for: .milliseconds(300))
            #expect(try await node.job(event.jobID.bytes).status == .pending, "still waiting")
            let pending = try await node.service.getPendingJobs(GetPendingJobsRequest(consumerAddress: TestKeys.consumer.bytes))
            #expect(pending.pendingJobs == [11])
            #expect(try await node.service.submitOnchainJob(event) == .alreadyKnown)
            #expect(node.service.jobsWaitingForPrograms == 1, "a known event is not parked twice")

            #expect(try await node.submitProgram("mock-consumer") == Self.mockProgramID)
            try expectDone(try await node.wait(for: event.jobID.bytes), for: event)
            #expect(node.service.jobsWaitingForPrograms == 0)
        }
    }

    @Test("a job whose program does not arrive within programWait is FAILED with the reason")
    func programWaitRunsOut() async throws {
        var config = CoprocessorConfig()
        config.programWait = .milliseconds(200)
        try await TestNode.run(config: config) { node in
            let event = Self.event(nonce: 12)
            #expect(try await node.service.submitOnchainJob(event) == .waitingForProgram)
            let job = try await node.wait(for: event.jobID.bytes, timeout: .seconds(10))
            #expect(job.status == .failed)
            #expect(job.failureReason == "program 0x\(Hex.encode(Self.mockProgramID, prefixed: false)) was not submitted "
                + "within 0.2 seconds of the job's JobCreated event")
            #expect(node.service.jobsWaitingForPrograms == 0)
            // A program that comes later does not revive it.
            _ = try await node.submitProgram("mock-consumer")
            try await Task.sleep(for: .milliseconds(300))
            #expect(try await node.job(event.jobID.bytes) == job)
        }
    }

    @Test("a waiting job survives a restart and completes when its program arrives")
    func waitingAcrossRestart() async throws {
        let first = try await TestNode()
        defer { first.removeFiles() }
        let event = Self.event(nonce: 13)
        #expect(try await first.service.submitOnchainJob(event) == .waitingForProgram)
        await first.stop()

        let second = try await TestNode(directory: first.directory)
        #expect(second.service.jobsWaitingForPrograms == 1, "parked again at start")
        #expect(try await second.job(event.jobID.bytes).status == .pending)
        #expect(try await second.service.submitOnchainJob(event) == .alreadyKnown)
        _ = try await second.submitProgram("mock-consumer")
        try expectDone(try await second.wait(for: event.jobID.bytes), for: event)
        await second.stop()

        // The wait counts from the job's intake, not from the restart: a node started after the
        // wait has run out fails the job at once.
        let third = try await TestNode(directory: first.directory)
        let late = Self.event(nonce: 14, programID: pattern(32, from: 0x44))
        #expect(try await third.service.submitOnchainJob(late) == .waitingForProgram)
        await third.stop()
        try await Task.sleep(for: .milliseconds(4100))
        var config = CoprocessorConfig()
        config.programWait = .seconds(4)
        let fourth = try await TestNode(directory: first.directory, config: config)
        // Counted from the restart, it would take four seconds more.
        let expired = try await fourth.wait(for: late.jobID.bytes, timeout: .milliseconds(3500))
        #expect(expired.status == .failed)
        #expect(expired.failureReason?.contains("was not submitted within 4.0 seconds") == true, "\(expired.failureReason ?? "")")
        await fourth.stop()
    }
}
