import CoprocessorGRPC
import CoprocessorWire
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import Synchronization
import TestSupport
import Testing

/// The health and reflection services on the real gRPC server, called with grpc-swift's client
/// and the messages of `CoprocessorWire/Standard`; their bytes are checked against hand-encoded
/// protobuf. gRPC's own Python clients are run against a node process in NodeTests.
@Suite("gRPC health and reflection")
struct DiscoveryServicesTests {
    typealias Client = GRPCClient<HTTP2ClientTransport.Posix>

    static func check(_ client: Client, _ service: String) async throws -> HealthServingStatus {
        try await client.unary(
            request: ClientRequest(message: HealthCheckRequest(service: service)),
            descriptor: MethodDescriptor(fullyQualifiedService: "grpc.health.v1.Health", method: "Check"),
            serializer: WireSerializer<HealthCheckRequest>(), deserializer: WireDeserializer<HealthCheckResponse>(),
            options: .defaults) { try $0.message.status }
    }

    /// A readiness whose one check fails while `failing` holds a reason.
    final class Switch: Sendable {
        let failure = Mutex<String?>(nil)
        var readiness: Readiness { Readiness(checks: [.init("database") { [self] in failure.withLock { $0 } }]) }
    }

    @Test("Check: SERVING for \"\" and the coprocessor service while ready, NOT_SERVING while a check fails, NOT_FOUND for other names")
    func check() async throws {
        let state = Switch()
        let monitor = ReadinessMonitor(state.readiness, maxAge: .zero)
        try await withFrontEnd(FakeNodeAPI(), readiness: monitor) { client, _ throws in
            let ready = [try await Self.check(client, ""), try await Self.check(client, "coprocessor_node.v1.CoprocessorNode")]
            #expect(ready == [.serving, .serving])
            let error = await #expect(throws: RPCError.self) { try await Self.check(client, "no.such.Service") }
            #expect(error?.code == .notFound)
            #expect(error?.message.contains("no.such.Service") == true)

            state.failure.withLock { $0 = "disk full" }
            let unready = [try await Self.check(client, ""), try await Self.check(client, "coprocessor_node.v1.CoprocessorNode")]
            #expect(unready == [.notServing, .notServing])
        }
    }

    @Test("Watch: the status now, then each change; NOT_SERVING and the end of the call once the server drains")
    func watch() async throws {
        let state = Switch()
        let monitor = ReadinessMonitor(state.readiness, maxAge: .zero)
        let seen = try await withFrontEnd(FakeNodeAPI(), readiness: monitor) { client, _ in
            try await client.serverStreaming(
                request: ClientRequest(message: HealthCheckRequest(service: "")),
                descriptor: MethodDescriptor(fullyQualifiedService: "grpc.health.v1.Health", method: "Watch"),
                serializer: WireSerializer<HealthCheckRequest>(), deserializer: WireDeserializer<HealthCheckResponse>(),
                options: .defaults
            ) { response in
                var statuses: [HealthServingStatus] = []
                for try await message in response.messages {
                    statuses.append(message.status)
                    switch statuses.count {
                    case 1: state.failure.withLock { $0 = "disk full" }
                    case 2: state.failure.withLock { $0 = nil }
                    case 3: await monitor.beginDraining()
                    default: break
                    }
                }
                return statuses
            }
        }
        #expect(seen == [.serving, .notServing, .serving, .notServing])
    }

    @Test("HealthCheckResponse and ServerReflectionRequest bytes are protobuf's")
    func bytes() throws {
        #expect(ProtobufWriter.encode(HealthCheckResponse(status: .notServing)) == [0x08, 0x02])
        #expect(ProtobufWriter.encode(HealthCheckRequest(service: "")) == [])
        #expect(ProtobufWriter.encode(HealthCheckRequest(service: "a.B")) == [0x0A, 0x03, 0x61, 0x2E, 0x42])
        // list_services = "" is written (a oneof member has presence) and read back as set.
        var request = ServerReflectionRequest()
        request.listServices = ""
        #expect(ProtobufWriter.encode(request) == [0x3A, 0x00])
        #expect(try ProtobufReader.decode(ServerReflectionRequest.self, from: [0x3A, 0x00]).listServices == "")
        // Repeated messages and repeated bytes: one occurrence of the field per element.
        var response = ServerReflectionResponse()
        response.listServicesResponse = ListServiceResponse(service: [ServiceResponse(name: "a"), ServiceResponse(name: "bc")])
        #expect(ProtobufWriter.encode(response) == [0x32, 0x0B, 0x0A, 0x03, 0x0A, 0x01, 0x61, 0x0A, 0x04, 0x0A, 0x02, 0x62, 0x63])
        let files = FileDescriptorResponse(fileDescriptorProto: [[1, 2], [], [3]])
        let encoded = ProtobufWriter.encode(files)
        #expect(encoded == [0x0A, 0x02, 1, 2, 0x0A, 0x00, 0x0A, 0x01, 3])
        #expect(try ProtobufReader.decode(FileDescriptorResponse.self, from: encoded) == files)
        // int32: negative values take ten bytes; packed repeated int32.
        let error = ReflectionErrorResponse(errorCode: -1, errorMessage: "")
        #expect(ProtobufWriter.encode(error) == [0x08] + [UInt8](repeating: 0xFF, count: 9) + [0x01])
        #expect(try ProtobufReader.decode(ReflectionErrorResponse.self, from: ProtobufWriter.encode(error)) == error)
        let numbers = ExtensionNumberResponse(baseTypeName: "", extensionNumber: [1, 300])
        #expect(ProtobufWriter.encode(numbers) == [0x12, 0x03, 0x01, 0xAC, 0x02])
        #expect(try ProtobufReader.decode(ExtensionNumberResponse.self, from: ProtobufWriter.encode(numbers)) == numbers)
    }

