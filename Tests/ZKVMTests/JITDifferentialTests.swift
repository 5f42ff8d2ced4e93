import Foundation
import Testing
@testable import ZKVM

/// The JIT against the interpreter, lock-step in outcome: every run is made on both engines and
/// must give the same cycles, exit status, public values (journal), stdout, stderr, digest flag,
/// error kind, message, pc, address and word, work (the work meter's units), and the same
/// registers and memory at the end (FinalState). Programs: every bundled guest with every vector's input (SP1 RV32, SP1 v6 RV64,
/// RISC Zero), every SP1 ELF of ../shared (when present), and ~10^4 random programs of both
/// widths under all three windows, run to completion and with cycle limits around their length
/// (for small programs at every limit).
@Suite("JIT differential against the interpreter")
struct JITDifferentialTests {
    typealias Fixture = GuestProgramTests.Fixture

    /// Whether this host has the JIT (x86-64); elsewhere .jit runs the interpreter and says so.
    static let jitAvailable: Bool = {
        #if arch(x86_64)
        true
        #else
        false
        #endif
    }()

    /// Everything a run shows, flattened so two runs compare field by field.
    struct Outcome: Equatable {
        var fields: [String: String] = [:]
        var state = FinalState()
        var engine: Engine = .interpreter
    }

    static func outcome(_ program: Program, stdin: [[UInt8]], maxCycles: UInt64, engine: Engine,
                        memory: (address: UInt64, count: Int)) -> Outcome {
        let (result, state) = program.executeCapturing(stdin: stdin, maxCycles: maxCycles, engine: engine, memory: memory)
        var o = Outcome(state: state)
        switch result {
        case .success(let e):
            o.engine = e.engine
            o.fields = ["outcome": "ok", "cycles": "\(e.cycles)", "exit": "\(e.exit)", "exitCode": "\(e.exitCode)",
                        "publicValues": hex(e.publicValues), "stdout": e.stdout, "stderr": e.stderr,
                        "digestCommitted": "\(e.digestCommitted)", "outputDigest": e.outputDigest.map(hex) ?? "-",
                        "work": "\(e.work)"]
        case .failure(let e):
            o.engine = e.engine
            o.fields = ["outcome": e.kind.rawValue, "message": e.message, "pc": String(e.pc, radix: 16),
                        "cycles": "\(e.cycles)", "exitCode": "\(e.exitCode)", "address": e.address.map { String($0, radix: 16) } ?? "-",
                        "word": e.word.map { String($0, radix: 16) } ?? "-", "publicValues": hex(e.publicValues),
                        "stdout": e.stdout, "stderr": e.stderr, "work": "\(e.work)"]
        }
        return o
    }

    /// nil if both engines agree (and the JIT ran where it should), else what differs.
    static func compare(_ program: Program, stdin: [[UInt8]] = [], maxCycles: UInt64,
                        memory: (address: UInt64, count: Int)) -> String? {
        let i = outcome(program, stdin: stdin, maxCycles: maxCycles, engine: .interpreter, memory: memory)
        let j = outcome(program, stdin: stdin, maxCycles: maxCycles, engine: .jit, memory: memory)
        var diffs: [String] = []
        if i.engine != .interpreter { diffs.append("the interpreter run reports \(i.engine)") }
        if jitAvailable && program.untrustedMode == nil && j.engine != .jit { diffs.append("the JIT did not run") }
        for key in Set(i.fields.keys).union(j.fields.keys).sorted() where i.fields[key] != j.fields[key] {
            diffs.append("\(key): \(String(describing: i.fields[key]).prefix(120)) vs \(String(describing: j.fields[key]).prefix(120))")
        }
        for (r, (a, b)) in zip(i.state.registers, j.state.registers).enumerated() where a != b {
            diffs.append("x\(r): 0x\(String(a, radix: 16)) vs 0x\(String(b, radix: 16))")
        }
        if i.state.memory != j.state.memory {
            let at = zip(i.state.memory, j.state.memory).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? -1
            diffs.append("memory differs first at +\(at)")
        }
        return diffs.isEmpty ? nil : "max_cycles \(maxCycles): " + diffs.joined(separator: "; ")
    }

