// Engine benchmarks (ordo-one package-benchmark): interpreter MIPS against the same C compiled
// natively, for the RV32 and the RV64 builds of the guests and for the same C workloads built for
// RISC Zero run under the RISC Zero ABI; Program(elf:) + ID, the v1 image ID of 1 MB, per-execution
// setup, precompile throughput, heavy SP1 ELFs, SP1 v6 ELFs.
//
// Every benchmark records its own custom metrics per iteration (ns/run, guest instructions,
// MIPS, calls/s); scripts/report.py reads their medians from the histogramPercentiles export.
// Names use only [a-z0-9_-] because they end up in file names.

import Benchmark
import BenchSupport
import Foundation
import NativeWorkloads
import ZKVM
import ZKVMHarness

enum Metric {
    static let nsPerRun = BenchmarkMetric.custom("ns_per_run", polarity: .prefersSmaller, useScalingFactor: false)
    static let instructions = BenchmarkMetric.custom("guest_instructions", polarity: .prefersSmaller, useScalingFactor: false)
    static let mips = BenchmarkMetric.custom("MIPS", polarity: .prefersLarger, useScalingFactor: false)
    static let textBytes = BenchmarkMetric.custom("text_bytes", polarity: .prefersSmaller, useScalingFactor: false)
    static let callsPerSecond = BenchmarkMetric.custom("calls_per_s", polarity: .prefersLarger, useScalingFactor: false)
    static let userCycles = BenchmarkMetric.custom("user_cycles", polarity: .prefersSmaller, useScalingFactor: false)
    static let userCyclesPerSecond = BenchmarkMetric.custom("M_user_cycles_per_s", polarity: .prefersLarger,
                                                            useScalingFactor: false)
}

/// A benchmark guest and its native counterpart.
struct Workload {
    let name: String  // benchmark name suffix
    let elf: String  // <elf>.elf in each Repo.GuestBuild directory (bin/, bin/rv64/, bin/risc0/)
    let stdin: [[UInt8]]
    let native: Int32  // enum native_workload
    let nativeParam: UInt32
    let nativeInput: [UInt8]
    /// The case of guest-programs/vectors-risc0.json whose input gives the same run on the RISC Zero
    /// build (the default parameter, or the same rounds / address); nil: no RISC Zero row.
    var risc0Case: String? = nil
}

let mockAddress = [UInt8](repeating: 0, count: 12) + [UInt8](repeating: 0x45, count: 20)

/// Guest parameters are the guests' defaults (workloads.h), passed explicitly so guest and native
/// runs cannot drift apart; every run's public values are checked against the native output.
let workloads: [Workload] = [
    Workload(name: "fib", elf: "fibonacci", stdin: [le32(400_000)], native: Int32(NATIVE_FIB.rawValue),
             nativeParam: 400_000, nativeInput: [], risc0Case: "default (empty item 1)"),
    Workload(name: "keccak_soft", elf: "keccak-soft", stdin: [le32(300)], native: Int32(NATIVE_KECCAK_SOFT.rawValue),
             nativeParam: 300, nativeInput: [], risc0Case: "default (empty item 1)"),
    Workload(name: "sort", elf: "sort-bench", stdin: [le32(40_000)], native: Int32(NATIVE_SORT.rawValue),
             nativeParam: 40_000, nativeInput: [], risc0Case: "default (empty item 1)"),
    Workload(name: "coremark_like", elf: "coremark-like", stdin: [le32(75)], native: Int32(NATIVE_COREMARK_LIKE.rawValue),
             nativeParam: 75, nativeInput: [], risc0Case: "default (empty item 1)"),
    // Same output as keccak-soft for the same n; natively there is no precompile, so the native side
    // is the software Keccak: the ratio shows what the precompile buys.
    Workload(name: "keccak_precompile", elf: "keccak-bench", stdin: [le32(12_000)],
             native: Int32(NATIVE_KECCAK_SOFT.rawValue), nativeParam: 12_000, nativeInput: []),
    Workload(name: "intensity_1000", elf: "intensity-test", stdin: [le32(1000), [], []],
             native: Int32(NATIVE_INTENSITY.rawValue), nativeParam: 1000, nativeInput: [], risc0Case: "rounds=1000"),
    Workload(name: "mock_consumer", elf: "mock-consumer", stdin: [mockAddress, [], []],
             native: Int32(NATIVE_MOCK_CONSUMER.rawValue), nativeParam: 0, nativeInput: mockAddress,
             risc0Case: "address 0x4545..45"),
]

