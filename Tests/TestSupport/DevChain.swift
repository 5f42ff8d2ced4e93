import Ethereum
import Foundation

/// The project's development chain (devchain/server.py: py-evm behind a loopback JSON-RPC server,
/// with the Vyper JobManager deployed) as a child process of the tests. Only the process: the
/// tests that talk to it bring their own client.
public final class DevChain: @unchecked Sendable {  // immutable after init; Process is thread-safe enough here
    /// The line server.py prints once it serves.
    public struct Info: Decodable, Sendable {
        public let rpcURL: String
        public let chainID: UInt64
        public let jobManager: String?
        public let relayer: String

        enum CodingKeys: String, CodingKey {
            case rpcURL = "rpc_url", chainID = "chain_id", jobManager = "job_manager", relayer
        }
    }

    /// The dev chain's accounts (anvil's well-known public keys): #1 is the JobManager's relayer,
    /// #2 a consumer that creates onchain jobs.
    public static let relayerKeyHex = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d"
    public static let relayerKey = try! PrivateKey(hex: relayerKeyHex)
    public static let consumerKey = try! PrivateKey(hex: "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a")

    public let info: Info
    public let jobManager: Address
    private let process: Process
    private let folder: URL

    public var rpcURL: String { info.rpcURL }

    /// Starts server.py with the JobManager deployed and returns once it serves.
    public static func start(startupTimeout: Duration = .seconds(300)) async throws -> DevChain {
        let python = try Peers.devChain.require()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("devchain-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let out = folder.appendingPathComponent("stdout"), log = folder.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        // Foundation.Process spawns from a thread whose signal mask blocks SIGTERM and SIGINT, and
        // the child inherits that mask, so server.py would never see `terminate()`. Unblock them
        // in the child before it becomes the server.
        process.arguments = [
            "-c", "import os, signal, sys; signal.pthread_sigmask(signal.SIG_SETMASK, set()); "
                + "os.execv(sys.executable, [sys.executable] + sys.argv[1:])",
            Repo.path("devchain/server.py").path, "--port", "0", "--deploy", "--watch-parent",
        ]
        process.currentDirectoryURL = Repo.root
        // Files, not pipes: a pipe nobody reads could fill up and block the server.
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: log)
        try process.run()

        var info: Info?
        let deadline = ContinuousClock.now + startupTimeout
        // The file is read after every wait, the last one included: on a busy machine this task
        // may resume long after the chain started, even past the deadline.
        while true {
            if let data = try? Data(contentsOf: out), let newline = data.firstIndex(of: UInt8(ascii: "\n")) {
                info = try? JSONDecoder().decode(Info.self, from: data[..<newline])
                break
            }
            guard process.isRunning, ContinuousClock.now < deadline else { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        guard let info, let manager = info.jobManager, let jobManager = try? Address(hex: manager) else {
            await stop(process)
            let printed = (try? String(contentsOf: out, encoding: .utf8)) ?? ""
            let logged = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            try? FileManager.default.removeItem(at: folder)
            throw TestFailure("the dev chain did not start within \(startupTimeout) (a loaded machine slows its Python "
                              + "imports); stdout: \(printed)\nlog: \(logged.suffix(2000))")
        }
        return DevChain(info: info, jobManager: jobManager, process: process, folder: folder)
    }

    private init(info: Info, jobManager: Address, process: Process, folder: URL) {
        self.info = info
        self.jobManager = jobManager
        self.process = process
        self.folder = folder
    }

    /// SIGTERM, then SIGKILL if the server is still up after ten seconds.
    public func stop() async {
        await Self.stop(process)
        try? FileManager.default.removeItem(at: folder)
    }

    private static func stop(_ process: Process) async {
        if process.isRunning { process.terminate() }
        for _ in 0..<500 where process.isRunning { try? await Task.sleep(for: .milliseconds(20)) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    /// Runs `body` with a fresh chain and stops the chain afterwards, whatever happens.
    public static func with<T>(_ body: (DevChain) async throws -> T) async throws -> T {
        let chain = try await start()
        return try await withCleanup { try await body(chain) } cleanup: { await chain.stop() }
    }
}
