import CoprocessorWire
import Ethereum
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import TestSupport
import Testing

/// The gateway's OpenAPI document against the live node process: real answers of every kind
/// validated against it (jsonschema-rs), and schemathesis generating requests from it.
@Suite("OpenAPI against the node", .enabled(if: NodeProcess.binary != nil, "the coprocessor-node executable is not built"))
struct OpenAPITests {
    /// A bounded schemathesis run: examples per operation, a fixed seed.
    static let maxExamples = 100

    static func send(_ port: Int, _ method: HTTPRequest.Method, _ path: String, _ body: [UInt8]? = nil) async throws
        -> (status: Int, body: [UInt8])
    {
        let response = try await TestClient.withClient(host: "127.0.0.1", port: port) { client in
            try await client.execute(TestClient.Request(path, method: method, authority: "127.0.0.1",
                                                        headers: [.contentType: "application/json"],
                                                        body: body.map { ByteBuffer(bytes: $0) }))
        }
        return (Int(response.head.status.code), response.body.map { Array($0.readableBytesView) } ?? [])
    }

    @Test("GET /openapi.json is `coprocessor-node schema openapi`; real answers of every operation conform to it; schemathesis finds no 5xx and no non-conforming answer",
          .enabled(if: Peers.schemathesis.isRequired, Comment(rawValue: Peers.schemathesis.detail)))
    func conformance() async throws {
        let python = try Peers.schemathesis.require()
        let dbDir = FileManager.default.temporaryDirectory.appendingPathComponent("node-openapi-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dbDir) }
        let node = try NodeProcess(dbDir: dbDir)
        try await node.waitUntilListening()
        let port = node.httpPort

        let served = try await Self.send(port, .get, "/openapi.json")
        #expect(served.status == 200)
        let printed = try await Subprocess.run(try NodeProcess.binary.orThrow("no coprocessor-node"), ["schema", "openapi"])
        #expect(printed.stdout == Data(served.body + [0x0A]))

        // Real answers: a whole job (200s with every field), errors, the probes.
        var answers: [(operation: String, path: String, body: [UInt8]?)] = []
        let gateway = GatewayClient(port: port)
        let programID = try await gateway.submitProgram("intensity-test")
        let job = SignedJob(nonce: 1, programID: try Hex.decode(programID), onchainInput: [0x01, 0x00, 0x00, 0x00], maxCycles: 1_000_000_000)
        let jobID = try await gateway.submitJob(job)
        _ = try await gateway.poll(jobID)
        func json(_ object: [String: Any]) throws -> [UInt8] { [UInt8](try JSONSerialization.data(withJSONObject: object)) }
        answers += [
            ("SubmitProgram", "/v1/coprocessor_node/submit_program", try json(["programElf": Hex.encode(try Repo.guest("intensity-test")), "vmType": 1])),
            ("SubmitProgram", "/v1/coprocessor_node/submit_program", try json(["programElf": "7f454c46", "vmType": 1])),
            ("SubmitJob", "/v1/coprocessor_node/submit_job", try json(job.gatewayBody)),  // ALREADY_EXISTS
            ("GetResult", "/v1/coprocessor_node/get_result", try json(["jobId": jobID])),
            ("GetResult", "/v1/coprocessor_node/get_result", try json(["jobId": String(repeating: "ab", count: 32)])),
            ("GetResult", "/v1/coprocessor_node/get_result", Array("{\"jobId\": 7".utf8)),
            ("GetPendingJobs", "/v1/coprocessor_node/get_pending_jobs", try json(["consumerAddress": Hex.encode(TestKeys.consumer.bytes)])),
            ("ContainsProgram", "/v1/coprocessor_node/contains_program", try json(["programId": programID])),
            ("Healthz", "/healthz", nil), ("Readyz", "/readyz", nil), ("OpenAPI", "/openapi.json", nil),
        ]
        var recorded: [[String: Any]] = []
        var statuses: [Int] = []
        for answer in answers {
            let reply = try await Self.send(port, answer.body == nil ? .get : .post, answer.path, answer.body)
            statuses.append(reply.status)
            recorded.append(["operationId": answer.operation, "status": reply.status,
                             "body": try JSONSerialization.jsonObject(with: Data(reply.body))])
        }
        #expect(statuses == [200, 400, 409, 200, 404, 400, 200, 200, 200, 200, 200])
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("answers-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        try JSONSerialization.data(withJSONObject: recorded).write(to: file)
        let validation = try await Peers.runDiscoveryClient(
            ["openapi", "--url", "http://127.0.0.1:\(port)/openapi.json", "--responses", file.path], peer: Peers.schemathesis)
        #expect(validation["results"] == .array(Array(repeating: "ok", count: answers.count)), "\(validation)")

        // schemathesis: every check but positive_data_acceptance (a well-formed request with a
        // bad signature or an unknown program is rightly refused), bounded examples, fixed seed.
        let run = try await Subprocess.run(python, [
            "-c", "import sys; from schemathesis.cli import schemathesis; sys.argv[0] = 'schemathesis'; sys.exit(schemathesis())",
            "run", "http://127.0.0.1:\(port)/openapi.json",
            "--checks", "all", "--exclude-checks", "positive_data_acceptance",
            "--max-examples", "\(Self.maxExamples)", "--seed", "1", "--workers", "1",
            "--no-color", "--generation-database", "none", "--request-timeout", "30",
        ], currentDirectory: FileManager.default.temporaryDirectory)
        let output = String(decoding: run.stdout, as: UTF8.self)
        #expect(run.status == 0, "schemathesis failed:\n\(output)\n\(run.stderr)")
        let summary = output.split(separator: "\n").first { $0.contains(" generated, ") } ?? ""
        #expect(summary.contains("passed") && !summary.contains("failed"), "\(summary)")
        let generated = Int(summary.split(separator: " ").first { Int($0) != nil } ?? "0") ?? 0
        #expect(generated >= 200, "schemathesis generated \(generated) cases: \(summary)")
        #expect(!node.logText.contains("Fatal error"))
        #expect(try await node.stop() == 0)
    }
}