func nativeRun(_ w: Workload, repeat: UInt32) -> [UInt8] {
    var out = [UInt8](repeating: 0, count: 64)
    let n = w.nativeInput.withUnsafeBufferPointer { input in
        native_run(w.native, w.nativeParam, input.baseAddress, UInt32(input.count), `repeat`, &out, UInt32(out.count))
    }
    precondition(n > 0, "native \(w.name) failed")
    return Array(out.prefix(Int(n)))
}

func nanoseconds(_ d: Duration) -> Int {
    Int(d.components.seconds) * 1_000_000_000 + Int(d.components.attoseconds / 1_000_000_000)
}

let quick = Repo.quick

/// A benchmark that executes `program` once per iteration and records ns per run, guest
/// instructions and MIPS; `problem` says what is wrong with a run (nil when it is right), which
/// stops the benchmark with that error.
///
/// An SP1 run's cycles are its instructions. A RISC Zero run's cycles are user cycles, so it passes
/// `instructions` (scripts/risc0_model.py's count for the same run, in vectors-risc0.json) for the
/// instruction and MIPS figures, which then compare with SP1's, and also records the user cycles
/// and M_user_cycles_per_s.
func guestBenchmark(_ name: String, _ program: Program, stdin: [[UInt8]], instructions: UInt64? = nil,
                    maxIterations: Int? = nil, engine: Engine = .interpreter, problem: @escaping (Execution) -> String?) {
    // JIT rows measure the translated code: the program is translated before the first iteration
    // (once per program; `zkvm inspect --jit` reports the translation time).
    if engine == .jit { program.prepareJIT() }
    var metrics: [BenchmarkMetric] = [.wallClock, Metric.nsPerRun, Metric.instructions, Metric.mips]
    if instructions != nil { metrics += [Metric.userCycles, Metric.userCyclesPerSecond] }
    var configuration = Benchmark.Configuration(metrics: metrics)
    if let maxIterations { configuration.maxIterations = maxIterations }
    Benchmark(name, configuration: configuration) { benchmark in
        for _ in benchmark.scaledIterations {
            let clock = ContinuousClock(), start = clock.now
            let e = try program.execute(stdin: stdin, maxCycles: 1 << 40, engine: engine)
            let ns = nanoseconds(clock.now - start)
            if engine == .jit && e.engine != .jit {
                benchmark.error("\(name): the JIT did not run (\(e.engineNote ?? "?"))")
                return
            }
            if let problem = problem(e) {
                benchmark.error(problem)
                return
            }
            let millionsPerSecond = { (count: UInt64) in Int((Double(count) * 1e3 / Double(ns)).rounded()) }
            benchmark.measurement(Metric.nsPerRun, ns)
            benchmark.measurement(Metric.instructions, Int(instructions ?? e.cycles))
            benchmark.measurement(Metric.mips, millionsPerSecond(instructions ?? e.cycles))
            if instructions != nil {
                benchmark.measurement(Metric.userCycles, Int(e.cycles))
                benchmark.measurement(Metric.userCyclesPerSecond, millionsPerSecond(e.cycles))
            }
        }
    }
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock],
        timeUnits: .nanoseconds,
        // Raw counts: no K/M scaling (it rounds to integers in the export and loses precision).
        units: [Metric.nsPerRun: .count, Metric.instructions: .count, Metric.mips: .count, Metric.callsPerSecond: .count,
                Metric.userCycles: .count, Metric.userCyclesPerSecond: .count],
        warmupIterations: 2,
        maxDuration: .seconds(quick ? 1 : 4),
        maxIterations: quick ? 5 : 150
    )

    // MARK: Guests (RV32, RV64 and RISC Zero builds of the same sources) and their native counterparts
    for w in workloads {
        let expected = nativeRun(w, repeat: 1)
        // guest-<name>: guest-programs/bin (RV32IM, SP1 v4 rules); guest64-<name>: bin/rv64 (RV64IM, SP1 v6).
        // jit-<name>, jit64-<name>: the same programs and inputs on the JIT tier.
        for (prefix, build, engine) in [("guest", Repo.GuestBuild.rv32, Engine.interpreter), ("guest64", .rv64, .interpreter),
                                         ("jit", .rv32, .jit), ("jit64", .rv64, .jit)] {
            guestBenchmark("\(prefix)-\(w.name)", try! Program(elf: try! Repo.guestELF(w.elf, build)), stdin: w.stdin,
                           engine: engine) { e in
                e.publicValues == expected && e.exitCode == 0 ? nil
                    : "\(prefix)-\(w.name): guest output \(BenchHex.string(e.publicValues)) != native \(BenchHex.string(expected))"
            }
        }
        // risc0-<name>: bin/risc0 (the SDK's RISC Zero flavour) under the RISC Zero ABI, with the stdin
        // stream of the matching vectors-risc0.json case; journal checked against the native output.
        if let caseName = w.risc0Case {
            guard let c = try! Risc0Case.load(program: w.elf, name: caseName) else {
                fatalError("vectors-risc0.json has no case \(w.elf): \(caseName)")
            }
            precondition(c.journal == expected, "\(w.name): the RISC Zero vector's journal differs from the native output")
            for (prefix, engine) in [("risc0", Engine.interpreter), ("jitr0", .jit)] {
                let program = try! Program(elf: try! Repo.guestELF(w.elf, .risc0), vm: .risc0)
                guestBenchmark("\(prefix)-\(w.name)", program, stdin: [c.stdin], instructions: c.instructions,
                               engine: engine) { e in
                    e.journal == expected && e.cycles == c.userCycles ? nil
                        : "\(prefix)-\(w.name): journal or user cycles differ from vectors-risc0.json"
                }
            }
        }
        // Tiny native runs are repeated inside one measurement so the clock's resolution and the
        // harness's per-iteration cost do not dominate.
        let reps: UInt32 = w.name == "mock_consumer" ? 100_000 : 1
        Benchmark("native-\(w.name)", configuration: .init(metrics: [.wallClock, Metric.nsPerRun])) { benchmark in
            for _ in benchmark.scaledIterations {
                let clock = ContinuousClock(), start = clock.now
                let out = nativeRun(w, repeat: reps)
                let ns = nanoseconds(clock.now - start)
                guard out == expected else {
                    benchmark.error("\(w.name): native output changed")
                    return
                }
                benchmark.measurement(Metric.nsPerRun, Int((Double(ns) / Double(reps)).rounded()))
            }
        }
    }

    // MARK: The unseen corpus: twelve workloads written for breadth (guest-programs/corpus), none of them
    // used to choose the interpreter's superinstructions. corpus-<name>-<O2|Os>: bin/corpus (RV32IM,
    // SP1 v4 rules); corpus64-<name>-<O2|Os>: bin/rv64/corpus (RV64IM, SP1 v6); native-corpus-<name>:
    // the same source, clang -O2, in-process. Every guest run's public values must equal the native
    // output. scripts/report.py's "Unseen corpus" section reads these rows (and qemu_peer.py's timings).
    for i in 0..<native_corpus_count() {
        let name = String(cString: native_corpus_name(i)), param = native_corpus_default(i)
        let expected = le32(param) + le32(native_corpus_run(i, param, 1))
        // jitcorpus-*, jitcorpus64-*: the same builds on the JIT tier.
        for (prefix, build, engine) in [("corpus", Repo.GuestBuild.rv32, Engine.interpreter), ("corpus64", .rv64, .interpreter),
                                        ("jitcorpus", .rv32, .jit), ("jitcorpus64", .rv64, .jit)] {
            for opt in ["O2", "Os"] {
                let rowName = "\(prefix)-\(name)-\(opt)"
                let program = try! Program(elf: try! Repo.guestELF("corpus/\(name)-\(opt)", build))
                guestBenchmark(rowName, program, stdin: [le32(param)], maxIterations: quick ? 3 : 20, engine: engine) { e in
                    e.publicValues == expected && e.exitCode == 0 ? nil
                        : "\(rowName): guest output \(BenchHex.string(e.publicValues)) != native \(BenchHex.string(expected))"
                }
            }
        }
        Benchmark("native-corpus-\(name)", configuration: .init(metrics: [.wallClock, Metric.nsPerRun],
                                                                 maxIterations: quick ? 5 : 30)) { benchmark in
            for _ in benchmark.scaledIterations {
                let clock = ContinuousClock(), start = clock.now
                let checksum = native_corpus_run(i, param, 1)
                let ns = nanoseconds(clock.now - start)
                guard le32(param) + le32(checksum) == expected else {
                    benchmark.error("native-corpus-\(name): native output changed")
                    return
                }
                benchmark.measurement(Metric.nsPerRun, ns)
            }
        }
    }

    // MARK: Program(elf:) + program ID
    let smallELF = try! Repo.guestELF("mock-consumer")
    let bigELF = SyntheticPrograms.padded(try! Repo.guestELF("fibonacci"))!
    do {  // the padded ELF must still be a working fibonacci guest
        let p = try! Program(elf: bigELF), f = try! Program(elf: try! Repo.guestELF("fibonacci"))
        precondition(try! p.execute(stdin: [le32(1000)], maxCycles: 1 << 30).publicValues
            == (try! f.execute(stdin: [le32(1000)], maxCycles: 1 << 30).publicValues))
    }
    for (name, elf) in [("load-small_elf", smallELF), ("load-1mb_elf", bigELF)] {
        Benchmark(name, configuration: .init(metrics: [.wallClock, Metric.nsPerRun],
                                             maxIterations: quick ? 20 : 200)) { benchmark in
            for _ in benchmark.scaledIterations {
                let clock = ContinuousClock(), start = clock.now
                let program = try Program(elf: elf)
                let id = program.id  // computed while loading; read it so the measured work includes it
                let ns = nanoseconds(clock.now - start)
                Benchmark.blackHole(id)
                benchmark.measurement(Metric.nsPerRun, ns)
            }
        }
    }

    // MARK: RISC Zero v1 image ID (the program ID of vm_type Risc0) of a 1 MB ELF, and loading it
    let risc0BigELF = SyntheticPrograms.padded(try! Repo.guestELF("fibonacci", .risc0),
                                               at: SyntheticPrograms.risc0PadAddress)!
    do {  // still a working fibonacci guest, and its ID is the image ID
        let p = try! Program(elf: risc0BigELF, vm: .risc0)
        precondition(p.id == (try! Risc0.image(elf: risc0BigELF)).id)
        precondition(try! p.execute(stdin: [Risc0.framedInput([le32(1000)])], maxCycles: 1 << 30).journal.count == 12)
    }
    Benchmark("risc0-image_id-1mb_elf",
              configuration: .init(metrics: [.wallClock, Metric.nsPerRun], maxIterations: quick ? 20 : 200)) { benchmark in
        for _ in benchmark.scaledIterations {
            let clock = ContinuousClock(), start = clock.now
            let image = try Risc0.image(elf: risc0BigELF)
            let ns = nanoseconds(clock.now - start)
            Benchmark.blackHole(image)
            benchmark.measurement(Metric.nsPerRun, ns)
        }
    }
    Benchmark("risc0-load-1mb_elf",
              configuration: .init(metrics: [.wallClock, Metric.nsPerRun], maxIterations: quick ? 20 : 200)) { benchmark in
        for _ in benchmark.scaledIterations {
            let clock = ContinuousClock(), start = clock.now
            let program = try Program(elf: risc0BigELF, vm: .risc0)
            let ns = nanoseconds(clock.now - start)
            Benchmark.blackHole(program.id)
            benchmark.measurement(Metric.nsPerRun, ns)
        }
    }

    // MARK: Per-execution setup overhead: a 100-instruction program
    let tiny = try! Program(elf: SyntheticPrograms.hundredInstructions())
    precondition(try! tiny.execute(stdin: [], maxCycles: 1000).cycles == 100)
    Benchmark("exec-100_instructions",
              configuration: .init(metrics: [.wallClock, Metric.nsPerRun, Metric.instructions],
                                   maxIterations: quick ? 200 : 2000)) { benchmark in
        for _ in benchmark.scaledIterations {
            let clock = ContinuousClock(), start = clock.now
            let e = try tiny.execute(stdin: [], maxCycles: 1000)
            let ns = nanoseconds(clock.now - start)
            benchmark.measurement(Metric.nsPerRun, ns)
            benchmark.measurement(Metric.instructions, Int(e.cycles))
        }
    }

    // MARK: Profiling (zkvm profile): the profile run mode on the guest rows' programs and inputs
    // (profile-<name> against guest-<name>: the overhead ratio), and a whole profile of a 50 M-cycle
    // guest with its folded stacks, speedscope file and flame graph (profile50m-fib).
    let profiled: [(name: String, elf: String, stdin: [[UInt8]], outputs: Bool)] =
        workloads.filter { ["fib", "sort", "coremark_like"].contains($0.name) }.map { ($0.name, $0.elf, $0.stdin, false) }
        + [("50m-fib", "fibonacci", [le32(4_200_000)], true)]
    for p in profiled {
        let program = try! Program(elf: try! Repo.guestELF(p.elf, .rv32))
        let expected = try! program.execute(stdin: p.stdin, maxCycles: 1 << 40)
        Benchmark("profile\(p.outputs ? "" : "-")\(p.name)",
                  configuration: .init(metrics: [.wallClock, Metric.nsPerRun, Metric.instructions, Metric.mips],
                                       maxIterations: quick ? 3 : (p.outputs ? 7 : 30))) { benchmark in
            for _ in benchmark.scaledIterations {
                let clock = ContinuousClock(), start = clock.now
                let profile = program.profile(stdin: p.stdin, maxCycles: 1 << 40)
                if p.outputs {
                    Benchmark.blackHole(profile.folded())
                    Benchmark.blackHole(profile.speedscopeJSON(name: p.name))
                    Benchmark.blackHole(profile.flameGraph.svg(title: p.name))
                }
                let ns = nanoseconds(clock.now - start)
                guard let e = try? profile.result.get(), e.cycles == expected.cycles,
                      e.publicValues == expected.publicValues, profile.totalCycles == e.cycles else {
                    benchmark.error("profile-\(p.name): the profiled run differs from execute's")
                    return
                }
                benchmark.measurement(Metric.nsPerRun, ns)
                benchmark.measurement(Metric.instructions, Int(e.cycles))
                benchmark.measurement(Metric.mips, Int((Double(e.cycles) * 1e3 / Double(ns)).rounded()))
            }
        }
    }

    // MARK: Precompile throughput through SyscallMachine (one ECALL each, no interpreter loop)
    struct Precompile {
        let name: String
        let code: UInt32
        let a0: UInt64, a1: UInt64
        let writes: [(UInt64, String)]
        let inputs: [[UInt8]]
    }
    // Inputs are vectors of Tests/ZKVMTests/PrecompileVectors.swift; every call writes its result over
    // the first operand, so successive calls work on fresh valid values (x*y, p+q, ...).
    let precompiles: [Precompile] = [
        // Dispatch cost of the harness itself: HINT_LEN only reads a length.
        Precompile(name: "HINT_LEN_baseline", code: 0xF0, a0: 0, a1: 0, writes: [], inputs: [[1, 2, 3, 4]]),
        Precompile(name: "KECCAK_PERMUTE", code: 0x0001_0109, a0: 0x1000, a1: 0,
                   writes: [(0x1000, String(repeating: "00", count: 200))], inputs: []),
        Precompile(name: "SHA_COMPRESS", code: 0x0001_0106, a0: 0x1000, a1: 0x2000,
                   writes: [(0x1000, String(repeating: "61626380", count: 64)),
                            (0x2000, "67e6096a85ae67bb72f36e3c3af54fa57f520e518c68059babd9831f19cde05b")], inputs: []),
        Precompile(name: "SECP256K1_ADD", code: 0x0001_010A, a0: 0x1000, a1: 0x2000,
                   writes: [(0x1000, "9817f8165b81f259d928ce2ddbfc9b02070b87ce9562a055acbbdcf97e66be79b8d410fb8fd0479c195485a648b417fda808110efcfba45d65c4a32677da3a48"),
                            (0x2000, "e59e705cb909acaba73cef8c4b8e775cd87cc0956e4045306d7ded41947f04c62ae5cf50a9316423e1d066326532f6f7eeea6c461984c5a339c33da6fe68e11a")],
                   inputs: []),
        Precompile(name: "BN254_FP2_MUL", code: 0x0001_012B, a0: 0x1000, a1: 0x2000,
                   writes: [(0x1000, "1d8c18bbda81a9ee8580ba886389ea50552c34e26b5620584ed79d24e0ab09234ba9911d82ab1bd40113fd0aaea69384e9609e5b41e453ed9dd9d1918b562826"),
                            (0x2000, "87e5963d7e8f2668684b092d34e645de31cc9c354b92afe83d4769861fc66914a110a80b99893a365aedb1d2223967235d9fb0c5f53008eec844065e78d4052c")],
                   inputs: []),
        Precompile(name: "UINT256_MUL", code: 0x0001_011D, a0: 0x1000, a1: 0x2000,
                   writes: [(0x1000, "874ce17eb1874f92a9a691554cc946164965d96a6ff729fb8b20250d69ff3db9"),
                            (0x2000, "d6dfb4a34e6d40305d1130f2980572c0138afc46229fcfd02853e998d4164e135c5d9c2dc68f45eac8e8cb7c34bc01030843f88e75d82dc2a5d612185f5b6e03")],
                   inputs: []),
    ]
    let callsPerIteration = quick ? 2_000 : 20_000
    for p in precompiles {
        let machine = try! SyscallMachine()
        for item in p.inputs { machine.pushInput(item) }
        for (address, hex) in p.writes { try! machine.write(BenchHex.bytes(hex), at: address) }
        try! machine.syscall(p.code, a0: p.a0, a1: p.a1)  // must succeed before it is timed
        Benchmark("precompile-\(p.name)",
                  configuration: .init(metrics: [.wallClock, Metric.callsPerSecond, Metric.nsPerRun],
                                       maxIterations: quick ? 5 : 30)) { benchmark in
            for _ in benchmark.scaledIterations {
                let clock = ContinuousClock(), start = clock.now
                for _ in 0..<callsPerIteration { try machine.syscall(p.code, a0: p.a0, a1: p.a1) }
                let ns = nanoseconds(clock.now - start)
                benchmark.measurement(Metric.callsPerSecond, Int((Double(callsPerIteration) * 1e9 / Double(ns)).rounded()))
                benchmark.measurement(Metric.nsPerRun, Int((Double(ns) / Double(callsPerIteration)).rounded()))
            }
        }
    }

    // MARK: JIT translation time. Per iteration a fresh Program (its load is not timed) is translated;
    // the figure is the translator's own clock (`JITInfo.translationTime`: decode already done, code
    // emitted, sealed executable). jit-translate-<name>: the bundled fibonacci guests and the ELFs
    // of ../shared/sp1 with the most text (v3-v5 and v6, trusted mode), text_bytes beside the time
    // so that the report states ms per MB of text.
    var translated: [(String, [UInt8])] = [("fibonacci", try! Repo.guestELF("fibonacci")),
                                           ("fibonacci64", try! Repo.guestELF("fibonacci", .rv64))]
    if let dir = Repo.sp1Directory {
        for sub in ["elfs", "elfs-v6"] {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent(sub).path)) ?? []
            let largest = files.filter { $0.hasSuffix(".elf") }.compactMap { file -> (String, [UInt8], Int)? in
                guard let elf = try? [UInt8](Data(contentsOf: dir.appendingPathComponent("\(sub)/\(file)"))),
                      let p = try? Program(elf: elf), p.untrustedMode == nil else { return nil }
                return (SP1Case.shortName(file), elf, p.instructionCount)
            }.max { $0.2 < $1.2 }
            if let (name, elf, _) = largest { translated.append((name, elf)) }
        }
    }
    for (name, elf) in translated {
        Benchmark("jit-translate-\(name)", configuration: .init(metrics: [Metric.nsPerRun, Metric.textBytes],
                                                                maxIterations: quick ? 3 : 20)) { benchmark in
            for _ in benchmark.scaledIterations {
                let program = try! Program(elf: elf)
                let info = program.prepareJIT()
                guard info.state == .ready else {
                    benchmark.error("jit-translate-\(name): \(info.reason ?? "not translated")")
                    return
                }
                benchmark.measurement(Metric.nsPerRun, nanoseconds(info.translationTime))
                benchmark.measurement(Metric.textBytes, 4 * program.instructionCount)
            }
        }
    }

    // MARK: SP1 v6 (RV64IM) ELFs of ../shared (skipped when it is absent; the report says so)
    for c in (try? SP1V6Case.load()) ?? [] {
        // Untrusted-mode programs (the trap ELF) always run on the interpreter: no JIT row.
        let untrusted = (try! Program(elf: c.elf)).untrustedMode != nil
        for (prefix, engine) in [("sp1v6", Engine.interpreter), ("jitsp1v6", .jit)] where engine == .interpreter || !untrusted {
            guestBenchmark("\(prefix)-\(c.name)", try! Program(elf: c.elf), stdin: c.stdin, maxIterations: quick ? 3 : 30,
                           engine: engine) { e in
                e.cycles == c.predictedCycles && e.exitCode == 0 ? nil : "\(c.name): \(e.cycles) cycles, predicted \(c.predictedCycles)"
            }
        }
    }

    // MARK: Heaviest SP1 ELFs of ../shared (skipped when it is absent; the report says so)
    let sp1 = (try? SP1Case.load(SP1Case.heaviest)) ?? []
    for c in sp1 {
        for (prefix, engine) in [("sp1", Engine.interpreter), ("jitsp1", .jit)] {
            guestBenchmark("\(prefix)-\(c.name)", try! Program(elf: c.elf), stdin: c.stdin, maxIterations: quick ? 3 : 15,
                           engine: engine) { e in
                e.publicValues == c.expectedPublicValues && e.cycles == c.predictedCycles ? nil
                    : "\(c.name): public values or cycles differ from the manifest"
            }
        }
    }
}
