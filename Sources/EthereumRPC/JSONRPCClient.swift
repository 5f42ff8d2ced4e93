import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import Synchronization

/// A JSON-RPC 2.0 client over HTTP POST.
///
/// Stateless apart from the `HTTPClient` it owns (and a request-id counter), so one instance can
/// be shared by any number of tasks. Call `shutdown()` once when done: AsyncHTTPClient traps in
/// debug builds when a client that was not shut down is released.
public final class JSONRPCClient: Sendable {
    public struct Configuration: Sendable {
        public var url: String
        /// Limit for one attempt: connecting, sending and reading the whole response.
        public var requestTimeout: Duration
        /// Limit for establishing a connection (bounded by `requestTimeout` as well).
        public var connectTimeout: Duration
        public var retry: RetryPolicy
        /// Larger responses are refused (a `eth_getLogs` over a wide range can be big).
        public var maxResponseBytes: Int

        public init(
            url: String, requestTimeout: Duration = .seconds(10), connectTimeout: Duration = .seconds(3),
            retry: RetryPolicy = .default, maxResponseBytes: Int = 64 << 20
        ) {
            self.url = url
            self.requestTimeout = requestTimeout
            self.connectTimeout = connectTimeout
            self.retry = retry
            self.maxResponseBytes = maxResponseBytes
        }
    }

    public let configuration: Configuration
    private let httpClient: HTTPClient
    private let logger: Logger
    private let nextID = Atomic<UInt64>(1)

