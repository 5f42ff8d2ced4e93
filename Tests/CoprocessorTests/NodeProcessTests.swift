import Coprocessor
import Ethereum
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The `coprocessor-node` executable as operators run it: a separate process, stopped with SIGTERM
/// while jobs are queued, then started again on the same database.
@Suite("Node process", .enabled(if: NodeBinary.path != nil, "the coprocessor-node executable is not built"))
struct NodeProcessTests {
    @Test("jobs left PENDING by a stopped node complete after a restart")
    func restart() async throws {
        let binary = try #require(NodeBinary.path)
        let dbDir = FileManager.default.temporaryDirectory.appendingPathComponent("node-proc-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dbDir) }

        let first = try NodeProcess(binary: binary, dbDir: dbDir)
        let programID = try await first.post("submit_program", [
            "programElf": Hex.encode(try Repo.guest("intensity-test")), "vmType": 1,
        ])["programId"] as? String ?? ""
        // Heavy enough (about 42M instructions each) that one worker cannot finish them all
        // before the SIGTERM below.
        var ids: [String] = []
        for nonce in UInt64(1)...4 {
            let job = SignedJob(nonce: nonce, programID: try Hex.decode(programID),
                                onchainInput: [0x50, 0xC3, 0, 0], maxCycles: 1_000_000_000)
            let reply = try await first.post("submit_job", [
                "request": Hex.encode(job.requestBytes), "signature": Hex.encode(job.signature),
            ])
            ids.append(reply["jobId"] as? String ?? "")
        }
        #expect(try await first.stop() == 0, "graceful exit")

        // Some jobs are still PENDING in the database.
        let store = try SQLiteJobStore(directory: dbDir)
        let pending = try await store.pendingNonces(consumer: TestKeys.consumer)
        store.close()
        #expect(!pending.isEmpty, "the test needs queued jobs at shutdown")

        let second = try NodeProcess(binary: binary, dbDir: dbDir)
        var outputs: Set<[UInt8]> = []
        for id in ids {
            var result: [String: Any] = [:]
            for _ in 0..<6000 {
                result = try await second.post("get_result", ["jobId": id])["jobResult"] as? [String: Any] ?? [:]
                if (result["status"] as? [String: Any])?["status"] as? Int != 1 { break }
                try await Task.sleep(for: .milliseconds(10))
            }
            #expect((result["status"] as? [String: Any])?["status"] as? Int == 2, "job \(id)")
            let signed = try Hex.decode(result["resultWithMetadata"] as? String ?? "")
            outputs.insert(try OffchainResultWithMetadata(abiEncoded: signed).result)
        }
        #expect(outputs.count == 1, "the same input gives the same output before and after the restart")
        #expect(outputs.first?.count == 32)
        #expect(try await second.stop() == 0)
    }
}

enum NodeBinary {
    /// `coprocessor-node` next to the test bundle (SwiftPM builds every product for `swift test`).
    static let path: String? = {
        let bundle = URL(fileURLWithPath: CommandLine.arguments.first ?? "")
        var dir = bundle.deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("coprocessor-node").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return nil
    }()
}

/// A `coprocessor-node` child process with its HTTP gateway on a free loopback port.
final class NodeProcess: @unchecked Sendable {
    let process = Process()
    let httpPort: Int
    let log: URL

    init(binary: String, dbDir: String) throws {
        httpPort = try freePort()
        let grpcPort = try freePort()
        log = FileManager.default.temporaryDirectory.appendingPathComponent("node-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["--dev", "--db-dir", dbDir, "--grpc-address", "127.0.0.1:\(grpcPort)",
                             "--http-address", "127.0.0.1:\(httpPort)", "--metrics-address", "off",
                             "--worker-count", "1", "--log-level", "warning"]
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
    }

    /// POSTs to the gateway, retrying while the node is still starting.
    func post(_ method: String, _ body: [String: Any]) async throws -> [String: Any] {
        for attempt in 0..<300 {
            do {
                return try await GatewayClient.post(port: httpPort, method, body).json
            } catch where attempt < 299 && process.isRunning {
                try await Task.sleep(for: .milliseconds(100))
            }
        }
        throw StorageError("node did not answer; log: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
    }

    /// SIGTERM, then waits for the exit status.
    func stop() async throws -> Int32 {
        process.terminate()
        while process.isRunning { try await Task.sleep(for: .milliseconds(20)) }
        return process.terminationStatus
    }
}

/// A loopback TCP port that was free a moment ago.
func freePort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    addr.sin_port = 0
    var len = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafePointer(to: &addr) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) }
    }
    guard bound == 0 else { throw StorageError("bind failed") }
    _ = withUnsafeMutablePointer(to: &addr) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
    }
    return Int(UInt16(bigEndian: addr.sin_port))
}
