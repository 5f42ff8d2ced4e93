@testable import CoprocessorHTTP
import CoprocessorWire
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import ServiceLifecycle
import TestSupport
import Testing

/// The real gateway, run by a `ServiceGroup` as the node runs it, on a loopback port over a fake
/// core, called with a real HTTP/1.1 client. Bodies are checked as raw JSON so the wire shape
/// (names, hex or integer arrays, numbers, nulls) is what is tested, not our own decoder.
@Suite("HTTP gateway")
struct HTTPGatewayTests {
    struct Reply {
        var status: Int
        var headers: HTTPFields
        var body: [UInt8]

        /// The body as generic JSON.
        func json() throws -> TestJSON { try TestJSON(parsing: body) }
    }

    /// A connected client for one test.
    struct Client: Sendable {
        let client: TestClient

        func post(_ method: String, _ body: String) async throws -> Reply {
            try await send(.post, "/v1/coprocessor_node/\(method)", body: ByteBuffer(string: body))
        }

        func send(_ method: HTTPRequest.Method, _ path: String, body: ByteBuffer? = nil) async throws -> Reply {
            let response = try await client.execute(TestClient.Request(
                path, method: method, authority: "127.0.0.1", headers: [.contentType: "application/json"], body: body))
            return Reply(status: Int(response.head.status.code), headers: response.head.headerFields,
                         body: response.body.map { Array($0.readableBytesView) } ?? [])
        }
    }

    /// Runs an `HTTPGateway` on 127.0.0.1:0 in a `ServiceGroup`, runs `body`, shuts down gracefully.
    func withGateway<T: Sendable>(
        _ fake: FakeNodeAPI,
        maxBodyBytes: Int = HTTPGateway.Configuration.defaultMaxBodyBytes,
        timeout: Duration = .seconds(15),
        _ body: @escaping @Sendable (Client) async throws -> T
    ) async throws -> T {
        try await withGatewayPort(fake, maxBodyBytes: maxBodyBytes) { port in
            try await TestClient.withClient(host: "127.0.0.1", port: port, configuration: .init(timeout: timeout)) {
                client in try await body(Client(client: client))
            }
        }
    }

    /// Runs an `HTTPGateway` on 127.0.0.1:0 and passes `body` its port.
    func withGatewayPort<T: Sendable>(
        _ fake: FakeNodeAPI,
        maxBodyBytes: Int = HTTPGateway.Configuration.defaultMaxBodyBytes,
        idleTimeout: Duration? = HTTPGateway.Configuration.defaultIdleTimeout,
        operatorToken: OperatorToken? = nil,
        maxConnections: Int? = HTTPGateway.Configuration.defaultMaxConnections,
        _ body: @escaping @Sendable (Int) async throws -> T
    ) async throws -> T {
        try await withGatewayPort(fake, maxBodyBytes: maxBodyBytes, idleTimeout: idleTimeout, operatorToken: operatorToken,
                                  maxConnections: maxConnections) { port, _ in try await body(port) }
    }

    /// Runs an `HTTPGateway` on 127.0.0.1:0 and passes `body` its port and the gateway.
    func withGatewayPort<T: Sendable>(
        _ fake: FakeNodeAPI,
        maxBodyBytes: Int = HTTPGateway.Configuration.defaultMaxBodyBytes,
        idleTimeout: Duration? = HTTPGateway.Configuration.defaultIdleTimeout,
        operatorToken: OperatorToken? = nil,
        maxConnections: Int? = HTTPGateway.Configuration.defaultMaxConnections,
        bodyBudgetBytes: Int = HTTPGateway.Configuration.defaultBodyBudgetBytes,
        readiness: ReadinessMonitor = ReadinessMonitor(.alwaysReady),
        observer: RecordingObserver? = nil,
        _ body: @escaping @Sendable (Int, HTTPGateway) async throws -> T
    ) async throws -> T {
        var logger = Logger(label: "test.http")
        logger.logLevel = .warning
        let gateway = HTTPGateway(
            api: fake, configuration: .init(host: "127.0.0.1", port: 0, maxBodyBytes: maxBodyBytes, idleTimeout: idleTimeout,
                                            operatorToken: operatorToken, maxConnections: maxConnections,
                                            bodyBudgetBytes: bodyBudgetBytes),
            logger: logger, readiness: readiness, observer: observer)
        let services = ServiceGroup(services: [gateway], logger: logger)
        return try await whileServing([{ try await services.run() }], stop: { await services.triggerGracefulShutdown() }) {
            let port = try await gateway.boundPort
            #expect(port > 0)
            return try await body(port, gateway)
        }
    }

