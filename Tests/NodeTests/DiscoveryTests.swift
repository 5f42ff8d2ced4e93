import Foundation
import HummingbirdTesting
import NIOCore
import TestSupport
import Testing

/// The node process as a client that knows nothing about it finds it: gRPC's own Python health
/// and reflection clients (PyPI grpcio-health-checking, grpcio-reflection), and the HTTP probes.
@Suite("Discovering the node", .enabled(if: NodeProcess.binary != nil, "the coprocessor-node executable is not built"))
struct DiscoveryTests {
    static func temporaryDirectory() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("node-discovery-\(UUID().uuidString)").path
    }

    /// GET `path` on the node's gateway: status and body.
    static func get(_ port: Int, _ path: String) async throws -> (status: Int, body: TestJSON) {
        let response = try await TestClient.withClient(host: "127.0.0.1", port: port) { client in
            try await client.execute(TestClient.Request(path, method: .get, authority: "127.0.0.1"))
        }
        return (Int(response.head.status.code), try TestJSON(parsing: response.body.map { Array($0.readableBytesView) } ?? []))
    }

    @Test("grpcio-health-checking sees SERVING; grpcio-reflection lists every service, fetches the descriptors and calls ContainsProgram through them",
          .enabled(if: Peers.discovery.isRequired, Comment(rawValue: Peers.discovery.detail)))
    func pythonClients() async throws {
        let dbDir = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dbDir) }
        let node = try NodeProcess(dbDir: dbDir)
        try await node.waitUntilListening()
        let target = "127.0.0.1:\(node.grpcPort)"

        let health = try await Peers.runDiscoveryClient(["health", "--target", target])
        #expect(health == ["": "SERVING", "coprocessor_node.v1.CoprocessorNode": "SERVING",
                           "no.such.Service": "NOT_FOUND", "watch": "SERVING"])

        let reflection = try await Peers.runDiscoveryClient(["reflection", "--target", target])
        let services: TestJSON = ["coprocessor_node.v1.CoprocessorNode", "grpc.health.v1.Health",
                                  "grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection"]
        #expect(reflection["services"] == services)
        #expect(reflection["methods"] == ["SubmitJob", "GetResult", "SubmitProgram", "GetPendingJobs", "ContainsProgram"])
        #expect(reflection["file"] == "coprocessor_node/v1/coprocessor_node.proto")
        #expect(reflection["jobResultFields"]?.array?.count == 13)
        #expect(reflection["jobResultFields"]?.array?.last == ["relay_tx_hash", 13])
        #expect(reflection["failureReasonHasPresence"] == true)
        #expect(reflection["containsProgram"] == ["contains": false])
        #expect(reflection["containsProgramShortID"] == "INVALID_ARGUMENT")
        for version in ["v1", "v1alpha"] {
            let answers = try #require(reflection[version], "\(version)")
            #expect(answers["services"] == services, "\(version)")
            #expect(answers["byFilename"] == ["coprocessor_node/v1/coprocessor_node.proto"], "\(version)")
            #expect(answers["bySymbol"] == ["grpc/health/v1/health.proto"], "\(version)")
            #expect(answers["unknownSymbol"] == ["error_response", 5], "\(version)")
            #expect(answers["unknownFile"] == ["error_response", 5], "\(version)")
            #expect(answers["echo"] == "coprocessor_node/v1/coprocessor_node.proto", "\(version)")
        }
        // The standard files the node describes itself equal the ones gRPC's packages ship.
        #expect(reflection["healthMatchesOfficial"] == "equal")
        #expect(reflection["reflectionMatchesOfficial"] == "equal")
        #expect(try await node.stop() == 0)
    }

    @Test("the probes of a ready node: /healthz and /readyz 200, the database check passing")
    func probesReady() async throws {
        let dbDir = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dbDir) }
        let node = try NodeProcess(dbDir: dbDir)
        try await node.waitUntilListening()
        let health = try await Self.get(node.httpPort, "/healthz")
        #expect(health.status == 200)
        #expect(health.body == ["status": "ok"])
        let ready = try await Self.get(node.httpPort, "/readyz")
        #expect(ready.status == 200)
        #expect(ready.body == ["status": "ok", "failed": [], "checks": ["database": ["ok": true, "error": .null]]])
        #expect(try await node.stop() == 0)
    }

    @Test("relaying on and the chain unreachable: /readyz 503 naming the chain, /healthz 200, gRPC health NOT_SERVING")
    func chainUnreachable() async throws {
        let dbDir = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dbDir) }
        let closedPort = try freePort()  // nothing listens there
        let node = try NodeProcess(dbDir: dbDir, arguments: [
            "--eth-rpc-url", "http://127.0.0.1:\(closedPort)",
            "--job-manager-address", "0x5FbDB2315678afecb367f032d93F642f64180aa3",
        ], environment: ["RELAYER_PRIVATE_KEY": DevChain.relayerKeyHex])
        try await node.waitUntilListening()
        let ready = try await Self.get(node.httpPort, "/readyz")
        #expect(ready.status == 503)
        #expect(ready.body["status"] == "unavailable")
        #expect(ready.body["failed"] == ["chain"])
        #expect(ready.body["checks"]?["database"] == ["ok": true, "error": .null])
        #expect(ready.body["checks"]?["chain"]?["ok"] == false)
        #expect(ready.body["checks"]?["chain"]?["error"]?.string?.hasPrefix("eth_blockNumber failed") == true,
                "\(ready.body)")
        #expect(try await Self.get(node.httpPort, "/healthz").status == 200)
        if Peers.discovery.isRequired {
            let health = try await Peers.runDiscoveryClient(["health", "--target", "127.0.0.1:\(node.grpcPort)"])
            #expect(health[""] == "NOT_SERVING")
            #expect(health["coprocessor_node.v1.CoprocessorNode"] == "NOT_SERVING")
            #expect(health["no.such.Service"] == "NOT_FOUND")
        }
        #expect(try await node.stop() == 0)
    }
}
