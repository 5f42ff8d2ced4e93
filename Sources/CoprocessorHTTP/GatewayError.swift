import CoprocessorWire

/// An error answer of the gateway: the HTTP status plus the `{"code", "grpc_code", "message"}` body,
/// where `code` and `grpc_code` are both the gRPC status number a gRPC client would have seen for
/// the same request: `code` as grpc-gateway spells it, `grpc_code` as InfinityVM's gateway does
/// (its clients parse `{"message", "grpc_code"}`). The HTTP status follows the standard gRPC→HTTP
/// mapping, not InfinityVM's (which answers INVALID_ARGUMENT and NOT_FOUND with 409, INTERNAL
/// with 400).
struct GatewayError: Error, Sendable {
    var httpStatus: Int
    var code: Int
    var message: String

    init(httpStatus: Int, code: Int, message: String) {
        self.httpStatus = httpStatus
        self.code = code
        self.message = message
    }

    /// The core's errors, with the standard gRPC→HTTP mapping.
    init(_ error: NodeError) {
        self.init(httpStatus: error.code.httpStatus, code: error.code.rawValue, message: error.message)
    }

    /// A body that does not decode as the method's request message.
    init(_ error: WireDecodingError) {
        self = .badRequest(error.description)
    }

    /// Unparseable JSON, wrong types, bad hex: INVALID_ARGUMENT, as gRPC would for a bad message.
    static func badRequest(_ message: String) -> GatewayError {
        GatewayError(httpStatus: 400, code: StatusCode.invalidArgument.rawValue, message: message)
    }

    static func bodyTooLarge(limit: Int) -> GatewayError {
        // gRPC answers an oversized message with RESOURCE_EXHAUSTED; HTTP with 413.
        GatewayError(httpStatus: 413, code: StatusCode.resourceExhausted.rawValue,
                     message: "request body exceeds the limit of \(limit) bytes")
    }

    static func bodyBudgetExhausted(limit: String) -> GatewayError {
        GatewayError(httpStatus: 429, code: StatusCode.resourceExhausted.rawValue, message:
            "the node holds at most \(limit) of request bodies at once and this one does not fit now; retry later")
    }

    /// A connection beyond the connection limit (answered before its request is read).
    static let tooManyConnections = GatewayError(httpStatus: 503, code: StatusCode.unavailable.rawValue,
                                                 message: "too many open connections to this node; retry later")

    /// The answers the gateway gives on its own, before a request reaches the core (every method
    /// may get them; the OpenAPI document lists them with the core's).
    static let gatewayRefusals: [(httpStatus: Int, meaning: String)] = [
        (400, "INVALID_ARGUMENT (3): the body is not the method's request (malformed JSON, a wrong type, bad hex)"),
        (413, "RESOURCE_EXHAUSTED (8): the body is over the size limit"),
        (429, "RESOURCE_EXHAUSTED (8): the bodies' memory budget is spent for now"),
        (503, "UNAVAILABLE (14): too many open connections (Retry-After: 1)"),
    ]

    static func notFound(path: String) -> GatewayError {
        GatewayError(httpStatus: 404, code: StatusCode.notFound.rawValue, message: "no such endpoint: \(path)")
    }

    static func methodNotAllowed(_ method: String, path: String, allowed: String = "POST") -> GatewayError {
        // gRPC's UNIMPLEMENTED (12) is what a gRPC client gets for a call the server does not have.
        GatewayError(httpStatus: 405, code: 12, message: "\(path) accepts \(allowed) only, not \(method)")
    }

    /// `{"code": <gRPC status number>, "grpc_code": <the same>, "message": "..."}`
    var jsonBody: [UInt8] {
        var writer = JSONWriter(capacity: 80 + message.utf8.count)
        writer.writeRaw(#"{"code":"#)
        writer.writeDecimal(code)
        writer.writeRaw(#","grpc_code":"#)
        writer.writeDecimal(code)
        writer.writeRaw(#","message":"#)
        writer.writeString(message)
        writer.writeRaw("}")
        return writer.bytes
    }
}

extension StatusCode {
    /// The HTTP status the gateway answers with: the standard gRPC→HTTP mapping.
    var httpStatus: Int {
        switch self {
        case .invalidArgument: 400
        case .notFound: 404
        case .alreadyExists: 409
        case .permissionDenied: 403
        case .failedPrecondition: 400
        case .resourceExhausted: 429
        case .internal: 500
        case .unavailable: 503
        case .unauthenticated: 401
        }
    }
}
