import AsyncHTTPClient
import Foundation
import NIOCore
import NIOPosix

/// Why a JSON-RPC call failed.
public enum JSONRPCError: Error, Sendable, CustomStringConvertible {
    /// The node answered with a JSON-RPC error object. `data` is kept as sent (for an execution
    /// revert it is the revert data, usually a hex string). Never retried: the node has spoken.
    case rpc(code: Int, message: String, data: JSONValue?)
    /// No complete answer within the request timeout.
    case timeout
    /// The HTTP exchange failed below JSON-RPC: connection refused or reset, DNS, TLS, …
    case transport(any Error)
    /// A non-200 HTTP status whose body is not a JSON-RPC response (`body` is a prefix, for logs).
    case http(status: Int, body: String)
    /// A 200 response that is not a valid JSON-RPC 2.0 response to our request, or whose result
    /// does not have the expected shape.
    case invalidResponse(String)
    /// The calling task was cancelled.
    case cancelled

    /// JSON-RPC 2.0 and Ethereum error codes worth naming.
    public enum Code {
        public static let parseError = -32700
        public static let invalidRequest = -32600
        public static let methodNotFound = -32601
        public static let invalidParams = -32602
        public static let internalError = -32603
        /// geth and most clients: "execution reverted" with revert data (EIP-1474 uses 3).
        public static let executionReverted = 3
    }

    /// True when the failure happened below JSON-RPC (transport or timeout).
    public var isTransportFailure: Bool {
        switch self {
        case .timeout, .transport: return true
        default: return false
        }
    }

    /// False only when the request provably never reached the server (see `TransportFailure`).
    /// A relayer uses it to tell "not sent, safe to resend" from "outcome unknown, check the chain".
    public var requestMayHaveReachedServer: Bool {
        switch self {
        case .transport(let error): return TransportFailure.classify(error) == .mayHaveBeenSent
        case .cancelled, .timeout, .rpc, .http, .invalidResponse: return true
        }
    }

    public var description: String {
        switch self {
        case .rpc(let code, let message, let data):
            return "JSON-RPC error \(code): \(message)" + (data.map { " (data: \(String(describing: $0).prefix(200)))" } ?? "")
        case .timeout: return "JSON-RPC request timed out"
        case .transport(let error): return "JSON-RPC transport error: \(error)"
        case .http(let status, let body): return "JSON-RPC HTTP status \(status)" + (body.isEmpty ? "" : ": \(body)")
        case .invalidResponse(let reason): return "invalid JSON-RPC response: \(reason)"
        case .cancelled: return "JSON-RPC request cancelled"
        }
    }
}

/// Sorts transport errors by what they prove about delivery.
public enum TransportFailure: Sendable, Equatable {
    /// The connection was never established (refused, unreachable, DNS, connect/TLS handshake
    /// timeout), so no byte of the request reached the server.
    case notSent
    /// The connection existed when it failed (reset, closed, read timeout): the server may have
    /// received and acted on the request.
    case mayHaveBeenSent

    public static func classify(_ error: any Error) -> TransportFailure {
        if error is NIOConnectionError { return .notSent }  // every connect attempt (and DNS) failed
        if let io = error as? IOError {
            switch io.errnoCode {
            // Only connect(2) reports these; once connected a failure is ECONNRESET, EPIPE, ….
            case ECONNREFUSED, ENETUNREACH, EHOSTUNREACH, EADDRNOTAVAIL: return .notSent
            default: return .mayHaveBeenSent
            }
        }
        if let channelError = error as? ChannelError, case .connectTimeout = channelError { return .notSent }
        if let clientError = error as? HTTPClientError {
            switch clientError {
            case .connectTimeout, .getConnectionFromPoolTimeout, .tlsHandshakeTimeout, .socksHandshakeTimeout,
                .httpProxyHandshakeTimeout, .invalidURL, .emptyHost, .emptyScheme, .alreadyShutdown:
                return .notSent
            default:
                return .mayHaveBeenSent
            }
        }
        return .mayHaveBeenSent
    }
}
