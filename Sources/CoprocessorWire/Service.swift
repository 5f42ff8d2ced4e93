/// A call of the `CoprocessorNode` service: its name, its HTTP path, its message types and the
/// `CoprocessorNodeAPI` function that answers it.
public struct WireMethod<Request: WireMessage, Response: WireMessage>: Sendable {
    /// The gRPC method name, e.g. `SubmitJob`.
    public let name: String
    /// The gateway's path segment, e.g. `submit_job`.
    public let httpName: String
    public let doc: String
    /// Callers need the node's `OperatorToken`, when it has one.
    public let operatorOnly: Bool
    /// Answers the call with an implementation of the API.
    public let call: @Sendable (any CoprocessorNodeAPI, Request) async throws(NodeError) -> Response

    init(_ name: String, _ httpName: String, doc: String, operatorOnly: Bool = false,
         _ call: @escaping @Sendable (any CoprocessorNodeAPI, Request) async throws(NodeError) -> Response) {
        self.name = name
        self.httpName = httpName
        self.doc = doc
        self.operatorOnly = operatorOnly
        self.call = call
    }

    /// `/coprocessor_node.v1.CoprocessorNode/SubmitJob`
    public var grpcPath: String { "/\(CoprocessorNodeService.fullName)/\(name)" }
    /// `/v1/coprocessor_node/submit_job`
    public var httpPath: String { CoprocessorNodeService.httpPrefix + httpName }
}

/// Visits each method of the service with its concrete message types (transports register a
/// handler per method this way, without listing the methods again).
public protocol WireMethodVisitor {
    mutating func visit<Request, Response>(_ method: WireMethod<Request, Response>)
}

/// The `coprocessor_node.v1.CoprocessorNode` service.
public enum CoprocessorNodeService {
    public static let package = "coprocessor_node.v1"
    public static let name = "CoprocessorNode"
    public static var fullName: String { "\(package).\(name)" }
    public static let httpPrefix = "/v1/coprocessor_node/"
    /// The default cap on one request message: room for a 16 MiB ELF (the default ELF limit) with
    /// ample headroom. gRPC's own default of 4 MiB is too small for guest programs.
    public static let defaultMaxMessageBytes = 48 << 20

    public static let submitJob = WireMethod<SubmitJobRequest, SubmitJobResponse>(
        "SubmitJob", "submit_job",
        doc: "Submit a signed offchain job request; returns its job ID once it is stored durably."
    ) { api, request throws(NodeError) in try await api.submitJob(request) }
    public static let getResult = WireMethod<GetResultRequest, GetResultResponse>(
        "GetResult", "get_result", doc: "The stored job, in any status."
    ) { api, request throws(NodeError) in try await api.getResult(request) }
    public static let submitProgram = WireMethod<SubmitProgramRequest, SubmitProgramResponse>(
        "SubmitProgram", "submit_program", doc: "Submit a guest ELF; returns its program ID (idempotent).",
        operatorOnly: true
    ) { api, request throws(NodeError) in try await api.submitProgram(request) }
    public static let getPendingJobs = WireMethod<GetPendingJobsRequest, GetPendingJobsResponse>(
        "GetPendingJobs", "get_pending_jobs", doc: "Nonces of the consumer's PENDING jobs, ascending."
    ) { api, request throws(NodeError) in try await api.getPendingJobs(request) }
    public static let containsProgram = WireMethod<ContainsProgramRequest, ContainsProgramResponse>(
        "ContainsProgram", "contains_program", doc: "Whether a program with this ID has been submitted."
    ) { api, request throws(NodeError) in try await api.containsProgram(request) }

    /// Every method, in `.proto` order (the first three are the seed's, the rest came later).
    public static func visitMethods<V: WireMethodVisitor>(_ visitor: inout V) {
        visitor.visit(submitJob)
        visitor.visit(getResult)
        visitor.visit(submitProgram)
        visitor.visit(getPendingJobs)
        visitor.visit(containsProgram)
    }

    /// Every message reachable from the methods, each once, in first-use order.
    public static var messages: [WireMessageDescriptor] { protoFile.messages }

    /// Every enum the messages use, each once, in first-use order.
    public static var enums: [WireEnumDescriptor] { protoFile.enums }
}