    @Test("every call of a method is reported to the observer: method, gRPC status code (refusals by the gateway included), duration")
    func observedCalls() async throws {
        let observer = RecordingObserver()
        let token = try OperatorToken("a-token-of-16-characters-or-more")
        try await withGatewayPort(FakeNodeAPI(), operatorToken: token, observer: observer) { port, _ in
            let statuses = try await TestClient.withClient(host: "127.0.0.1", port: port) { client throws -> [Int] in
                let client = Client(client: client)
                return [try await client.post("contains_program", #"{"programId": "00"}"#).status,
                        try await client.post("submit_job", #"{"request": "zz"}"#).status,
                        try await client.post("submit_program", "{}").status,
                        try await client.send(.get, "/healthz").status]  // not a method: not reported
            }
            #expect(statuses == [200, 400, 401, 200])
        }
        let calls = observer.calls
        #expect(calls.map(\.method) == ["ContainsProgram", "SubmitJob", "SubmitProgram"])
        #expect(calls.map(\.code) == ["OK", "INVALID_ARGUMENT", "UNAUTHENTICATED"])
        #expect(calls.allSatisfy { $0.transport == .http })
        #expect(observer.durations.allSatisfy { $0 > .zero && $0 < .seconds(60) })

        let failing = RecordingObserver()
        var answers = FakeNodeAPI.Answers()
        answers.error = .notFound("no such job")
        try await withGatewayPort(FakeNodeAPI(answers), observer: failing) { port, _ in
            let status = try await TestClient.withClient(host: "127.0.0.1", port: port) { client throws -> Int in
                try await Client(client: client).post("get_result", #"{"jobId": "\#(String(repeating: "ab", count: 32))"}"#).status
            }
            #expect(status == 404)
        }
        #expect(failing.calls.map(\.code) == ["NOT_FOUND"])
    }

    // MARK: Operator token

    @Test("with an operator token, submit_program needs Authorization: Bearer <token>; other methods do not")
    func operatorToken() async throws {
        let fake = FakeNodeAPI()
        let token = try OperatorToken("s3cret-operator-token-0123")
        let replies = try await withGatewayPort(fake, operatorToken: token) { port in
            try await TestClient.withClient(host: "127.0.0.1", port: port) { client in
                var replies: [(String, Int, TestJSON, String?)] = []
                for (name, method, authorization) in [
                    ("none", "submit_program", nil), ("wrong", "submit_program", "Bearer s3cret-operator-token-0124"),
                    ("no scheme", "submit_program", "s3cret-operator-token-0123"),
                    ("right", "submit_program", "Bearer s3cret-operator-token-0123"),
                    ("scheme in lower case", "submit_program", "bearer s3cret-operator-token-0123"),
                    ("other method", "contains_program", nil),
                ] as [(String, String, String?)] {
                    var headers: HTTPFields = [.contentType: "application/json"]
                    if let authorization { headers[.authorization] = authorization }
                    let response = try await client.execute(TestClient.Request(
                        "/v1/coprocessor_node/\(method)", method: .post, authority: "127.0.0.1", headers: headers,
                        body: ByteBuffer(string: #"{"programElf": "0x7f454c46", "vmType": 1}"#)))
                    let body = response.body.map { Array($0.readableBytesView) } ?? []
                    replies.append((name, Int(response.head.status.code), try TestJSON(parsing: body),
                                    response.head.headerFields[.wwwAuthenticate]))
                }
                return replies
            }
        }
        for (name, status, json, challenge) in replies {
            switch name {
            case "right", "scheme in lower case", "other method":
                #expect(status == 200, "\(name): \(json)")
            default:
                #expect(status == 401, "\(name)")
                #expect(json["code"] == .int(16), "\(name): UNAUTHENTICATED")
                #expect(challenge == "Bearer", "\(name)")
            }
        }
        #expect(fake.calls.count == 3, "refused calls never reach the core")
    }

    // MARK: Timeouts

    /// Clients that hold a connection without completing a request: silence, a head that never
    /// ends (slowloris), a body that never arrives.
    static let stalls: [(String, String)] = [
        ("idle", ""),
        ("partial head", "POST /v1/coprocessor_node/get_result HTTP/1.1\r\nHost: x\r\nX-Slow: a"),
        ("missing body", "POST /v1/coprocessor_node/get_result HTTP/1.1\r\nHost: x\r\n"
            + "Content-Type: application/json\r\nContent-Length: 100000000\r\n\r\n{}"),
    ]

    @Test("connections that stall are closed after the idle timeout; without one they stay open")
    func idleTimeout() async throws {
        let fake = FakeNodeAPI()
        try await withGatewayPort(fake, idleTimeout: .milliseconds(500)) { port in
            for (name, bytes) in Self.stalls {
                let connection = try RawConnection(port: port)
                if !bytes.isEmpty { try connection.send(bytes) }
                let closedAfter = await connection.waitForClose(timeout: .seconds(5))
                #expect(closedAfter != nil, "\(name): still open after 5 s")
                #expect(closedAfter.map { $0 >= .milliseconds(400) } ?? true, "\(name): closed too early")
            }
        }
        try await withGatewayPort(fake, idleTimeout: nil) { port in
            let connection = try RawConnection(port: port)
            try connection.send(Self.stalls[1].1)
            #expect(await connection.waitForClose(timeout: .milliseconds(1500)) == nil, "no timeout configured: kept open")
        }
    }

    @Test("beyond the connection limit a connection is answered 503 and closed; a closed connection frees its slot")
    func connectionLimit() async throws {
        let fake = FakeNodeAPI()
        try await withGatewayPort(fake, maxConnections: 2) { port, gateway in
            let request = "GET /nowhere HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
            let first = try RawConnection(port: port)
            let second = try RawConnection(port: port)
            // Both held open, and counted by the server (its event loops set connections up in
            // parallel, so a third one opened now could otherwise be counted first).
            try await eventually("two open connections", timeout: .seconds(10)) { state in
                state = "\(gateway.openConnections ?? -1)"
                return gateway.openConnections == 2 ? true : nil
            }
            let third = try RawConnection(port: port)
            let refused = try #require(await third.readUntilClose(timeout: .seconds(5)), "the third connection is closed")
            #expect(refused.text.hasPrefix("HTTP/1.1 503 Service Unavailable\r\n"), "\(refused.text)")
            #expect(refused.text.contains("\r\nRetry-After: 1\r\n"), "\(refused.text)")
            #expect(refused.text.hasSuffix(#"{"code":14,"grpc_code":14,"message":"too many open connections to this node; retry later"}"#))
            // The two held connections are served as usual.
            try first.send(request)
            let answer = try #require(await first.readUntilClose(timeout: .seconds(5)))
            #expect(answer.text.hasPrefix("HTTP/1.1 404 "), "\(answer.text)")
            // Both slots free again once closed (the server notices the close asynchronously).
            second.close()
            let served = try await eventually("a new connection to be served", timeout: .seconds(10)) { state in
                let connection = try RawConnection(port: port)
                try connection.send(request)
                let reply = await connection.readUntilClose(timeout: .seconds(5))?.text ?? ""
                state = String(reply.prefix(40))
                return reply.hasPrefix("HTTP/1.1 404 ") ? reply : nil
            }
            #expect(served.contains("\r\n\r\n"))
        }
    }

    static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }
    /// Bytes as serde writes a `Vec<u8>`: an array of numbers.
    static func array(_ bytes: [UInt8]) -> TestJSON { .array(bytes.map { .int(Int($0)) }) }

    // MARK: Field mapping

    @Test func submitJobAcceptsCamelCaseAndPrefixedMixedCaseHex() async throws {
        let fake = FakeNodeAPI()
        let reply = try await withGateway(fake) { client in
            try await client.post("submit_job", """
                {"request": "0xDEADbeef", "signature": "0X0102", "offchainInput": "0xAbCd", "state": "0x"}
                """)
        }
        #expect(reply.status == 200)
        #expect(reply.headers[.contentType] == "application/json")
        #expect(try reply.json() == ["jobId": Self.array(pattern(32, from: 0xc0))])
        #expect(fake.calls == [.submitJob(SubmitJobRequest(request: [0xde, 0xad, 0xbe, 0xef], signature: [1, 2],
                                                           offchainInput: [0xab, 0xcd], state: []))])
    }

    @Test func submitJobAcceptsSnakeCaseUnprefixedHexAndDefaultsMissingFields() async throws {
        let fake = FakeNodeAPI()
        let reply = try await withGateway(fake) { client in
            try await client.post("submit_job", """
                {"request": "00ff", "signature": "aa", "offchain_input": "0b", "unknownField": 5}
                """)
        }
        #expect(reply.status == 200)
        #expect(fake.calls == [.submitJob(SubmitJobRequest(request: [0, 0xff], signature: [0xaa], offchainInput: [0x0b]))])
    }

    @Test func getResultWritesEveryFieldAsInfinityVMsGatewayDoes() async throws {
        let fake = FakeNodeAPI()
        let job = FakeNodeAPI.sampleJobResult()
        let reply = try await withGateway(fake) { client in
            try await client.post("get_result", #"{"job_id": "0x\#(Self.hex(job.id))"}"#)
        }
        #expect(reply.status == 200)
        #expect(fake.calls == [.getResult(GetResultRequest(jobID: job.id))])
        let expected: TestJSON = ["jobResult": [
            "id": .string(Self.hex(job.id)),
            "nonce": .uint(UInt64.max - 1),
            "maxCycles": .int(1 << 60 | 7),
            "consumerAddress": .string(Self.hex(job.consumerAddress)),
            "programId": .string(Self.hex(job.programID)),
            "onchainInput": "deadbeef00",
            "offchainInputHash": .string(Self.hex(job.offchainInputHash)),
            "stateHash": .string(Self.hex(job.stateHash)),
            "requestSignature": .string(Self.hex(job.requestSignature)),
            "resultWithMetadata": .string(Self.hex(job.resultWithMetadata)),
            "zkvmOperatorSignature": .string(Self.hex(job.zkvmOperatorSignature)),
            "status": ["status": 3, "failureReason": "cycle limit exceeded: 1001 > 1000", "retries": 3],
            "relayTxHash": .string(Self.hex(job.relayTxHash)),
        ]]
        #expect(try reply.json() == expected)
        // Our own reader reads the same body back to the same values.
        #expect(try JSONReader.decode(GetResultResponse.self, from: reply.body).jobResult == job)
    }

    @Test func getResultWritesAbsentFailureReasonAsNullAndWritesDefaults() async throws {
        let fake = FakeNodeAPI()
        var job = FakeNodeAPI.sampleJobResult(status: .pending, failureReason: nil)
        job.resultWithMetadata = []
        job.zkvmOperatorSignature = []
        job.status?.retries = 0
        job.nonce = 0
        fake.update { [job] in $0.jobResult = job }
        let reply = try await withGateway(fake) { client in
            try await client.post("get_result", "{}")
        }
        #expect(reply.status == 200)
        #expect(fake.calls == [.getResult(GetResultRequest())])
        let result = try #require(try reply.json()["jobResult"]?.object)
        #expect(result["status"] == ["status": 1, "failureReason": .null, "retries": 0])
        #expect(result["nonce"] == 0)
        #expect(result["resultWithMetadata"] == "")
        #expect(result["zkvmOperatorSignature"] == "")
        #expect(result.count == 13)
    }

    @Test func getResultWithoutAJobResultIsNull() async throws {
        let fake = FakeNodeAPI()
        fake.update { $0.jobResult = nil }
        let reply = try await withGateway(fake) { client in try await client.post("get_result", "{}") }
        #expect(reply.status == 200)
        #expect(String(decoding: reply.body, as: UTF8.self) == #"{"jobResult":null}"#)
    }

    @Test func submitProgramAcceptsVMTypeAsNumberOrName() async throws {
        let fake = FakeNodeAPI()
        let replies = try await withGateway(fake) { client in [
            try await client.post("submit_program", #"{"programElf": "7f454c46", "vmType": 1}"#),
            try await client.post("submit_program", #"{"program_elf": "0x7F454C46", "vm_type": "Sp1"}"#),
            try await client.post("submit_program", #"{"programElf": "7f454c46", "vmType": "Risc0"}"#),
            try await client.post("submit_program", #"{"programElf": "7f454c46"}"#),
            try await client.post("submit_program", #"{"programElf": "7f454c46", "vmType": 9}"#),
        ] }
        for reply in replies {
            #expect(reply.status == 200)
            #expect(try reply.json() == ["programId": .string(Self.hex(pattern(32, from: 0xa0)))])
        }
        let elf: [UInt8] = [0x7f, 0x45, 0x4c, 0x46]
        #expect(fake.calls == [1, 1, 0, 0, 9].map {
            FakeNodeAPI.Call.submitProgram(SubmitProgramRequest(programELF: elf, vmType: VmType(rawValue: $0)))
        })
    }

    @Test func getPendingJobsWritesNoncesAsNumbers() async throws {
        let fake = FakeNodeAPI()
        let consumer = pattern(20, from: 0x30)
        let reply = try await withGateway(fake) { client in
            try await client.post("get_pending_jobs", #"{"consumerAddress": "0x\#(Self.hex(consumer))"}"#)
        }
        #expect(reply.status == 200)
        #expect(try reply.json() == ["pendingJobs": [1, 2, .uint(.max)]])
        #expect(String(decoding: reply.body, as: UTF8.self) == #"{"pendingJobs":[1,2,18446744073709551615]}"#)
        #expect(fake.calls == [.getPendingJobs(GetPendingJobsRequest(consumerAddress: consumer))])
        #expect(try JSONReader.decode(GetPendingJobsResponse.self, from: reply.body).pendingJobs == [1, 2, .max])
    }

    @Test func containsProgram() async throws {
        let fake = FakeNodeAPI()
        let programID = pattern(32, from: 0x50)
        let replies = try await withGateway(fake) { client in
            let yes = try await client.post("contains_program", #"{"program_id": "\#(Self.hex(programID))"}"#)
            fake.update { $0.contains = false }
            let no = try await client.post("contains_program", #"{"programId": "\#(Self.hex(programID))"}"#)
            return (yes, no)
        }
        #expect(try replies.0.json() == ["contains": true])
        #expect(try replies.1.json() == ["contains": false])
        #expect(fake.calls == [.containsProgram(ContainsProgramRequest(programID: programID)),
                               .containsProgram(ContainsProgramRequest(programID: programID))])
    }

    @Test func emptyBodyIsTheEmptyMessage() async throws {
        let fake = FakeNodeAPI()
        let reply = try await withGateway(fake) { client in
            try await client.send(.post, "/v1/coprocessor_node/contains_program")
        }
        #expect(reply.status == 200)
        #expect(fake.calls == [.containsProgram(ContainsProgramRequest())])
    }

    // MARK: Errors

    @Test(arguments: StatusCode.allCases)
    func nodeErrorsUseTheGRPCToHTTPMapping(code: StatusCode) async throws {
        let fake = FakeNodeAPI()
        let message = "refused: \(code) \"quoted\" / ünïcode"
        fake.update { $0.error = NodeError(code, message) }
        let replies = try await withGateway(fake) { client in
            var replies: [Reply] = []
            for method in ["submit_job", "get_result", "submit_program", "get_pending_jobs", "contains_program"] {
                replies.append(try await client.post(method, "{}"))
            }
            return replies
        }
        let expectedHTTP = [
            StatusCode.invalidArgument: 400, .notFound: 404, .alreadyExists: 409, .permissionDenied: 403, .failedPrecondition: 400,
            .resourceExhausted: 429, .internal: 500, .unavailable: 503, .unauthenticated: 401,
        ][code]
        for reply in replies {
            #expect(reply.status == expectedHTTP)
            #expect(reply.status == code.httpStatus)
            #expect(try reply.json() == ["code": .int(code.rawValue), "grpc_code": .int(code.rawValue),
                                         "message": .string(message)])
        }
        #expect(fake.calls.count == 5)
    }

    @Test(arguments: [
        ("get_result", "{not json", "malformed JSON"),
        ("get_result", #"{"jobId": "0x123"}"#, #""jobId""#),
        // Fields are named by their JSON name in errors, whichever name the client used.
        ("get_result", #"{"job_id": "zz"}"#, #"invalid field "jobId": invalid hex character 'z' at position 0"#),
        ("get_result", #"{"jobId": 12}"#, #""jobId""#),
        ("get_result", "[1, 2]", "JSON object"),
        ("get_result", "\"text\"", "JSON object"),
        ("submit_job", #"{"request": "00", "offchainInput": ["00"]}"#, #""offchainInput[0]""#),
        ("submit_program", #"{"programElf": "00", "vmType": "Sp9"}"#, #""vmType""#),
        ("submit_program", #"{"programElf": "00", "vmType": true}"#, #""vmType""#),
        ("get_pending_jobs", #"{"consumer_address": {}}"#, #""consumerAddress""#),
        ("submit_job", #"{"request": [1, 256]}"#, #""request[1]""#),
        ("submit_job", #"{"request": ["01"]}"#, #""request[0]""#),
        ("get_pending_jobs", #"{"consumerAddress": "ab", }"#, "malformed JSON: expected '\"' at byte 26"),
    ])
    func malformedRequestsAre400WithTheField(method: String, body: String, mention: String) async throws {
        let fake = FakeNodeAPI()
        let reply = try await withGateway(fake) { client in try await client.post(method, body) }
        #expect(reply.status == 400)
        let json = try reply.json()
        #expect(json["code"] == 3)
        #expect(json["grpc_code"] == 3)
        let message = try #require(json["message"]?.string)
        #expect(message.contains(mention), "\(message)")
        #expect(fake.calls.isEmpty)
    }

    @Test func unknownPathIs404AndWrongMethodIs405() async throws {
        let fake = FakeNodeAPI()
        let (unknown, root, wrongMethod) = try await withGateway(fake) { client in (
            try await client.post("no_such_call", "{}"),
            try await client.send(.get, "/"),
            try await client.send(.get, "/v1/coprocessor_node/get_result")
        ) }
        #expect(unknown.status == 404)
        #expect(try unknown.json()["code"] == 5)
        #expect(try unknown.json()["message"]?.string?.contains("/v1/coprocessor_node/no_such_call") == true)
        #expect(root.status == 404)
        #expect(try root.json()["code"] == 5)
        #expect(wrongMethod.status == 405)
        #expect(wrongMethod.headers[.allow] == "POST")
        #expect(try wrongMethod.json()["code"] == 12)
        #expect(try wrongMethod.json()["grpc_code"] == 12)
        #expect(try unknown.json()["grpc_code"] == 5)
        #expect(fake.calls.isEmpty)
    }

    // MARK: Body size

    @Test func acceptsAnELFSizedBody() async throws {
        let fake = FakeNodeAPI()
        let elf = pattern(12 * 1024 * 1024, from: 0)
        let body = #"{"programElf": "0x\#(Self.hex(elf))", "vmType": 1}"#
        let reply = try await withGateway(fake, timeout: .seconds(120)) { client in
            try await client.post("submit_program", body)
        }
        #expect(reply.status == 200)
        #expect(fake.calls == [.submitProgram(SubmitProgramRequest(programELF: elf, vmType: .sp1))])
    }

    @Test("a body that does not fit the bodies' memory budget is 429; every request gives its bytes back")
    func bodyBudget() async throws {
        let fake = FakeNodeAPI()
        try await withGatewayPort(fake, bodyBudgetBytes: 64 << 10) { port, gateway in
            try await TestClient.withClient(host: "127.0.0.1", port: port) { testClient in
                let client = Client(client: testClient)
                let large = try await client.post("submit_program", #"{"programElf": "\#(String(repeating: "00", count: 40_000))"}"#)
                #expect(large.status == 429)
                #expect(try large.json()["code"] == 8)
                #expect(try large.json()["message"] == .string(
                    "the node holds at most 65536 bytes of request bodies at once and this one does not fit now; retry later"))
                #expect(gateway.bodyBytesHeld == 0, "a refused body gives back what it took")
                let small = try await client.post("submit_program", #"{"programElf": "\#(String(repeating: "00", count: 10_000))"}"#)
                #expect(small.status == 200)
                #expect(gateway.bodyBytesHeld == 0)
            }
        }
        #expect(fake.calls == [.submitProgram(SubmitProgramRequest(programELF: [UInt8](repeating: 0, count: 10_000), vmType: .risc0))])
    }

    @Test func bodiesAboveTheConfiguredLimitAre413() async throws {
        let fake = FakeNodeAPI()
        let (tooLarge, fits) = try await withGateway(fake, maxBodyBytes: 1024) { client in (
            try await client.post("submit_program", #"{"programElf": "\#(String(repeating: "00", count: 2048))"}"#),
            try await client.post("submit_program", #"{"programElf": "00"}"#)
        ) }
        #expect(tooLarge.status == 413)
        #expect(try tooLarge.json()["code"] == 8)
        #expect(fits.status == 200)
        #expect(fake.calls == [.submitProgram(SubmitProgramRequest(programELF: [0], vmType: .risc0))])
    }
}
