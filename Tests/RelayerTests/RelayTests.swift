import Coprocessor
import CoprocessorWire
import Ethereum
import EthereumRPC
import Foundation
import Relayer
import TestSupport
import Testing

/// Relaying results onchain and taking onchain jobs, against the project's dev chain (py-evm with
/// the Vyper JobManager), with its failure paths.
@Suite("Relaying", .serialized, .enabled(if: Peers.devChain.isRequired, Comment(rawValue: Peers.devChain.detail)))
struct RelayTests {
    func submit(_ node: RelayingNode, program: String, nonce: UInt64, input: [UInt8]) async throws -> (SignedJob, [UInt8]) {
        let programID = try await node.node.submitProgram(program)
        let job = SignedJob(nonce: nonce, programID: programID, onchainInput: input)
        return (job, try await node.node.submit(job))
    }

    /// The relay transaction succeeded and emitted JobCompleted(jobID, result) exactly once.
    func expectRelayedOnce(_ chain: Chain, _ job: Job, output: [UInt8]) async throws {
        let hash = try Bytes32(job.relayTxHash)
        let receipt = try #require(try await chain.client.transactionReceipt(hash))
        #expect(receipt.succeeded)
        let completions = try await chain.completions(of: job.id)
        #expect(completions.count == 1, "JobCompleted emitted \(completions.count) times")
        #expect(completions.first?.tx == hash)
        #expect(completions.first?.result == output)
    }

    /// `createJob` from the dev chain's consumer; returns the job's ID.
    func createJob(_ chain: Chain, nonce: UInt64, programID: [UInt8], input: [UInt8]) async throws -> Bytes32 {
        let receipt = try await chain.transact(from: DevChain.consumerKey, data: JobManager.createJobCalldata(
            nonce: nonce, programID: programID, onchainInput: input, maxCycles: 1_000_000))
        #expect(receipt.succeeded)
        return JobID.compute(nonce: nonce, consumer: DevChain.consumerKey.address)
    }

    @Test("offchain job: DONE, then RELAYED with a successful tx and its JobCompleted log")
    func offchainJob() async throws {
        try await Chain.with { chain in
            try await chain.withNode { node in
                let vector = try Repo.guestVector(program: "mock-consumer", name: "address 0x4545..45")
                let (_, id) = try await submit(node, program: "mock-consumer", nonce: 1, input: vector.stdin[0])
                let job = try await node.wait(for: id, status: .relayed)
                #expect(job.relayTxHash.count == 32)
                #expect(job.retries == 0)
                try await expectRelayedOnce(chain, job, output: vector.publicValues)
                // The chain now knows the job: a second relay of the same result would revert.
                let again = CallRequest(from: DevChain.relayerKey.address, to: chain.jobManager,
                                        data: ResultRelayer.calldata(for: job))
                await #expect(throws: EthereumClientError.self) { _ = try await chain.client.call(again) }
            }
        }
    }

    @Test("onchain job: createJob → JobCreated → executed → submitResult → JobCompleted")
    func onchainJob() async throws {
        try await Chain.with { chain in
            try await chain.withNode { node in
                let programID = try await node.node.submitProgram("mock-consumer")
                let vector = try Repo.guestVector(program: "mock-consumer", name: "address 0x0123..")
                let receipt = try await chain.transact(from: DevChain.consumerKey, data: JobManager.createJobCalldata(
                    nonce: 9, programID: programID, onchainInput: vector.stdin[0], maxCycles: 1_000_000))
                let id = JobID.compute(nonce: 9, consumer: DevChain.consumerKey.address)
                let job = try await node.wait(for: id.bytes, status: .relayed)
                #expect(job.origin == .onchain)
                // The listener recorded the event by (chain id, tx hash, log index) with its job.
                let created = try #require(receipt.logs.first { $0.topics.first == JobManager.jobCreatedTopic })
                let chainID = try await chain.client.chainID()
                let recorded = try await eventually("the event recorded", timeout: .seconds(10)) { _ in
                    try await node.node.store.recordedEvent(chainID: chainID, transactionHash: receipt.transactionHash,
                                                            logIndex: created.logIndex)
                }
                #expect(recorded == id)
                #expect(job.requestSignature.isEmpty)
                let result = try ResultWithMetadata(abiEncoded: job.resultWithMetadata)
                #expect(result.jobID == id)
                #expect(result.onchainInputHash == Keccak256.hash(vector.stdin[0]))
                #expect(result.result == vector.publicValues)
                try await expectRelayedOnce(chain, job, output: vector.publicValues)
            }
        }
    }

