import Ethereum
import EthereumRPC
import Foundation
import Synchronization
import Testing

/// The JSON-RPC layer: envelopes, error mapping, timeouts and the retry rule, against a fake node.
@Suite struct JSONRPCClientTests {
    @Test func sendsAJSONRPC2RequestAndDecodesTheResult() async throws {
        try await withFakeNode(handler: { _ in .result("0x7a69") }) { node, client async throws in
            #expect(try await client.chainID() == 31337)
            let call = try #require(node.calls.first)
            #expect(call.method == "eth_chainId")
            #expect(call.params.isEmpty)
            #expect(call.envelope["jsonrpc"] == "2.0")
            guard case .integer? = call.id else {
                Issue.record("id should be a number, got \(String(describing: call.id))")
                return
            }
        }
    }

    @Test func concurrentCallsShareOneClientWithDistinctIDs() async throws {
        // A generous timeout: sixteen connections at once wait for the pool on a busy two-core machine.
        try await withFakeNode(timeout: .seconds(60), handler: { call in .result(.string("0x" + String(call.params.count + 1, radix: 16))) }) { node, client async throws in
            try await withThrowingTaskGroup(of: UInt64.self) { group in
                for _ in 0..<16 { group.addTask { try await client.blockNumber() } }
                for try await number in group { #expect(number == 1) }
            }
            let ids = Set(node.calls.compactMap(\.id))
            #expect(node.calls.count == 16 && ids.count == 16)
        }
    }

    @Test func mapsJSONRPCErrorObjectsKeepingData() async throws {
        let data: JSONValue = ["detail": "nonce too low", "next": 5]
        try await withFakeNode(handler: { _ in .error(code: -32000, message: "nonce too low", data: data) }) { _, client async throws in
            let error = try #require(await clientError { try await client.blockNumber() })
            guard case .rpc(.rpc(let code, let message, let errorData)) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(code == -32000)
            #expect(message == "nonce too low")
            #expect(errorData == data)
            #expect(!error.isTransportFailure)
        }
    }

    @Test(arguments: [
        ("wrong id", #"{"jsonrpc":"2.0","id":999999,"result":"0x1"}"#),
        ("missing jsonrpc", #"{"id":1,"result":"0x1"}"#),
        ("neither result nor error", #"{"jsonrpc":"2.0","id":1}"#),
        ("not JSON", "<html>bad gateway</html>"),
        ("quantity with leading zero", #"{"jsonrpc":"2.0","id":1,"result":"0x01"}"#),
        ("quantity without prefix", #"{"jsonrpc":"2.0","id":1,"result":"12"}"#),
        ("empty quantity", #"{"jsonrpc":"2.0","id":1,"result":"0x"}"#),
        ("quantity over 64 bits", #"{"jsonrpc":"2.0","id":1,"result":"0x10000000000000000"}"#),
        ("number instead of hex", #"{"jsonrpc":"2.0","id":1,"result":1}"#),
    ])
    func rejectsInvalidResponses(name: String, body: String) async throws {
        // The first request of a fresh client has id 1.
        try await withFakeNode(handler: { _ in .raw(body) }) { _, client async throws in
            let error = try #require(await clientError { try await client.blockNumber() })
            guard case .rpc(.invalidResponse) = error else {
                Issue.record("\(name): unexpected error \(error)")
                return
            }
        }
    }

    @Test func nonJSONHTTPErrorBecomesHTTPError() async throws {
        try await withFakeNode(handler: { _ in .http(status: 500, body: "internal trouble") }) { _, client async throws in
            let error = try #require(await clientError { try await client.blockNumber() })
            guard case .rpc(.http(let status, let body)) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(status == 500)
            #expect(body == "internal trouble")
        }
    }

    @Test func jsonRPCErrorInAnHTTPErrorBodyIsReportedAsRPC() async throws {
        let body = #"{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"parse error"}}"#
        try await withFakeNode(handler: { _ in .http(status: 400, body: body) }) { _, client async throws in
            let error = try #require(await clientError { try await client.blockNumber() })
            guard case .rpc(.rpc(let code, _, _)) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(code == JSONRPCError.Code.parseError)
        }
    }

    // MARK: Timeouts and retries

    @Test func slowAnswerTimesOut() async throws {
        let clock = ContinuousClock()
        // The node answers only after 20 s: a timeout well before that proves it fired (the margins
        // are wide because the whole suite shares two cores: the fake node must see the call within
        // the client's timeout).
        try await withFakeNode(timeout: .seconds(2), handler: { _ in .delayed(.seconds(20), .result("0x1")) }) { node, client async throws in
            let start = clock.now
            let error = try #require(await clientError { try await client.blockNumber() })
            guard case .rpc(.timeout) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(error.isTransportFailure)
            #expect(clock.now - start < .seconds(10))
            #expect(node.calls.count == 1)
        }
    }

    /// A body that trickles in after the head must still be bounded by the request timeout
    /// (AsyncHTTPClient's own deadline stops applying once the head has arrived).
    @Test func timeoutCoversABodyThatTricklesIn() async throws {
        let clock = ContinuousClock()
        let reply = FakeReply.trickle(first: #"{"jsonrpc":"2.0","#, pause: .seconds(20), rest: #""id":1,"result":"0x1"}"#)
        try await withFakeNode(timeout: .milliseconds(300), handler: { _ in reply }) { _, client async throws in
            let start = clock.now
            let error = try #require(await clientError { try await client.blockNumber() })
            guard case .rpc(.timeout) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(clock.now - start < .seconds(10))
        }
    }

    @Test func timeoutsOfReadsAreRetried() async throws {
        let retry = RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(10), jitter: false)
        try await withFakeNode(timeout: .seconds(1), retry: retry, handler: { _ in .delayed(.seconds(20), .result("0x1")) }) { node, client async throws in
            let error = try #require(await clientError { try await client.blockNumber() })
            guard case .rpc(.timeout) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            // A read is idempotent: all three attempts reach the node.
            #expect(node.calls.count == 3)
        }
    }

    @Test func sendRawTransactionIsNotRetriedAfterATimeout() async throws {
        let retry = RetryPolicy(maxAttempts: 5, baseDelay: .milliseconds(10), jitter: false)
        try await withFakeNode(timeout: .seconds(1), retry: retry, handler: { _ in .delayed(.seconds(10), .result(.string("0x" + String(repeating: "ab", count: 32)))) }) { node, client async throws in
            let error = try #require(await clientError { try await client.sendRawTransaction([0x02, 0xc0]) })
            guard case .rpc(let rpcError) = error, case .timeout = rpcError else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(rpcError.requestMayHaveReachedServer)
            // Give a retry, had there been one, time to arrive (the retry delay is 10 ms).
            try await Task.sleep(for: .milliseconds(500))
            #expect(node.methods == ["eth_sendRawTransaction"])
        }
    }

    @Test func jsonRPCErrorsAreNeverRetried() async throws {
        let retry = RetryPolicy(maxAttempts: 5, baseDelay: .milliseconds(10), jitter: false)
        try await withFakeNode(retry: retry, handler: { _ in .error(code: -32603, message: "internal error") }) { node, client async throws in
            await #expect(throws: EthereumClientError.self) { try await client.blockNumber() }
            await #expect(throws: EthereumClientError.self) { try await client.sendRawTransaction([0x02, 0xc0]) }
            #expect(node.methods == ["eth_blockNumber", "eth_sendRawTransaction"])
        }
    }

    @Test func gatewayStatusesAreRetriedForReadsOnly() async throws {
        let retry = RetryPolicy(maxAttempts: 4, baseDelay: .milliseconds(10), jitter: false)
        let answered = Counter()
        try await withFakeNode(retry: retry, handler: { _ in
            // Every other request fails with 503: the first of each pair is refused.
            answered.increment() % 2 == 1 ? .http(status: 503, body: "busy") : .result("0x5")
        }) { node, client async throws in
            #expect(try await client.blockNumber() == 5)
            #expect(node.calls.count == 2)
            // Now the next answer is a 503 again; a send is not repeated.
            let error = try #require(await clientError { try await client.sendRawTransaction([0x02, 0xc0]) })
            guard case .rpc(.http(503, _)) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(node.calls.count == 3)
        }
    }

    @Test func connectionRefusedIsATransportErrorThatProvesNothingWasSent() async throws {
        let port = try await reserveFreePort()
        let retry = RetryPolicy(maxAttempts: 2, baseDelay: .milliseconds(10))
        try await withClient("http://127.0.0.1:\(port)", retry: retry) { client async throws in
            let error = try #require(await clientError { try await client.sendRawTransaction([0x02, 0xc0]) })
            guard case .rpc(let rpcError) = error, case .transport(let underlying) = rpcError else {
                Issue.record("unexpected error \(error)")
                return
            }
            // On Linux this is NIO's IOError with errno ECONNREFUSED.
            #expect(TransportFailure.classify(underlying) == .notSent, "classified \(underlying) (\(type(of: underlying)))")
            #expect(!rpcError.requestMayHaveReachedServer)
        }
    }

    /// The node comes up only after the first attempts were refused; reads and sends both get through.
    @Test(arguments: ["eth_blockNumber", "eth_sendRawTransaction"])
    func retriesConnectionRefusedUntilTheNodeIsUp(method: String) async throws {
        let port = try await reserveFreePort()
        // About 6 s of retrying, plenty for a server that starts after 0.4 s even on a loaded machine.
        let retry = RetryPolicy(maxAttempts: 60, baseDelay: .milliseconds(50), maxDelay: .milliseconds(100), jitter: false)
        let hash = "0x" + String(repeating: "cd", count: 32)

        let starter = Task {
            try await Task.sleep(for: .milliseconds(400))
            return try await FakeNode.start(port: port) { call in
                .result(call.method == "eth_blockNumber" ? "0x2a" : .string(hash))
            }
        }
        var failure: (any Error)?
        do {
            try await withClient("http://127.0.0.1:\(port)", retry: retry) { client async throws in
                if method == "eth_blockNumber" {
                    #expect(try await client.blockNumber() == 42)
                } else {
                    #expect(try await client.sendRawTransaction([0x02, 0xc0]) == (try Bytes32(hex: hash)))
                }
            }
        } catch {
            failure = error
        }
        let node = try await starter.value
        #expect(node.methods == [method], "exactly one attempt reached the node")
        await node.stop()
        if let failure { throw failure }
    }

    @Test func rejectsNonHTTPURLs() async {
        for url in ["ws://127.0.0.1:8545", "not a url", "http://"] {
            await #expect(throws: JSONRPCConfigurationError.self, "\(url)") {
                try await withClient(url) { _ in }
            }
        }
    }

    @Test func backoffDoublesUpToTheCap() {
        let policy = RetryPolicy(maxAttempts: 10, baseDelay: .milliseconds(100), maxDelay: .seconds(1), jitter: false)
        #expect((1...6).map { policy.delay(beforeRetry: $0) } == [
            .milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(800), .seconds(1), .seconds(1),
        ])
        let jittered = RetryPolicy(baseDelay: .milliseconds(100), jitter: true)
        for _ in 0..<20 {
            let delay = jittered.delay(beforeRetry: 2)
            #expect(delay >= .milliseconds(100) && delay <= .milliseconds(200))
        }
    }
}

/// A thread-safe counter for handlers; `increment` returns the new value.
final class Counter: Sendable {
    private let value = Mutex(0)
    @discardableResult func increment() -> Int { value.withLock { $0 += 1; return $0 } }
    var current: Int { value.withLock { $0 } }
}
