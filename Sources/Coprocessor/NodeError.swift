/// Status codes shared by both front ends; raw values are gRPC's status codes, so the gRPC layer
/// maps them one to one and the HTTP gateway applies the standard gRPC→HTTP mapping.
public enum StatusCode: Int, Sendable, CaseIterable {
    case invalidArgument = 3
    case notFound = 5
    case alreadyExists = 6
    case permissionDenied = 7
    case resourceExhausted = 8
    case failedPrecondition = 9
    case `internal` = 13
    case unavailable = 14

    /// HTTP status the JSON gateway answers with.
    public var httpStatus: Int {
        switch self {
        case .invalidArgument: 400
        case .notFound: 404
        case .alreadyExists: 409
        case .permissionDenied: 403
        case .failedPrecondition: 400
        case .resourceExhausted: 429
        case .internal: 500
        case .unavailable: 503
        }
    }
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
