/// Told about every call of the `CoprocessorNode` service a front end answers: which front end,
/// which method, how it ended and how long it took. The node records these as metrics
/// (`Coprocessor.RequestMetrics`); the front ends know nothing about metrics.
public protocol RPCObserver: Sendable {
    func callFinished(_ call: RPCCall)
}

/// One finished call.
public struct RPCCall: Sendable, Equatable {
    public enum Transport: String, Sendable, CaseIterable { case grpc, http }

    public var transport: Transport
    /// The gRPC method name (`SubmitJob`), for both front ends.
    public var method: String
    /// The gRPC status code the call ended with (0 OK); over HTTP the code of the JSON answer.
    public var code: Int
    /// From the request's arrival at the front end's handler until its answer was ready.
    public var duration: Duration

    public init(transport: Transport, method: String, code: Int, duration: Duration) {
        self.transport = transport
        self.method = method
        self.code = code
        self.duration = duration
    }

    /// gRPC's name of `code` (`OK`, `INVALID_ARGUMENT`, ...), as metrics label it.
    public var codeName: String { Self.codeNames.indices.contains(code) ? Self.codeNames[code] : "CODE_\(code)" }

    /// gRPC's status code names, indexed by code.
    static let codeNames = [
        "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS",
        "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE",
        "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED",
    ]
}
