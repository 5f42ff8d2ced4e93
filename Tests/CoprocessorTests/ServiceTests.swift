import Coprocessor
import Ethereum
import Foundation
import Testing
import ZKVM

/// The service core with real storage, workers and the engine, without any transport.
@Suite("Service core")
struct ServiceTests {
    func expectNodeError(_ code: StatusCode, _ body: () async throws -> Void, sourceLocation: SourceLocation = #_sourceLocation)
        async -> NodeError?
    {
        do {
            try await body()
            Issue.record("expected \(code), got success", sourceLocation: sourceLocation)
            return nil
        } catch let error as NodeError {
            #expect(error.code == code, "\(error.message)", sourceLocation: sourceLocation)
            return error
        } catch {
            Issue.record("expected NodeError, got \(error)", sourceLocation: sourceLocation)
            return nil
        }
    }

    @Test("SubmitProgram validates, stores idempotently and rejects bad input")
    func submitProgram() async throws {
        let node = try await TestNode()
        defer { node.stop(); node.removeFiles() }
        let elf = try Repo.guest("mock-consumer")
        let id = try await node.service.submitProgram(elf: elf, vmType: 1)
        #expect(id == (try Program(elf: elf).id.bytes))
        #expect(try await node.service.submitProgram(elf: elf, vmType: 1) == id)
        #expect(try await node.service.containsProgram(programID: id))
        #expect(try await node.service.containsProgram(programID: [UInt8](repeating: 7, count: 32)) == false)

        let risc0 = await expectNodeError(.invalidArgument) { _ = try await node.service.submitProgram(elf: elf, vmType: 0) }
        #expect(risc0?.message.contains("Sp1") == true)
        #expect(risc0?.message.contains("Risc0") == true)
        _ = await expectNodeError(.invalidArgument) { _ = try await node.service.submitProgram(elf: [], vmType: 1) }
        let garbage = await expectNodeError(.invalidArgument) {
            _ = try await node.service.submitProgram(elf: Array("not an elf at all".utf8), vmType: 1)
        }
        #expect(garbage?.message.contains("not an ELF") == true)
        var small = CoprocessorConfig()
        small.maxELFBytes = 1000
        let limited = try await TestNode(config: small)
        defer { limited.stop(); limited.removeFiles() }
        let tooBig = await expectNodeError(.invalidArgument) { _ = try await limited.service.submitProgram(elf: elf, vmType: 1) }
        #expect(tooBig?.message.contains("limit") == true)
        _ = await expectNodeError(.invalidArgument) { _ = try await node.service.containsProgram(programID: [1, 2]) }
    }

    @Test("mock-consumer job: DONE, the result decodes and the operator signature recovers")
    func mockConsumerJob() async throws {
        let node = try await TestNode()
        defer { node.stop(); node.removeFiles() }
        let programID = try await node.service.submitProgram(elf: try Repo.guest("mock-consumer"), vmType: 1)
        let vector = try Repo.guestVector(program: "mock-consumer", name: "address 0x4545..45")
        let signed = SignedJob(nonce: 1, programID: programID, onchainInput: vector.stdin[0])
        let jobID = try await node.service.submitJob(request: signed.requestBytes, signature: signed.signature,
                                                      offchainInput: [], state: [])
        #expect(jobID == JobID.compute(nonce: 1, consumer: TestKeys.consumer).bytes)

        let job = try await node.waitForCompletion(jobID)
        #expect(job.status == .done)
        #expect(job.failureReason == nil)
        #expect(job.nonce == 1)
        #expect(job.consumer == TestKeys.consumer)
        #expect(job.programID == programID)
        #expect(job.onchainInput == vector.stdin[0])
        #expect(job.requestSignature == signed.signature)
        #expect(job.request == signed.requestBytes)
        #expect(job.signer == TestKeys.requestSigner.address)
        let result = try OffchainResultWithMetadata(abiEncoded: job.resultWithMetadata)
        #expect(result.jobID.bytes == jobID)
        #expect(result.onchainInputHash == Keccak256.hash(vector.stdin[0]))
        #expect(result.offchainInputHash == Keccak256.hash([]))
        #expect(result.stateHash == Keccak256.hash([]))
        #expect(result.maxCycles == 10_000_000)
        #expect(result.programID == programID)
        #expect(result.result == vector.publicValues)
        let signer = try Signature(bytes: job.operatorSignature).recoverPersonalMessageSigner(job.resultWithMetadata)
        #expect(signer == TestKeys.operatorKey.address)
        #expect(try await node.service.getPendingJobs(consumer: TestKeys.consumer.bytes).isEmpty)
    }

    @Test("stateful program: state in, StatefulProgramResult out")
    func statefulJob() async throws {
        let node = try await TestNode()
        defer { node.stop(); node.removeFiles() }
        let programID = try await node.service.submitProgram(elf: try Repo.guest("stateful-counter"), vmType: 1)
        let vector = try Repo.guestVector(program: "stateful-counter", name: "bonus 5, increments 1+2, state 10")
        let signed = SignedJob(nonce: 7, programID: programID, onchainInput: vector.stdin[0],
                               offchainInput: vector.stdin[1], state: vector.stdin[2])
        let jobID = try await node.service.submitJob(request: signed.requestBytes, signature: signed.signature,
                                                      offchainInput: signed.offchainInput, state: signed.state)
        let job = try await node.waitForCompletion(jobID)
        #expect(job.status == .done)
        let result = try OffchainResultWithMetadata(abiEncoded: job.resultWithMetadata)
        #expect(result.result == vector.publicValues)
        #expect(result.stateHash == Keccak256.hash(vector.stdin[2]))
        #expect(result.offchainInputHash == Keccak256.hash(vector.stdin[1]))
        // New state = 10 + 5 + 1 + 2 = 18 as an 8-byte big-endian counter.
        let stateful = try StatefulProgramResult(abiEncoded: result.result)
        #expect(stateful.nextStateHash == Keccak256.hash([0, 0, 0, 0, 0, 0, 0, 18]))
    }

    @Test("a job over its max_cycles FAILS with the count in the reason")
    func cycleLimitJob() async throws {
        let node = try await TestNode()
        defer { node.stop(); node.removeFiles() }
        let programID = try await node.service.submitProgram(elf: try Repo.guest("intensity-test"), vmType: 1)
        let signed = SignedJob(nonce: 2, programID: programID, onchainInput: [0xE8, 0x03, 0, 0], maxCycles: 10_000)
        let jobID = try await node.service.submitJob(request: signed.requestBytes, signature: signed.signature,
                                                      offchainInput: [], state: [])
        let job = try await node.waitForCompletion(jobID)
        #expect(job.status == .failed)
        #expect(job.resultWithMetadata.isEmpty)
        #expect(job.operatorSignature.isEmpty)
        #expect(job.failureReason?.contains("cycle limit exceeded") == true, "\(job.failureReason ?? "")")
        #expect(job.failureReason?.contains("10000") == true)
    }

    @Test("a guest panic FAILS with the exit code and the guest's message")
    func panickingJob() async throws {
        let node = try await TestNode()
        defer { node.stop(); node.removeFiles() }
        let programID = try await node.service.submitProgram(elf: try Repo.guest("mock-consumer"), vmType: 1)
        let signed = SignedJob(nonce: 3, programID: programID, onchainInput: [1, 2, 3])  // not 32 bytes
        let job = try await node.waitForCompletion(
            try await node.service.submitJob(request: signed.requestBytes, signature: signed.signature,
                                             offchainInput: [], state: []))
        #expect(job.status == .failed)
        #expect(job.failureReason?.contains("exited with code 1") == true, "\(job.failureReason ?? "")")
        #expect(job.failureReason?.contains("panicked") == true)
    }

    @Test("every intake rejection has its code and stores nothing")
    func intakeRejections() async throws {
        let node = try await TestNode()
        defer { node.stop(); node.removeFiles() }
        let programID = try await node.service.submitProgram(elf: try Repo.guest("mock-consumer"), vmType: 1)
        let input = [UInt8](repeating: 0, count: 12) + TestKeys.consumer.bytes
        func submit(_ s: SignedJob, signature: [UInt8]? = nil, offchain: [UInt8]? = nil, state: [UInt8]? = nil,
                    request: [UInt8]? = nil) async throws {
            _ = try await node.service.submitJob(request: request ?? s.requestBytes, signature: signature ?? s.signature,
                                                 offchainInput: offchain ?? s.offchainInput, state: state ?? s.state)
        }
        var cases: [(String, StatusCode, UInt64, () async throws -> Void)] = []
        let a = SignedJob(nonce: 100, programID: programID, onchainInput: input)
        cases.append(("request not ABI", .invalidArgument, 100, { try await submit(a, request: [1, 2, 3]) }))
        cases.append(("trailing garbage", .invalidArgument, 100, { try await submit(a, request: a.requestBytes + [0]) }))
        cases.append(("offchain hash", .invalidArgument, 100, { try await submit(a, offchain: [1]) }))
        cases.append(("state hash", .invalidArgument, 100, { try await submit(a, state: [9]) }))
        cases.append(("short signature", .invalidArgument, 100, { try await submit(a, signature: Array(a.signature.prefix(64))) }))
        var badV = a.signature
        badV[64] = 29
        cases.append(("bad v", .invalidArgument, 100, { try await submit(a, signature: badV) }))
        let zeroSig = [UInt8](repeating: 0, count: 64) + [27]
        cases.append(("unrecoverable", .invalidArgument, 100, { try await submit(a, signature: zeroSig) }))
        let zeroCycles = SignedJob(nonce: 101, programID: programID, onchainInput: input, maxCycles: 0)
        cases.append(("max_cycles 0", .invalidArgument, 101, { try await submit(zeroCycles) }))
        let unknown = SignedJob(nonce: 102, programID: [UInt8](repeating: 0xAB, count: 32), onchainInput: input)
        cases.append(("unknown program", .notFound, 102, { try await submit(unknown) }))
        for (name, code, nonce, body) in cases {
            let error = await expectNodeError(code, body)
            #expect(error != nil, "\(name)")
            let id = JobID.compute(nonce: nonce, consumer: TestKeys.consumer).bytes
            _ = await expectNodeError(.notFound) { _ = try await node.service.getResult(jobID: id) }
        }
        // A duplicate job id: the first is stored, the second refused.
        try await submit(a)
        let dup = await expectNodeError(.alreadyExists) { try await submit(a) }
        #expect(dup?.message.contains("already exists") == true)

        _ = await expectNodeError(.invalidArgument) { _ = try await node.service.getResult(jobID: [1, 2, 3]) }
        _ = await expectNodeError(.invalidArgument) { _ = try await node.service.getPendingJobs(consumer: [1]) }
    }

    @Test("max_cycles above the node's cap is refused and nothing is stored")
    func maxCyclesCap() async throws {
        var config = CoprocessorConfig()
        config.maxCyclesCap = 50_000
        let node = try await TestNode(config: config)
        defer { node.stop(); node.removeFiles() }
        let programID = try await node.service.submitProgram(elf: try Repo.guest("mock-consumer"), vmType: 1)
        let big = SignedJob(nonce: 1, programID: programID, onchainInput: [UInt8](repeating: 0, count: 32),
                            maxCycles: 50_001)
        let error = await expectNodeError(.invalidArgument) {
            _ = try await node.service.submitJob(request: big.requestBytes, signature: big.signature,
                                                 offchainInput: [], state: [])
        }
        #expect(error?.message.contains("50000") == true)
        _ = await expectNodeError(.notFound) { _ = try await node.service.getResult(jobID: big.jobID) }
        let ok = SignedJob(nonce: 2, programID: programID, onchainInput: [UInt8](repeating: 0, count: 32), maxCycles: 50_000)
        let id = try await node.service.submitJob(request: ok.requestBytes, signature: ok.signature, offchainInput: [], state: [])
        #expect(try await node.waitForCompletion(id).status == .done)
    }

    @Test("programs evicted from a small cache are reloaded from the store when a job needs them")
    func programCacheEviction() async throws {
        var config = CoprocessorConfig()
        config.programCacheBytes = 1  // every new program evicts the others
        let node = try await TestNode(config: config)
        defer { node.stop(); node.removeFiles() }
        let mock = try await node.service.submitProgram(elf: try Repo.guest("mock-consumer"), vmType: 1)
        let counter = try await node.service.submitProgram(elf: try Repo.guest("stateful-counter"), vmType: 1)
        let vector = try Repo.guestVector(program: "mock-consumer", name: "address 0x4545..45")
        var ids: [[UInt8]] = []
        for nonce in UInt64(1)...6 {
            let s = nonce % 2 == 0
                ? SignedJob(nonce: nonce, programID: counter, onchainInput: [])
                : SignedJob(nonce: nonce, programID: mock, onchainInput: vector.stdin[0])
            ids.append(try await node.service.submitJob(request: s.requestBytes, signature: s.signature,
                                                        offchainInput: [], state: []))
        }
        for (i, id) in ids.enumerated() {
            let job = try await node.waitForCompletion(id)
            #expect(job.status == .done, "\(job.failureReason ?? "")")
            if i % 2 == 0 { #expect(try OffchainResultWithMetadata(abiEncoded: job.resultWithMetadata).result == vector.publicValues) }
        }
    }

    @Test("after stopIntake, SubmitJob answers UNAVAILABLE and stores nothing")
    func stopIntake() async throws {
        let node = try await TestNode()
        defer { node.stop(); node.removeFiles() }
        let programID = try await node.service.submitProgram(elf: try Repo.guest("mock-consumer"), vmType: 1)
        node.service.stopIntake()
        let s = SignedJob(nonce: 1, programID: programID, onchainInput: [UInt8](repeating: 0, count: 32))
        _ = await expectNodeError(.unavailable) {
            _ = try await node.service.submitJob(request: s.requestBytes, signature: s.signature, offchainInput: [], state: [])
        }
        _ = await expectNodeError(.notFound) { _ = try await node.service.getResult(jobID: s.jobID) }
    }

    @Test("an allowlist refuses other signers with PERMISSION_DENIED")
    func signerAllowlist() async throws {
        var config = CoprocessorConfig()
        let other = try PrivateKey(hex: "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d")
        config.signerPolicy = .allowlist([TestKeys.consumer: [other.address]])
        let node = try await TestNode(config: config)
        defer { node.stop(); node.removeFiles() }
        let programID = try await node.service.submitProgram(elf: try Repo.guest("mock-consumer"), vmType: 1)
        let input = [UInt8](repeating: 0, count: 32)
        let refused = SignedJob(nonce: 1, programID: programID, onchainInput: input)
        let error = await expectNodeError(.permissionDenied) {
            _ = try await node.service.submitJob(request: refused.requestBytes, signature: refused.signature,
                                                 offchainInput: [], state: [])
        }
        #expect(error?.message.contains(TestKeys.requestSigner.address.description) == true)
        let allowed = SignedJob(nonce: 2, programID: programID, onchainInput: input, signer: other)
        let id = try await node.service.submitJob(request: allowed.requestBytes, signature: allowed.signature,
                                                  offchainInput: [], state: [])
        #expect(try await node.waitForCompletion(id).status == .done)
    }

    @Test("a full queue answers RESOURCE_EXHAUSTED and stores nothing")
    func boundedQueue() async throws {
        var config = CoprocessorConfig()
        config.queueBound = 2
        let node = try await TestNode(config: config, start: false)  // no workers: the queue fills
        defer { node.stop(); node.removeFiles() }
        let programID = try await node.service.submitProgram(elf: try Repo.guest("mock-consumer"), vmType: 1)
        let input = [UInt8](repeating: 0, count: 32)
        for nonce in UInt64(1)...2 {
            let s = SignedJob(nonce: nonce, programID: programID, onchainInput: input)
            _ = try await node.service.submitJob(request: s.requestBytes, signature: s.signature, offchainInput: [], state: [])
        }
        let third = SignedJob(nonce: 3, programID: programID, onchainInput: input)
        _ = await expectNodeError(.resourceExhausted) {
            _ = try await node.service.submitJob(request: third.requestBytes, signature: third.signature,
                                                 offchainInput: [], state: [])
        }
        _ = await expectNodeError(.notFound) { _ = try await node.service.getResult(jobID: third.jobID) }
        #expect(try await node.service.getPendingJobs(consumer: TestKeys.consumer.bytes) == [1, 2])
    }

    @Test("PENDING jobs left by a stopped node complete after a restart")
    func restartRecovery() async throws {
        let first = try await TestNode(start: false)  // accepts, never executes
        let programID = try await first.service.submitProgram(elf: try Repo.guest("mock-consumer"), vmType: 1)
        var ids: [[UInt8]] = []
        for nonce in UInt64(1)...5 {
            let s = SignedJob(nonce: nonce, programID: programID,
                              onchainInput: [UInt8](repeating: 0, count: 31) + [UInt8(nonce)])
            ids.append(try await first.service.submitJob(request: s.requestBytes, signature: s.signature,
                                                         offchainInput: [], state: []))
        }
        #expect(try await first.service.getPendingJobs(consumer: TestKeys.consumer.bytes) == [1, 2, 3, 4, 5])
        first.stop()

        let second = try await TestNode(directory: first.directory)
        defer { second.stop(); second.removeFiles() }
        for id in ids {
            let job = try await second.waitForCompletion(id)
            #expect(job.status == .done)
            #expect(try OffchainResultWithMetadata(abiEncoded: job.resultWithMetadata).result.count == 64)
        }
        #expect(try await second.service.getPendingJobs(consumer: TestKeys.consumer.bytes).isEmpty)
    }
}
