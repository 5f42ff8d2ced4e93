import Foundation
import Testing
@testable import ZKVM

/// Our engine against ../shared/sp1/refexec.py, an independent Python model of SP1's executor, on
/// inputs the manifest does not use: same public values, same cycles.
@Suite("Differential against refexec.py", .enabled(if: Paths.hasShared, "../shared/sp1 is absent"))
struct DifferentialTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let elf: String
        let stdin: [String]
        var testDescription: String { "\(elf) \(stdin)" }
    }

    static let cases: [Case] = [
        Case(elf: "succinctlabs_sp1__examples-fibonacci-v4.0.1.elf", stdin: ["e8030000"]),  // n = 1000
        Case(elf: "succinctlabs_sp1-project-template__fibonacci-bincode-v3.2.1.elf", stdin: ["2d000000"]),
        Case(elf: "InfinityVM_InfinityVM__mock-consumer.elf",
             stdin: ["000000000000000000000000" + "f39fd6e51aad88f6f4ce6ab8827279cfffb92266", ""]),
        Case(elf: "InfinityVM_InfinityVM__intensity-test.elf", stdin: ["07000000", ""]),
        Case(elf: "succinctlabs_sp1__examples-is-prime.elf", stdin: ["6100000000000000"]),  // 97
        Case(elf: "succinctlabs_sp1__tests-keccak256.elf", stdin: ["0100000000000000", "0b0000000000000068656c6c6f20776f726c64"]),
    ]

    /// Runs refexec.py; returns (result line, cycles, public values hex).
    static func reference(_ c: Case) -> (ok: Bool, cycles: UInt64, publicValues: String)? {
        let script = Paths.sp1.appendingPathComponent("refexec.py").path
        let elf = Paths.sp1.appendingPathComponent("elfs/" + c.elf).path
        var args = [script, elf, "--quiet"]
        for item in c.stdin { args += ["--stdin-hex", item] }
        guard let out = shell("/usr/bin/env", ["python3"] + args), out.status == 0 else { return nil }
        var ok = false, cycles: UInt64 = 0, pv = ""
        for line in out.output.split(separator: "\n") {
            if line.hasPrefix("result=") { ok = line == "result=OK" }
            if line.hasPrefix("cycles(global_clk)=") {
                cycles = UInt64(line.dropFirst("cycles(global_clk)=".count).split(separator: " ")[0]) ?? 0
            }
            if line.hasPrefix("public_values("), let eq = line.firstIndex(of: "=") { pv = String(line[line.index(after: eq)...]) }
        }
        return (ok, cycles, pv)
    }

    @Test("same public values and cycles as refexec.py", arguments: cases)
    func compare(_ c: Case) throws {
        let reference = try #require(Self.reference(c), "refexec.py needs python3")
        let program = try Program(elf: try Paths.bytes(Paths.sp1.appendingPathComponent("elfs/" + c.elf)))
        let ours = try program.execute(stdin: c.stdin.map(hexBytes), maxCycles: 1_000_000_000)
        #expect(reference.ok)
        #expect(hex(ours.publicValues) == reference.publicValues)
        #expect(ours.cycles == reference.cycles)
    }
}
