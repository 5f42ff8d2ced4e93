import Coprocessor
import CoprocessorGRPC
import CoprocessorHTTP
import Foundation
import Testing

/// A Python interpreter with grpcio and grpcio-tools, for scripts/python_grpc_client.py.
enum PythonGRPC {
    static let repoRoot = Repo.root

    static let python: String? = Python.find(importing: "grpc, grpc_tools")

    /// Runs scripts/python_grpc_client.py with `arguments`.
    static func runClient(_ arguments: [String]) async throws -> (status: Int32, stdout: Data, stderr: String) {
        let python = try #require(python)
        return try await Subprocess.run(
            python, [repoRoot.appendingPathComponent("scripts/python_grpc_client.py").path] + arguments)
    }
}

/// scripts/python_grpc_client.py, with stubs generated from our .proto by grpc_tools, against the
/// real gRPC front end over a fake core. The end-to-end run with the real core is in the node tests.
@Suite(
    "Python gRPC client",
    .enabled(if: PythonGRPC.python != nil,
             "needs python3 with grpcio and grpcio-tools (set COPROCESSOR_TEST_PYTHON or create .venv)")
)
struct PythonGRPCClientTests {
    func runAgainstFrontEnd(_ fake: FakeCoprocessor, elf: [UInt8], extra: [String]) async throws
        -> (status: Int32, stdout: Data, stderr: String)
    {
        let elfURL = FileManager.default.temporaryDirectory.appendingPathComponent("guest-\(UUID().uuidString).elf")
        try Data(elf).write(to: elfURL)
        defer { try? FileManager.default.removeItem(at: elfURL) }
        let frontEnd = GRPCFrontEnd(api: fake, configuration: .init(host: "127.0.0.1", port: 0))
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await frontEnd.serve() }
            defer { frontEnd.beginGracefulShutdown() }
            let port = try await frontEnd.boundPort
            return try await PythonGRPC.runClient(
                ["--target", "127.0.0.1:\(port)", "--elf", elfURL.path, "--timeout", "20"] + extra)
        }
    }

    @Test func runsAJobAndPrintsTheJobResultLikeTheGateway() async throws {
        let fake = FakeCoprocessor()
        let job = FakeCoprocessor.sampleJob(status: .done, failureReason: nil)
        fake.update { $0.job = job }
        let elf = FakeCoprocessor.pattern(300_000, from: 0x7f)
        let run = try await runAgainstFrontEnd(fake, elf: elf, extra: [
            "--request", "0xAABB", "--signature", "ccdd", "--offchain-input", "0x01", "--state", "",
        ])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(fake.calls == [
            .submitProgram(elf: elf, vmType: 1),
            .submitJob(request: [0xaa, 0xbb], signature: [0xcc, 0xdd], offchainInput: [1], state: []),
            .getResult(jobID: FakeCoprocessor.pattern(32, from: 0xc0)),
        ])
        // Names come from protoc's json_name on the Python side: they must match the gateway's.
        let printed = try JSONDecoder().decode(TestJSON.self, from: run.stdout)
        let gateway = try JSONDecoder().decode(
            TestJSON.self, from: try JSONEncoder().encode(GatewayJSON.JobResult(job)))
        #expect(printed == gateway)
    }

    @Test func exitsWithOneWhenTheJobFailed() async throws {
        let fake = FakeCoprocessor()
        fake.update { $0.job = FakeCoprocessor.sampleJob(status: .failed, failureReason: "guest panicked") }
        let run = try await runAgainstFrontEnd(fake, elf: [0x7f, 0x45, 0x4c, 0x46], extra: [
            "--request", "00", "--signature", "00",
        ])
        #expect(run.status == 1)
        #expect(run.stderr.contains("guest panicked"))
        let printed = try JSONDecoder().decode(TestJSON.self, from: run.stdout)
        #expect(printed["status"] == ["status": 3, "failureReason": "guest panicked", "retries": 3])
    }

    @Test func exitsWithTwoOnAnRPCError() async throws {
        let fake = FakeCoprocessor()
        fake.update { $0.error = .invalidArgument("vm_type 0 (Risc0) is not supported") }
        let run = try await runAgainstFrontEnd(fake, elf: [0x7f], extra: ["--request", "00", "--signature", "00"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("INVALID_ARGUMENT: vm_type 0 (Risc0) is not supported"))
    }
}
