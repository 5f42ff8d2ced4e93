import CoprocessorWire
import Foundation

/// A self-signed certificate for 127.0.0.1 and localhost, made by the `openssl` command (P-256,
/// valid for a day), in a folder of its own. Clients trust `certificate` as their CA.
public struct TestCertificate: Sendable {
    public let folder: URL
    public var certificate: String { folder.appendingPathComponent("cert.pem").path }
    public var privateKey: String { folder.appendingPathComponent("key.pem").path }
    public var files: TLSFiles { TLSFiles(certificateChain: certificate, privateKey: privateKey) }

    public static func make() async throws -> TestCertificate {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let made = TestCertificate(folder: folder)
        let run = try await Subprocess.run("/usr/bin/env", [
            "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-days", "1", "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
            "-keyout", made.privateKey, "-out", made.certificate,
        ])
        guard run.status == 0 else { throw TestFailure("openssl req failed (\(run.status)): \(run.stderr)") }
        return made
    }

    public func remove() { try? FileManager.default.removeItem(at: folder) }
}