    static func cycles(_ program: Program, stdin: [[UInt8]] = [], maxCycles: UInt64) -> UInt64 {
        do { return try program.execute(stdin: stdin, maxCycles: maxCycles, engine: .interpreter).cycles } catch {
            return error.kind == .cycleLimitExceeded ? 0 : error.cycles
        }
    }

    // MARK: - Bundled guests

    static let window32: (address: UInt64, count: Int) = (0x0030_0000, 1 << 16)
    static let window64: (address: UInt64, count: Int) = (0x7810_0000, 1 << 16)

    @Test("bundled SP1 RV32 guests, every vector", arguments: Fixture.cases)
    func guestRV32(_ c: Fixture.Case) throws {
        let program = try Program(elf: Fixture.elf(c.program))
        #expect(Self.compare(program, stdin: c.stdin, maxCycles: Fixture.maxCycles, memory: Self.window32) == nil)
    }

    @Test("bundled SP1 v6 RV64 guests, every vector", arguments: Fixture.casesRV64)
    func guestRV64(_ c: Fixture.Case) throws {
        let program = try Program(elf: Fixture.elf64(c.program))
        #expect(Self.compare(program, stdin: c.stdin, maxCycles: Fixture.maxCycles, memory: Self.window64) == nil)
    }

    @Test("bundled RISC Zero guests, every vector", arguments: Risc0GuestProgramTests.vectors?.cases ?? [])
    func guestRisc0(_ c: Risc0GuestProgramTests.Case) throws {
        let program = try Program(elf: Risc0GuestProgramTests.elf(c.program), vm: .risc0)
        let stdin = [Fixture.bytes(hex: c.stdin_hex)]
        #expect(Self.compare(program, stdin: stdin, maxCycles: Fixture.maxCycles, memory: Self.window32) == nil)
    }

    @Test("bundled guests: limits around the cycle count and inside the run")
    func guestLimits() throws {
        for (elf, vm, stdin) in [(try Fixture.elf("fibonacci"), GuestVM.sp1, [[0, 0, 3, 0] as [UInt8], [], []]),
                                 (try Fixture.elf64("sort-bench"), .sp1, [[64, 0, 0, 0], [], []]),
                                 (try Risc0GuestProgramTests.elf("fibonacci"), .risc0,
                                  [[4, 0, 0, 0, 0xE8, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]])] {
            let program = try Program(elf: elf, vm: vm)
            let memory = program.isa == .rv64im ? Self.window64 : Self.window32
            let n = Self.cycles(program, stdin: stdin, maxCycles: Fixture.maxCycles)
            try #require(n > 1000)
            for limit in [n - 1, n, n + 1, n / 2, n / 3 + 7, 1, 0, 300_000, 262_144, 262_145] {
                #expect(Self.compare(program, stdin: stdin, maxCycles: limit, memory: memory) == nil)
            }
        }
    }

    @Test("the work limit: precompile and hook loops stop at the same call, cycles, pc and work on both tiers")
    func workLimit() throws {
        for (program, stdin, limit) in [(try Program(elf: Fixture.elf("precompile-loop")), WorkMeterTests.loop(1), UInt64(200_000)),
                                        (try Program(elf: Fixture.elf64("precompile-loop")), WorkMeterTests.loop(3), 1_000_000)] {
            let memory = program.isa == .rv64im ? Self.window64 : Self.window32
            #expect(Self.compare(program, stdin: stdin, maxCycles: limit, memory: memory) == nil)
            let o = Self.outcome(program, stdin: stdin, maxCycles: limit, engine: .jit, memory: memory)
            #expect(o.fields["outcome"] == ExecutionError.Kind.workLimitExceeded.rawValue, "\(o.fields)")
        }
    }

    // MARK: - SP1 ELFs of ../shared

    @Test("SP1 v3-v5 ELFs of ../shared/sp1/manifest.json", .enabled(if: Paths.hasShared, "../shared/sp1 is absent"),
          arguments: SP1CompatibilityTests.manifest)
    func sharedRV32(_ e: SP1CompatibilityTests.Entry) throws {
        let program = try Program(elf: try Paths.bytes(Paths.sp1.appendingPathComponent("elfs/" + e.file)))
        let stdin = e.stdin_items_hex.map(hexBytes)
        #expect(Self.compare(program, stdin: stdin, maxCycles: 100_000_000, memory: Self.window32) == nil)
        #expect(Self.compare(program, stdin: stdin, maxCycles: e.predicted_cycles / 2, memory: Self.window32) == nil)
    }

