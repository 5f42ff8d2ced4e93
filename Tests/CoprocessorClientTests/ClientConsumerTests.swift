import CoprocessorClient
import CoprocessorWire
import Ethereum
import Foundation
import Testing
import TestSupport

/// A package outside this one that uses the client library (examples/client-consumer, the README's
/// "From Swift: the CoprocessorClient library"): it builds against the library by path and gets a
/// signed result from a node.
@Suite("Client library as a dependency of another package")
struct ClientConsumerTests {
    static let package = Repo.path("examples/client-consumer")
    /// Kept between runs inside the root package's build folder, so that a rerun is incremental;
    /// the first build compiles the client's packages (gRPC, NIO, AsyncHTTPClient: minutes).
    static let scratch = Repo.path(".build/client-consumer")

    @Test("builds, submits a program and a signed job over HTTP and prints the node's signed result")
    func consumer() async throws {
        let build = try await Subprocess.run("/usr/bin/env", ["swift", "build", "--package-path", Self.package.path,
                                                              "--scratch-path", Self.scratch.path])
        try #require(build.status == 0, "swift build failed:\n\(String(decoding: build.stdout, as: UTF8.self))\(build.stderr)")

        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("client-consumer-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let node = try NodeProcess(dbDir: dir.path)
        try await node.waitUntilListening()
        let vector = try Repo.guestVector(program: "mock-consumer", name: "address 0x4545..45")
        let guest = Repo.path("guest-programs/bin/mock-consumer.elf")
        let run = try await Subprocess.run(Self.scratch.appendingPathComponent("debug/client-consumer").path, [
            "http://127.0.0.1:\(node.httpPort)", guest.path, Hex.encode(vector.stdin[0]),
            TestKeys.requestSignerHex,
        ])
        #expect(try await node.stop() == 0, "graceful exit; log: \(node.logText)")
        let text = String(decoding: run.stdout, as: UTF8.self)
        try #require(run.status == 0, "client-consumer failed:\n\(text)\(run.stderr)")
        var lines: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            lines[String(line[..<colon])] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let expectedID = JobID.compute(nonce: 1, consumer: TestKeys.consumer).bytes
        #expect(lines["job"] == Hex.encode(expectedID))
        #expect(lines["status"] == String(JobStatusType.done.rawValue))
        let signed = try Hex.decode(try #require(lines["result"]))
        #expect(try OffchainResultWithMetadata(abiEncoded: signed).result == vector.publicValues)
    }
}
