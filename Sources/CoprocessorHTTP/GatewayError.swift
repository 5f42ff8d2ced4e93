import Coprocessor

/// An error answer of the gateway: the HTTP status plus the `{"code", "message"}` body, where
/// `code` is the gRPC status number a gRPC client would have seen for the same request.
struct GatewayError: Error, Sendable {
    var httpStatus: Int
    var code: Int
    var message: String

    init(httpStatus: Int, code: Int, message: String) {
        self.httpStatus = httpStatus
        self.code = code
        self.message = message
    }

    /// The core's errors, with the standard gRPC→HTTP mapping the core defines.
    init(_ error: NodeError) {
        self.init(httpStatus: error.code.httpStatus, code: error.code.rawValue, message: error.message)
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

    static func notFound(path: String) -> GatewayError {
        GatewayError(httpStatus: 404, code: StatusCode.notFound.rawValue, message: "no such endpoint: \(path)")
    }

    static func methodNotAllowed(_ method: String, path: String) -> GatewayError {
        // gRPC's UNIMPLEMENTED (12) is what a gRPC client gets for a call the server does not have.
        GatewayError(httpStatus: 405, code: 12, message: "\(path) accepts POST only, not \(method)")
    }

    var body: GatewayJSON.ErrorBody { GatewayJSON.ErrorBody(code: code, message: message) }
}