    @Test("SP1 v6 ELFs of ../shared/sp1/manifest-v6.json", .enabled(if: Paths.hasSharedV6, "../shared/sp1 is absent"),
          arguments: SP1V6CompatibilityTests.manifest)
    func sharedRV64(_ e: SP1V6CompatibilityTests.Entry) throws {
        let program = try Program(elf: try SP1V6CompatibilityTests.elf(e.file))
        let stdin = e.stdin_items_hex.map(hexBytes)
        #expect(Self.compare(program, stdin: stdin, maxCycles: 100_000_000, memory: Self.window64) == nil)
        #expect(Self.compare(program, stdin: stdin, maxCycles: e.predicted_cycles / 2, memory: Self.window64) == nil)
    }

    // MARK: - Random programs

    enum Flavour: String, CaseIterable, Sendable { case sp1RV32, risc0, sp1RV64 }

    static func randomELF(_ flavour: Flavour, seed: UInt64, bodyLength: Int) -> (Program, (address: UInt64, count: Int)) {
        switch flavour {
        case .sp1RV32:
            var g = RandomRV32(seed: seed, target: .sp1)
            return (try! Program(elf: g.program(bodyLength: bodyLength)), (UInt64(RandomRV32.dataAddress), RandomRV32.dataBytes))
        case .risc0:
            var g = RandomRV32(seed: seed, target: .risc0)
            return (try! Program(elf: g.program(bodyLength: bodyLength), vm: .risc0),
                    (UInt64(RandomRV32.dataAddress), RandomRV32.dataBytes))
        case .sp1RV64:
            var g = RandomRV64(seed: seed)
            return (try! Program(elf: g.program(bodyLength: bodyLength)), (RandomRV64.dataAddress, 4096))
        }
    }

    static let shards = 8
    static let programsPerShard = 420  // 3 flavours x 8 shards x 420 = 10,080 programs

    /// Random programs run to their end (or a limit of 20,000 cycles), then with max_cycles
    /// N - 1, N, N + 1 and a random limit below N.
    @Test("random programs: same outcome, registers and memory; limits N-1, N, N+1",
          arguments: Flavour.allCases, 0..<shards)
    func random(_ flavour: Flavour, _ shard: Int) {
        var failures: [String] = [], faults = 0, endless = 0
        var rng = SplitMix64(seed: 0x71_7000 + UInt64(shard))
        for k in 0..<Self.programsPerShard {
            let seed = UInt64(shard * Self.programsPerShard + k) &* 0x9E37_79B9 &+ UInt64(Flavour.allCases.firstIndex(of: flavour)!)
            let (program, memory) = Self.randomELF(flavour, seed: seed ^ 0x5EED, bodyLength: 20 + rng.below(140))
            let cap: UInt64 = 20_000
            if let d = Self.compare(program, maxCycles: cap, memory: memory) { failures.append("seed \(seed): \(d)") }
            let n = Self.cycles(program, maxCycles: cap)
            if n == 0 {
                endless += 1
                continue
            }
            if (try? program.execute(stdin: [], maxCycles: cap, engine: .interpreter)) == nil { faults += 1 }
            var limits: Set<UInt64> = [n - 1, n, n + 1, UInt64(rng.below(Int(n)))]
            if k % 2 == 0 { limits.insert(UInt64(rng.below(Int(n) + 1))) }
            for limit in limits {
                if let d = Self.compare(program, maxCycles: limit, memory: memory) { failures.append("seed \(seed): \(d)") }
            }
            if failures.count > 20 { break }
        }
        print("JIT differential (\(flavour), shard \(shard)): \(Self.programsPerShard) programs, \(failures.count) differ "
              + "(\(faults) fail, \(endless) hit the cycle cap)")
        #expect(failures.isEmpty, "\(failures.prefix(10).joined(separator: "\n"))")
    }

