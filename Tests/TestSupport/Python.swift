import Foundation

/// A Python interpreter that can import what a test peer needs (grpcio, the dev chain's packages,
/// ...). `make test` installs the peers into the repository's `.venv` (scripts/bootstrap.sh
/// --test-peers), so where that `.venv` exists — always in CI — the peers' tests must run: a
/// `.venv` that cannot import a peer's modules fails them instead of skipping them. Without a
/// `.venv`, a system Python with the modules is used, else the tests are skipped with the reason.
public struct PythonPeer: Sendable {
    /// Modules to import, as in an import statement: "grpc, grpc_tools".
    public let modules: String
    /// The interpreter to use, if one can import `modules`.
    public let interpreter: String?
    /// The interpreter, or why there is none (the skip reason or failure message).
    public let detail: String
    /// Whether the tests of this peer run (and then fail if `interpreter` is nil).
    public let isRequired: Bool

    public init(importing modules: String) {
        self.modules = modules
        let environment = ProcessInfo.processInfo.environment["COPROCESSOR_TEST_PYTHON"].flatMap { $0.isEmpty ? nil : $0 }
        let venv = Repo.path(".venv/bin/python3").path
        // An explicit choice, or the .venv `make test` creates, is the only candidate: no silent
        // fallback to another Python when it lacks the packages.
        let pinned = environment ?? (FileManager.default.isExecutableFile(atPath: venv) ? venv : nil)
        if let pinned {
            isRequired = true
            if Self.canImport(modules, with: pinned) {
                interpreter = pinned
                detail = pinned
            } else {
                interpreter = nil
                detail = "\(pinned) cannot import \(modules): run ./scripts/bootstrap.sh --test-peers (make test does)"
            }
            return
        }
        interpreter = ["/usr/bin/python3", "/usr/local/bin/python3"].first { Self.canImport(modules, with: $0) }
        isRequired = interpreter != nil
        detail = interpreter ?? "no .venv and no system python3 that imports \(modules) "
            + "(make test installs the test peers into .venv; COPROCESSOR_TEST_PYTHON picks another interpreter)"
    }

    /// The interpreter, or a failure saying how to install the peer.
    public func require() throws -> String {
        try interpreter.orThrow(detail)
    }

    private static func canImport(_ modules: String, with candidate: String) -> Bool {
        guard FileManager.default.isExecutableFile(atPath: candidate) else { return false }
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: candidate)
        probe.arguments = ["-c", "import \(modules)"]
        probe.standardOutput = FileHandle.nullDevice
        probe.standardError = FileHandle.nullDevice
        guard (try? probe.run()) != nil else { return false }
        probe.waitUntilExit()
        return probe.terminationStatus == 0
    }
}

/// The Python peers of the test suite, each probed once.
public enum Peers {
    /// grpcio and grpcio-tools (protoc and the google.protobuf runtime): a client and a protobuf
    /// implementation generated from our .proto by a toolchain no one here wrote.
    public static let grpc = PythonPeer(importing: "grpc, grpc_tools, google.protobuf")
    /// The development chain: py-evm behind a JSON-RPC server, and the Vyper compiler.
    public static let devChain = PythonPeer(importing: "alysis, vyper")
    /// gRPC's own health and reflection clients (grpcio-health-checking, grpcio-reflection).
    public static let discovery = PythonPeer(
        importing: "grpc, grpc_tools, grpc_health.v1.health_pb2_grpc, grpc_reflection.v1alpha.proto_reflection_descriptor_database")
    /// schemathesis (property-based requests from an OpenAPI document, each response checked
    /// against it) and the JSON Schema validator it brings (jsonschema-rs).
    public static let schemathesis = PythonPeer(importing: "schemathesis, jsonschema_rs")

    /// Runs scripts/python_discovery_client.py with `arguments` (needs only grpcio-tools for
    /// `descriptors`) and parses the JSON object it prints.
    public static func runDiscoveryClient(_ arguments: [String], peer: PythonPeer = discovery) async throws -> TestJSON {
        let run = try await Subprocess.run(try peer.require(), [Repo.path("scripts/python_discovery_client.py").path] + arguments)
        guard run.status == 0 else {
            throw TestFailure("python_discovery_client.py \(arguments.first ?? "") failed (\(run.status)): \(run.stderr)")
        }
        return try TestJSON(parsing: run.stdout)
    }

    /// Runs scripts/python_grpc_client.py with `arguments`.
    public static func runGRPCClient(_ arguments: [String]) async throws -> Subprocess.Result {
        try await Subprocess.run(try grpc.require(), [Repo.path("scripts/python_grpc_client.py").path] + arguments)
    }
}
