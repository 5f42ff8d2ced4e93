import CoprocessorWire
import GRPCCore

/// The standard gRPC health service, `grpc.health.v1.Health` (messages from
/// `CoprocessorWire/Standard/Health.swift`): SERVING for the server as a whole ("") and for each of
/// `services` while the node's readiness checks pass, NOT_SERVING while one fails or once the node
/// is shutting down; Check answers NOT_FOUND for any other service name, Watch SERVICE_UNKNOWN.
public struct HealthGRPCService: RegistrableRPCService {
    public let monitor: ReadinessMonitor
    /// Fully qualified service names reported (besides "").
    public let services: Set<String>
    /// How often Watch re-reads the readiness to send changes.
    public let watchInterval: Duration

    public init(monitor: ReadinessMonitor, services: Set<String> = [CoprocessorNodeService.fullName],
                watchInterval: Duration = .seconds(1)) {
        self.monitor = monitor
        self.services = services
        self.watchInterval = watchInterval
    }

    /// The status of `service`, or nil for a service this server does not have.
    public func status(of service: String) async -> HealthServingStatus? {
        guard service.isEmpty || services.contains(service) else { return nil }
        return await monitor.report().isReady ? .serving : .notServing
    }

    public func registerMethods<Transport: ServerTransport>(with router: inout RPCRouter<Transport>) {
        let service = self
        router.registerHandler(
            forMethod: MethodDescriptor(fullyQualifiedService: HealthService.fullName, method: HealthService.check.name),
            deserializer: WireDeserializer<HealthCheckRequest>(),
            serializer: WireSerializer<HealthCheckResponse>()
        ) { stream, _ in
            let request = try await ServerRequest(stream: stream)
            guard let status = await service.status(of: request.message.service) else {
                return StreamingServerResponse(error: RPCError(
                    code: .notFound, message: "unknown service \"\(request.message.service)\""))
            }
            return StreamingServerResponse(single: ServerResponse(message: HealthCheckResponse(status: status)))
        }
        router.registerHandler(
            forMethod: MethodDescriptor(fullyQualifiedService: HealthService.fullName, method: HealthService.watch.name),
            deserializer: WireDeserializer<HealthCheckRequest>(),
            serializer: WireSerializer<HealthCheckResponse>()
        ) { stream, _ in
            let request = try await ServerRequest(stream: stream)
            return StreamingServerResponse { writer in
                // The status now, then each change; the call ends when the client cancels it, or
                // after NOT_SERVING once the node is shutting down (so graceful shutdown, which
                // waits for running calls, is not held up by watchers).
                var last: HealthServingStatus?
                while !Task.isCancelled {
                    let status = await service.status(of: request.message.service) ?? .serviceUnknown
                    if status != last {
                        try await writer.write(HealthCheckResponse(status: status))
                        last = status
                    }
                    if await service.monitor.isDraining { break }
                    do { try await Task.sleep(for: service.watchInterval) } catch { break }
                }
                return [:]
            }
        }
    }
}
