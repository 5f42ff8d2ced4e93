import CoprocessorGRPC
import CoprocessorWire
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import Synchronization
import TestSupport
import Testing

/// The health service on the real gRPC server, called with grpc-swift's client
/// and the messages of `CoprocessorWire/Standard`; their bytes are checked against hand-encoded
/// protobuf. gRPC's own Python client is run against a node process in NodeTests.
@Suite("gRPC health")
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

    @Test("HealthCheckRequest and HealthCheckResponse bytes are protobuf's")
    func bytes() throws {
        #expect(ProtobufWriter.encode(HealthCheckResponse(status: .notServing)) == [0x08, 0x02])
        #expect(ProtobufWriter.encode(HealthCheckRequest(service: "")) == [])
        #expect(ProtobufWriter.encode(HealthCheckRequest(service: "a.B")) == [0x0A, 0x03, 0x61, 0x2E, 0x42])
    }
}