    @Test("onchain job created before its program is submitted: it waits, then runs and is relayed")
    func onchainJobBeforeItsProgram() async throws {
        try await Chain.with { chain in
            try await chain.withNode { node in
                let elf = try Repo.guest("mock-consumer")
                let programID = try Repo.programID("mock-consumer")
                let vector = try Repo.guestVector(program: "mock-consumer", name: "address 0x4545..45")
                let id = try await createJob(chain, nonce: 21, programID: programID, input: vector.stdin[0])
                let waiting = try await node.node.wait(for: id.bytes) { _ in true }  // the listener stored it
                #expect(waiting.status == .pending)
                // Parked right after it is stored (submitOnchainJob: insert, then park).
                _ = try await eventually("the job parked for its program", timeout: .seconds(10)) { state -> Bool? in
                    let parked = node.service.jobsWaitingForPrograms
                    state = "\(parked) waiting"
                    return parked == 1 ? true : nil
                }
                _ = try await node.service.submitProgram(SubmitProgramRequest(programELF: elf, vmType: .sp1))
                let job = try await node.wait(for: id.bytes, status: .relayed)
                #expect(job.origin == .onchain)
                let result = try ResultWithMetadata(abiEncoded: job.resultWithMetadata)
                #expect(result.programID == programID)
                #expect(result.result == vector.publicValues)
                try await expectRelayedOnce(chain, job, output: vector.publicValues)
            }
        }
    }

    @Test("chain down at relay time: retried, relayed once the chain is back")
    func chainDown() async throws {
        try await Chain.with { chain in
            try await chain.withNode(configure: { $0.maxRetries = 50 }) { node in
                let programID = try await node.node.submitProgram("mock-consumer")
                // First a job relayed while the chain is up, so the relayer is past its start (which
                // waits for the chain without counting attempts) before the chain goes away.
                let warmUp = try await node.node.submit(SignedJob(nonce: 1, programID: programID,
                                                                  onchainInput: [UInt8](repeating: 6, count: 32)))
                _ = try await node.wait(for: warmUp, status: .relayed)
                try await chain.suspend(seconds: 10)
                let signed = SignedJob(nonce: 2, programID: programID, onchainInput: [UInt8](repeating: 7, count: 32))
                let id = try await node.node.submit(signed)
                // While the chain is down, attempts fail and are counted.
                let failing = try await node.node.wait(for: id, timeout: .seconds(9)) { $0.retries > 0 }
                let job = try await node.wait(for: id, status: .relayed)
                #expect(job.retries >= failing.retries)
                #expect(job.failureReason == nil)
                let output = try OffchainResultWithMetadata(abiEncoded: job.resultWithMetadata).result
                try await expectRelayedOnce(chain, job, output: output)
            }
        }
    }

    @Test("contract revert (wrong operator key): failure recorded, retries counted, then it gives up")
    func revertGivesUp() async throws {
        try await Chain.with { chain in
            let wrongOperator = try PrivateKey(hex: "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6")
            try await chain.withNode(operatorKey: wrongOperator, configure: { $0.maxRetries = 2 }) { node in
                let (_, id) = try await submit(node, program: "mock-consumer", nonce: 3, input: [UInt8](repeating: 1, count: 32))
                let job = try await node.node.wait(for: id) { $0.failureReason != nil }
                #expect(job.status == .done, "the result stays DONE")
                #expect(job.retries == 3)
                #expect(job.relayTxHash.isEmpty)
                let reason = job.failureReason ?? ""
                #expect(reason.contains("relaying gave up after 3 attempts"), "\(reason)")
                #expect(reason.lowercased().contains("signature"), "the revert reason is reported: \(reason)")
                #expect(try await chain.completions(of: job.id).isEmpty)
                // GetResult shows it: DONE, with the reason and the retries.
                let wire = try #require(try await node.service.getResult(GetResultRequest(jobID: id)).jobResult)
                #expect(wire.status == JobStatus(status: .done, failureReason: reason, retries: 3))
            }
        }
    }

