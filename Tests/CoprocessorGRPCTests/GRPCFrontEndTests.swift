import CoprocessorGRPC
import CoprocessorWire
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import TestSupport
import Testing

/// Starts a `GRPCFrontEnd` over `api` on 127.0.0.1:0, runs `body` with a connected client, then
/// shuts down.
func withFrontEnd<T: Sendable>(
    _ api: any CoprocessorNodeAPI,
    maxReceiveMessageBytes: Int = GRPCFrontEnd.Configuration.defaultMaxReceiveMessageBytes,
    operatorToken: OperatorToken? = nil,
    readiness: ReadinessMonitor = ReadinessMonitor(.alwaysReady),
    observer: RecordingObserver? = nil,
    _ body: (GRPCClient<HTTP2ClientTransport.Posix>, Int) async throws -> T
) async throws -> T {
    let frontEnd = GRPCFrontEnd(
        api: api, configuration: .init(host: "127.0.0.1", port: 0, maxReceiveMessageBytes: maxReceiveMessageBytes,
                                       operatorToken: operatorToken),
        readiness: readiness, observer: observer)
    return try await whileServing([{ try await frontEnd.serve() }], stop: { frontEnd.beginGracefulShutdown() }) {
        let port = try await frontEnd.boundPort
        #expect(port > 0)
        let transport = try HTTP2ClientTransport.Posix(
            target: .ipv4(address: "127.0.0.1", port: port), transportSecurity: .plaintext)
        return try await withGRPCClient(transport: transport) { client in try await body(client, port) }
    }
}

/// The real gRPC server on a loopback port over a fake core, called through `GRPCClient.call`
/// with each method of the wire description.
@Suite("gRPC front end")
struct GRPCFrontEndTests {
    typealias Node = CoprocessorNodeService

