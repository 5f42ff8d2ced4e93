@testable import CoprocessorHTTP
import CoprocessorWire
import Foundation
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

/// `GET /healthz` and `GET /readyz` on the real gateway, with readiness checks that pass, fail or
/// never answer.
extension HTTPGatewayTests {
    func withProbes<T: Sendable>(_ readiness: Readiness,
                                 _ body: @escaping @Sendable (Client, ReadinessMonitor) async throws -> T) async throws -> T {
        let monitor = ReadinessMonitor(readiness, maxAge: .zero)
        return try await withGatewayPort(FakeNodeAPI(), readiness: monitor) { port, _ in
            try await TestClient.withClient(host: "127.0.0.1", port: port) { client in
                try await body(Client(client: client), monitor)
            }
        }
    }

    @Test("/healthz is 200 {\"status\":\"ok\"} even while a readiness check fails")
    func healthz() async throws {
        let reply = try await withProbes(Readiness(checks: [.init("database") { "disk full" }])) { client, _ in
            try await client.send(.get, "/healthz")
        }
        #expect(reply.status == 200)
        #expect(reply.headers[.contentType] == "application/json")
        #expect(String(decoding: reply.body, as: UTF8.self) == #"{"status":"ok"}"#)
    }

    @Test("/readyz is 200 with every check ok")
    func readyzReady() async throws {
        let reply = try await withProbes(Readiness(checks: [.init("database") { nil }, .init("chain") { nil }])) { client, _ in
            try await client.send(.get, "/readyz")
        }
        #expect(reply.status == 200)
        #expect(String(decoding: reply.body, as: UTF8.self) == """
            {"status":"ok","failed":[],"checks":{"database":{"ok":true,"error":null},"chain":{"ok":true,"error":null}}}
            """)
    }

    @Test("/readyz is 503 naming the failed check and why; a check that never answers fails after the timeout")
    func readyzUnready() async throws {
        // A check stuck until the test ends, deaf to cancellation (a detached task's value): the
        // report must not wait for it. (That the answer arrives at all, with the gate still shut
        // until the test returns, is the proof; wall-clock bounds are meaningless when the full
        // suite starves the cooperative pool.)
        let (gate, open) = AsyncStream<Void>.makeStream()
        defer { open.finish() }
        let readiness = Readiness(checks: [
            .init("database") { nil },
            .init("chain") { "eth_blockNumber failed: connection refused" },
            .init("stuck") {
                await Task.detached { for await _ in gate {} }.value
                return nil
            },
        ], timeout: .seconds(1))
        let reply = try await withProbes(readiness) { client, _ in try await client.send(.get, "/readyz") }
        #expect(reply.status == 503)
        let json = try reply.json()
        #expect(json["status"] == "unavailable")
        #expect(json["failed"] == ["chain", "stuck"])
        #expect(json["checks"]?["database"] == ["ok": true, "error": .null])
        #expect(json["checks"]?["chain"] == ["ok": false, "error": "eth_blockNumber failed: connection refused"])
        #expect(json["checks"]?["stuck"]?["ok"] == false)
        #expect(json["checks"]?["stuck"]?["error"]?.string?.hasPrefix("no answer within") == true)
    }

    @Test("once the node is draining, /readyz is 503 with the shutdown check; /healthz stays 200")
    func readyzWhileDraining() async throws {
        let (ready, health) = try await withProbes(Readiness(checks: [.init("database") { nil }])) { client, monitor in
            await monitor.beginDraining()
            return (try await client.send(.get, "/readyz"), try await client.send(.get, "/healthz"))
        }
        #expect(ready.status == 503)
        #expect(try ready.json() == ["status": "unavailable", "failed": ["shutdown"],
                                     "checks": ["shutdown": ["ok": false, "error": "the node is shutting down"]]])
        #expect(health.status == 200)
    }

    @Test("the probes answer GET only: POST is 405 with Allow: GET")
    func probesAreGetOnly() async throws {
        let replies = try await withProbes(.alwaysReady) { client, _ in
            [try await client.send(.post, "/healthz", body: ByteBuffer(string: "{}")),
             try await client.send(.post, "/readyz", body: ByteBuffer(string: "{}"))]
        }
        for reply in replies {
            #expect(reply.status == 405)
            #expect(reply.headers[.allow] == "GET")
            #expect(try reply.json()["code"] == 12)
        }
    }
}