    @Test("results that became DONE while relaying was off are relayed when the relayer starts")
    func backlogRelayedAtStart() async throws {
        try await Chain.with { chain in
            // A run without relaying.
            let offline = try await TestNode()
            defer { offline.removeFiles() }
            let programID = try await offline.submitProgram("mock-consumer")
            var ids: [[UInt8]] = []
            for nonce in UInt64(31)...32 {
                let id = try await offline.submit(SignedJob(nonce: nonce, programID: programID,
                                                            onchainInput: [UInt8](repeating: UInt8(nonce), count: 32)))
                #expect(try await offline.wait(for: id).status == .done)
                ids.append(id)
            }
            await offline.stop()

            try await chain.withNode(directory: offline.directory) { node in
                for id in ids {
                    let job = try await node.wait(for: id, status: .relayed)
                    try await expectRelayedOnce(chain, job,
                                                output: try OffchainResultWithMetadata(abiEncoded: job.resultWithMetadata).result)
                }
            }
        }
    }

    @Test("restart between intake and relay: relayed exactly once; a sent-but-unconfirmed tx is not sent again")
    func restartBetweenIntakeAndRelay() async throws {
        try await Chain.with { chain in
            // First node: executes and queues relays, but its relayer never runs.
            let first = try await RelayingNode(chain: chain, runRelayer: false)
            defer { first.node.removeFiles() }
            var ids: [[UInt8]] = []
            for nonce in UInt64(10)...12 {
                ids.append(try await submit(first, program: "mock-consumer", nonce: nonce,
                                            input: [UInt8](repeating: UInt8(nonce), count: 32)).1)
            }
            for id in ids { _ = try await first.wait(for: id, status: .done) }
            // Simulate a crash right after sending the first job's relay transaction: record it
            // as in flight and send it, but never confirm it in the store.
            let store = first.node.store
            let job0 = try await first.node.job(ids[0])
            let calldata = ResultRelayer.calldata(for: job0)
            let call = CallRequest(from: DevChain.relayerKey.address, to: chain.jobManager, data: calldata)
            let fees = try await chain.client.suggestFees()
            let tx = EIP1559Transaction(
                chainID: try await chain.client.chainID(),
                nonce: try await chain.client.transactionCount(DevChain.relayerKey.address, block: .pending),
                maxPriorityFeePerGas: fees.maxPriorityFeePerGas, maxFeePerGas: fees.maxFeePerGas,
                gasLimit: try await chain.client.estimateGas(call, headroomPercent: 20), to: chain.jobManager,
                value: .zero, data: calldata)
            let signed = try tx.sign(with: DevChain.relayerKey)
            try await store.recordInFlight(jobID: job0.id, transaction: InFlightTransaction(
                nonce: tx.nonce, raw: signed.raw, hash: signed.hash))
            _ = try await chain.client.sendRawTransaction(signed.raw)
            await first.stop()

            try await chain.withNode(directory: first.node.directory) { second in
                for (i, id) in ids.enumerated() {
                    let job = try await second.wait(for: id, status: .relayed)
                    if i == 0 { #expect(try Bytes32(job.relayTxHash) == signed.hash, "the recorded tx, not a new one") }
                    let output = try OffchainResultWithMetadata(abiEncoded: job.resultWithMetadata).result
                    try await expectRelayedOnce(chain, job, output: output)
                }
            }
        }
    }

    @Test("restart of the listener: no JobCreated event processed twice, none skipped")
    func listenerRestart() async throws {
        try await Chain.with { chain in
            let first = try await RelayingNode(chain: chain)
            defer { first.node.removeFiles() }
            let programID = try await first.node.submitProgram("mock-consumer")
            var ids: [Bytes32] = []
            for nonce in UInt64(1)...3 {
                ids.append(try await createJob(chain, nonce: nonce, programID: programID,
                                               input: [UInt8](repeating: UInt8(nonce), count: 32)))
            }
            for id in ids { _ = try await first.wait(for: id.bytes, status: .relayed) }
            let checkpoint = try await first.node.store.chainValue("listener_next_block")
            await first.stop()

            // Events emitted while no listener runs.
            for nonce in UInt64(4)...5 {
                ids.append(try await createJob(chain, nonce: nonce, programID: programID,
                                               input: [UInt8](repeating: UInt8(nonce), count: 32)))
            }

            try await chain.withNode(directory: first.node.directory) { second in
                for id in ids { _ = try await second.wait(for: id.bytes, status: .relayed) }
                for id in ids {
                    let completions = try await chain.completions(of: id)
                    #expect(completions.count == 1, "job \(id) completed \(completions.count) times")
                }
                let advanced = try await second.node.store.chainValue("listener_next_block")
                #expect(advanced ?? 0 > checkpoint ?? 0)
                #expect(advanced ?? 0 <= (try await chain.client.blockNumber()) + 1)
            }
        }
    }
}
