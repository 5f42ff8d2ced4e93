/// The node's calls, independent of any transport. The gRPC front end and the JSON gateway are
/// generic adapters over one implementation of this protocol (the service core): each walks
/// `CoprocessorNodeService.visitMethods` and serves every method with `WireMethod.call`.
public protocol CoprocessorNodeAPI: Sendable {
    /// Validates a signed offchain job request, stores it durably as PENDING, queues it and
    /// returns the job ID.
    func submitJob(_ request: SubmitJobRequest) async throws(NodeError) -> SubmitJobResponse
    /// The stored job, in any status.
    func getResult(_ request: GetResultRequest) async throws(NodeError) -> GetResultResponse
    /// Validates the ELF, stores it and returns its program ID (idempotent).
    func submitProgram(_ request: SubmitProgramRequest) async throws(NodeError) -> SubmitProgramResponse
    /// Nonces of the consumer's PENDING jobs, ascending.
    func getPendingJobs(_ request: GetPendingJobsRequest) async throws(NodeError) -> GetPendingJobsResponse
    /// Whether a program with this ID has been submitted.
    func containsProgram(_ request: ContainsProgramRequest) async throws(NodeError) -> ContainsProgramResponse
}

/// Status codes of the node's answers. Raw values are gRPC's status codes, so the gRPC front end
/// maps them one to one; the HTTP gateway maps them to HTTP statuses.
public enum StatusCode: Int, Sendable, CaseIterable {
    case invalidArgument = 3
    case notFound = 5
    case alreadyExists = 6
    case permissionDenied = 7
    case resourceExhausted = 8
    case failedPrecondition = 9
    case `internal` = 13
    case unavailable = 14
    case unauthenticated = 16
}

/// A request the node refused or could not serve, with a message for the client.
public struct NodeError: Error, Sendable, Equatable, CustomStringConvertible {
    public let code: StatusCode
    public let message: String

    public init(_ code: StatusCode, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }

    public static func invalidArgument(_ m: String) -> NodeError { NodeError(.invalidArgument, m) }
    public static func notFound(_ m: String) -> NodeError { NodeError(.notFound, m) }
    public static func alreadyExists(_ m: String) -> NodeError { NodeError(.alreadyExists, m) }
    public static func permissionDenied(_ m: String) -> NodeError { NodeError(.permissionDenied, m) }
    public static func resourceExhausted(_ m: String) -> NodeError { NodeError(.resourceExhausted, m) }
    public static func `internal`(_ m: String) -> NodeError { NodeError(.internal, m) }
    public static func unavailable(_ m: String) -> NodeError { NodeError(.unavailable, m) }
}
