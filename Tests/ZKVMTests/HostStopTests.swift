import Foundation
import Synchronization
import Testing
@testable import ZKVM

/// Host-side stops: `ExecutionLimits.maxWallTime` and `ExecutionInterrupt` end runs that the cycle
/// limit does not bound in time (a plain loop with a huge max_cycles, a loop of precompile calls
/// that each cost one cycle), on both tiers, promptly.
@Suite("Host-side stops: wall time and interrupts")
struct HostStopTests {
    /// An endless loop of plain instructions.
    static let plainLoop: Program = try! program { asm in
        let top = asm.label()
        asm.bind(top)
        asm.addi(.a0, .a0, 1)
        asm.jal(.zero, top)
    }

    /// An endless loop of KECCAK_PERMUTE calls on a state in the scratch area (one cycle each).
    static let precompileLoop: Program = try! program { asm in
        asm.li(.s1, scratch)
        let top = asm.label()
        asm.bind(top)
        asm.mv(.a0, .s1)
        asm.li(.t0, 0x0001_0109)
        asm.ecall()
        asm.jal(.zero, top)
    }

    static let tiers: [Engine] = [.interpreter, .jit]

    @Test("a run past maxWallTime fails with timeLimitExceeded, soon after the limit", arguments: tiers)
    func wallTime(_ engine: Engine) throws {
        for (name, p) in [("plain loop", Self.plainLoop), ("precompile loop", Self.precompileLoop)] {
            let clock = ContinuousClock(), start = clock.now
            let error = #expect(throws: ExecutionError.self, "\(name)") {
                try p.execute(stdin: [], maxCycles: 1 << 60, limits: ExecutionLimits(maxWallTime: .milliseconds(200)),
                              engine: engine)
            }
            let elapsed = clock.now - start
            #expect(error?.kind == .timeLimitExceeded, "\(name): \(error?.message ?? "")")
            #expect(error?.message == "time limit exceeded: the execution ran longer than 0.200 s", "\(name)")
            #expect((error?.cycles ?? 0) > 1000, "\(name): it ran until stopped")
            #expect(elapsed >= .milliseconds(200) && elapsed < .seconds(5), "\(name): stopped after \(elapsed)")
        }
    }

    @Test("raising an interrupt stops every run watching it, on both tiers")
    func interrupt() async throws {
        let flag = ExecutionInterrupt()
        #expect(!flag.isRaised)
        let runs = Self.tiers.flatMap { engine in [Self.plainLoop, Self.precompileLoop].map { (engine, $0) } }
        let clock = ContinuousClock()
        let started = clock.now
        // Each run blocks its thread: plain threads, not tasks (which would starve the cooperative
        // pool on a small machine, and with it this test's own sleep).
        let outcomes = Mutex<[Int: (ExecutionError.Kind?, Duration)]>([:])
        for (k, (engine, p)) in runs.enumerated() {
            Thread.detachNewThread {
                var outcome: (ExecutionError.Kind?, Duration)
                do {
                    _ = try p.execute(stdin: [], maxCycles: 1 << 60, engine: engine, interrupt: flag)
                    outcome = (nil, clock.now - started)
                } catch {
                    outcome = ((error as? ExecutionError)?.kind, clock.now - started)
                }
                outcomes.withLock { $0[k] = outcome }
            }
        }
        // Raised from a thread too: a busy test run may leave this task waiting for the cooperative
        // pool far longer than 300 ms, and the runs must not spin that long.
        let raised = Mutex<Duration?>(nil)
        Thread.detachNewThread {
            Thread.sleep(forTimeInterval: 0.3)
            raised.withLock { $0 = clock.now - started }
            flag.raise()
        }
        while raised.withLock({ $0 }) == nil { try await Task.sleep(for: .milliseconds(10)) }
        let raisedAt = try #require(raised.withLock { $0 })
        #expect(flag.isRaised)
        let deadline = clock.now + .seconds(30)
        while outcomes.withLock({ $0.count }) < runs.count && clock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        for k in runs.indices {
            let outcome = outcomes.withLock { $0[k] }
            #expect(outcome?.0 == .interrupted, "run \(k)")
            if let endedAt = outcome?.1 {
                #expect(endedAt >= raisedAt && endedAt - raisedAt < .seconds(5), "run \(k) ended \(endedAt - raisedAt) after the raise")
            }
        }
        #expect(outcomes.withLock { $0.count } == runs.count, "every run ended within 30 s of the raise")
        // A raised flag stops later runs too (at their first check).
        let late = #expect(throws: ExecutionError.self) {
            try Self.plainLoop.execute(stdin: [], maxCycles: 1 << 60, interrupt: flag)
        }
        #expect(late?.kind == .interrupted && late?.message == "execution interrupted by the host")
    }

    @Test("runs that end on their own are unaffected by the stops")
    func unaffected() throws {
        let counted = try program(storing: [.a0]) { asm in
            asm.li(.a0, 0)
            asm.li(.a1, 3_000_000)  // 10^6 iterations: several of the driver's chunks
            let top = asm.label()
            asm.bind(top)
            asm.addi(.a0, .a0, 3)
            asm.bne(.a0, .a1, top)
        }
        let plain = try counted.execute(stdin: [], maxCycles: 10_000_000)
        let stopped = try counted.execute(stdin: [], maxCycles: 10_000_000,
                                          limits: ExecutionLimits(maxWallTime: .seconds(60)), interrupt: ExecutionInterrupt())
        #expect(stopped.publicValues == plain.publicValues && stopped.cycles == plain.cycles)
        #expect(words(plain.publicValues) == [3_000_000])
    }
}
