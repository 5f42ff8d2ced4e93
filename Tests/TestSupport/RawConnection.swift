import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A plain TCP connection to 127.0.0.1 for tests that misbehave as a client would (partial
/// requests, silence) and watch whether the server closes the connection. Used by one task at a
/// time. Its waits run off Swift's cooperative pool: a test blocked in `poll` there would hold a
/// thread the in-process server under test needs (two threads on a two-core machine).
public final class RawConnection: @unchecked Sendable {
    private var fd: Int32

    public init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = UInt16(port).bigEndian
        let connected = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard fd >= 0, connected == 0 else {
            Glibc.close(fd)
            throw TestFailure("could not connect to 127.0.0.1:\(port): errno \(errno)")
        }
    }

    deinit { if fd >= 0 { Glibc.close(fd) } }

    /// Closes the connection from this side.
    public func close() {
        if fd >= 0 { Glibc.close(fd) }
        fd = -1
    }

    public func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        let sent = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        guard sent == bytes.count else { throw TestFailure("send failed: errno \(errno)") }
    }

    /// Reads (and discards) until the server closes the connection or `timeout` passes; returns
    /// how long the close took, or nil if the connection was still open at the timeout.
    public func waitForClose(timeout: Duration) async -> Duration? { await readUntilClose(timeout: timeout)?.after }

    /// Reads until the server closes the connection or `timeout` passes; returns what the server
    /// sent (as text) and how long the close took, or nil if the connection was still open.
    public func readUntilClose(timeout: Duration) async -> (text: String, after: Duration)? {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: self.blockingRead(timeout: timeout)) }
        }
    }

    private func blockingRead(timeout: Duration) -> (text: String, after: Duration)? {
        let clock = ContinuousClock(), start = clock.now
        var buffer = [UInt8](repeating: 0, count: 4096), received: [UInt8] = []
        while clock.now - start < timeout {
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let left = timeout - (clock.now - start)
            let ms = Int32(max(1, min(Double(Int32.max), (left / .milliseconds(1)).rounded(.up))))
            guard poll(&pfd, 1, ms) > 0 else { continue }
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { return (String(decoding: received, as: UTF8.self), clock.now - start) }  // EOF or reset
            received += buffer[..<n]
        }
        return nil
    }
}
