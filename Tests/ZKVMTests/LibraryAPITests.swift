import Foundation
import Testing
import ZKVM

/// The conveniences a Swift tool linking the engine uses: loading from `Data` or a file, the public
/// values as hex, and errors that compare.
@Suite("Engine API for library users")
struct LibraryAPITests {
    static func guest(_ name: String) -> URL { Paths.repo.appendingPathComponent("guest-programs/bin/\(name).elf") }

    @Test("Program from Data and from a file URL: the same program as from bytes; a missing file names itself")
    func loadingForms() throws {
        let url = Self.guest("fibonacci")
        let bytes = [UInt8](try Data(contentsOf: url))
        let fromBytes = try Program(elf: bytes)
        #expect(try Program(elf: Data(bytes)).id == fromBytes.id)
        #expect(try Program(contentsOf: url).id == fromBytes.id)
        let missing = url.deletingLastPathComponent().appendingPathComponent("no-such-guest.elf")
        do {
            _ = try Program(contentsOf: missing)
            Issue.record("a missing file loaded")
        } catch {
            #expect(error.kind == .unreadable)
            #expect(error.message.contains("no-such-guest.elf"), "\(error.message)")
        }
    }

    @Test("publicValuesHex is the public values in lowercase hex")
    func publicValuesHex() throws {
        let run = try Program(contentsOf: Self.guest("fibonacci")).execute(stdin: [[10, 0, 0, 0]], maxCycles: 10_000_000)
        #expect(!run.publicValues.isEmpty)
        #expect(run.publicValuesHex == run.publicValues.map { String(format: "%02x", $0) }.joined())
    }

    @Test("ExecutionError is Equatable: the same failure twice is equal, a different one is not")
    func equatableErrors() throws {
        let program = try Program(contentsOf: Self.guest("fibonacci"))
        func failure(maxCycles: UInt64) -> ExecutionError? {
            do {
                _ = try program.execute(stdin: [[0x40, 0x42, 0x0F, 0x00]], maxCycles: maxCycles)
                return nil
            } catch { return error }
        }
        let first = try #require(failure(maxCycles: 1_000))
        #expect(first.kind == .cycleLimitExceeded)
        #expect(failure(maxCycles: 1_000) == first)
        #expect(failure(maxCycles: 2_000) != first)
    }
}