    @Test("small random programs at every cycle limit from 0 to N + 1", arguments: Flavour.allCases)
    func everyLimit(_ flavour: Flavour) {
        var failures: [String] = [], checked = 0
        for seed in 0..<UInt64(40) {
            let (program, memory) = Self.randomELF(flavour, seed: 0xA11_0000 + seed, bodyLength: 12 + Int(seed % 24))
            let n = Self.cycles(program, maxCycles: 5_000)
            guard n > 0, n < 400 else { continue }
            checked += 1
            for limit in 0...(n + 1) {
                if let d = Self.compare(program, maxCycles: limit, memory: memory) { failures.append("seed \(seed): \(d)") }
            }
        }
        #expect(checked >= 10, "too few small programs ran to their end")
        #expect(failures.isEmpty, "\(failures.prefix(10).joined(separator: "\n"))")
    }

    // MARK: - Edge cases by hand

    @Test("division and multiplication edge values, both widths")
    func arithmeticEdges() throws {
        let values: [UInt32] = [0, 1, 0xFFFF_FFFF, 0x8000_0000, 0x7FFF_FFFF, 2, 0xFFFF_FFFE, 3]
        let rv32 = try program(storing: [.a0, .a1, .a2, .a3, .a4, .a5, .a6, .a7]) { a in
            for x in values {
                for y in values {
                    a.li(.t0, x)
                    a.li(.t1, y)
                    a.div(.a0, .t0, .t1); a.divu(.a1, .t0, .t1); a.rem(.a2, .t0, .t1); a.remu(.a3, .t0, .t1)
                    a.mulh(.a4, .t0, .t1); a.mulhsu(.a5, .t0, .t1); a.mulhu(.a6, .t0, .t1); a.mul(.a7, .t0, .t1)
                    a.add(.s2, .s2, .a0); a.xor(.s3, .s3, .a1); a.add(.s4, .s4, .a2); a.xor(.s5, .s5, .a3)
                    a.add(.s6, .s6, .a4); a.xor(.s7, .s7, .a5); a.add(.s8, .s8, .a6); a.xor(.s9, .s9, .a7)
                }
            }
            a.mv(.a0, .s2); a.mv(.a1, .s3); a.mv(.a2, .s4); a.mv(.a3, .s5)
            a.mv(.a4, .s6); a.mv(.a5, .s7); a.mv(.a6, .s8); a.mv(.a7, .s9)
        }
        #expect(Self.compare(rv32, maxCycles: 1_000_000, memory: (UInt64(resultArea), 64)) == nil)
        let wide: [UInt64] = [0, 1, .max, 1 << 63, (1 << 63) - 1, 0x8000_0000, 0xFFFF_FFFF, 0xFFFF_FFFF_8000_0000, 2]
        let rv64 = try program64(storing: [.a0, .a1, .a2, .a3, .a4, .a5, .a6, .a7, .s2, .s3, .s4, .s5]) { a in
            for x in wide {
                for y in wide {
                    a.li64(.t0, x)
                    a.li64(.t1, y)
                    a.div(.a0, .t0, .t1); a.divu(.a1, .t0, .t1); a.rem(.a2, .t0, .t1); a.remu(.a3, .t0, .t1)
                    a.mulh(.a4, .t0, .t1); a.mulhsu(.a5, .t0, .t1); a.mulhu(.a6, .t0, .t1); a.mul(.a7, .t0, .t1)
                    a.divw(.s2, .t0, .t1); a.divuw(.s3, .t0, .t1); a.remw(.s4, .t0, .t1); a.remuw(.s5, .t0, .t1)
                    for r in [Reg.a0, .a1, .a2, .a3, .a4, .a5, .a6, .a7, .s2, .s3, .s4, .s5] {
                        a.add(.s6, .s6, r)
                        a.slli(.s7, .s6, 7)
                        a.xor(.s6, .s6, .s7)
                    }
                }
            }
            a.mv(.a0, .s6)
        }
        #expect(Self.compare(rv64, maxCycles: 1_000_000, memory: (resultArea64, 96)) == nil)
    }

