@testable import CoprocessorHTTP
import CoprocessorWire
import Foundation
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

/// The OpenAPI document the gateway serves: one operation per method of the wire description,
/// schemas in the exact shapes the reader accepts and the writer emits. (schemathesis runs it
/// against a live node in NodeTests.)
extension HTTPGatewayTests {
    static func document() throws -> TestJSON { try TestJSON(parsing: OpenAPIDocument.json) }

    static func schema(_ name: String) throws -> TestJSON {
        try #require(try document()["components"]?["schemas"]?[name], "\(name)")
    }

    @Test("GET /openapi.json serves the document; it is OpenAPI 3.1 with a POST operation for every method and the probes")
    func openAPIServed() async throws {
        let reply = try await withGateway(FakeNodeAPI()) { client in try await client.send(.get, "/openapi.json") }
        #expect(reply.status == 200)
        #expect(reply.headers[.contentType] == "application/json")
        #expect(reply.body == OpenAPIDocument.json)
        let document = try reply.json()
        #expect(document["openapi"] == "3.1.0")
        struct Methods: WireMethodVisitor {
            var expected: [(path: String, name: String, request: String, response: String, operatorOnly: Bool)] = []
            mutating func visit<Request, Response>(_ method: WireMethod<Request, Response>) {
                expected.append((method.httpPath, method.name, Request.wireName, Response.wireName, method.operatorOnly))
            }
        }
        var methods = Methods()
        CoprocessorNodeService.visitMethods(&methods)
        #expect(methods.expected.count == 5)
        for method in methods.expected {
            let operation = try #require(document["paths"]?[method.path]?["post"], "\(method.path)")
            #expect(operation["operationId"] == .string(method.name))
            #expect(operation["requestBody"]?["content"]?["application/json"]?["schema"]
                == ["$ref": .string("#/components/schemas/\(method.request)Input")])
            #expect(operation["responses"]?["200"]?["content"]?["application/json"]?["schema"]
                == ["$ref": .string("#/components/schemas/\(method.response)")])
            let statuses = Set(operation["responses"]?.object?.keys.map { $0 } ?? [])
            var expected: Set<String> = ["200", "400", "403", "404", "409", "413", "429", "500", "503"]
            if method.operatorOnly { expected.insert("401") }
            #expect(statuses == expected, "\(method.name)")
            for status in expected where status != "200" {
                #expect(operation["responses"]?[status]?["content"]?["application/json"]?["schema"]
                    == ["$ref": "#/components/schemas/Error"])
            }
            #expect((operation["security"] != nil) == method.operatorOnly)
        }
        for path in ["/healthz", "/readyz", "/openapi.json"] { #expect(document["paths"]?[path]?["get"] != nil, "\(path)") }
        #expect(document["paths"]?["/readyz"]?["get"]?["responses"]?["503"] != nil)
    }

    @Test("response schemas are what the writer emits: hex or integer-array bytes per field, u64 numbers, enum numbers, nullable failureReason, every field required")
    func openAPIResponseShapes() throws {
        let submitJob = try Self.schema("SubmitJobResponse")
        let byteArray: TestJSON = ["type": "array", "items": ["type": "integer", "minimum": 0, "maximum": 255],
                                   "description": "Byte values."]
        #expect(submitJob["properties"]?["jobId"]?["type"] == "array")
        #expect(submitJob["properties"]?["jobId"]?["items"] == byteArray["items"])
        #expect(submitJob["additionalProperties"] == false)
        let result = try Self.schema("JobResult")
        #expect(result["properties"]?["id"]?["type"] == "string")
        #expect(result["properties"]?["id"]?["pattern"] == "^([0-9a-f]{2})*$")
        #expect(result["properties"]?["nonce"]?["type"] == "integer")
        #expect(result["properties"]?["nonce"]?["maximum"] == .number(UInt64.max))
        #expect(result["properties"]?["status"]?["anyOf"] == [["$ref": "#/components/schemas/JobStatus"], ["type": "null"]])
        #expect(result["required"]?.array?.count == JobResult.fields.count)
        let status = try Self.schema("JobStatus")
        #expect(status["properties"]?["status"]?["type"] == "integer")
        #expect(status["properties"]?["status"]?["enum"] == [0, 1, 2, 3, 4])
        #expect(status["properties"]?["failureReason"]?["type"] == ["string", "null"])
        #expect(status["properties"]?["retries"]?["maximum"] == .number(UInt64(UInt32.max)))
        #expect(try Self.schema("GetPendingJobsResponse")["properties"]?["pendingJobs"]?["items"]?["type"] == "integer")
        #expect(try Self.schema("Error") == [
            "type": "object",
            "description": "An error: code and grpc_code are the gRPC status code a gRPC client would get; message says why.",
            "properties": ["code": ["type": "integer"], "grpc_code": ["type": "integer"], "message": ["type": "string"]],
            "required": ["code", "grpc_code", "message"], "additionalProperties": false,
        ])
    }

    @Test("request schemas are what the reader accepts: either bytes shape, numbers or decimal strings, enum numbers or names, null, snake_case names")
    func openAPIRequestShapes() throws {
        let submitJob = try Self.schema("SubmitJobRequestInput")
        let request = try #require(submitJob["properties"]?["request"]?["anyOf"]?.array)
        #expect(request.last == ["type": "null"])
        let shapes = try #require(request.first?["anyOf"]?.array)
        #expect(shapes.map { $0["type"] } == ["string", "array"])
        #expect(shapes.first?["pattern"] == "^(0[xX])?([0-9a-fA-F]{2})*$")
        #expect(submitJob["properties"]?["offchain_input"] == submitJob["properties"]?["offchainInput"])
        #expect(submitJob["additionalProperties"] == true)
        let strategy = try #require(submitJob["properties"]?["relayStrategy"]?["anyOf"]?.array?.first?["anyOf"]?.array)
        #expect(strategy.map { $0["type"] } == ["integer", "string", "string"])
        #expect(strategy[1]["enum"] == ["Unordered", "Ordered"])
        let program = try Self.schema("SubmitProgramRequestInput")
        #expect(program["properties"]?["vmType"]?["anyOf"]?.array?.first?["anyOf"]?.array?[1]["enum"] == ["Risc0", "Sp1"])
        let u64 = try #require(try Self.schema("GetResultRequestInput")["properties"]?["jobId"])
        #expect(u64["anyOf"] != nil)
        // Every request message has its input schema; no response message needs one.
        for message in CoprocessorNodeService.messages where message.name.hasSuffix("Request") {
            #expect(try Self.document()["components"]?["schemas"]?[message.name + "Input"] != nil, "\(message.name)")
        }
    }
}
