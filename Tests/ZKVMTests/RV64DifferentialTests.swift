import Foundation
import Testing
@testable import ZKVM

/// The RV64 engine against ../shared/sp1/refexec64.py, an independent Python model of SP1 v6's
/// executor: 1,000 random RV64IM programs (RandomRV64: every instruction kind, edge values,
/// division by zero, INT64_MIN / -1, *W sign extension, branches and jumps, misaligned and
/// out-of-range accesses) and the model's own hand-written test ELFs. Same outcome, exit code,
/// cycle count, public values (registers and memory) and stdout. Needs python3 (standard library
/// only); skipped only when ../shared is absent.
@Suite("Differential against refexec64.py", .enabled(if: Paths.hasSharedV6, "../shared/sp1 (refexec64.py) is absent"))
struct RV64DifferentialTests {
    struct Reference: Decodable {
        let ok: Bool
        let error: String?
        let exit_code: UInt32?
        let cycles: UInt64?
        let public_values: String?
        let stdout: String?
    }

    struct Case {
        let elf: [UInt8]
        var stdin: [[UInt8]] = []
        var maxCycles: UInt64? = nil
        /// The guest commits a digest that is not SHA-256 of its public values: the model reports
        /// it (SP1 v6's executor does not check), the engine fails the run with .digestMismatch.
        var digestMismatch = false
    }

    /// Runs every case through refexec64.py in one Python process.
    static func reference(_ cases: [Case]) throws -> [Reference] {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rv64-diff-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var list: [[String: Any]] = []
        for (i, c) in cases.enumerated() {
            let path = dir.appendingPathComponent("\(i).elf")
            try Data(c.elf).write(to: path)
            var entry: [String: Any] = ["elf": path.path, "stdin": c.stdin.map(hex)]
            if let m = c.maxCycles { entry["max_cycles"] = m }
            list.append(entry)
        }
        let listPath = dir.appendingPathComponent("cases.json")
        try JSONSerialization.data(withJSONObject: list).write(to: listPath)
        let script = Paths.repo.appendingPathComponent("scripts/refexec64_batch.py").path
        let model = Paths.sp1.appendingPathComponent("refexec64.py").path
        let out = try #require(shell("/usr/bin/env", ["python3", script, model, listPath.path]),
                               "python3 is needed to run refexec64.py")
        try #require(out.status == 0, "refexec64_batch.py failed")
        return try JSONDecoder().decode([Reference].self, from: Data(out.output.utf8))
    }

    /// nil if the engine agrees with the model on `c`, else the difference.
    static func compare(_ c: Case, _ r: Reference) -> String? {
        let program: Program
        do { program = try Program(elf: c.elf) } catch { return "load failed: \(error)" }
        do {
            let run = try program.execute(stdin: c.stdin, maxCycles: c.maxCycles ?? 100_000_000)
            var diffs: [String] = []
            if !r.ok { diffs.append("engine succeeded, model failed: \(r.error ?? "")") }
            if run.cycles != r.cycles { diffs.append("cycles \(run.cycles) vs \(r.cycles ?? 0)") }
            if run.exitCode != r.exit_code { diffs.append("exit code \(run.exitCode) vs \(r.exit_code ?? 0)") }
            if hex(run.publicValues) != r.public_values { diffs.append("public values differ") }
            if run.stdout != r.stdout { diffs.append("stdout \(run.stdout.debugDescription) vs \(r.stdout ?? "")") }
            return diffs.isEmpty ? nil : diffs.joined(separator: "; ")
        } catch {
            if c.digestMismatch && error.kind == .digestMismatch && r.ok {
                return error.cycles == r.cycles ? nil : "cycles \(error.cycles) vs \(r.cycles ?? 0)"
            }
            if r.ok { return "engine failed (\(error)), model succeeded" }
            if error.cycles != r.cycles { return "failed after \(error.cycles) cycles vs \(r.cycles ?? 0): \(error) / \(r.error ?? "")" }
            return nil
        }
    }

    @Test("1,000 random RV64IM programs: same outcome, cycles, registers, memory and stdout")
    func randomPrograms() throws {
        var generator = RandomRV64(seed: 0x5EED_0064)
        let cases = (0..<1000).map { i in Case(elf: generator.program(bodyLength: 40 + i % 120)) }
        let references = try Self.reference(cases)
        try #require(references.count == cases.count)
        var failures: [String] = []
        var faults = 0
        for (i, (c, r)) in zip(cases, references).enumerated() {
            if !r.ok { faults += 1 }
            if let d = Self.compare(c, r) { failures.append("program \(i): \(d)") }
        }
        print("RV64 differential: \(cases.count - failures.count)/\(cases.count) random programs agree with refexec64.py "
              + "(\(faults) end in a fault)")
        #expect(failures.isEmpty, "\(failures.prefix(10).joined(separator: "\n"))")
        #expect(faults > 0 && faults < cases.count / 2, "the programs should mostly run to the end, some fault")
    }

    /// refexec64.py's own hand-checked RV64 programs (../shared/sp1/refexec64_tests).
    @Test("refexec64's test ELFs", arguments: [
        ("alu.elf", [String]()), ("syscalls.elf", ["68656c6c6f", "4142434445464748"]), ("precompiles.elf", []),
    ] + (0..<12).map { ("faults.elf", [String(format: "%02x00000000000000", $0)]) })
    func referenceELFs(_ file: String, _ stdin: [String]) throws {
        // syscalls.elf commits one word of no real digest (to test COMMIT), then halts with exit code 7.
        let c = Case(elf: try Paths.bytes(Paths.sp1.appendingPathComponent("refexec64_tests/" + file)),
                     stdin: stdin.map(hexBytes), digestMismatch: file == "syscalls.elf")
        let r = try #require(try Self.reference([c]).first)
        #expect(Self.compare(c, r) == nil, "\(Self.compare(c, r) ?? "")")
    }

    /// Both count the same instructions; the limits differ by one on purpose: we fail iff a run
    /// needs more than max_cycles instructions, the model (like SP1 v6's `total >= limit`, which
    /// SP1 only checks per gas chunk) once it has counted max_cycles.
    @Test("cycle limits: the same count, our limit is exact (> max fails), the model's is >=")
    func cycleLimits() throws {
        // The first random program that runs to its end.
        var generator = RandomRV64(seed: 7)
        var elf: [UInt8] = [], full: UInt64 = 0
        while full == 0 {
            elf = generator.program(bodyLength: 100)
            full = (try? Program(elf: elf).execute(stdin: [], maxCycles: 1_000_000).cycles) ?? 0
        }
        let program = try Program(elf: elf)
        let limits = [full + 1, full, full - 1, full / 2]
        let references = try Self.reference(limits.map { Case(elf: elf, maxCycles: $0) })
        #expect(references.map(\.ok) == [true, false, false, false])
        #expect(references.dropFirst().allSatisfy { $0.error?.contains("ExceededCycleLimit") == true })
        var ours: [Bool] = []
        for limit in limits {
            do {
                ours.append(try program.execute(stdin: [], maxCycles: limit).cycles == full)
            } catch {
                #expect(error.kind == .cycleLimitExceeded && error.cycles == limit)
                ours.append(false)
            }
        }
        #expect(ours == [true, true, false, false])
    }
}
