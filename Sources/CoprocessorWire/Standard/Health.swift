// The standard gRPC health service, `grpc.health.v1.Health` (grpc/health/v1/health.proto: the
// names, numbers and streaming of gRPC's public health.proto), described as data like the node's
// own messages, so that its codecs and the descriptor reflection serves come from one place.
// Its newer `List` method (a map of statuses) is not served.

public struct HealthServingStatus: WireEnum {
    public var rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    public static let unknown = HealthServingStatus(rawValue: 0)
    public static let serving = HealthServingStatus(rawValue: 1)
    public static let notServing = HealthServingStatus(rawValue: 2)
    /// Watch only: the service is not known (Check answers NOT_FOUND instead).
    public static let serviceUnknown = HealthServingStatus(rawValue: 3)

    public static let wireName = "ServingStatus"
    public static let wireDoc = "Whether a service can take requests."
    public static let wireParent: String? = "HealthCheckResponse"
    public static let wireValues: [(name: String, value: Int32)] = [
        ("UNKNOWN", 0), ("SERVING", 1), ("NOT_SERVING", 2), ("SERVICE_UNKNOWN", 3),
    ]
}

public struct HealthCheckRequest: WireMessage {
    public var service = ""

    public init() {}
    public init(service: String) { self.service = service }

    public static let wireName = "HealthCheckRequest"
    public static let wireDoc = "Which service to report on (\"\" for the server as a whole)."
    public static let fields: [WireField<Self>] = [
        .string("service", 1, \.service),
    ]
}

public struct HealthCheckResponse: WireMessage {
    public var status = HealthServingStatus.unknown

    public init() {}
    public init(status: HealthServingStatus) { self.status = status }

    public static let wireName = "HealthCheckResponse"
    public static let wireDoc = "The service's status."
    public static let fields: [WireField<Self>] = [
        .enumeration("status", 1, \.status),
    ]
}

public enum HealthService {
    public static let package = "grpc.health.v1"
    public static let name = "Health"
    public static var fullName: String { "\(package).\(name)" }

    public static let check = WireMethodDescriptor(
        "Check", HealthCheckRequest.self, HealthCheckResponse.self,
        doc: "The service's status now; NOT_FOUND for a service the server does not know.")
    public static let watch = WireMethodDescriptor(
        "Watch", HealthCheckRequest.self, HealthCheckResponse.self,
        doc: "The service's status now, then each change, until the call ends.", serverStreaming: true)

    public static let protoFile = WireProtoFile(
        path: "grpc/health/v1/health.proto", package: package,
        services: [WireServiceDescriptor(name: name, doc: "", methods: [check, watch])])
}
