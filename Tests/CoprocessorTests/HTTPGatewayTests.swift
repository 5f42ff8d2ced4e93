import Coprocessor
import CoprocessorHTTP
import Ethereum
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import ServiceLifecycle
import Testing

/// The real gateway, run by a `ServiceGroup` as the node runs it, on a loopback port over a fake
/// core, called with a real HTTP/1.1 client. Bodies are checked as raw JSON so the wire shape
/// (names, hex, strings for uint64, omitted fields) is what is tested, not our own decoder.
@Suite("HTTP gateway")
struct HTTPGatewayTests {
    struct Reply {
        var status: Int
        var headers: HTTPFields
        var body: [UInt8]

        /// The body as generic JSON.
        func json() throws -> TestJSON {
            try JSONDecoder().decode(TestJSON.self, from: Data(body))
        }
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
        _ fake: FakeCoprocessor,
        maxBodyBytes: Int = HTTPGateway.Configuration.defaultMaxBodyBytes,
        timeout: Duration = .seconds(15),
        _ body: @escaping @Sendable (Client) async throws -> T
    ) async throws -> T {
        var logger = Logger(label: "test.http")
        logger.logLevel = .warning
        let gateway = HTTPGateway(
            api: fake, configuration: .init(host: "127.0.0.1", port: 0, maxBodyBytes: maxBodyBytes), logger: logger)
        let services = ServiceGroup(services: [gateway], logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await services.run() }
            do {
                let port = try await gateway.boundPort
                #expect(port > 0)
                let result = try await TestClient.withClient(
                    host: "127.0.0.1", port: port, configuration: .init(timeout: timeout)
                ) { client in
                    try await body(Client(client: client))
                }
                await services.triggerGracefulShutdown()
                try await group.waitForAll()
                return result
            } catch {
                group.cancelAll()
                throw error
            }
        }
    }

    static func hex(_ bytes: [UInt8]) -> String { Hex.encode(bytes, prefixed: false) }

    // MARK: Field mapping

    @Test func submitJobAcceptsCamelCaseAndPrefixedMixedCaseHex() async throws {
        let fake = FakeCoprocessor()
        let reply = try await withGateway(fake) { client in
            try await client.post("submit_job", """
                {"request": "0xDEADbeef", "signature": "0X0102", "offchainInput": "0xAbCd", "state": "0x"}
                """)
        }
        #expect(reply.status == 200)
        #expect(reply.headers[.contentType] == "application/json")
        #expect(try reply.json() == ["jobId": .string(Self.hex(FakeCoprocessor.pattern(32, from: 0xc0)))])
        #expect(fake.calls == [.submitJob(request: [0xde, 0xad, 0xbe, 0xef], signature: [1, 2], offchainInput: [0xab, 0xcd], state: [])])
    }

    @Test func submitJobAcceptsSnakeCaseUnprefixedHexAndDefaultsMissingFields() async throws {
        let fake = FakeCoprocessor()
        let reply = try await withGateway(fake) { client in
            try await client.post("submit_job", """
                {"request": "00ff", "signature": "aa", "offchain_input": "0b", "unknownField": 5}
                """)
        }
        #expect(reply.status == 200)
        #expect(fake.calls == [.submitJob(request: [0, 0xff], signature: [0xaa], offchainInput: [0x0b], state: [])])
    }

    @Test func getResultWritesEveryFieldInProto3JSONStyle() async throws {
        let fake = FakeCoprocessor()
        let job = FakeCoprocessor.sampleJob()
        let reply = try await withGateway(fake) { client in
            try await client.post("get_result", #"{"job_id": "0x\#(Self.hex(job.id.bytes))"}"#)
        }
        #expect(reply.status == 200)
        #expect(fake.calls == [.getResult(jobID: job.id.bytes)])
        let expected: TestJSON = ["jobResult": [
            "id": .string(Self.hex(job.id.bytes)),
            "nonce": "18446744073709551614",
            "maxCycles": .string(String(UInt64(1) << 60 | 7)),
            "consumerAddress": .string(Self.hex(job.consumer.bytes)),
            "programId": .string(Self.hex(job.programID)),
            "onchainInput": "deadbeef00",
            "offchainInputHash": .string(Self.hex(job.offchainInputHash.bytes)),
            "stateHash": .string(Self.hex(job.stateHash.bytes)),
            "requestSignature": .string(Self.hex(job.requestSignature)),
            "resultWithMetadata": .string(Self.hex(job.resultWithMetadata)),
            "zkvmOperatorSignature": .string(Self.hex(job.operatorSignature)),
            "status": ["status": 3, "failureReason": "cycle limit exceeded: 1001 > 1000", "retries": 3],
            "relayTxHash": .string(Self.hex(job.relayTxHash)),
        ]]
        #expect(try reply.json() == expected)
        // Our own decoder reads the same body back to the same values.
        let decoded = try JSONDecoder().decode(GatewayJSON.GetResultResponse.self, from: Data(reply.body))
        #expect(decoded.jobResult == GatewayJSON.JobResult(job))
    }

    @Test func getResultOmitsAbsentFailureReasonAndWritesDefaults() async throws {
        let fake = FakeCoprocessor()
        var job = FakeCoprocessor.sampleJob(status: .pending, failureReason: nil)
        job.resultWithMetadata = []
        job.operatorSignature = []
        job.retries = 0
        job.nonce = 0
        fake.update { [job] in $0.job = job }
        let reply = try await withGateway(fake) { client in
            try await client.post("get_result", "{}")
        }
        #expect(reply.status == 200)
        #expect(fake.calls == [.getResult(jobID: [])])
        let result = try #require(try reply.json()["jobResult"]?.object)
        #expect(result["status"] == ["status": 1, "retries": 0])
        #expect(result["nonce"] == "0")
        #expect(result["resultWithMetadata"] == "")
        #expect(result["zkvmOperatorSignature"] == "")
        #expect(result.count == 13)
    }

    @Test func submitProgramAcceptsVMTypeAsNumberOrName() async throws {
        let fake = FakeCoprocessor()
        let replies = try await withGateway(fake) { client in [
            try await client.post("submit_program", #"{"programElf": "7f454c46", "vmType": 1}"#),
            try await client.post("submit_program", #"{"program_elf": "0x7F454C46", "vm_type": "Sp1"}"#),
            try await client.post("submit_program", #"{"programElf": "7f454c46", "vmType": "Risc0"}"#),
            try await client.post("submit_program", #"{"programElf": "7f454c46"}"#),
            try await client.post("submit_program", #"{"programElf": "7f454c46", "vmType": 9}"#),
        ] }
        for reply in replies {
            #expect(reply.status == 200)
            #expect(try reply.json() == ["programId": .string(Self.hex(FakeCoprocessor.pattern(32, from: 0xa0)))])
        }
        let elf: [UInt8] = [0x7f, 0x45, 0x4c, 0x46]
        #expect(fake.calls == [1, 1, 0, 0, 9].map { FakeCoprocessor.Call.submitProgram(elf: elf, vmType: $0) })
    }

    @Test func getPendingJobsWritesNoncesAsDecimalStrings() async throws {
        let fake = FakeCoprocessor()
        let consumer = FakeCoprocessor.pattern(20, from: 0x30)
        let reply = try await withGateway(fake) { client in
            try await client.post("get_pending_jobs", #"{"consumerAddress": "0x\#(Self.hex(consumer))"}"#)
        }
        #expect(reply.status == 200)
        #expect(try reply.json() == ["pendingJobs": ["1", "2", "18446744073709551615"]])
        #expect(fake.calls == [.getPendingJobs(consumer: consumer)])
        let decoded = try JSONDecoder().decode(GatewayJSON.GetPendingJobsResponse.self, from: Data(reply.body))
        #expect(decoded.pendingJobs == [1, 2, .max])
    }

    @Test func containsProgram() async throws {
        let fake = FakeCoprocessor()
        let programID = FakeCoprocessor.pattern(32, from: 0x50)
        let replies = try await withGateway(fake) { client in
            let yes = try await client.post("contains_program", #"{"program_id": "\#(Self.hex(programID))"}"#)
            fake.update { $0.contains = false }
            let no = try await client.post("contains_program", #"{"programId": "\#(Self.hex(programID))"}"#)
            return (yes, no)
        }
        #expect(try replies.0.json() == ["contains": true])
        #expect(try replies.1.json() == ["contains": false])
        #expect(fake.calls == [.containsProgram(programID: programID), .containsProgram(programID: programID)])
    }

    @Test func emptyBodyIsTheEmptyMessage() async throws {
        let fake = FakeCoprocessor()
        let reply = try await withGateway(fake) { client in
            try await client.send(.post, "/v1/coprocessor_node/contains_program")
        }
        #expect(reply.status == 200)
        #expect(fake.calls == [.containsProgram(programID: [])])
    }

    @Test func uint64AndEnumInputsAcceptNumbersAndStrings() throws {
        // No request carries a uint64; the response types, decodable too, accept both forms.
        let json = #"{"pending_jobs": [1, "2", 18446744073709551615]}"#
        let pending = try JSONDecoder().decode(GatewayJSON.GetPendingJobsResponse.self, from: Data(json.utf8))
        #expect(pending.pendingJobs == [1, 2, .max])
        let status = try JSONDecoder().decode(
            GatewayJSON.JobStatus.self, from: Data(#"{"status": "JOB_STATUS_TYPE_DONE", "retries": "4"}"#.utf8))
        #expect(status == GatewayJSON.JobStatus(status: 2, failureReason: nil, retries: 4))
        #expect(status.statusType == .done)
    }

    // MARK: Errors

    @Test(arguments: StatusCode.allCases)
    func nodeErrorsUseTheGRPCToHTTPMapping(code: StatusCode) async throws {
        let fake = FakeCoprocessor()
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
            .resourceExhausted: 429, .internal: 500, .unavailable: 503,
        ][code]
        for reply in replies {
            #expect(reply.status == expectedHTTP)
            #expect(reply.status == code.httpStatus)
            #expect(try reply.json() == ["code": .int(code.rawValue), "message": .string(message)])
        }
        #expect(fake.calls.count == 5)
    }

    @Test(arguments: [
        ("get_result", "{not json", "malformed JSON"),
        ("get_result", #"{"jobId": "0x123"}"#, #""jobId""#),
        ("get_result", #"{"job_id": "zz"}"#, #""job_id""#),
        ("get_result", #"{"jobId": 12}"#, #""jobId""#),
        ("get_result", "[1, 2]", "JSON object"),
        ("get_result", "\"text\"", "JSON object"),
        ("submit_job", #"{"request": "00", "offchainInput": ["00"]}"#, #""offchainInput""#),
        ("submit_program", #"{"programElf": "00", "vmType": "Sp9"}"#, #""vmType""#),
        ("submit_program", #"{"programElf": "00", "vmType": true}"#, #""vmType""#),
        ("get_pending_jobs", #"{"consumer_address": {}}"#, #""consumer_address""#),
    ])
    func malformedRequestsAre400WithTheField(method: String, body: String, mention: String) async throws {
        let fake = FakeCoprocessor()
        let reply = try await withGateway(fake) { client in try await client.post(method, body) }
        #expect(reply.status == 400)
        let json = try reply.json()
        #expect(json["code"] == 3)
        let message = try #require(json["message"]?.string)
        #expect(message.contains(mention), "\(message)")
        #expect(fake.calls.isEmpty)
    }

    @Test func unknownPathIs404AndWrongMethodIs405() async throws {
        let fake = FakeCoprocessor()
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
        #expect(fake.calls.isEmpty)
    }

    // MARK: Body size

    @Test func acceptsAnELFSizedBody() async throws {
        let fake = FakeCoprocessor()
        let elf = FakeCoprocessor.pattern(12 * 1024 * 1024, from: 0)
        let body = #"{"programElf": "0x\#(Self.hex(elf))", "vmType": 1}"#
        let reply = try await withGateway(fake, timeout: .seconds(120)) { client in
            try await client.post("submit_program", body)
        }
        #expect(reply.status == 200)
        #expect(fake.calls == [.submitProgram(elf: elf, vmType: 1)])
    }

    @Test func bodiesAboveTheConfiguredLimitAre413() async throws {
        let fake = FakeCoprocessor()
        let (tooLarge, fits) = try await withGateway(fake, maxBodyBytes: 1024) { client in (
            try await client.post("submit_program", #"{"programElf": "\#(String(repeating: "00", count: 2048))"}"#),
            try await client.post("submit_program", #"{"programElf": "00"}"#)
        ) }
        #expect(tooLarge.status == 413)
        #expect(try tooLarge.json()["code"] == 8)
        #expect(fits.status == 200)
        #expect(fake.calls == [.submitProgram(elf: [0], vmType: 0)])
    }
}

/// Any JSON value, for checking response bodies exactly (numbers here are always integers).
enum TestJSON: Decodable, Equatable, Sendable, CustomStringConvertible,
    ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    case string(String)
    case int(Int)
    case bool(Bool)
    case array([TestJSON])
    case object([String: TestJSON])
    case null

    init(from decoder: any Decoder) throws {
        let value = try decoder.singleValueContainer()
        if value.decodeNil() {
            self = .null
        } else if let bool = try? value.decode(Bool.self) {
            self = .bool(bool)
        } else if let int = try? value.decode(Int.self) {
            self = .int(int)
        } else if let string = try? value.decode(String.self) {
            self = .string(string)
        } else if let array = try? value.decode([TestJSON].self) {
            self = .array(array)
        } else {
            self = .object(try value.decode([String: TestJSON].self))
        }
    }

    init(stringLiteral value: String) { self = .string(value) }
    init(integerLiteral value: Int) { self = .int(value) }
    init(booleanLiteral value: Bool) { self = .bool(value) }
    init(arrayLiteral elements: TestJSON...) { self = .array(elements) }
    init(dictionaryLiteral elements: (String, TestJSON)...) {
        self = .object(Dictionary(uniqueKeysWithValues: elements))
    }

    subscript(key: String) -> TestJSON? {
        if case .object(let object) = self { return object[key] }
        return nil
    }

    var object: [String: TestJSON]? {
        if case .object(let object) = self { return object }
        return nil
    }

    var string: String? {
        if case .string(let string) = self { return string }
        return nil
    }

    var description: String {
        switch self {
        case .string(let string):
            let shown = string.count > 80 ? String(string.prefix(80)) + "…" : string
            return "\"\(shown)\""
        case .int(let int): return "\(int)"
        case .bool(let bool): return "\(bool)"
        case .array(let array): return "[\(array.map(\.description).joined(separator: ", "))]"
        case .object(let object):
            return "{\(object.sorted { $0.key < $1.key }.map { "\"\($0.key)\": \($0.value)" }.joined(separator: ", "))}"
        case .null: return "null"
        }
    }
}
