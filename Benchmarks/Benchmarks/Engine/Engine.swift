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
import NativeCrypto
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
        /// The curve and field rows: fewer calls per iteration (they sit beside OpenSSL's rows below).
        var curveOrField = false
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
        // Every other curve ADD / DOUBLE / DECOMPRESS and field op syscall (the first vector of each; ADD
        // and the field ops keep y / q fixed, DECOMPRESS rewrites the same y each call).
        Precompile(name: "SECP256K1_DOUBLE", code: 0x0000_010B, a0: 0x1000, a1: 0x0,
                   writes: [(0x1000, "99038217706cb3695e4351250ba82a89b154fdb955f1fda2118b91d9b7e929ac3c3b15b6d9e89238415533128a11091676ce6764a43051a4bafe3e571ad79228")], inputs: [], curveOrField: true),
        Precompile(name: "SECP256R1_ADD", code: 0x0001_012C, a0: 0x1000, a1: 0x2000,
                   writes: [(0x1000, "0340ed3a077d1b5a80893ef058981dffb133f84ab81f3ea54374ac2791b9a60927a5bd9aa47d9890220f403dae0cef6ce17d2d51d1b67913514d49f0d343abea"),
                            (0x2000, "4641de3adff788e5329ab0d7d2cc89c1d015f13c9c492eb701481164ee9e0460e3632d10d301cf81ba5302c1a55c3a7ca2f1f8e62944b5a5dbf32962b2d2039a")], inputs: [], curveOrField: true),
        Precompile(name: "SECP256R1_DOUBLE", code: 0x0000_012D, a0: 0x1000, a1: 0x0,
                   writes: [(0x1000, "0340ed3a077d1b5a80893ef058981dffb133f84ab81f3ea54374ac2791b9a60927a5bd9aa47d9890220f403dae0cef6ce17d2d51d1b67913514d49f0d343abea")], inputs: [], curveOrField: true),
        Precompile(name: "BN254_ADD", code: 0x0001_010E, a0: 0x1000, a1: 0x2000,
                   writes: [(0x1000, "bd02f842095eb149e5cf0d0ab974eecfd608c65b992c4e35275b6abdd3d6190f64f0949b0819331e129d6d7f05246c3da451cebea9ca43de33baa2fd2e63f92c"),
                            (0x2000, "eb33d688590737c1f7f5361f3320d6d706b2cd8bc8029b48f97e82676c01490e8b24b0a27358fb65af29dbfa8f675d1ffb1496cd2f54a15dec558c2cd293c02d")], inputs: [], curveOrField: true),
        Precompile(name: "BN254_DOUBLE", code: 0x0000_010F, a0: 0x1000, a1: 0x0,
                   writes: [(0x1000, "bd02f842095eb149e5cf0d0ab974eecfd608c65b992c4e35275b6abdd3d6190f64f0949b0819331e129d6d7f05246c3da451cebea9ca43de33baa2fd2e63f92c")], inputs: [], curveOrField: true),
        Precompile(name: "BLS12381_ADD", code: 0x0001_011E, a0: 0x1000, a1: 0x2000,
                   writes: [(0x1000, "5e651d0d6bb1b110bccadc243227c9d36e4a04255b6b1292f7e086e66827cf361bbc2153996b88e9ee796eb97fb69d1161e82c2cabc925c4dffa2d3a5821545f5567b5afd696be666977c53e37c26061bc69aa3d1c56aedc54b5aed1504d4a11"),
                            (0x2000, "6085223d0f6028e240587ca431b8d8ed135350710c8e4739c1e41bdc23c2882b3875eb5d2ee743d861e98bb4101f3a12bbe4b0f58863bb4f7f0d10dee385a2be268b6d75a87a7b446cc34a608b0d120ef170403c76c7eaa182ff123cea8aea08")], inputs: [], curveOrField: true),
        Precompile(name: "BLS12381_DOUBLE", code: 0x0000_011F, a0: 0x1000, a1: 0x0,
                   writes: [(0x1000, "5e651d0d6bb1b110bccadc243227c9d36e4a04255b6b1292f7e086e66827cf361bbc2153996b88e9ee796eb97fb69d1161e82c2cabc925c4dffa2d3a5821545f5567b5afd696be666977c53e37c26061bc69aa3d1c56aedc54b5aed1504d4a11")], inputs: [], curveOrField: true),
        Precompile(name: "SECP256K1_DECOMPRESS", code: 0x0000_010C, a0: 0x1000, a1: 0x0,
                   writes: [(0x1000, "0000000000000000000000000000000000000000000000000000000000000000"),
                            (0x1020, "c37da4528ab4ccefb50c4a2042925efd28a630aa70a81fe453363ce98ebae41b")], inputs: [], curveOrField: true),
        Precompile(name: "SECP256R1_DECOMPRESS", code: 0x0000_012E, a0: 0x1000, a1: 0x0,
                   writes: [(0x1000, "0000000000000000000000000000000000000000000000000000000000000000"),
                            (0x1020, "2d857f71471bbe8969a25052cac5eea404dc59a7397573b1e632a1bbfbfe39dc")], inputs: [], curveOrField: true),
        Precompile(name: "BLS12381_DECOMPRESS", code: 0x0000_011C, a0: 0x1000, a1: 0x0,
                   writes: [(0x1000, "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"),
                            (0x1030, "4658d3ed14b9ebe5bec9d8e71fdc39812e1b72732edc1ac51d124c39f8b4e36131eb98e8753b613f97b0e54a9f1f8805")], inputs: [], curveOrField: true),
        Precompile(name: "ED_ADD", code: 0x0001_0107, a0: 0x1000, a1: 0x2000,
                   writes: [(0x1000, "c4420ee17fa3fdcef2ff87abb8befd008a09ac1e1b342c15703bc507eafe897c3224a19484cc1ad4de9817df009d32afd6a2136d5537700ecdc0bcb3a1e85742"),
                            (0x2000, "cf14d5bf0b04eb438693ca1986339bbf6e1f6e0225f1976581a0d8664423755765b2e16c29a6dc33d7928060a913533c4e4c681bf41ff631ae4b659c6285ac4b")], inputs: [], curveOrField: true),
        Precompile(name: "ED_DECOMPRESS", code: 0x0000_0108, a0: 0x1000, a1: 0x0,
                   writes: [(0x1000, "0000000000000000000000000000000000000000000000000000000000000000"),
                            (0x1020, "3224a19484cc1ad4de9817df009d32afd6a2136d5537700ecdc0bcb3a1e85742")], inputs: [], curveOrField: true),
        Precompile(name: "BN254_FP_ADD", code: 0x0001_0126, a0: 0x1000, a1: 0x2000,
                   writes: [(0x1000, "fd32ad88c1ba94e41aa64ab5774379ecbdfac11882180235b833607757134e28"),
                            (0x2000, "38923779c11c1ce444471fbf8fd7f2bb2b77fa32a354e8ed820111fbeb882a20")], inputs: [], curveOrField: true),
        Precompile(name: "BN254_FP2_ADD", code: 0x0001_0129, a0: 0x1000, a1: 0x2000,
                   writes: [(0x1000, "8acc0ddc5d5bab0595d8ab8b5bfdda57a2e84afbe9f66d38347264575dea8c01afbeb134f84dd7e95bc62c550fa9ad99b945ebb5b4cae4cbc8d7b593f099a209"),
                            (0x2000, "bc0d2650bc3b7d50f28e65dd32a272f889b6194d66cc3a8ce9aeeacd44aaee0b0ae313f12e54d9e323f66e01eb68a9e4e9405c622951e61be64ee1cd94eb7117")], inputs: [], curveOrField: true),
        Precompile(name: "BN254_FP_SUB", code: 0x0001_0127, a0: 0x1000, a1: 0x2000,
                   writes: [(0x1000, "3049f14bcf4a688528ad456bfbc9640a00784d07f35def9a7f2f99658334520b"),
                            (0x2000, "02bfc03d226edf7be5bf9aa1c4e0b6ff1cb394c918f4fbdd7734cea6f49fea1c")], inputs: [], curveOrField: true),
        Precompile(name: "BN254_FP2_SUB", code: 0x0001_012A, a0: 0x1000, a1: 0x2000,
                   writes: [(0x1000, "d58cf0d9b26c6a5ef75e52b925e847b558fbb2026684099c2c5ff48d8e6129063550a6533b33bf878c9ec02e4b87b2ab67d4a496e7382f4b225662a82821d02f"),
                            (0x2000, "b292112838d09f50caae4a891c4f9f3edaf1d9a7420df913c9f1e918ab79b113dd6e84f59edfa7f18cebda2b7e3eeef78a54fd79aa376068b3ba149c39d4a201")], inputs: [], curveOrField: true),
        Precompile(name: "BN254_FP_MUL", code: 0x0001_0128, a0: 0x1000, a1: 0x2000,
                   writes: [(0x1000, "6b9bc5bef09bd5575509ae6d3ea114c537c493bd97526971857ad2c4d4145228"),
                            (0x2000, "b341168947ae797d7a719b012ddb3f6f29fc14a72737cb7bcb82ae3d23f88f25")], inputs: [], curveOrField: true),
        Precompile(name: "BLS12381_FP_ADD", code: 0x0001_0120, a0: 0x1000, a1: 0x2000,
                   writes: [(0x1000, "84dd96fe989def68eb768253094f697edd2d5934ce911d8a5f7c1da3360f51e9a1cce04cdb6874c60215ba5a40bdc917"),
                            (0x2000, "20e5c300873d70d44658832da23d99eb630f4980a77cb0c5d96b28a2147df171ea504fd1daa5442aa8ed9008d647c316")], inputs: [], curveOrField: true),
        Precompile(name: "BLS12381_FP2_ADD", code: 0x0001_0123, a0: 0x1000, a1: 0x2000,
                   writes: [(0x1000, "594b998200ce85ebbb74d4b06282d5d3f612f2535ad52d60f2ea60201f2320f86ad5b70576d9345186992a2135a7a60aba5fdccf66f1e66b146f504ca2353e99604b5eb478922f0d74cd8f28f8a25dd74a6daf5b32115b56256a4132fe6bce08"),
                            (0x2000, "35cdb69af73eac783153762ba8cbce18213602405ebe3e3e088f66c3bcacd463e84d145fb2c69c431846905e48ecb20777111949779c0ee22e3fff86ff8ecefac078a85d1a9aedb0002f1004b041f523888a170318f3fdaafd7617c47edce804")], inputs: [], curveOrField: true),
        Precompile(name: "BLS12381_FP_SUB", code: 0x0001_0121, a0: 0x1000, a1: 0x2000,
                   writes: [(0x1000, "ea80dd2293c4e04d335f51a85c1b5f9a487ef6240b54bbabd52f022070e4d47212e919fb2eac28953eb55a48e2413c00"),
                            (0x2000, "aeac6102846ca090032d2fb8047aa34669bb628e4ea3b1e4923192ddb3fbd2800afe840234b517009892f68772cb3618")], inputs: [], curveOrField: true),
        Precompile(name: "BLS12381_FP2_SUB", code: 0x0001_0124, a0: 0x1000, a1: 0x2000,
                   writes: [(0x1000, "7172a39612b855656dbd13c9cafdd5be0117f93c19ccbafc795902e1fed250dae3e789fa5cb15f52360d7c90949c9901abd81b5859cd517794c1d0861d1b3da87c3e6e06128e7ec1c9c665fae170d54e2eaa30ab1c8e868511237575f534210b"),
                            (0x2000, "dd7e681f75732d2796db7ecc5781eaf9f686781854efd348534665dda66be5e28bf6e62c22f5488489ddd280d8803805af9273c377adb36b8b0421fde2d48bb2965e111fc741242f5f19e96f96e1642f318b3055e7b4297fca52d819e56e2b04")], inputs: [], curveOrField: true),
        Precompile(name: "BLS12381_FP_MUL", code: 0x0001_0122, a0: 0x1000, a1: 0x2000,
                   writes: [(0x1000, "f54f232196bb01234bd0613580c2497d9f313d35b738b14c5816cef3bb4a6be8376d2c318cdc2c60d449856fdbd2ad02"),
                            (0x2000, "31cae0c46f1f62f8947538978e78a193c2a66920612abdf52d3614be85ab83f15726199744cb15cfbb0468caa4ae8312")], inputs: [], curveOrField: true),
        Precompile(name: "BLS12381_FP2_MUL", code: 0x0001_0125, a0: 0x1000, a1: 0x2000,
                   writes: [(0x1000, "6bc5457410a769fcdd4c6a10f92949662bc93f8f7f60f37c2ab2377bdea5ef57e3c35a9aa424df7ebf4425e32b4bb0185f1c3357735312877c7905daedd3387863c20e684ba7b27c4e39627d570a6ddbaac4e262f9562cddecb53b51b9b46403"),
                            (0x2000, "32c7a878db7b8b1a23456b90afb40483b49f9395ffcbce5a99107e0dcc081dcbc3a7c13b3d71e27e2494ce188ce1830a704527f716a956c53b35cd33a1d05367f5126bb767bde2945ac99d66bbc20b8b1ebeea26a990d53100cb37c149a58406")], inputs: [], curveOrField: true),
    ]
    let callsPerIteration = quick ? 2_000 : 20_000
    let curveCallsPerIteration = quick ? 200 : 2_000
    for p in precompiles {
        let machine = try! SyscallMachine()
        for item in p.inputs { machine.pushInput(item) }
        for (address, hex) in p.writes { try! machine.write(BenchHex.bytes(hex), at: address) }
        try! machine.syscall(p.code, a0: p.a0, a1: p.a1)  // must succeed before it is timed
        let calls = p.curveOrField ? curveCallsPerIteration : callsPerIteration
        Benchmark("precompile-\(p.name)",
                  configuration: .init(metrics: [.wallClock, Metric.callsPerSecond, Metric.nsPerRun],
                                       maxIterations: quick ? 5 : 30)) { benchmark in
            for _ in benchmark.scaledIterations {
                let clock = ContinuousClock(), start = clock.now
                for _ in 0..<calls { try machine.syscall(p.code, a0: p.a0, a1: p.a1) }
                let ns = nanoseconds(clock.now - start)
                benchmark.measurement(Metric.callsPerSecond, Int((Double(calls) * 1e9 / Double(ns)).rounded()))
                benchmark.measurement(Metric.nsPerRun, Int((Double(ns) / Double(calls)).rounded()))
            }
        }
    }

    // MARK: OpenSSL's equivalents of the curve and field precompiles (NativeCrypto/native_ec.h), in the
    // same run: native_ec-<curve>-<op>, each call on the previous one's result. The report sets them
    // beside the precompile rows (ratio = syscall ns / OpenSSL ns; the syscall rows include the
    // harness's HINT_LEN_baseline, OpenSSL's rows are a C loop).
    let nativeCurves: [(String, native_ec_curve)] = [("secp256k1", NATIVE_EC_SECP256K1), ("secp256r1", NATIVE_EC_SECP256R1),
                                                     ("bn254", NATIVE_EC_BN254), ("bls12381", NATIVE_EC_BLS12381)]
    let nativeOps: [(String, native_ec_op)] = [("add", NATIVE_EC_ADD), ("dbl", NATIVE_EC_DBL), ("add_affine", NATIVE_EC_ADD_AFFINE),
                                               ("dbl_affine", NATIVE_EC_DBL_AFFINE), ("field_mul", NATIVE_EC_FIELD_MUL),
                                               ("field_add", NATIVE_EC_FIELD_ADD), ("field_inv", NATIVE_EC_FIELD_INV),
                                               ("decompress", NATIVE_EC_DECOMPRESS)]
    /// One OpenSSL context per curve, kept for the whole run.
    final class NativeCurve: @unchecked Sendable {
        let ctx: OpaquePointer
        init(_ ctx: OpaquePointer) { self.ctx = ctx }
    }
    for (curveName, curve) in nativeCurves {
        guard let ctx = native_ec_create(curve).map(NativeCurve.init) else {
            print("native_ec-\(curveName): OpenSSL could not build the curve; rows skipped")
            continue
        }
        for (opName, op) in nativeOps {
            precondition(native_ec_run(ctx.ctx, op, 1) == 0, "native_ec-\(curveName)-\(opName) failed")
            Benchmark("native_ec-\(curveName)-\(opName)",
                      configuration: .init(metrics: [.wallClock, Metric.callsPerSecond, Metric.nsPerRun],
                                           maxIterations: quick ? 5 : 30)) { benchmark in
                for _ in benchmark.scaledIterations {
                    let clock = ContinuousClock(), start = clock.now
                    precondition(native_ec_run(ctx.ctx, op, UInt32(curveCallsPerIteration)) == 0)
                    let ns = nanoseconds(clock.now - start)
                    benchmark.measurement(Metric.callsPerSecond, Int((Double(curveCallsPerIteration) * 1e9 / Double(ns)).rounded()))
                    benchmark.measurement(Metric.nsPerRun, Int((Double(ns) / Double(curveCallsPerIteration)).rounded()))
                }
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
