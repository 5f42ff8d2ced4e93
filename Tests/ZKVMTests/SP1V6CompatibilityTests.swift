import Foundation
import Testing
@testable import ZKVM

/// The real SP1 v6 (RV64IM) guest ELFs of ../shared/sp1/manifest-v6.json: exact public values,
/// stdout and stderr, exit codes and cycle counts, including the untrusted-mode trap ELF.
@Suite("SP1 v6 compatibility", .enabled(if: Paths.hasSharedV6, "../shared/sp1/manifest-v6.json is absent (a user's clone has none)"))
struct SP1V6CompatibilityTests {
    struct Entry: Decodable, Sendable, CustomTestStringConvertible {
        let file: String
        let stdin_items_hex: [String]
        let expect_ok: Bool
        let expected_public_values_hex: String
        let expected_committed_digest_hex: String
        let expected_exit_code: UInt32
        let predicted_cycles: UInt64
        let expected_stdout: String
        let expected_stderr: String?
        var testDescription: String { "\(file) \(stdin_items_hex.map { $0.prefix(16) })" }
    }

    static let manifest: [Entry] = {
        guard Paths.hasSharedV6,
              let data = try? Data(contentsOf: Paths.sp1.appendingPathComponent("manifest-v6.json")),
              let entries = try? JSONDecoder().decode([Entry].self, from: data)
        else { return [] }
        return entries
    }()

    static func elf(_ file: String) throws -> [UInt8] { try Paths.bytes(Paths.sp1.appendingPathComponent("elfs-v6/" + file)) }

    /// nil if the entry passes, else what differs.
    static func check(_ e: Entry) -> String? {
        do {
            let program = try Program(elf: try elf(e.file))
            guard program.isa == .rv64im, program.abi == .sp1v6 else { return "ISA \(program.isa), ABI \(program.abi)" }
            let run = try program.execute(stdin: e.stdin_items_hex.map(hexBytes), maxCycles: 100_000_000)
            var diffs: [String] = []
            if !e.expect_ok { diffs.append("succeeded, expected an error") }
            if hex(run.publicValues) != e.expected_public_values_hex { diffs.append("public values \(hex(run.publicValues))") }
            if run.exitCode != e.expected_exit_code { diffs.append("exit code \(run.exitCode)") }
            if run.cycles != e.predicted_cycles { diffs.append("\(run.cycles) cycles, predicted \(e.predicted_cycles)") }
            if run.stdout != e.expected_stdout { diffs.append("stdout \(run.stdout.debugDescription)") }
            if let stderr = e.expected_stderr, run.stderr != stderr { diffs.append("stderr \(run.stderr.prefix(200).debugDescription)") }
            // Every v6 guest commits sha256(public values); the engine checks it and says so.
            if !run.digestCommitted || e.expected_committed_digest_hex != sha256Hex(run.publicValues) {
                diffs.append("digest not committed or not SHA-256 of the public values")
            }
            return diffs.isEmpty ? nil : diffs.joined(separator: "; ")
        } catch {
            return "\(error)"
        }
    }

    @Test("every manifest entry: public values, stdout, stderr, exit code and cycle count", arguments: manifest)
    func entry(_ e: Entry) {
        let failure = Self.check(e)
        #expect(failure == nil, "\(failure ?? "")")
    }

    @Test("tally")
    func tally() {
        let failures = Self.manifest.compactMap { e in Self.check(e).map { "\(e.testDescription): \($0)" } }
        print("SP1 v6 compatibility: \(Self.manifest.count - failures.count)/\(Self.manifest.count) entries passed")
        for f in failures { print("  FAILED \(f)") }
        #expect(Self.manifest.count == 13)
        #expect(failures.isEmpty)
    }

    @Test("the trap ELF runs in untrusted mode with its note and trap context")
    func trapELFMode() throws {
        let program = try Program(elf: try Self.elf("succinctlabs_sp1__gpu-trap-v6.elf"))
        #expect(program.untrustedMode == UntrustedMode(heapStart: 0x7802_5B80, heapEnd: 0x1C_0000_0000, trapContext: 0x7801_D690))
        let plain = try Program(elf: try Self.elf("succinctlabs_sp1__gpu-fibonacci-v6.elf"))
        #expect(plain.untrustedMode == nil)
        #expect(plain.entry == 0x7800_72A8)
        #expect(plain.textBase == 0x7800_5FC0)
    }

    @Test("the cycle limit is exact: fails iff the count exceeds max_cycles")
    func cycleLimit() throws {
        let program = try Program(elf: try Self.elf("succinctlabs_sp1__gpu-loop-v6.elf"))
        let n: [UInt8] = [0xE8, 0x03, 0, 0, 0, 0, 0, 0]  // 1000 iterations: 8847 instructions
        #expect(try program.execute(stdin: [n], maxCycles: 8847).cycles == 8847)
        let error = #expect(throws: ExecutionError.self) { try program.execute(stdin: [n], maxCycles: 8846) }
        #expect(error?.kind == .cycleLimitExceeded)
        #expect(error?.cycles == 8846)
    }

    @Test("a v6 guest's non-zero exit code is reported, not thrown")
    func nonZeroExit() throws {
        let program = try Program(elf: try Self.elf("succinctlabs_sp1__gpu-sha2-v6.elf"))
        let run = try program.execute(stdin: [], maxCycles: 1_000_000)
        #expect(run.exitCode == 1)
        #expect(run.stderr.contains("Tried to read from the input stream, but it was empty"))
    }
}

func sha256Hex(_ bytes: [UInt8]) -> String { hex(GuestProgramTests.Fixture.sha256(bytes)) }