    static func reflect(_ client: Client, version: String, _ requests: [ServerReflectionRequest]) async throws
        -> [ServerReflectionResponse]
    {
        try await client.bidirectionalStreaming(
            request: StreamingClientRequest(of: ServerReflectionRequest.self) { writer in
                try await writer.write(contentsOf: requests)
            },
            descriptor: MethodDescriptor(fullyQualifiedService: "grpc.reflection.\(version).ServerReflection",
                                         method: "ServerReflectionInfo"),
            serializer: WireSerializer<ServerReflectionRequest>(), deserializer: WireDeserializer<ServerReflectionResponse>(),
            options: .defaults
        ) { response in
            var answers: [ServerReflectionResponse] = []
            for try await message in response.messages { answers.append(message) }
            return answers
        }
    }

    @Test("reflection v1 and v1alpha: list services, files by name and by symbol, errors for what is not there", arguments: ["v1", "v1alpha"])
    func reflection(version: String) async throws {
        func request(_ set: (inout ServerReflectionRequest) -> Void) -> ServerReflectionRequest {
            var r = ServerReflectionRequest()
            r.host = "localhost"
            set(&r)
            return r
        }
        let requests = [
            request { $0.listServices = "*" },
            request { $0.fileByFilename = "coprocessor_node/v1/coprocessor_node.proto" },
            request { $0.fileContainingSymbol = "coprocessor_node.v1.CoprocessorNode.SubmitJob" },
            request { $0.fileContainingSymbol = "grpc.health.v1.HealthCheckResponse.ServingStatus" },
            request { $0.fileContainingSymbol = "coprocessor_node.v1.JobStatus.failure_reason" },
            request { $0.fileContainingSymbol = "coprocessor_node.v1.Nope" },
            request { $0.fileByFilename = "nope.proto" },
            request { $0.allExtensionNumbersOfType = "coprocessor_node.v1.JobResult" },
            request { _ in },
        ]
        let answers = try await withFrontEnd(FakeNodeAPI()) { client, _ in
            try await Self.reflect(client, version: version, requests)
        }
        try #require(answers.count == requests.count)
        for (answer, asked) in zip(answers, requests) {
            #expect(answer.originalRequest == asked)
            #expect(answer.validHost == "localhost")
        }
        #expect(answers[0].listServicesResponse?.service.map(\.name) == [
            "coprocessor_node.v1.CoprocessorNode", "grpc.health.v1.Health",
            "grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection",
        ])
        let node = FileDescriptorEncoder.encode(CoprocessorNodeService.protoFile)
        let health = FileDescriptorEncoder.encode(HealthService.protoFile)
        #expect(answers[1].fileDescriptorResponse?.fileDescriptorProto == [node])
        #expect(answers[2].fileDescriptorResponse?.fileDescriptorProto == [node])
        #expect(answers[3].fileDescriptorResponse?.fileDescriptorProto == [health])
        #expect(answers[4].fileDescriptorResponse?.fileDescriptorProto == [node])
        for unknown in [answers[5], answers[6]] {
            #expect(unknown.fileDescriptorResponse == nil)
            #expect(unknown.errorResponse?.errorCode == 5)  // NOT_FOUND
        }
        #expect(answers[6].errorResponse?.errorMessage.contains("coprocessor_node/v1/coprocessor_node.proto") == true)
        #expect(answers[7].allExtensionNumbersResponse == ExtensionNumberResponse(baseTypeName: "coprocessor_node.v1.JobResult",
                                                                                  extensionNumber: []))
        #expect(answers[8].errorResponse?.errorCode == 3)  // INVALID_ARGUMENT
    }
}
