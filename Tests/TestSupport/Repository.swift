import Ethereum
import Foundation
import ZKVM

/// Paths of the repository and its bundled guest programs and vectors. (The engine's and the
/// Ethereum module's tests, which alone use `../shared`, find it themselves: they do not depend
/// on this target, which brings the service core.)
public enum Repo {
    /// <repo>/Tests/TestSupport/Repository.swift → <repo>
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    public static func path(_ relative: String) -> URL { root.appendingPathComponent(relative) }

    /// A committed guest ELF of guest-programs/bin.
    public static func guestPath(_ name: String) -> URL { path("guest-programs/bin/\(name).elf") }

    public static func guest(_ name: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: guestPath(name))) }

    /// A committed guest's program ID (without submitting it anywhere).
    public static func programID(_ guest: String) throws -> [UInt8] { try Program(elf: try self.guest(guest)).id.bytes }

    /// Stdin and expected public values of a case of guest-programs/vectors.json (computed
    /// independently of the engine by scripts/gen_guest_vectors.py).
    public static func guestVector(program: String, name: String) throws -> (stdin: [[UInt8]], publicValues: [UInt8]) {
        let found = try vectorCase(file: "vectors.json", program: program, name: name)
        return (found.stdin, found.publicValues)
    }

    /// A case of a vectors file of guest-programs (vectors.json, or vectors-rv64.json for the
    /// RV64 builds): stdin, expected public values and exit code (SP1 v6 reports a panic's code).
    public static func vectorCase(file: String, program: String, name: String) throws
        -> (stdin: [[UInt8]], publicValues: [UInt8], exitCode: UInt32)
    {
        struct File: Decodable {
            struct Case: Decodable {
                let program: String, name: String, stdin_hex: [String], public_values_hex: String
                let exit_code: UInt32?
            }
            let cases: [Case]
        }
        let data = try Data(contentsOf: path("guest-programs/\(file)"))
        let cases = try JSONDecoder().decode(File.self, from: data).cases
        let found = try cases.first { $0.program == program && $0.name == name }
            .orThrow("guest-programs/\(file) has no case \(program)/\(name)")
        return (try found.stdin_hex.map { try Hex.decode($0) }, try Hex.decode(found.public_values_hex), found.exit_code ?? 0)
    }
}

extension Repo {
    /// A committed RV64IM (SP1 v6) build of a bundled guest (guest-programs/bin/rv64).
    public static func rv64Guest(_ name: String) throws -> [UInt8] { try guest("rv64/\(name)") }

    /// A committed RISC Zero build of a bundled guest (guest-programs/bin/risc0).
    public static func risc0Guest(_ name: String) throws -> [UInt8] { try guest("risc0/\(name)") }

    /// A case of guest-programs/vectors-risc0.json (computed by scripts/gen_guest_vectors.py and
    /// checked against scripts/risc0_model.py): the job's three items, read back out of the seed's
    /// framed stdin stream (`LE32(len) ‖ bytes` each), and the expected journal.
    public static func risc0Vector(program: String, name: String) throws -> (items: [[UInt8]], journal: [UInt8]) {
        struct File: Decodable {
            struct Case: Decodable { let program: String, name: String, stdin_hex: String, journal_hex: String? }
            let cases: [Case]
        }
        let data = try Data(contentsOf: path("guest-programs/vectors-risc0.json"))
        let found = try JSONDecoder().decode(File.self, from: data).cases.first { $0.program == program && $0.name == name }
            .orThrow("guest-programs/vectors-risc0.json has no case \(program)/\(name)")
        var stream = try Hex.decode(found.stdin_hex)[...]
        var items: [[UInt8]] = []
        while stream.count >= 4 {
            let n = stream.prefix(4).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
            stream = stream.dropFirst(4)
            items.append(Array(stream.prefix(n)))
            stream = stream.dropFirst(n)
        }
        return (items, try Hex.decode(found.journal_hex ?? ""))
    }
}

/// A test precondition or expectation that does not hold, as a thrown error with a message.
public struct TestFailure: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

extension Optional {
    /// The value, or a `TestFailure` with `message`.
    public func orThrow(_ message: @autoclosure () -> String) throws -> Wrapped {
        guard let self else { throw TestFailure(message()) }
        return self
    }
}

/// Calls `probe` until it returns a value (polling every `interval`); throws a `TestFailure`
/// naming `what` and the last state `probe` reported once `timeout` has passed.
@discardableResult
public func eventually<T>(_ what: String, timeout: Duration = .seconds(30), interval: Duration = .milliseconds(5),
                          _ probe: (inout String) async throws -> T?) async throws -> T {
    let deadline = ContinuousClock.now + timeout
    var state = "no answer yet"
    while true {
        if let value = try await probe(&state) { return value }
        if ContinuousClock.now > deadline { throw TestFailure("\(what) not reached within \(timeout); last: \(state)") }
        try await Task.sleep(for: interval)
    }
}

/// `count` bytes counting up from `start` (wrapping), so swapped or shifted fields show.
public func pattern(_ count: Int, from start: UInt8) -> [UInt8] {
    (0..<count).map { start &+ UInt8(truncatingIfNeeded: $0) }
}
