import CoprocessorGRPC
import CoprocessorWire
import Foundation
import TestSupport
import Testing

/// scripts/python_grpc_client.py, with stubs generated from our .proto by grpc_tools, against the
/// real gRPC front end over a fake core. The end-to-end run with the real core is in NodeTests.
@Suite("Python gRPC client", .enabled(if: Peers.grpc.isRequired, Comment(rawValue: Peers.grpc.detail)))
struct PythonGRPCClientTests {
    func runAgainstFrontEnd(_ fake: FakeNodeAPI, elf: [UInt8], extra: [String]) async throws -> Subprocess.Result {
        let elfURL = FileManager.default.temporaryDirectory.appendingPathComponent("guest-\(UUID().uuidString).elf")
        try Data(elf).write(to: elfURL)
        defer { try? FileManager.default.removeItem(at: elfURL) }
        let frontEnd = GRPCFrontEnd(api: fake, configuration: .init(host: "127.0.0.1", port: 0))
        return try await whileServing([{ try await frontEnd.serve() }], stop: { frontEnd.beginGracefulShutdown() }) {
            let port = try await frontEnd.boundPort
            return try await Peers.runGRPCClient(
                ["--target", "127.0.0.1:\(port)", "--elf", elfURL.path, "--timeout", "20"] + extra)
        }
    }

    @Test func runsAJobAndPrintsTheJobResultLikeTheGateway() async throws {
        let fake = FakeNodeAPI()
        let job = FakeNodeAPI.sampleJobResult(status: .done, failureReason: nil)
        fake.update { $0.jobResult = job }
        let elf = pattern(300_000, from: 0x7f)
        let run = try await runAgainstFrontEnd(fake, elf: elf, extra: [
            "--request", "0xAABB", "--signature", "ccdd", "--offchain-input", "0x01", "--state", "",
        ])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(fake.calls == [
            .submitProgram(SubmitProgramRequest(programELF: elf, vmType: .sp1)),
            .submitJob(SubmitJobRequest(request: [0xaa, 0xbb], signature: [0xcc, 0xdd], offchainInput: [1], state: [])),
            .getResult(GetResultRequest(jobID: pattern(32, from: 0xc0))),
        ])
        // Names come from protoc's json_name on the Python side: they must match the gateway's.
        #expect(try TestJSON(parsing: run.stdout) == (try TestJSON(parsing: JSONWriter.encode(job))))
    }

    @Test func exitsWithOneWhenTheJobFailed() async throws {
        let fake = FakeNodeAPI()
        fake.update { $0.jobResult = FakeNodeAPI.sampleJobResult(status: .failed, failureReason: "guest panicked") }
        let run = try await runAgainstFrontEnd(fake, elf: [0x7f, 0x45, 0x4c, 0x46], extra: [
            "--request", "00", "--signature", "00",
        ])
        #expect(run.status == 1)
        #expect(run.stderr.contains("guest panicked"))
        #expect(try TestJSON(parsing: run.stdout)["status"] == ["status": 3, "failureReason": "guest panicked", "retries": 3])
    }

    @Test func exitsWithTwoOnAnRPCError() async throws {
        let fake = FakeNodeAPI()
        fake.update { $0.error = .invalidArgument("vm_type 0 (Risc0) is not supported") }
        let run = try await runAgainstFrontEnd(fake, elf: [0x7f], extra: ["--request", "00", "--signature", "00"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("INVALID_ARGUMENT: vm_type 0 (Risc0) is not supported"))
    }
}
