import Foundation
import Testing
@testable import ZKVM

/// The 40 real SP1 guest ELFs of ../shared/sp1/manifest.json: exact public values, success or
/// failure, and exact cycle counts.
@Suite("SP1 compatibility", .enabled(if: Paths.hasShared, "../shared/sp1 is absent (a user's clone has none)"))
struct SP1CompatibilityTests {
    struct Entry: Decodable, Sendable, CustomTestStringConvertible {
        let file: String
        let abi: String
        let stdin_items_hex: [String]
        let expect_ok: Bool
        let expected_public_values_hex: String?
        let predicted_cycles: UInt64
        var testDescription: String { file }
    }

    static let manifest: [Entry] = {
        guard Paths.hasShared,
              let data = try? Data(contentsOf: Paths.sp1.appendingPathComponent("manifest.json")),
              let entries = try? JSONDecoder().decode([Entry].self, from: data)
        else { return [] }
        return entries
    }()

    struct Outcome: Sendable {
        let file: String
        let passed: Bool
        let detail: String
    }

    static func check(_ entry: Entry) -> Outcome {
        do {
            let elf = try Paths.bytes(Paths.sp1.appendingPathComponent("elfs/" + entry.file))
            let program = try Program(elf: elf)
            let expectedABI: GuestABI = entry.abi == "v3" ? .sp1v3 : .sp1v4
            guard program.abi == expectedABI else {
                return Outcome(file: entry.file, passed: false, detail: "ABI \(program.abi), expected \(entry.abi)")
            }
            let stdin = entry.stdin_items_hex.map(hexBytes)
            do {
                let e = try program.execute(stdin: stdin, maxCycles: 100_000_000)
                let pv = hex(e.publicValues)
                let ok = entry.expect_ok && pv == entry.expected_public_values_hex && e.cycles == entry.predicted_cycles
                    && e.digestCommitted
                return Outcome(file: entry.file, passed: ok,
                               detail: "ok: \(e.cycles) cycles (predicted \(entry.predicted_cycles)), public values \(pv.prefix(40))…")
            } catch {
                let ok = !entry.expect_ok && error.cycles == entry.predicted_cycles
                return Outcome(file: entry.file, passed: ok,
                               detail: "\(error.kind): \(error.description) (predicted \(entry.predicted_cycles) cycles)")
            }
        } catch {
            return Outcome(file: entry.file, passed: false, detail: "load failed: \(error)")
        }
    }

    @Test("every manifest ELF: public values, outcome and cycle count", arguments: manifest)
    func entry(_ entry: Entry) {
        let outcome = Self.check(entry)
        #expect(outcome.passed, "\(outcome.detail)")
    }

    @Test("tally")
    func tally() {
        let outcomes = Self.manifest.map(Self.check)
        let passed = outcomes.filter(\.passed).count
        print("SP1 compatibility: \(passed)/\(outcomes.count) ELFs passed")
        for o in outcomes where !o.passed { print("  FAILED \(o.file): \(o.detail)") }
        #expect(outcomes.count == 40)
        #expect(passed == outcomes.count)
    }

    @Test("SP1 v4.1.2's off-by-one is not ours: the fibonacci ELF needs exactly its 7450 cycles")
    func cycleLimitOnRealELF() throws {
        let elf = try Paths.bytes(Paths.sp1.appendingPathComponent("elfs/succinctlabs_sp1__examples-fibonacci-v4.0.1.elf"))
        let program = try Program(elf: elf)
        #expect(try program.execute(stdin: [[0xF4, 1, 0, 0]], maxCycles: 7450).cycles == 7450)
        #expect(throws: ExecutionError.self) { try program.execute(stdin: [[0xF4, 1, 0, 0]], maxCycles: 7449) }
    }
}
