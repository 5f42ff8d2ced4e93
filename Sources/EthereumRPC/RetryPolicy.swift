import AsyncHTTPClient

/// Whether repeating a request can change what happens on the node.
public enum Idempotency: Sendable {
    /// Reads (`eth_call`, `eth_getLogs`, receipts, …): sending twice is harmless.
    case idempotent
    /// `eth_sendRawTransaction`: a second copy after the node got the first turns a success into
    /// "already known" / "nonce too low" errors that hide what happened. Only provably unsent
    /// requests are repeated; the caller (the relayer, which knows the tx hash) decides the rest.
    case nonIdempotent
}

/// Exponential backoff for transport failures.
///
/// The rule (`shouldRetry`):
/// - A JSON-RPC error object is an answer, never retried. Nor are invalid responses, nor
///   non-200 statuses other than those in `retryableHTTPStatuses`, nor cancellation.
/// - A transport failure that proves the request never left (connection refused or unreachable,
///   DNS failure, connect or TLS handshake timeout; see `TransportFailure.notSent`) is retried for
///   every request, `eth_sendRawTransaction` included.
/// - Any other transport failure (reset, closed mid-exchange, request timeout) and the gateway
///   statuses in `retryableHTTPStatuses` (429, 502, 503, 504: a proxy in front of the node said it
///   is busy or unreachable) are retried for idempotent requests only.
public struct RetryPolicy: Sendable, Hashable {
    /// Total tries, the first included; 1 disables retrying.
    public var maxAttempts: Int
    /// Delay before the first retry; it doubles on each further one, up to `maxDelay`.
    public var baseDelay: Duration
    public var maxDelay: Duration
    /// Spread each delay uniformly over [delay/2, delay] so many clients do not retry in lockstep.
    public var jitter: Bool
    public var retryableHTTPStatuses: Set<Int>

    public init(
        maxAttempts: Int = 4, baseDelay: Duration = .milliseconds(200), maxDelay: Duration = .seconds(5),
        jitter: Bool = true, retryableHTTPStatuses: Set<Int> = [429, 502, 503, 504]
    ) {
        precondition(maxAttempts >= 1, "maxAttempts must be at least 1")
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.jitter = jitter
        self.retryableHTTPStatuses = retryableHTTPStatuses
    }

    public static let `default` = RetryPolicy()
    public static let none = RetryPolicy(maxAttempts: 1)

    /// The delay before retry number `retry` (1 for the first retry).
    public func delay(beforeRetry retry: Int) -> Duration {
        var delay = baseDelay
        for _ in 1..<max(retry, 1) {
            delay *= 2
            if delay >= maxDelay { break }
        }
        delay = min(delay, maxDelay)
        guard jitter else { return delay }
        return delay / 2 + delay / 2 * Double.random(in: 0...1)
    }

    /// Whether a failed attempt should be repeated (attempt counts are checked by the caller).
    public func shouldRetry(_ error: JSONRPCError, idempotency: Idempotency) -> Bool {
        switch error {
        case .rpc, .invalidResponse, .cancelled:
            return false
        case .http(let status, _):
            return idempotency == .idempotent && retryableHTTPStatuses.contains(status)
        case .timeout:
            return idempotency == .idempotent
        case .transport(let underlying):
            if Self.isPermanent(underlying) { return false }
            switch TransportFailure.classify(underlying) {
            case .notSent: return true
            case .mayHaveBeenSent: return idempotency == .idempotent
            }
        }
    }

    /// Failures that no retry can fix: a malformed URL or a client already shut down.
    private static func isPermanent(_ error: any Error) -> Bool {
        guard let clientError = error as? HTTPClientError else { return false }
        return [HTTPClientError.invalidURL, .emptyHost, .emptyScheme, .alreadyShutdown].contains(clientError)
    }
}
