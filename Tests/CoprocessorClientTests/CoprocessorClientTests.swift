import CoprocessorClient
import CoprocessorWire
import Ethereum
import Foundation
import Testing
import TestSupport
import ZKVM

/// The client library against a real node process, over both transports: operator-only calls with
/// and without the token, signed submission, refusals as the node's status codes, waiting.
@Suite("CoprocessorClient against a node")
struct CoprocessorClientTests {
    static let token = "client-test-operator-token-0123456789"

    /// A node with an operator token, and the client over each transport (with and without the token).
    func withNode(_ body: @Sendable (_ clients: [(name: String, client: CoprocessorClient, tokenless: CoprocessorClient)])
        async throws -> Void) async throws
    {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("client-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let tokenFile = dir.appendingPathComponent("token")
        try Self.token.write(to: tokenFile, atomically: true, encoding: .utf8)
        let node = try NodeProcess(dbDir: dir.appendingPathComponent("db").path,
                                   arguments: ["--admin-token-file", tokenFile.path])
        try await node.waitUntilListening()
        let http = CoprocessorClient.http("http://127.0.0.1:\(node.httpPort)", operatorToken: Self.token)
        let httpTokenless = CoprocessorClient.http("http://127.0.0.1:\(node.httpPort)")
        try await CoprocessorClient.withGRPC(host: "127.0.0.1", port: node.grpcPort, operatorToken: Self.token) { grpc in
            try await CoprocessorClient.withGRPC(host: "127.0.0.1", port: node.grpcPort) { grpcTokenless in
                try await body([("HTTP", http, httpTokenless), ("gRPC", grpc, grpcTokenless)])
            }
        }
        #expect(try await node.stop() == 0, "graceful exit; log: \(node.logText)")
    }

    static func nodeError(_ body: () async throws -> Void) async -> NodeError? {
        do { try await body(); return nil } catch { return error as? NodeError }
    }

    @Test("submit a program and a signed job, wait for the signed result; refusals carry the node's codes")
    func roundTrip() async throws {
        try await withNode { clients in
            let elf = try Repo.guest("mock-consumer")
            let vector = try Repo.guestVector(program: "mock-consumer", name: "address 0x4545..45")
            for (index, (name, client, tokenless)) in clients.enumerated() {
                let refused = await Self.nodeError { _ = try await tokenless.submitProgram(elf: elf, vm: .sp1) }
                #expect(refused?.code == .unauthenticated, "\(name): \(String(describing: refused))")

                let programID = try await client.submitProgram(elf: elf, vm: .sp1)
                #expect(programID == (try Program(elf: elf)).id.bytes, "\(name): the engine's program ID")
                #expect(try await tokenless.containsProgram(id: programID), "\(name)")

                let job = JobRequest(nonce: UInt64(index + 1), consumer: TestKeys.consumer, programID: programID,
                                     onchainInput: vector.stdin[0])
                let jobID = try await client.submitJob(job, signer: TestKeys.requestSigner)
                #expect(jobID == job.jobID, "\(name)")
                let again = await Self.nodeError { _ = try await client.submitJob(job, signer: TestKeys.requestSigner) }
                #expect(again?.code == .alreadyExists, "\(name): \(String(describing: again))")

                let done = try await client.waitForResult(jobID: jobID)
                #expect(done.status?.status == .done, "\(name): \(String(describing: done.status))")
                let result = try OffchainResultWithMetadata(abiEncoded: done.resultWithMetadata)
                #expect(result.jobID == job.offchainJobRequest.jobID, "\(name)")
                #expect(result.result == vector.publicValues, "\(name)")
                #expect(result.offchainInputHash == Keccak256.hash([]), "\(name)")
                let signer = try Signature(bytes: done.zkvmOperatorSignature)
                    .recoverPersonalMessageSigner(done.resultWithMetadata)
                #expect(signer == TestKeys.operatorKey.address, "\(name)")
                #expect(try await client.pendingJobs(consumer: TestKeys.consumer) == [], "\(name)")

                // A job the node never heard of: polled until the timeout, then WaitTimeout.
                let unknown = JobRequest(nonce: 999, consumer: TestKeys.consumer, programID: programID).jobID
                do {
                    _ = try await client.waitForResult(jobID: unknown, backoff: .init(initialDelay: .milliseconds(5),
                                                                                      timeout: .milliseconds(50)))
                    Issue.record("\(name): an unknown job finished")
                } catch let timeout as WaitTimeout {
                    #expect(timeout.jobID == unknown)
                    #expect(timeout.lastStatus == nil)
                }
            }
        }
    }

    @Test("backoff: delays grow by the factor up to the cap and add up to the timeout")
    func backoff() {
        let delays = CoprocessorClient.Backoff(initialDelay: .milliseconds(10), factor: 2, maxDelay: .milliseconds(50),
                                               timeout: .milliseconds(200)).delays()
        #expect(delays == [10, 20, 40, 50, 50, 30].map { Duration.milliseconds($0) })
    }

    @Test("a signed job request: the node's encoding, a signature that recovers to the signer, the job ID")
    func signing() throws {
        let job = JobRequest(nonce: 7, maxCycles: 123, consumer: TestKeys.consumer, programID: [1, 2, 3],
                             onchainInput: [4], offchainInput: [5, 6], state: [7], relayStrategy: .ordered)
        let request = try job.signed(by: TestKeys.requestSigner)
        #expect(request.request == job.offchainJobRequest.abiEncoded())
        #expect(try OffchainJobRequest(abiEncoded: request.request) == job.offchainJobRequest)
        #expect(try Signature(bytes: request.signature).recoverPersonalMessageSigner(request.request)
            == TestKeys.requestSigner.address)
        #expect(request.offchainInput == [5, 6] && request.state == [7] && request.relayStrategy == .ordered)
        #expect(job.jobID == JobID.compute(nonce: 7, consumer: TestKeys.consumer).bytes)
    }
}
