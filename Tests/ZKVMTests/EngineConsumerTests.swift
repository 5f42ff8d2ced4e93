import Foundation
import Testing
import ZKVM

/// A package outside this one that needs only the engine (examples/engine-consumer, the README's
/// "Use the engine in your package"): it resolves none of the node's packages, builds, and gets the
/// same results through the async API as this process does, cancellation included.
@Suite("Engine as a dependency of another package")
struct EngineConsumerTests {
    static let package = Paths.repo.appendingPathComponent("examples/engine-consumer")
    /// Kept between runs (inside the root package's own build folder) so that a rerun builds
    /// incrementally; the first build compiles the C core (a few minutes).
    static let scratch = Paths.repo.appendingPathComponent(".build/engine-consumer")

    static func swiftPM(_ arguments: [String]) throws -> String {
        let out = try #require(
            shell("/usr/bin/env", ["swift"] + arguments + ["--package-path", package.path, "--scratch-path", scratch.path],
                  withStderr: true), "swift is required")
        try #require(out.status == 0, "swift \(arguments.joined(separator: " ")) failed:\n\(out.output)")
        return out.output
    }

    @Test("resolves no other package, builds, and runs a guest and a cancelled run as this process does")
    func consumer() throws {
        _ = try Self.swiftPM(["package", "resolve"])
        // Nothing fetched: no checkouts, and a Package.resolved (if any) without pins.
        let checkouts = Self.scratch.appendingPathComponent("checkouts")
        let fetched = (try? FileManager.default.contentsOfDirectory(atPath: checkouts.path)) ?? []
        #expect(fetched.isEmpty, "resolving the engine fetched \(fetched)")
        let resolved = Self.package.appendingPathComponent("Package.resolved")
        if let data = FileManager.default.contents(atPath: resolved.path) {
            let pins = (try JSONSerialization.jsonObject(with: data) as? [String: Any])?["pins"] as? [Any]
            #expect(pins?.isEmpty ?? true, "Package.resolved pins \(pins ?? [])")
        }

        _ = try Self.swiftPM(["build"])
        let executable = Self.scratch.appendingPathComponent("debug/engine-consumer")
        let guest = Paths.repo.appendingPathComponent("guest-programs/bin/fibonacci.elf")
        let out = try #require(shell(executable.path, [guest.path, "20"]))
        #expect(out.status == 0, "\(out.output)")
        var lines: [String: String] = [:]
        for line in out.output.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            lines[String(line[..<colon])] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }

        let program = try Program(contentsOf: guest)
        let expected = try program.execute(stdin: [[20, 0, 0, 0]], maxCycles: 100_000_000)
        #expect(lines["program"] == program.id.hex)
        #expect(lines["cycles"] == String(expected.cycles))
        #expect(lines["public values"] == expected.publicValuesHex)
        #expect(lines["endless"] == "cancelled")
    }
}