    @Test("faults and stops: misaligned and out-of-window accesses, bad jumps, EBREAK, the end of the text")
    func stops() throws {
        let bodies: [(inout Assembler) -> Void] = [
            { a in a.li(.t0, 0x0030_0001); a.lw(.a0, 0, .t0) },                 // misaligned load
            { a in a.li(.t0, 0x1C); a.sb(.a0, 0, .t0) },                        // below the window
            { a in a.li(.t0, 0x7800_0000); a.lw(.a0, 0, .t0); a.lw(.a0, 4, .t0) },  // the last word, then past it
            { a in a.li(.t0, 0x0030_0002); a.sh(.a0, 0, .t0); a.sh(.a0, 1, .t0) },
            { a in a.li(.t0, 0x0020_0801); a.jalr(.ra, .t0, 0) },                // odd JALR target (SP1 keeps bit 0)
            { a in a.li(.t0, 0x0010_0000); a.jalr(.ra, .t0, 0) },                // outside the text
            { a in a.jalRaw(.ra, offset: 0x4000) },                              // static target outside
            { a in a.beqRaw(.zero, .zero, offset: -0x800) },
            { a in a.ebreak() },
            { a in a.emit(0) },                                                  // illegal word
            { a in a.fence() },
            { a in a.li(.t0, 0x1234); a.ecall() },                               // unknown syscall
            // RV32 addresses wrap: base + offset past 2^32 is a low (valid) address, below 0 a high one.
            { a in
                a.li(.t0, 0xFFFF_FFF0); a.li(.t1, 0x0030_0000)
                for _ in 0..<4 { a.sw(.t1, 0x110, .t0); a.lw(.a0, 0x110, .t0); a.lbu(.a1, 0x111, .t0); a.sh(.t1, 0x112, .t0) }
                a.li(.t0, 0x10); a.lw(.a2, -0x20, .t0)
            },
            { a in a.li(.t0, 0xFFFF_FFFF); a.lb(.a0, 0x21, .t0); a.lb(.a0, 0x20, .t0); a.lb(.a0, 0x20, .t0) },
        ]
        for body in bodies {
            let p = try program(body)
            #expect(Self.compare(p, maxCycles: 1000, memory: (UInt64(scratch), 64)) == nil)
        }
        // Running off the end of the text (no HALT).
        let words = [0x0000_0013 as UInt32, 0x0000_0013]
        let off = try Program(elf: ELFBuilder(code: words).build())
        #expect(Self.compare(off, maxCycles: 1000, memory: (UInt64(scratch), 64)) == nil)
    }

    @Test("the result names the engine that ran; forcing the interpreter never translates")
    func engineReported() throws {
        let program = try Program(elf: Fixture.elf("fibonacci"))
        let stdin: [[UInt8]] = [[10, 0, 0, 0], [], []]
        let i = try program.execute(stdin: stdin, maxCycles: 1_000_000, engine: .interpreter)
        #expect(i.engine == .interpreter && i.engineNote == nil)
        #expect(program.jit.state == .notTranslated)
        // A short auto run of an untranslated program stays on the interpreter.
        let a = try program.execute(stdin: stdin, maxCycles: 1_000_000)
        #expect(a.engine == .interpreter)
        let j = try program.execute(stdin: stdin, maxCycles: 1_000_000, engine: .jit)
        if Self.jitAvailable {
            #expect(j.engine == .jit && j.engineNote == nil && j.jitTranslationTime > .zero)
            #expect(program.jit.state == .ready && program.jit.codeBytes > 0)
            // Translated once: later runs do not translate again, and auto now uses the JIT.
            let again = try program.execute(stdin: stdin, maxCycles: 1_000_000)
            #expect(again.engine == .jit && again.jitTranslationTime == .zero)
        } else {
            #expect(j.engine == .interpreter && j.engineNote != nil)
            #expect(program.jit.state == .unavailable)
        }
        #expect(j.publicValues == i.publicValues && j.cycles == i.cycles)
    }

    @Test("a long auto run switches to the JIT on its way, with the same result")
    func autoSwitches() throws {
        let program = try Program(elf: Fixture.elf("fibonacci"))
        let stdin: [[UInt8]] = [[0x40, 0x42, 0x0F, 0], [], []]  // 1,000,000 iterations
        let reference = try program.execute(stdin: stdin, maxCycles: 1 << 40, engine: .interpreter)
        let auto = try program.execute(stdin: stdin, maxCycles: 1 << 40)
        #expect(auto.engine == (Self.jitAvailable ? .jit : .interpreter))
        #expect(auto.cycles == reference.cycles && auto.publicValues == reference.publicValues)
    }
}
