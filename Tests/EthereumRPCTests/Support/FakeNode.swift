import EthereumRPC
import Foundation
import Hummingbird
import Logging
import Synchronization
import Testing

/// One JSON-RPC request as the fake node received it.
struct ReceivedCall: Sendable {
    let method: String
    let params: [JSONValue]
    let id: JSONValue?
    let envelope: JSONValue
}

/// What the fake node answers.
indirect enum FakeReply: Sendable {
    case result(JSONValue)
    case error(code: Int, message: String, data: JSONValue? = nil)
    /// Any status and body, verbatim.
    case http(status: Int, body: String)
    /// Status 200 with this body, verbatim (for malformed responses).
    case raw(String)
    /// Waits, then answers.
    case delayed(Duration, FakeReply)
    /// Status 200: sends the head and `first`, waits, then sends `rest` (a body that trickles in).
    case trickle(first: String, pause: Duration, rest: String)
}

/// A JSON-RPC server on a loopback port, answering from a closure and recording every request.
final class FakeNode: Sendable {
    let port: Int
    private let task: Task<Void, any Error>
    private let recorder: Recorder

    /// Shared between the router closure and the node object.
    final class Recorder: Sendable {
        let calls = Mutex<[ReceivedCall]>([])
    }

    var url: String { "http://127.0.0.1:\(port)" }
    var calls: [ReceivedCall] { recorder.calls.withLock { $0 } }
    var methods: [String] { calls.map(\.method) }

    private init(port: Int, task: Task<Void, any Error>, recorder: Recorder) {
        self.port = port
        self.task = task
        self.recorder = recorder
    }

    /// Starts listening on 127.0.0.1:`port` (0 picks a free one) and returns once bound.
    static func start(port: Int = 0, handler: @escaping @Sendable (ReceivedCall) async -> FakeReply) async throws -> FakeNode {
        let recorder = Recorder()
        let router = Router()
        router.post("/") { request, _ -> Response in
            let buffer = try await request.body.collect(upTo: 16 << 20)
            let envelope = try JSONDecoder().decode(JSONValue.self, from: Data(buffer.readableBytesView))
            var params: [JSONValue] = []
            if case .array(let values)? = envelope["params"] { params = values }
            let call = ReceivedCall(method: envelope["method"]?.stringValue ?? "", params: params, id: envelope["id"], envelope: envelope)
            recorder.calls.withLock { $0.append(call) }

            var reply = await handler(call)
            while case .delayed(let delay, let next) = reply {
                try? await Task.sleep(for: delay)
                reply = next
            }
            let id = call.id ?? .null
            switch reply {
            case .result(let value):
                return json(["jsonrpc": "2.0", "id": id, "result": value])
            case .error(let code, let message, let data):
                var error: [String: JSONValue] = ["code": .integer(Int64(code)), "message": .string(message)]
                if let data { error["data"] = data }
                return json(["jsonrpc": "2.0", "id": id, "error": .object(error)])
            case .http(let status, let body):
                return Response(status: .init(code: status), body: .init(byteBuffer: ByteBuffer(string: body)))
            case .raw(let body):
                return Response(
                    status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: body)))
            case .trickle(let first, let pause, let rest):
                return Response(
                    status: .ok, headers: [.contentType: "application/json"],
                    body: .init { writer in
                        try await writer.write(ByteBuffer(string: first))
                        try await Task.sleep(for: pause)
                        try await writer.write(ByteBuffer(string: rest))
                        try await writer.finish(nil)
                    })
            case .delayed:
                fatalError("unwrapped above")
            }
        }

        var logger = Logger(label: "fake-node")
        logger.logLevel = .error
        let (bound, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: port)),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            },
            logger: logger
        )
        let task = Task {
            defer { continuation.finish() }
            try await app.run()
        }
        var iterator = bound.makeAsyncIterator()
        guard let boundPort = await iterator.next(), boundPort > 0 else {
            _ = try await task.value  // surfaces the bind error
            throw FakeNodeError.didNotStart
        }
        return FakeNode(port: boundPort, task: task, recorder: recorder)
    }

    /// Closes the listener and waits for the server to stop.
    func stop() async {
        task.cancel()
        _ = try? await task.value
    }

    enum FakeNodeError: Error { case didNotStart }
}

private func json(_ value: JSONValue) -> Response {
    let encoder = JSONEncoder()
    encoder.outputFormatting = .sortedKeys
    let data = (try? encoder.encode(value)) ?? Data()
    return Response(
        status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: Array(data))))
}

/// A port that was free a moment ago: bound by a fake node, which is then stopped.
func reserveFreePort() async throws -> Int {
    let node = try await FakeNode.start { _ in .result(.null) }
    let port = node.port
    await node.stop()
    return port
}

/// A client for tests (short timeouts, retries only where a test asks for them) that is shut down
/// when `body` ends.
func withClient<T>(
    _ url: String, timeout: Duration = .seconds(5), retry: RetryPolicy = .none, _ body: (EthereumClient) async throws -> T
) async throws -> T {
    var logger = Logger(label: "rpc-test")
    logger.logLevel = .error
    return try await EthereumClient.withClient(
        configuration: .init(url: url, requestTimeout: timeout, connectTimeout: .seconds(2), retry: retry), logger: logger, body)
}

/// Runs `body` with a fresh fake node and client, then shuts both down.
func withFakeNode<T>(
    timeout: Duration = .seconds(15), retry: RetryPolicy = .none,
    handler: @escaping @Sendable (ReceivedCall) async -> FakeReply,
    _ body: (FakeNode, EthereumClient) async throws -> T
) async throws -> T {
    let node = try await FakeNode.start(handler: handler)
    do {
        let value = try await withClient(node.url, timeout: timeout, retry: retry) { try await body(node, $0) }
        await node.stop()
        return value
    } catch {
        await node.stop()
        throw error
    }
}

/// The error `body` throws as an `EthereumClientError`; records an issue (and gives nil) when it
/// succeeds or throws something else.
func clientError<T>(
    _ body: () async throws -> T, sourceLocation: SourceLocation = #_sourceLocation
) async -> EthereumClientError? {
    do {
        let value = try await body()
        Issue.record("expected an error, got \(value)", sourceLocation: sourceLocation)
    } catch let error as EthereumClientError {
        return error
    } catch {
        Issue.record("expected an EthereumClientError, got \(error)", sourceLocation: sourceLocation)
    }
    return nil
}
