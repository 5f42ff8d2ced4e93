import Coprocessor
import CoprocessorWire
import Ethereum
import Foundation
import TestSupport
import Testing
import ZKVM

/// The service core with real storage, workers and the engine, without any transport: offchain
/// jobs through the wire API.
@Suite("Service core")
struct ServiceTests {
    @Test("the default per-job memory cap: half the RAM shared by the workers, between 64 MiB and 4 GiB")
    func defaultJobMemory() {
        #expect(CoprocessorConfig.defaultJobMemoryMiB(workers: 2, physicalMemory: 24 << 30) == 4096)
        #expect(CoprocessorConfig.defaultJobMemoryMiB(workers: 16, physicalMemory: 8 << 30) == 256)
        #expect(CoprocessorConfig.defaultJobMemoryMiB(workers: 64, physicalMemory: 1 << 30) == 64)
        #expect(CoprocessorConfig.defaultJobMemoryMiB(workers: 0, physicalMemory: 4 << 30) == 2048)
    }

    @Test("a consumer with its limit of unfinished jobs gets RESOURCE_EXHAUSTED; others do not; a finished job frees a place")
    func perConsumerLimit() async throws {
        var config = CoprocessorConfig()
        config.workerCount = 1
        config.maxUnfinishedJobsPerConsumer = 1
        config.maxJobTime = .seconds(120)  // the long job below runs until the node stops
        let other = try Address(hex: "0x00000000000000000000000000000000000000b0")
        try await TestNode.run(config: config) { node in
            let mock = try await node.submitProgram("mock-consumer")
            let intensity = try await node.submitProgram("intensity-test")
            let vector = try Repo.guestVector(program: "mock-consumer", name: "address 0x4545..45")
            // A short job finishes, and its place is free again: the next job is accepted.
            let short = try await node.submit(SignedJob(nonce: 1, programID: mock, onchainInput: vector.stdin[0]))
            #expect(try await node.wait(for: short).status == .done)
            // A job that runs for minutes holds the consumer's only place. (The place is given back
            // once the outcome is durable, a moment after the store shows DONE: hence the retry.)
            let long = SignedJob(nonce: 2, programID: intensity, onchainInput: [0xFF, 0xFF, 0xFF, 0xFF],
                                 maxCycles: 10_000_000_000)
            _ = try await eventually("the finished job's place to be free", timeout: .seconds(10)) { state in
                do { return try await node.submit(long) } catch let error as NodeError where error.code == .resourceExhausted {
                    state = error.message
                    return nil
                }
            }
            let refused = await expectNodeError(.resourceExhausted) {
                _ = try await node.submit(SignedJob(nonce: 3, programID: mock, onchainInput: vector.stdin[0]))
            }
            #expect(refused?.message.contains("has 1 jobs queued or running") == true, "\(refused?.message ?? "")")
            #expect(try await node.store.job(id: JobID.compute(nonce: 3, consumer: TestKeys.consumer)) == nil,
                    "a refused job is not stored")
            // Another consumer is not held back.
            let theirs = try await node.submit(SignedJob(nonce: 1, programID: mock, onchainInput: vector.stdin[0],
                                                         consumer: other))
            #expect(try await node.job(theirs).consumer == other)
        }
    }

    @Test("SubmitProgram validates, stores idempotently and rejects bad input")
    func submitProgram() async throws {
        try await TestNode.run { node in
            let elf = try Repo.guest("mock-consumer")
            let submit = { (elf: [UInt8], vmType: VmType) in
                try await node.service.submitProgram(SubmitProgramRequest(programELF: elf, vmType: vmType)).programID
            }
            let id = try await submit(elf, .sp1)
            #expect(id == (try Program(elf: elf).id.bytes))
            #expect(try await submit(elf, .sp1) == id)
            #expect(try await node.service.containsProgram(ContainsProgramRequest(programID: id)).contains)
            #expect(try await node.service.containsProgram(ContainsProgramRequest(programID: [UInt8](repeating: 7, count: 32)))
                .contains == false)

            // vm_type Risc0 (0): RISC Zero's loader rules, and its v1 image ID as the program ID.
            let risc0ELF = try Repo.risc0Guest("mock-consumer")
            let risc0 = try await submit(risc0ELF, .risc0)
            #expect(risc0 == (try Risc0.image(elf: risc0ELF).id.bytes))
            #expect(risc0 != id)
            let unknown = await expectNodeError(.invalidArgument) { _ = try await submit(elf, VmType(rawValue: 7)) }
            #expect(unknown?.message.contains("(7)") == true, "\(unknown?.message ?? "")")
            #expect(unknown?.message.contains("Risc0 (0) and Sp1 (1)") == true, "\(unknown?.message ?? "")")
            await expectNodeError(.invalidArgument) { _ = try await submit([], .sp1) }
            let garbage = await expectNodeError(.invalidArgument) { _ = try await submit(Array("not an elf at all".utf8), .sp1) }
            #expect(garbage?.message.contains("not an ELF") == true)
            await expectNodeError(.invalidArgument) {
                _ = try await node.service.containsProgram(ContainsProgramRequest(programID: [1, 2]))
            }
        }
        var small = CoprocessorConfig()
        small.maxELFBytes = 1000
        try await TestNode.run(config: small) { limited in
            let tooBig = await expectNodeError(.invalidArgument) { _ = try await limited.submitProgram("mock-consumer") }
            #expect(tooBig?.message.contains("limit") == true)
        }
    }

    @Test("offchain input plus state over the node's limit: INVALID_ARGUMENT, nothing stored; at the limit: DONE")
    func jobDataLimit() async throws {
        var config = CoprocessorConfig()
        config.maxJobDataBytes = 1000
        try await TestNode.run(config: config) { node in
            let mock = try await node.submitProgram("mock-consumer")
            let vector = try Repo.guestVector(program: "mock-consumer", name: "address 0x4545..45")
            let over = SignedJob(nonce: 1, programID: mock, onchainInput: vector.stdin[0],
                                 offchainInput: [UInt8](repeating: 7, count: 600), state: [UInt8](repeating: 9, count: 401))
            let refused = await expectNodeError(.invalidArgument) { _ = try await node.submit(over) }
            #expect(refused?.message.contains("1001 bytes together") == true, "\(refused?.message ?? "")")
            #expect(refused?.message.contains("limit is 1000") == true, "\(refused?.message ?? "")")
            #expect(try await node.store.job(id: over.request.jobID) == nil, "a refused job is not stored")
            let at = SignedJob(nonce: 2, programID: mock, onchainInput: vector.stdin[0],
                               offchainInput: [UInt8](repeating: 7, count: 600), state: [UInt8](repeating: 9, count: 400))
            let job = try await node.wait(for: try await node.submit(at))
            #expect(job.status == .done)
            #expect(job.offchainInput.count == 600 && job.state.count == 400)
        }
    }

    @Test("a signer over its rate gets RESOURCE_EXHAUSTED and nothing is stored; another signer does not")
    func perSignerRate() async throws {
        var config = CoprocessorConfig()
        config.maxJobsPerSignerPerSecond = 0.01  // one token, refilled after 100 s: the test never waits that long
        let other = try PrivateKey(hex: "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d")
        try await TestNode.run(config: config) { node in
            let mock = try await node.submitProgram("mock-consumer")
            let vector = try Repo.guestVector(program: "mock-consumer", name: "address 0x4545..45")
            _ = try await node.submit(SignedJob(nonce: 1, programID: mock, onchainInput: vector.stdin[0]))
            let second = SignedJob(nonce: 2, programID: mock, onchainInput: vector.stdin[0])
            let refused = await expectNodeError(.resourceExhausted) { _ = try await node.submit(second) }
            #expect(refused?.message.contains("jobs per second") == true, "\(refused?.message ?? "")")
            #expect(try await node.store.job(id: second.request.jobID) == nil, "a refused job is not stored")
            let theirs = SignedJob(nonce: 3, programID: mock, onchainInput: vector.stdin[0], signer: other)
            #expect(try await node.wait(for: try await node.submit(theirs)).status == .done)
        }
    }

    @Test("mock-consumer job: DONE, the result decodes and the operator signature recovers")
    func mockConsumerJob() async throws {
        try await TestNode.run { node in
            let programID = try await node.submitProgram("mock-consumer")
            let vector = try Repo.guestVector(program: "mock-consumer", name: "address 0x4545..45")
            let signed = SignedJob(nonce: 1, programID: programID, onchainInput: vector.stdin[0])
            let jobID = try await node.submit(signed)
            #expect(jobID == JobID.compute(nonce: 1, consumer: TestKeys.consumer).bytes)

            let job = try await node.wait(for: jobID)
            #expect(job.status == .done)
            #expect(job.failureReason == nil)
            #expect(job.nonce == 1)
            #expect(job.consumer == TestKeys.consumer)
            #expect(job.programID == programID)
            #expect(job.onchainInput == vector.stdin[0])
            #expect(job.requestSignature == signed.signature)
            #expect(job.request == signed.requestBytes)
            #expect(job.signer == TestKeys.requestSigner.address)
            #expect(job.origin == .offchain)
            #expect(job.relayStrategy == .unordered, "SubmitJob's default")
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
            let pending = try await node.service.getPendingJobs(GetPendingJobsRequest(consumerAddress: TestKeys.consumer.bytes))
            #expect(pending.pendingJobs.isEmpty)

            // GetResult shows the stored job as the wire's JobResult.
            let wire = try #require(try await node.service.getResult(GetResultRequest(jobID: jobID)).jobResult)
            #expect(wire == JobResult(job))
            #expect(wire.status == JobStatus(status: .done))
            #expect(wire.zkvmOperatorSignature == job.operatorSignature)
        }
    }

    @Test("SubmitJob's relay_strategy: stored with the job, its relay entry ordered under the node's unordered, kept across a restart")
    func perJobRelayStrategy() async throws {
        var config = CoprocessorConfig()
        config.relayStrategy = .unordered
        let node = try await TestNode(config: config)
        defer { node.removeFiles() }
        let programID = try await node.submitProgram("mock-consumer")
        let input = [UInt8](repeating: 0, count: 12) + TestKeys.consumer.bytes
        var ids: [RelayStrategyType: [UInt8]] = [:]
        for (nonce, strategy) in [(UInt64(1), RelayStrategyType.ordered), (2, .unordered)] {
            let signed = SignedJob(nonce: nonce, programID: programID, onchainInput: input)
            var request = signed.submitRequest
            request.relayStrategy = strategy
            ids[strategy] = try await node.service.submitJob(request).jobID
        }
        let ordered = try #require(ids[.ordered]), unordered = try #require(ids[.unordered])
        #expect(try await node.wait(for: ordered).relayStrategy == .ordered)
        #expect(try await node.wait(for: unordered).relayStrategy == .unordered)
        let entries = try await node.store.dueRelays(now: Date().timeIntervalSince1970 + 3600, limit: 10)
        #expect(Dictionary(uniqueKeysWithValues: entries.map { ($0.jobID.bytes, $0.strategy) })
            == [ordered: .ordered, unordered: .unordered])
        await node.stop()
        // The column, read back from disk (not the cache).
        let reopened = try SQLiteJobStore(directory: node.directory)
        defer { reopened.close() }
        #expect(try await reopened.job(id: try Bytes32(ordered))?.relayStrategy == .ordered)
        #expect(try await reopened.job(id: try Bytes32(unordered))?.relayStrategy == .unordered)
    }

    @Test("stateful program: state in, StatefulProgramResult out")
    func statefulJob() async throws {
        try await TestNode.run { node in
            let programID = try await node.submitProgram("stateful-counter")
            let vector = try Repo.guestVector(program: "stateful-counter", name: "bonus 5, increments 1+2, state 10")
            let signed = SignedJob(nonce: 7, programID: programID, onchainInput: vector.stdin[0],
                                   offchainInput: vector.stdin[1], state: vector.stdin[2])
            let job = try await node.wait(for: try await node.submit(signed))
            #expect(job.status == .done)
            let result = try OffchainResultWithMetadata(abiEncoded: job.resultWithMetadata)
            #expect(result.result == vector.publicValues)
            #expect(result.stateHash == Keccak256.hash(vector.stdin[2]))
            #expect(result.offchainInputHash == Keccak256.hash(vector.stdin[1]))
            // New state = 10 + 5 + 1 + 2 = 18 as an 8-byte big-endian counter.
            let stateful = try StatefulProgramResult(abiEncoded: result.result)
            #expect(stateful.nextStateHash == Keccak256.hash([0, 0, 0, 0, 0, 0, 0, 18]))
        }
    }

    @Test("a job over its max_cycles FAILS with the count in the reason")
    func cycleLimitJob() async throws {
        try await TestNode.run { node in
            let programID = try await node.submitProgram("intensity-test")
            let signed = SignedJob(nonce: 2, programID: programID, onchainInput: [0xE8, 0x03, 0, 0], maxCycles: 10_000)
            let job = try await node.wait(for: try await node.submit(signed))
            #expect(job.status == .failed)
            #expect(job.resultWithMetadata.isEmpty)
            #expect(job.operatorSignature.isEmpty)
            #expect(job.failureReason?.contains("cycle limit exceeded") == true, "\(job.failureReason ?? "")")
            #expect(job.failureReason?.contains("10000") == true)
            // Where the guest was: its function and the instruction, from the ELF's symbols.
            let reason = job.failureReason ?? ""
            let pc = try #require(reason.firstMatch(of: /\(pc 0x([0-9a-f]+),/).flatMap { UInt64($0.1, radix: 16) })
            let program = try Program(elf: try Repo.guest("intensity-test"))
            let location = try #require(program.location(of: pc))
            #expect(reason.hasSuffix(" at \(location)"), "\(reason)")
            #expect(location.contains("+0x") || !location.hasPrefix("0x"), "a symbol, not a bare address: \(location)")
        }
    }

    @Test("a guest panic FAILS with the exit code and the guest's message")
    func panickingJob() async throws {
        try await TestNode.run { node in
            let programID = try await node.submitProgram("mock-consumer")
            let signed = SignedJob(nonce: 3, programID: programID, onchainInput: [1, 2, 3])  // not 32 bytes
            let job = try await node.wait(for: try await node.submit(signed))
            #expect(job.status == .failed)
            #expect(job.failureReason?.contains("exited with code 1") == true, "\(job.failureReason ?? "")")
            #expect(job.failureReason?.contains("panicked") == true)
        }
    }

    @Test("every intake rejection has its code and stores nothing")
    func intakeRejections() async throws {
        try await TestNode.run { node in
            let programID = try await node.submitProgram("mock-consumer")
            let input = [UInt8](repeating: 0, count: 12) + TestKeys.consumer.bytes
            func submit(_ s: SignedJob, signature: [UInt8]? = nil, offchain: [UInt8]? = nil, state: [UInt8]? = nil,
                        request: [UInt8]? = nil, relayStrategy: RelayStrategyType = .unordered) async throws {
                _ = try await node.service.submitJob(SubmitJobRequest(
                    request: request ?? s.requestBytes, signature: signature ?? s.signature,
                    offchainInput: offchain ?? s.offchainInput, state: state ?? s.state, relayStrategy: relayStrategy))
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
            cases.append(("relay_strategy 2", .invalidArgument, 100, {
                try await submit(a, relayStrategy: RelayStrategyType(rawValue: 2))
            }))
            cases.append(("relay_strategy -1", .invalidArgument, 100, {
                try await submit(a, relayStrategy: RelayStrategyType(rawValue: -1))
            }))
            let zeroCycles = SignedJob(nonce: 101, programID: programID, onchainInput: input, maxCycles: 0)
            cases.append(("max_cycles 0", .invalidArgument, 101, { try await submit(zeroCycles) }))
            let unknown = SignedJob(nonce: 102, programID: [UInt8](repeating: 0xAB, count: 32), onchainInput: input)
            cases.append(("unknown program", .notFound, 102, { try await submit(unknown) }))
            for (name, code, nonce, body) in cases {
                let error = await expectNodeError(code, body)
                #expect(error != nil, "\(name)")
                let id = JobID.compute(nonce: nonce, consumer: TestKeys.consumer).bytes
                await expectNodeError(.notFound) { _ = try await node.service.getResult(GetResultRequest(jobID: id)) }
            }
            // A duplicate job id: the first is stored, the second refused.
            try await submit(a)
            let dup = await expectNodeError(.alreadyExists) { try await submit(a) }
            #expect(dup?.message.contains("already exists") == true)

            await expectNodeError(.invalidArgument) { _ = try await node.service.getResult(GetResultRequest(jobID: [1, 2, 3])) }
            await expectNodeError(.invalidArgument) {
                _ = try await node.service.getPendingJobs(GetPendingJobsRequest(consumerAddress: [1]))
            }
        }
    }

    @Test("max_cycles above the node's cap is refused and nothing is stored")
    func maxCyclesCap() async throws {
        var config = CoprocessorConfig()
        config.maxCyclesCap = 50_000
        try await TestNode.run(config: config) { node in
            let programID = try await node.submitProgram("mock-consumer")
            let big = SignedJob(nonce: 1, programID: programID, onchainInput: [UInt8](repeating: 0, count: 32),
                                maxCycles: 50_001)
            let error = await expectNodeError(.invalidArgument) { _ = try await node.submit(big) }
            #expect(error?.message.contains("50000") == true)
            await expectNodeError(.notFound) { _ = try await node.service.getResult(GetResultRequest(jobID: big.jobID)) }
            let ok = SignedJob(nonce: 2, programID: programID, onchainInput: [UInt8](repeating: 0, count: 32), maxCycles: 50_000)
            #expect(try await node.wait(for: try await node.submit(ok)).status == .done)
        }
    }

    @Test("after stopIntake, SubmitJob answers UNAVAILABLE and stores nothing")
    func stopIntake() async throws {
        try await TestNode.run { node in
            let programID = try await node.submitProgram("mock-consumer")
            node.service.stopIntake()
            let s = SignedJob(nonce: 1, programID: programID, onchainInput: [UInt8](repeating: 0, count: 32))
            await expectNodeError(.unavailable) { _ = try await node.submit(s) }
            await expectNodeError(.notFound) { _ = try await node.service.getResult(GetResultRequest(jobID: s.jobID)) }
        }
    }

    @Test("an allowlist refuses other signers with PERMISSION_DENIED")
    func signerAllowlist() async throws {
        var config = CoprocessorConfig()
        let other = try PrivateKey(hex: "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d")
        config.signerPolicy = .allowlist([TestKeys.consumer: [other.address]])
        try await TestNode.run(config: config) { node in
            let programID = try await node.submitProgram("mock-consumer")
            let input = [UInt8](repeating: 0, count: 32)
            let refused = SignedJob(nonce: 1, programID: programID, onchainInput: input)
            let error = await expectNodeError(.permissionDenied) { _ = try await node.submit(refused) }
            #expect(error?.message.contains(TestKeys.requestSigner.address.description) == true)
            let allowed = SignedJob(nonce: 2, programID: programID, onchainInput: input, signer: other)
            #expect(try await node.wait(for: try await node.submit(allowed)).status == .done)
        }
    }

    @Test("a full queue answers RESOURCE_EXHAUSTED and stores nothing")
    func boundedQueue() async throws {
        var config = CoprocessorConfig()
        config.queueBound = 2
        try await TestNode.run(config: config, start: false) { node in  // no workers: the queue fills
            let programID = try await node.submitProgram("mock-consumer")
            let input = [UInt8](repeating: 0, count: 32)
            for nonce in UInt64(1)...2 {
                _ = try await node.submit(SignedJob(nonce: nonce, programID: programID, onchainInput: input))
            }
            let third = SignedJob(nonce: 3, programID: programID, onchainInput: input)
            await expectNodeError(.resourceExhausted) { _ = try await node.submit(third) }
            await expectNodeError(.notFound) { _ = try await node.service.getResult(GetResultRequest(jobID: third.jobID)) }
            let pending = try await node.service.getPendingJobs(GetPendingJobsRequest(consumerAddress: TestKeys.consumer.bytes))
            #expect(pending.pendingJobs == [1, 2])
        }
    }

    @Test("PENDING jobs left by a stopped node complete after a restart")
    func restartRecovery() async throws {
        let first = try await TestNode(start: false)  // accepts, never executes
        let programID = try await first.submitProgram("mock-consumer")
        var ids: [[UInt8]] = []
        for nonce in UInt64(1)...5 {
            ids.append(try await first.submit(SignedJob(nonce: nonce, programID: programID,
                                                        onchainInput: [UInt8](repeating: 0, count: 31) + [UInt8(nonce)])))
        }
        let pending = try await first.service.getPendingJobs(GetPendingJobsRequest(consumerAddress: TestKeys.consumer.bytes))
        #expect(pending.pendingJobs == [1, 2, 3, 4, 5])
        await first.stop()

        let second = try await TestNode(directory: first.directory)
        defer { second.removeFiles() }
        for id in ids {
            let job = try await second.wait(for: id)
            #expect(job.status == .done)
            #expect(try OffchainResultWithMetadata(abiEncoded: job.resultWithMetadata).result.count == 64)
        }
        let left = try await second.service.getPendingJobs(GetPendingJobsRequest(consumerAddress: TestKeys.consumer.bytes))
        #expect(left.pendingJobs.isEmpty)
        await second.stop()
    }
}
