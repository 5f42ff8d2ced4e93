import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The `coprocessor-node` executable as operators run it: a child process with its gRPC server and
/// HTTP gateway on free loopback ports.
public final class NodeProcess: @unchecked Sendable {  // immutable after init; Process is thread-safe enough here
    /// `coprocessor-node` next to the test bundle (`swift build --build-tests` and `swift test`
    /// build every product).
    public static let binary: String? = {
        var dir = URL(fileURLWithPath: CommandLine.arguments.first ?? "").deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("coprocessor-node").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return nil
    }()

    public let httpPort: Int
    public let grpcPort: Int
    public let log: URL
    private let process = Process()

    /// Starts `coprocessor-node --dev` on `dbDir` with one worker, metrics off, warnings only and a
    /// 10-minute HTTP idle timeout;
    /// `arguments` are added (and may repeat an option to override it).
    public init(dbDir: String, arguments: [String] = [], environment: [String: String] = [:]) throws {
        let binary = try Self.binary.orThrow("the coprocessor-node executable is not built next to the tests")
        httpPort = try freePort()
        grpcPort = try freePort()
        log = FileManager.default.temporaryDirectory.appendingPathComponent("node-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["--dev", "--db-dir", dbDir, "--grpc-address", "127.0.0.1:\(grpcPort)",
                             "--http-address", "127.0.0.1:\(httpPort)", "--metrics-address", "off",
                             "--worker-count", "1", "--log-level", "warning",
                             // A test process busy with other suites may connect long before it
                             // sends; the 30 s default would close such a connection under it.
                             "--http-idle-seconds", "600"] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
    }

    /// The node's peak resident memory so far (VmHWM), in bytes; nil once it has exited.
    public var peakResidentBytes: UInt64? {
        guard let status = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kib = UInt64(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
        else { return nil }
        return kib << 10
    }

    /// What the node has logged so far.
    public var logText: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

    /// Waits until both front ends accept connections.
    public func waitUntilListening(timeout: Duration = .seconds(60)) async throws {
        for port in [httpPort, grpcPort] {
            _ = try await eventually("coprocessor-node listening on \(port)", timeout: timeout, interval: .milliseconds(50)) {
                state in
                guard process.isRunning else {
                    throw TestFailure("coprocessor-node exited (\(process.terminationStatus)); log: \(logText)")
                }
                state = "not listening"
                return canConnect(port: port) ? true : nil
            }
        }
    }

    public var pid: Int32 { process.processIdentifier }
    public var isRunning: Bool { process.isRunning }

    /// Sends `signal` (SIGKILL, SIGSTOP, SIGCONT…); with SIGKILL, waits until the process is gone.
    public func send(_ signal: Int32) async throws {
        guard process.isRunning else { return }
        Glibc.kill(process.processIdentifier, signal)
        if signal == SIGKILL { while process.isRunning { try await Task.sleep(for: .milliseconds(10)) } }
    }

    /// SIGTERM (and SIGCONT, so a stopped node gets it too), then waits for the exit status.
    public func stop() async throws -> Int32 {
        if process.isRunning {
            process.terminate()
            Glibc.kill(process.processIdentifier, SIGCONT)
        }
        while process.isRunning { try await Task.sleep(for: .milliseconds(20)) }
        return process.terminationStatus
    }

    deinit {
        if process.isRunning { Glibc.kill(process.processIdentifier, SIGKILL) }
        try? FileManager.default.removeItem(at: log)
    }
}

/// A loopback TCP port that was free a moment ago.
public func freePort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var addr = loopback(port: 0)
    var len = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafePointer(to: &addr) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) }
    }
    guard bound == 0 else { throw TestFailure("bind failed: errno \(errno)") }
    _ = withUnsafeMutablePointer(to: &addr) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
    }
    return Int(UInt16(bigEndian: addr.sin_port))
}

/// Whether something accepts TCP connections on 127.0.0.1:`port`.
func canConnect(port: Int) -> Bool {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var addr = loopback(port: port)
    return withUnsafePointer(to: &addr) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    } == 0
}

private func loopback(port: Int) -> sockaddr_in {
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    addr.sin_port = UInt16(port).bigEndian
    return addr
}