    /// Checks the configuration up front: the URL must be http(s) with a host.
    public init(configuration: Configuration, logger: Logger = Logger(label: "ethereum-rpc")) throws(JSONRPCConfigurationError) {
        guard let url = URL(string: configuration.url), let scheme = url.scheme?.lowercased(),
              scheme == "http" || scheme == "https", url.host?.isEmpty == false
        else { throw .invalidURL(configuration.url) }
        self.configuration = configuration
        self.logger = logger
        var http = HTTPClient.Configuration()
        http.timeout = .init(connect: TimeAmount(configuration.connectTimeout), read: nil)
        // Fail a request at once when its connection cannot be made, instead of letting the pool
        // retry until the deadline: our policy retries it, and knows it was never sent.
        http.connectionPool.retryConnectionEstablishment = false
        http.redirectConfiguration = .disallow
        http.decompression = .disabled
        httpClient = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: http)
    }

    /// Closes the connections. Calls made afterwards fail with a transport error.
    public func shutdown() async throws {
        try await httpClient.shutdown()
    }

    /// Calls `method` and decodes its `result` as `Result` (use an Optional for results that may be
    /// `null`). Failed attempts are retried as `configuration.retry` allows for `idempotency`.
    public func call<Result: Decodable>(
        _ method: String, params: [JSONValue] = [], as _: Result.Type = Result.self,
        idempotency: Idempotency = .idempotent
    ) async throws(JSONRPCError) -> Result {
        let policy = configuration.retry
        var attempt = 1
        while true {
            do {
                return try await attemptCall(method, params: params, as: Result.self)
            } catch {
                guard attempt < policy.maxAttempts, policy.shouldRetry(error, idempotency: idempotency) else {
                    throw error
                }
                let delay = policy.delay(beforeRetry: attempt)
                logger.debug(
                    "retrying JSON-RPC call after a transport failure",
                    metadata: ["method": "\(method)", "attempt": "\(attempt)", "delay": "\(delay)", "error": "\(error)"])
                do {
                    try await Task.sleep(for: delay)
                } catch {
                    throw .cancelled
                }
                attempt += 1
            }
        }
    }

    private struct Request: Encodable {
        let jsonrpc = "2.0"
        let id: UInt64
        let method: String
        let params: [JSONValue]
    }

    /// One POST, bounded by `requestTimeout` as a whole (AsyncHTTPClient's deadline stops at the
    /// response head; the body read is covered by the race below).
    private func attemptCall<Result: Decodable>(_ method: String, params: [JSONValue], as _: Result.Type) async throws(JSONRPCError) -> Result {
        let id = nextID.add(1, ordering: .relaxed).oldValue
        let body: [UInt8]
        do {
            body = Array(try JSONEncoder().encode(Request(id: id, method: method, params: params)))
        } catch {
            throw .invalidResponse("could not encode the request: \(error)")  // unreachable for JSONValue params
        }
        var request = HTTPClientRequest(url: configuration.url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Accept", value: "application/json")
        request.body = .bytes(body)
        let prepared = request

        let timeout = configuration.requestTimeout
        let maxBytes = configuration.maxResponseBytes
        let client = httpClient
        let outcome: (status: Int, body: [UInt8])
        do {
            outcome = try await withThrowingTaskGroup(of: (status: Int, body: [UInt8])?.self) { group in
                group.addTask {
                    let response = try await client.execute(prepared, timeout: TimeAmount(timeout))
                    var buffer = try await response.body.collect(upTo: maxBytes)
                    return (Int(response.status.code), buffer.readBytes(length: buffer.readableBytes) ?? [])
                }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    return nil  // the timer won
                }
                defer { group.cancelAll() }
                guard let first = try await group.next(), let result = first else { throw RequestTimedOut() }
                return result
            }
        } catch is RequestTimedOut {
            throw .timeout
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout {
            throw .timeout
        } catch is CancellationError {
            throw .cancelled
        } catch let error as HTTPClientError where error == .cancelled && Task.isCancelled {
            throw .cancelled
        } catch let error as NIOTooManyBytesError {
            throw .invalidResponse("response larger than \(maxBytes) bytes (\(error))")
        } catch {
            throw .transport(error)
        }
        return try Self.decodeResponse(outcome.body, status: outcome.status, id: id, as: Result.self)
    }

    private struct RequestTimedOut: Error {}

    private struct ErrorObject: Decodable {
        let code: Int
        let message: String
        let data: JSONValue?
    }

    /// The envelope, checked strictly: version "2.0", our id, exactly one of result and error.
    private struct Envelope<Result: Decodable>: Decodable {
        let id: JSONValue?
        let outcome: Swift.Result<Result, JSONRPCError>

        enum CodingKeys: String, CodingKey { case jsonrpc, id, result, error }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            let version = try container.decodeIfPresent(String.self, forKey: .jsonrpc)
            guard version == "2.0" else {
                throw DecodingError.dataCorruptedError(
                    forKey: .jsonrpc, in: container, debugDescription: "jsonrpc is \(version ?? "missing"), expected 2.0")
            }
            id = try container.decodeIfPresent(JSONValue.self, forKey: .id)
            if let error = try container.decodeIfPresent(ErrorObject.self, forKey: .error) {
                outcome = .failure(.rpc(code: error.code, message: error.message, data: error.data))
            } else if container.contains(.result) {
                outcome = .success(try container.decode(Result.self, forKey: .result))
            } else {
                throw DecodingError.keyNotFound(
                    CodingKeys.result, .init(codingPath: [], debugDescription: "neither result nor error"))
            }
        }
    }

    static func decodeResponse<Result: Decodable>(_ body: [UInt8], status: Int, id: UInt64, as _: Result.Type) throws(JSONRPCError) -> Result {
        // Some servers send JSON-RPC errors with a 4xx/5xx status; the error object is the better report.
        if status != 200 {
            if let envelope = try? JSONDecoder().decode(Envelope<JSONValue>.self, from: Data(body)),
               case .failure(let error) = envelope.outcome {
                throw error
            }
            throw .http(status: status, body: String(decoding: body.prefix(300), as: UTF8.self))
        }
        let envelope: Envelope<Result>
        do {
            envelope = try JSONDecoder().decode(Envelope<Result>.self, from: Data(body))
        } catch {
            throw .invalidResponse("\(describe(error)); body: \(String(decoding: body.prefix(300), as: UTF8.self))")
        }
        // An error about an unparseable request may carry a null id; any other must echo ours.
        switch (envelope.id, envelope.outcome) {
        case (.integer(let echoed), _) where echoed >= 0 && UInt64(echoed) == id: break
        case (.null?, .failure), (nil, .failure): break
        default: throw .invalidResponse("response id \(envelope.id.map(String.init(describing:)) ?? "missing") does not match request id \(id)")
        }
        return try envelope.outcome.get()
    }

    /// A DecodingError in one line, with the JSON path.
    static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        }
        switch error {
        case .dataCorrupted(let context): return "\(path(context)): \(context.debugDescription)"
        case .keyNotFound(let key, let context): return "\(path(context)): missing \(key.stringValue)"
        case .typeMismatch(let type, let context): return "\(path(context)): expected \(type)"
        case .valueNotFound(let type, let context): return "\(path(context)): null where \(type) was expected"
        @unknown default: return "\(error)"
        }
    }
}

public enum JSONRPCConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidURL(String)

    public var description: String {
        switch self {
        case .invalidURL(let url): return "invalid JSON-RPC URL \(url): expected http:// or https:// with a host"
        }
    }
}

extension TimeAmount {
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
