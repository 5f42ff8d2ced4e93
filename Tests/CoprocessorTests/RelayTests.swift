import Coprocessor
import CoprocessorGRPC
import Ethereum
import EthereumRPC
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import Relayer
import Testing

/// Relaying results onchain and taking onchain jobs, against the project's dev chain (py-evm with
/// the Vyper JobManager), with its failure paths.
@Suite("Relaying", .serialized, .enabled(if: DevChain.available, "no Python with the dev chain's packages (make test installs them)"))
struct RelayTests {
    func withChain<T>(_ body: (DevChain) async throws -> T) async throws -> T {
        let chain = try await DevChain()
        do {
            let result = try await body(chain)
            await chain.stop()
            return result
        } catch {
            await chain.stop()
            throw error
        }
    }

    func submit(_ node: RelayingNode, program: String, nonce: UInt64, input: [UInt8]) async throws -> (SignedJob, [UInt8]) {
        let programID = try await node.node.service.submitProgram(elf: try Repo.guest(program), vmType: 1)
        let job = SignedJob(nonce: nonce, programID: programID, onchainInput: input)
        let id = try await node.node.service.submitJob(request: job.requestBytes, signature: job.signature,
                                                       offchainInput: [], state: [])
        return (job, id)
    }

    /// The relay transaction succeeded and emitted JobCompleted(jobID, result) exactly once.
    func expectRelayedOnce(_ chain: DevChain, _ job: Job, output: [UInt8]) async throws {
        let hash = try Bytes32(job.relayTxHash)
        let receipt = try #require(try await chain.client.transactionReceipt(hash))
        #expect(receipt.succeeded)
        let completions = try await chain.completions(of: job.id)
        #expect(completions.count == 1, "JobCompleted emitted \(completions.count) times")
        #expect(completions.first?.tx == hash)
        #expect(completions.first?.result == output)
    }

