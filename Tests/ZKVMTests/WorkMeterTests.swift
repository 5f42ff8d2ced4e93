import Foundation
import Testing
@testable import ZKVM

/// The work meter (README "Work metering"): every syscall, precompile and hook is charged its
/// measured host work; past the budget (by default `ExecutionLimits.defaultMaxWork(maxCycles:)`)
/// the run fails with `.workLimitExceeded` at the same call, with the same cycles, pc and message,
/// on every tier — while the cycle count stays exactly SP1's (RISC Zero's).
@Suite("Work meter: a deterministic budget for host work")
struct WorkMeterTests {
    typealias Fixture = GuestProgramTests.Fixture

    /// guest-programs/programs/precompile-loop: mode (item 1) and n (item 2).
    static func loop(_ mode: UInt32, _ n: UInt32 = .max) -> [[UInt8]] { [mode.littleEndianBytes, n.littleEndianBytes] }

    static let sp1 = try! Program(elf: Fixture.elf("precompile-loop"))
    static let sp1v6 = try! Program(elf: Fixture.elf64("precompile-loop"))
    static let risc0 = try! Program(elf: Risc0GuestProgramTests.elf("precompile-loop"), vm: .risc0)

    /// Runs on the interpreter and the JIT; both must fail with `.workLimitExceeded` and agree on
    /// everything the error shows. Returns the interpreter's error.
    static func workLimit(_ program: Program, stdin: [[UInt8]], maxCycles: UInt64, limits: ExecutionLimits = .default,
                          sourceLocation: SourceLocation = #_sourceLocation) -> ExecutionError? {
        var errors: [ExecutionError] = []
        for engine in [Engine.interpreter, .jit] {
            do {
                let e = try program.execute(stdin: stdin, maxCycles: maxCycles, limits: limits, engine: engine)
                Issue.record("\(engine): expected a work-limit failure, got \(e.cycles) cycles", sourceLocation: sourceLocation)
            } catch {
                #expect(error.kind == .workLimitExceeded, "\(engine): \(error)", sourceLocation: sourceLocation)
                errors.append(error)
            }
        }
        guard errors.count == 2 else { return nil }
        let (i, j) = (errors[0], errors[1])
        #expect(i.engine == .interpreter, sourceLocation: sourceLocation)
        if JITDifferentialTests.jitAvailable && program.untrustedMode == nil {
            #expect(j.engine == .jit, sourceLocation: sourceLocation)
        }
        #expect(i.message == j.message && i.cycles == j.cycles && i.pc == j.pc && i.work == j.work && i.word == j.word
                    && i.publicValues == j.publicValues && i.stdout == j.stdout,
                "the tiers differ: \(i) [work \(i.work)] vs \(j) [work \(j.work)]", sourceLocation: sourceLocation)
        return i
    }

    /// The engine's message for a work-limit failure under the default budget.
    static func message(work: UInt64, at call: String, maxCycles: UInt64) -> String {
        "work limit exceeded: \(work) units of host work (precompile, hook and I/O calls) at \(call), over the budget of "
            + "\(ExecutionLimits.defaultMaxWork(maxCycles: maxCycles)) units for max_cycles = \(maxCycles)"
    }

    @Test("the default budget: a base plus a fixed number of units per cycle of max_cycles, saturating")
    func defaultBudget() {
        #expect(ExecutionLimits.workBase == 100_000_000 && ExecutionLimits.workPerCycle == 32)
        #expect(ExecutionLimits.defaultMaxWork(maxCycles: 0) == 100_000_000)
        #expect(ExecutionLimits.defaultMaxWork(maxCycles: 1_000_000) == 132_000_000)
        #expect(ExecutionLimits.defaultMaxWork(maxCycles: 10_000_000_000) == 320_100_000_000)
        #expect(ExecutionLimits.defaultMaxWork(maxCycles: .max) == .max)
        #expect(ExecutionLimits.defaultMaxWork(maxCycles: UInt64.max / 32) == .max)
    }

    /// The issue's poison jobs: each loop iteration is a few cycles and thousands of units of host
    /// work. Before the meter they ran until max_cycles (hours at the node's cap).
    @Test("precompile and hook loops stop at the budget, at the same call on both tiers",
          arguments: [("SP1 v4: SECP256K1_DECOMPRESS", 1, "SECP256K1_DECOMPRESS"),
                      ("SP1 v4: the ecrecover hook", 3, "ecrecover hook (fd 15)"),
                      ("SP1 v6: the ecrecover hook", 3, "ecrecover hook (fd 15)")])
    func poisonLoops(_ name: String, _ mode: UInt32, _ call: String) throws {
        let program = name.hasPrefix("SP1 v6") ? Self.sp1v6 : Self.sp1
        let maxCycles: UInt64 = 1_000_000
        let e = try #require(Self.workLimit(program, stdin: Self.loop(mode), maxCycles: maxCycles))
        let budget = ExecutionLimits.defaultMaxWork(maxCycles: maxCycles)
        // The call that passed the budget: the expensive one (by far the largest charge of an
        // iteration; the hook loop's WRITE, HINT_LEN and HINT_READ charge ~1 % of its work).
        let calls = mode == 1 ? [call] : [call, "WRITE", "HINT_LEN", "HINT_READ"]
        #expect(calls.contains { e.message == Self.message(work: e.work, at: $0, maxCycles: maxCycles) }, "\(e.message)")
        #expect(e.message.contains("at \(call),"), "the expensive call passed the budget: \(e.message)")
        #expect(e.work > budget && e.work - budget < 25_000, "the last call passed the budget: \(e.work)")
        #expect(e.cycles > 1_000 && e.cycles < maxCycles, "before the cycle limit: \(e.cycles) cycles")
        #expect(e.word == (mode == 1 ? 0x10C : 2), "the failing call's code")
    }

    @Test("RISC Zero: a SYS_RANDOM loop (a SHA-256 per 32 bytes) stops at the budget on both tiers")
    func risc0Loop() throws {
        let limits = ExecutionLimits(maxWork: 5_000_000)
        let stdin = [Risc0.framedInput(Self.loop(5))]
        let e = try #require(Self.workLimit(Self.risc0, stdin: stdin, maxCycles: 100_000_000, limits: limits))
        #expect(e.message == "work limit exceeded: \(e.work) units of host work (precompile, hook and I/O calls) at "
                    + "SYS_RANDOM, over the budget of 5000000 units (max_work)")
        #expect(e.work > 5_000_000 && e.work < 5_000_000 + 60_000)
        #expect(e.cycles < 50_000, "\(e.cycles) user cycles")
        // Below its budget the same loop runs to the end, its user cycles unchanged.
        let short = try Self.risc0.execute(stdin: [Risc0.framedInput(Self.loop(5, 3))], maxCycles: 100_000, limits: limits)
        let vector = try #require(Risc0GuestProgramTests.vectors?.cases.first { $0.program == "precompile-loop" && $0.name == "mode 5, n=3" })
        #expect(short.cycles == vector.model_cycles && Fixture.hex(short.journal) == vector.journal_hex)
    }

    @Test("an explicit budget (ExecutionLimits.maxWork): a BLS12-381 Fp2 multiplication loop, both tiers")
    func explicitBudget() throws {
        let e = try #require(Self.workLimit(Self.sp1, stdin: Self.loop(2), maxCycles: 100_000_000,
                                            limits: ExecutionLimits(maxWork: 1_000_000)))
        #expect(e.message == "work limit exceeded: \(e.work) units of host work (precompile, hook and I/O calls) at "
                    + "BLS12381_FP2_MUL, over the budget of 1000000 units (max_work)")
        #expect(e.work > 1_000_000 && e.work <= 1_000_000 + 400)
        // No budget: the same loop now runs into its cycle limit, which it reports as before.
        let unlimited = #expect(throws: ExecutionError.self) {
            try Self.sp1.execute(stdin: Self.loop(2), maxCycles: 200_000, limits: ExecutionLimits(maxWork: .max))
        }
        #expect(unlimited?.kind == .cycleLimitExceeded && unlimited?.cycles == 200_000)
    }

    /// Ordinary instructions cost no work: a compute-heavy guest at exactly its cycle count (its
    /// whole allowance) succeeds with the exact count, charged only for its I/O syscalls.
    @Test("ordinary guests at their full max_cycles are unaffected; the budget boundary is exact",
          arguments: ["fibonacci", "coremark-like", "sort-bench"])
    func ordinaryGuests(_ name: String) throws {
        let vector = try #require(Fixture.cases.first { $0.program == name && $0.name.hasPrefix("default") })
        let exact = try #require(vector.refexec_cycles)
        for (program, cycles) in [(try Program(elf: Fixture.elf(name)), exact)] {
            for engine in [Engine.interpreter, .jit] {
                let e = try program.execute(stdin: vector.stdin, maxCycles: cycles, engine: engine)
                #expect(e.cycles == cycles && Fixture.hex(e.publicValues) == vector.public_values_hex, "\(engine)")
                #expect(e.work > 0 && e.work < 10_000 && e.work * 1_000 < ExecutionLimits.defaultMaxWork(maxCycles: cycles),
                        "\(engine): \(e.work) units for \(cycles) cycles")
                // The budget is exact too: the run's own work is enough, one unit less is not.
                let fits = try program.execute(stdin: vector.stdin, maxCycles: cycles,
                                               limits: ExecutionLimits(maxWork: e.work), engine: engine)
                #expect(fits.cycles == cycles && fits.work == e.work)
                let short = #expect(throws: ExecutionError.self) {
                    try program.execute(stdin: vector.stdin, maxCycles: cycles,
                                        limits: ExecutionLimits(maxWork: e.work - 1), engine: engine)
                }
                #expect(short?.kind == .workLimitExceeded, "\(engine)")
                #expect(short?.message.hasSuffix("over the budget of \(e.work - 1) units (max_work)") == true)
            }
        }
    }

    /// A single call whose work alone passes the budget does not run: a 1024-byte modular
    /// inverse (fp_inverse hook, ~10^8 units by the exponentiation model) in a 100-cycle run.
    @Test("one call over the budget fails before it runs (fp_inverse hook, 1024-byte operands)")
    func singleExpensiveCall() throws {
        let n = 1024
        var input = UInt32(n).bigEndianBytes
        input += [UInt8](repeating: 0x5A, count: n)  // the element
        input += [0xC3] + [UInt8](repeating: 0xA5, count: n - 2) + [0x01]  // an odd modulus above it
        let p = try program(data: input) { asm in
            asm.syscall(2, a0: 21, a1: scratch, a2: UInt32(input.count))
        }
        let clock = ContinuousClock(), start = clock.now
        let e = try #require(Self.workLimit(p, stdin: [], maxCycles: 100))
        #expect(e.message == Self.message(work: e.work, at: "fp_inverse hook (fd 21)", maxCycles: 100))
        #expect(e.work > 200_000_000, "the exponentiation's model: \(e.work)")
        #expect(e.cycles > 0 && e.cycles < 10, "the instructions before the WRITE: \(e.cycles)")
        #expect(clock.now - start < .seconds(5))
        // With a budget that covers it, the call runs (its result is pushed) and the guest halts.
        let done = try p.execute(stdin: [], maxCycles: 100, limits: ExecutionLimits(maxWork: e.work + 100))
        #expect(done.work > e.work && done.work <= e.work + 100 && done.cycles > e.cycles)
    }

    /// Unconstrained blocks count no cycles, but their instructions run: EXIT_UNCONSTRAINED charges
    /// one unit for each, so a loop of long blocks (a handful of cycles per iteration) is bounded.
    @Test("instructions of unconstrained blocks are charged at their EXIT, on both tiers")
    func unconstrainedBlocks() throws {
        let p = try program { asm in
            let outer = asm.label(), inner = asm.label(), after = asm.label()
            asm.bind(outer)
            asm.syscall(3)  // ENTER_UNCONSTRAINED: t0 = 1 in the block; EXIT resumes here with t0 = 0
            asm.beq(.t0, .zero, after)
            asm.li(.a1, 10_000)
            asm.bind(inner)
            asm.addi(.a1, .a1, -1)
            asm.bne(.a1, .zero, inner)
            asm.syscall(4)  // EXIT_UNCONSTRAINED
            asm.bind(after)
            asm.jal(.zero, outer)
        }
        let e = try #require(Self.workLimit(p, stdin: [], maxCycles: 1_000_000, limits: ExecutionLimits(maxWork: 1_000_000)))
        #expect(e.message == "work limit exceeded: \(e.work) units of host work (precompile, hook and I/O calls) at "
                    + "EXIT_UNCONSTRAINED, over the budget of 1000000 units (max_work)")
        // ~20,000 instructions a block: the 50th EXIT passes 10^6 units; the cycles are those at its ENTER.
        #expect(e.work > 1_000_000 && e.work < 1_030_000)
        #expect(e.cycles < 1_000, "blocks cost no cycles: \(e.cycles)")
    }
}