    @Test func submitProgramPassesELFAndVMTypeAndReturnsProgramID() async throws {
        let fake = FakeNodeAPI()
        let elf = pattern(1000, from: 0x7f)
        try await withFrontEnd(fake) { client, _ in
            let response = try await client.call(Node.submitProgram, SubmitProgramRequest(programELF: elf, vmType: .sp1))
            #expect(response.programID == pattern(32, from: 0xa0))

            // The default (Risc0 = 0) and numbers this build has no name for reach the core as is.
            _ = try await client.call(Node.submitProgram, SubmitProgramRequest(programELF: elf, vmType: .risc0))
            _ = try await client.call(Node.submitProgram, SubmitProgramRequest(programELF: elf, vmType: VmType(rawValue: 7)))
        }
        #expect(fake.calls == [1, 0, 7].map {
            .submitProgram(SubmitProgramRequest(programELF: elf, vmType: VmType(rawValue: $0)))
        })
    }

    @Test("with an operator token, SubmitProgram needs `authorization: Bearer <token>` metadata; other methods do not")
    func operatorToken() async throws {
        let fake = FakeNodeAPI()
        let token = try OperatorToken("s3cret-operator-token-0123")
        let request = SubmitProgramRequest(programELF: pattern(100, from: 0x7f), vmType: .sp1)
        try await withFrontEnd(fake, operatorToken: token) { client, _ in
            for authorization in [nil, "Bearer wrong-token-wrong-token", "s3cret-operator-token-0123"] as [String?] {
                var metadata: Metadata = [:]
                if let authorization { metadata.addString(authorization, forKey: "authorization") }
                let error = await #expect(throws: RPCError.self, "\(authorization ?? "none")") {
                    try await client.unary(request: ClientRequest(message: request, metadata: metadata),
                                           descriptor: Node.submitProgram.descriptor,
                                           serializer: WireSerializer<SubmitProgramRequest>(),
                                           deserializer: WireDeserializer<SubmitProgramResponse>(), options: .defaults) { try $0.message }
                }
                #expect(error?.code == .unauthenticated, "\(authorization ?? "none")")
            }
            var metadata: Metadata = [:]
            metadata.addString("Bearer s3cret-operator-token-0123", forKey: "authorization")
            let response = try await client.unary(request: ClientRequest(message: request, metadata: metadata),
                                                  descriptor: Node.submitProgram.descriptor,
                                                  serializer: WireSerializer<SubmitProgramRequest>(),
                                                  deserializer: WireDeserializer<SubmitProgramResponse>(), options: .defaults) { try $0.message }
            #expect(response.programID == pattern(32, from: 0xa0))
            _ = try await client.call(Node.containsProgram, ContainsProgramRequest(programID: pattern(32, from: 1)))
        }
        #expect(fake.calls.count == 2, "refused calls never reach the core")
    }

    @Test("every call is reported to the observer: method, gRPC status code (token refusals included), duration")
    func observedCalls() async throws {
        let observer = RecordingObserver()
        let token = try OperatorToken("s3cret-operator-token-0123")
        try await withFrontEnd(FakeNodeAPI(), operatorToken: token, observer: observer) { client, _ in
            _ = try await client.call(Node.containsProgram, ContainsProgramRequest(programID: pattern(32, from: 1)))
            let refused = await #expect(throws: RPCError.self) {
                try await client.call(Node.submitProgram, SubmitProgramRequest(programELF: [0x7f], vmType: .sp1))
            }
            #expect(refused?.code == .unauthenticated)
        }
        var answers = FakeNodeAPI.Answers()
        answers.error = .resourceExhausted("queue full")
        try await withFrontEnd(FakeNodeAPI(answers), observer: observer) { client, _ in
            let error = await #expect(throws: RPCError.self) { try await client.call(Node.submitJob, SubmitJobRequest()) }
            #expect(error?.code == .resourceExhausted)
        }
        #expect(observer.calls.map(\.method) == ["ContainsProgram", "SubmitProgram", "SubmitJob"])
        #expect(observer.calls.map(\.code) == ["OK", "UNAUTHENTICATED", "RESOURCE_EXHAUSTED"])
        #expect(observer.calls.allSatisfy { $0.transport == .grpc })
        #expect(observer.durations.allSatisfy { $0 > .zero && $0 < .seconds(60) })
    }

    @Test func submitJobPassesEveryFieldAndReturnsJobID() async throws {
        let fake = FakeNodeAPI()
        let request = SubmitJobRequest(request: pattern(256, from: 1), signature: pattern(65, from: 2),
                                       offchainInput: pattern(10, from: 3), state: pattern(5, from: 4))
        try await withFrontEnd(fake) { client, _ in
            let response = try await client.call(Node.submitJob, request)
            #expect(response.jobID == pattern(32, from: 0xc0))

            // Missing fields are empty bytes, as in proto3.
            _ = try await client.call(Node.submitJob, SubmitJobRequest())
        }
        #expect(fake.calls == [.submitJob(request), .submitJob(SubmitJobRequest())])
    }

    @Test func getResultFillsEveryJobResultField() async throws {
        let job = FakeNodeAPI.sampleJobResult()
        let fake = FakeNodeAPI()
        let jobID = pattern(32, from: 0x10)
        let result = try await withFrontEnd(fake) { client, _ in
            let response = try await client.call(Node.getResult, GetResultRequest(jobID: jobID))
            return try #require(response.jobResult)
        }
        #expect(fake.calls == [.getResult(GetResultRequest(jobID: jobID))])
        #expect(result.id == job.id)
        #expect(result.nonce == UInt64.max - 1)
        #expect(result.maxCycles == 1 << 60 | 7)
        #expect(result.consumerAddress == job.consumerAddress)
        #expect(result.programID == job.programID)
        #expect(result.onchainInput == job.onchainInput)
        #expect(result.offchainInputHash == job.offchainInputHash)
        #expect(result.stateHash == job.stateHash)
        #expect(result.requestSignature == job.requestSignature)
        #expect(result.resultWithMetadata == job.resultWithMetadata)
        #expect(result.zkvmOperatorSignature == job.zkvmOperatorSignature)
        #expect(result.relayTxHash == job.relayTxHash)
        let status = try #require(result.status)
        #expect(status.status == .failed)
        #expect(status.failureReason == "cycle limit exceeded: 1001 > 1000")
        #expect(status.retries == 3)
        #expect(result == job)
    }

    @Test(arguments: [JobStatusType.unspecified, .pending, .done, .failed, .relayed, JobStatusType(rawValue: 9)])
    func getResultMapsStatusAndOmitsAbsentFailureReason(status: JobStatusType) async throws {
        let fake = FakeNodeAPI()
        fake.update { $0.jobResult = FakeNodeAPI.sampleJobResult(status: status, failureReason: nil) }
        let result = try await withFrontEnd(fake) { client, _ in
            try await client.call(Node.getResult, GetResultRequest()).jobResult
        }
        #expect(result?.status?.status == status)
        #expect(result?.status?.status.rawValue == status.rawValue)
        // proto3 `optional`: absent, not an empty string.
        #expect(result?.status != nil)
        #expect(result?.status?.failureReason == nil)
    }

    @Test func emptyFailureReasonIsPresent() async throws {
        let fake = FakeNodeAPI()
        fake.update { $0.jobResult = FakeNodeAPI.sampleJobResult(failureReason: "") }
        let status = try await withFrontEnd(fake) { client, _ in
            try await client.call(Node.getResult, GetResultRequest()).jobResult?.status
        }
        #expect(status?.failureReason == "")
    }

    @Test func getResultWithoutAJobResult() async throws {
        let fake = FakeNodeAPI()
        fake.update { $0.jobResult = nil }
        let response = try await withFrontEnd(fake) { client, _ in try await client.call(Node.getResult, GetResultRequest()) }
        #expect(response.jobResult == nil)
    }

    @Test func getPendingJobsAndContainsProgram() async throws {
        let fake = FakeNodeAPI()
        let consumer = pattern(20, from: 0x30)
        let programID = pattern(32, from: 0x50)
        try await withFrontEnd(fake) { client, _ in
            // (Results are bound first: `#expect(try await …)` does not compile inside this closure.)
            let pendingJobs = try await client.call(Node.getPendingJobs, GetPendingJobsRequest(consumerAddress: consumer))
                .pendingJobs
            #expect(pendingJobs == [1, 2, .max])

            let yes = try await client.call(Node.containsProgram, ContainsProgramRequest(programID: programID)).contains
            fake.update { $0.contains = false }
            let no = try await client.call(Node.containsProgram, ContainsProgramRequest(programID: programID)).contains
            #expect(yes == true)
            #expect(no == false)
        }
        #expect(fake.calls == [
            .getPendingJobs(GetPendingJobsRequest(consumerAddress: consumer)),
            .containsProgram(ContainsProgramRequest(programID: programID)),
            .containsProgram(ContainsProgramRequest(programID: programID)),
        ])
    }

    @Test(arguments: StatusCode.allCases)
    func nodeErrorsBecomeTheMatchingGRPCStatus(code: StatusCode) async throws {
        let fake = FakeNodeAPI()
        let message = "refused: \(code) — with ünïcode"
        fake.update { $0.error = NodeError(code, message) }
        try await withFrontEnd(fake) { client, _ in
            // Every call maps errors the same way.
            let calls: [@Sendable () async throws -> Void] = [
                { _ = try await client.call(Node.submitProgram, SubmitProgramRequest()) },
                { _ = try await client.call(Node.submitJob, SubmitJobRequest()) },
                { _ = try await client.call(Node.getResult, GetResultRequest()) },
                { _ = try await client.call(Node.getPendingJobs, GetPendingJobsRequest()) },
                { _ = try await client.call(Node.containsProgram, ContainsProgramRequest()) },
            ]
            for call in calls {
                let error = await #expect(throws: RPCError.self) { try await call() }
                #expect(error?.code.rawValue == code.rawValue)
                #expect(error?.message == message)
            }
        }
        #expect(fake.calls.count == 5)
    }

    @Test func malformedRequestBytesAreInvalidArgument() async throws {
        let fake = FakeNodeAPI()
        // A client whose serializer sends bytes our decoder refuses (field 1 of SubmitJobRequest
        // as a varint instead of bytes).
        struct RawSerializer: MessageSerializer {
            func serialize<Bytes: GRPCContiguousBytes>(_ message: [UInt8]) throws -> Bytes { Bytes(message) }
        }
        try await withFrontEnd(fake) { client, _ in
            let error = await #expect(throws: RPCError.self) {
                _ = try await client.unary(request: ClientRequest(message: [0x08, 0x01]),
                                           descriptor: Node.submitJob.descriptor, serializer: RawSerializer(),
                                           deserializer: WireDeserializer<SubmitJobResponse>(), options: .defaults) { try $0.message }
            }
            #expect(error?.code == .invalidArgument)
            #expect(error?.message == "malformed SubmitJobRequest: protobuf: field request (1) has wire type 0",
                    "\(error?.message ?? "")")
        }
        #expect(fake.calls.isEmpty)
    }

    @Test func acceptsAnELFSizedMessage() async throws {
        let fake = FakeNodeAPI()
        let elf = pattern(12 * 1024 * 1024, from: 0)
        try await withFrontEnd(fake) { client, _ in
            _ = try await client.call(Node.submitProgram, SubmitProgramRequest(programELF: elf, vmType: .sp1))
        }
        #expect(fake.calls == [.submitProgram(SubmitProgramRequest(programELF: elf, vmType: .sp1))])
    }

    @Test func rejectsMessagesAboveTheConfiguredLimit() async throws {
        let fake = FakeNodeAPI()
        try await withFrontEnd(fake, maxReceiveMessageBytes: 1024) { client, _ in
            let request = SubmitProgramRequest(programELF: pattern(4096, from: 0), vmType: .risc0)
            let error = await #expect(throws: RPCError.self) { _ = try await client.call(Node.submitProgram, request) }
            // grpc-swift-nio-transport 2.9.2 resets the stream rather than sending RESOURCE_EXHAUSTED,
            // which the client reports as UNAVAILABLE; either way the core never sees the message.
            #expect(error?.code == .unavailable || error?.code == .resourceExhausted, "\(String(describing: error))")
        }
        #expect(fake.calls.isEmpty)
    }
}