    @Test("offchain job over gRPC: DONE, then RELAYED with a successful tx and its JobCompleted log")
    func offchainJob() async throws {
        try await withChain { chain in
            let node = try await RelayingNode(chain: chain)
            defer { Task { await node.stop() } }
            // Through the real gRPC front end, as a client would.
            let frontEnd = GRPCFrontEnd(api: node.node.service, configuration: .init(host: "127.0.0.1", port: 0))
            let serving = Task { try await frontEnd.serve() }
            defer { frontEnd.beginGracefulShutdown(); serving.cancel() }
            let transport = try HTTP2ClientTransport.Posix(
                target: .ipv4(address: "127.0.0.1", port: try await frontEnd.boundPort), transportSecurity: .plaintext)
            let vector = try Repo.guestVector(program: "mock-consumer", name: "address 0x4545..45")
            let id: [UInt8] = try await withGRPCClient(transport: transport) { grpc in
                let client = CoprocessorClient(wrapping: grpc)
                var program = CoprocessorNode_V1_SubmitProgramRequest()
                program.programElf = Data(try Repo.guest("mock-consumer"))
                program.vmType = .sp1
                let programID = [UInt8](try await client.submitProgram(program).programID)
                let signed = SignedJob(nonce: 1, programID: programID, onchainInput: vector.stdin[0])
                var request = CoprocessorNode_V1_SubmitJobRequest()
                request.request = Data(signed.requestBytes)
                request.signature = Data(signed.signature)
                return [UInt8](try await client.submitJob(request).jobID)
            }
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

    @Test("onchain job: createJob → JobCreated → executed → submitResult → JobCompleted")
    func onchainJob() async throws {
        try await withChain { chain in
            let node = try await RelayingNode(chain: chain)
            defer { Task { await node.stop() } }
            let programID = try await node.node.service.submitProgram(elf: try Repo.guest("mock-consumer"), vmType: 1)
            let vector = try Repo.guestVector(program: "mock-consumer", name: "address 0x0123..")
            let receipt = try await chain.transact(from: DevChain.consumerKey, data: JobManager.createJobCalldata(
                nonce: 9, programID: programID, onchainInput: vector.stdin[0], maxCycles: 1_000_000))
            #expect(receipt.succeeded)
            let id = JobID.compute(nonce: 9, consumer: DevChain.consumerKey.address)
            let job = try await node.wait(for: id.bytes, status: .relayed)
            #expect(job.origin == .onchain)
            #expect(job.requestSignature.isEmpty)
            let result = try ResultWithMetadata(abiEncoded: job.resultWithMetadata)
            #expect(result.jobID == id)
            #expect(result.onchainInputHash == Keccak256.hash(vector.stdin[0]))
            #expect(result.result == vector.publicValues)
            try await expectRelayedOnce(chain, job, output: vector.publicValues)
        }
    }

    @Test("chain down at relay time: retried, relayed once the chain is back")
    func chainDown() async throws {
        try await withChain { chain in
            let node = try await RelayingNode(chain: chain) { $0.maxRetries = 50 }
            defer { Task { await node.stop() } }
            let programID = try await node.node.service.submitProgram(elf: try Repo.guest("mock-consumer"), vmType: 1)
            try await chain.suspend(seconds: 10)
            let signed = SignedJob(nonce: 2, programID: programID, onchainInput: [UInt8](repeating: 7, count: 32))
            let id = try await node.node.service.submitJob(request: signed.requestBytes, signature: signed.signature,
                                                           offchainInput: [], state: [])
            // While the chain is down, attempts fail and are counted.
            var retries: UInt32 = 0
            for _ in 0..<450 where retries == 0 {
                retries = try await node.node.service.getResult(jobID: id).retries
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(retries > 0, "attempts failed while the chain was down")
            let job = try await node.wait(for: id, status: .relayed)
            #expect(job.retries >= retries)
            #expect(job.failureReason == nil)
            let output = try OffchainResultWithMetadata(abiEncoded: job.resultWithMetadata).result
            try await expectRelayedOnce(chain, job, output: output)
        }
    }

    @Test("contract revert (wrong operator key): failure recorded, retries counted, then it gives up")
    func revertGivesUp() async throws {
        try await withChain { chain in
            let wrongOperator = try PrivateKey(hex: "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6")
            let node = try await RelayingNode(chain: chain, operatorKey: wrongOperator) { $0.maxRetries = 2 }
            defer { Task { await node.stop() } }
            let (_, id) = try await submit(node, program: "mock-consumer", nonce: 3, input: [UInt8](repeating: 1, count: 32))
            let deadline = ContinuousClock.now + .seconds(30)
            var job = try await node.node.service.getResult(jobID: id)
            while job.failureReason == nil && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
                job = try await node.node.service.getResult(jobID: id)
            }
            #expect(job.status == .done, "the result stays DONE")
            #expect(job.retries == 3)
            #expect(job.relayTxHash.isEmpty)
            let reason = job.failureReason ?? ""
            #expect(reason.contains("relaying gave up after 3 attempts"), "\(reason)")
            #expect(reason.lowercased().contains("signature"), "the revert reason is reported: \(reason)")
            #expect(try await chain.completions(of: job.id).isEmpty)
        }
    }

    @Test("restart between intake and relay: relayed exactly once; a sent-but-unconfirmed tx is not sent again")
    func restartBetweenIntakeAndRelay() async throws {
        try await withChain { chain in
            // First node: executes and queues relays, but its relayer never runs.
            let first = try await RelayingNode(chain: chain, runRelayer: false)
            var ids: [[UInt8]] = []
            for nonce in UInt64(10)...12 {
                ids.append(try await submit(first, program: "mock-consumer", nonce: nonce,
                                            input: [UInt8](repeating: UInt8(nonce), count: 32)).1)
            }
            for id in ids { _ = try await first.wait(for: id, status: .done) }
            // Simulate a crash right after sending the first job's relay transaction: record it
            // as in flight and send it, but never confirm it in the store.
            let store = first.node.store
            let job0 = try await first.node.service.getResult(jobID: ids[0])
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

            let second = try await RelayingNode(chain: chain, directory: first.node.directory)
            defer { Task { await second.stop(); second.node.removeFiles() } }
            for (i, id) in ids.enumerated() {
                let job = try await second.wait(for: id, status: .relayed)
                if i == 0 { #expect(try Bytes32(job.relayTxHash) == signed.hash, "the recorded tx, not a new one") }
                let output = try OffchainResultWithMetadata(abiEncoded: job.resultWithMetadata).result
                try await expectRelayedOnce(chain, job, output: output)
            }
        }
    }

    @Test("restart of the listener: no JobCreated event processed twice, none skipped")
    func listenerRestart() async throws {
        try await withChain { chain in
            let first = try await RelayingNode(chain: chain)
            let programID = try await first.node.service.submitProgram(elf: try Repo.guest("mock-consumer"), vmType: 1)
            func create(_ nonce: UInt64) async throws -> Bytes32 {
                let receipt = try await chain.transact(from: DevChain.consumerKey, data: JobManager.createJobCalldata(
                    nonce: nonce, programID: programID, onchainInput: [UInt8](repeating: UInt8(nonce), count: 32),
                    maxCycles: 1_000_000))
                #expect(receipt.succeeded)
                return JobID.compute(nonce: nonce, consumer: DevChain.consumerKey.address)
            }
            var ids: [Bytes32] = []
            for nonce in UInt64(1)...3 { ids.append(try await create(nonce)) }
            for id in ids { _ = try await first.wait(for: id.bytes, status: .relayed) }
            let checkpoint = try await first.node.store.chainValue("listener_next_block")
            await first.stop()

            // Events emitted while no listener runs.
            for nonce in UInt64(4)...5 { ids.append(try await create(nonce)) }

            let second = try await RelayingNode(chain: chain, directory: first.node.directory)
            defer { Task { await second.stop(); second.node.removeFiles() } }
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
