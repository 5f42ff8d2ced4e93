import CZKVM

/// Output caps for one run (0 in the C layer means "default").
public struct ExecutionLimits: Sendable {
    /// Public values above this fail the run.
    public var maxPublicValuesBytes: Int = 64 << 20
    /// stdout and stderr are each captured up to this many bytes, then truncated.
    public var maxLogBytes: Int = 1 << 20
    /// Bytes a guest may push into its own input stream (hints, hook results).
    public var maxHintBytes: Int = 256 << 20
    /// Memory one execution may commit (guest pages it touches, 4 KiB each, and host buffers),
    /// whatever the ISA: an RV64 guest addresses 2^40 bytes, all of it reserved but none committed
    /// until touched.
    public var maxMemoryBytes: UInt64 = 4 << 30
    /// A run still going after this long fails with `.timeLimitExceeded` (checked between chunks
    /// of 2^18 cycles and every 64 syscalls); nil: no limit. A host-side backstop, not part of the
    /// program's semantics: whether it triggers depends on the machine.
    public var maxWallTime: Duration? = nil
    /// The work budget: units of host work the run's syscalls may cost (precompiles and hooks by
    /// their measured cost, I/O by length; one unit is about one interpreted instruction), past
    /// which the run fails with `.workLimitExceeded` — deterministically, unlike `maxWallTime`.
    /// nil: the default for the run's max_cycles, `ExecutionLimits.defaultMaxWork(maxCycles:)`;
    /// `.max`: no budget. The cycle count never depends on it.
    public var maxWork: UInt64? = nil

    public init(maxPublicValuesBytes: Int = 64 << 20, maxLogBytes: Int = 1 << 20, maxHintBytes: Int = 256 << 20,
                maxMemoryBytes: UInt64 = 4 << 30, maxWallTime: Duration? = nil, maxWork: UInt64? = nil) {
        self.maxPublicValuesBytes = maxPublicValuesBytes
        self.maxLogBytes = maxLogBytes
        self.maxHintBytes = maxHintBytes
        self.maxMemoryBytes = maxMemoryBytes
        self.maxWallTime = maxWallTime
        self.maxWork = maxWork
    }

    public static let `default` = ExecutionLimits()

    /// Work units per cycle of max_cycles in the default budget (`ZKVM_WORK_PER_CYCLE`).
    public static let workPerCycle = UInt64(ZKVM_WORK_PER_CYCLE)
    /// Work units every run's default budget allows whatever its max_cycles (`ZKVM_WORK_BASE`).
    public static let workBase = UInt64(ZKVM_WORK_BASE)

    /// The default work budget of a run with `maxCycles`: `workBase + workPerCycle × maxCycles`,
    /// saturating at `.max` (no budget).
    public static func defaultMaxWork(maxCycles: UInt64) -> UInt64 { zkvm_default_max_work(maxCycles) }
}

/// The execution tier that runs a program's instructions. Both tiers give identical results:
/// cycles, outputs, exit codes, every failure with its message and pc, and cycle-limit behaviour.
public enum Engine: String, Sendable, CaseIterable, CustomStringConvertible {
    /// The JIT where it is available (x86-64 hosts), for programs already translated and for runs
    /// long enough to pay for a translation (those start on the interpreter and switch); else the
    /// interpreter.
    case auto
    /// The threaded interpreter only.
    case interpreter
    /// The JIT from the first instruction (translating the program first if needed); where it is
    /// unavailable the interpreter runs and `Execution.engineNote` says why.
    case jit

    public var description: String { rawValue }

    var cValue: zkvm_engine {
        switch self {
        case .auto: ZKVM_ENGINE_AUTO
        case .interpreter: ZKVM_ENGINE_INTERPRETER
        case .jit: ZKVM_ENGINE_JIT
        }
    }

    init(ran value: zkvm_engine) { self = value == ZKVM_ENGINE_JIT ? .jit : .interpreter }
}

/// How a successful run ended.
public enum ExitStatus: Sendable, Equatable, CustomStringConvertible {
    /// SP1 HALT(0); RISC Zero `Halted(code)` (halt type TERMINATE, any user exit code).
    case halted(UInt32)
    /// RISC Zero `Paused(code)` (halt type PAUSE): a successful end too.
    case paused(UInt32)

    public var code: UInt32 {
        switch self {
        case .halted(let c), .paused(let c): c
        }
    }

    public var description: String {
        switch self {
        case .halted(let c): "Halted(\(c))"
        case .paused(let c): "Paused(\(c))"
        }
    }
}

/// A successful run.
public struct Execution: Sendable {
    /// The program's output: SP1's public-values stream, or RISC Zero's journal (the guest's fd-3
    /// bytes, empty when it halted with a zero output digest). Also `journal`.
    public let publicValues: [UInt8]
    /// SP1: instructions executed (unconstrained blocks count zero). RISC Zero: user cycles.
    public let cycles: UInt64
    /// The exit code: SP1's HALT code (always 0 on SP1 v3–v5, where a non-zero one fails the run;
    /// SP1 v6 reports any code here, and only 0 is a successful program), RISC Zero's user exit code.
    public let exitCode: UInt32
    /// Halted or paused, with the exit code.
    public let exit: ExitStatus
    /// RISC Zero: the 32-byte output digest the guest halted with (nil for SP1 programs).
    public let outputDigest: [UInt8]?
    public let stdout: String
    public let stderr: String
    /// Whether the guest committed SHA-256(public values) as SP1 guests do (checked by the engine).
    public let digestCommitted: Bool
    public let wallTime: Duration
    /// The tier that ran the instructions: `.jit` if the JIT ran any of them, else `.interpreter`.
    public internal(set) var engine: Engine = .interpreter
    /// Why the JIT did not run when it was asked for (nil otherwise).
    public internal(set) var engineNote: String? = nil
    /// Time this run spent translating the program for the JIT (zero if it was translated before),
    /// included in `wallTime`.
    public internal(set) var jitTranslationTime: Duration = .zero
    /// Units of host work the run's syscalls were charged (`ExecutionLimits.maxWork`): the same on
    /// every machine and tier.
    public internal(set) var work: UInt64 = 0
    /// The regions the guest marked with SP1's cycle tracker (`CycleRegion`), in the order each was
    /// first started; empty when it marked none.
    public internal(set) var cycleRegions: [CycleRegion] = []
    /// True when the guest marked more regions than the engine keeps (4,096 rows, 1,024 open at
    /// once, names up to 256 bytes): later ones are missing from `cycleRegions`.
    public internal(set) var cycleRegionsTruncated = false

    /// SP1's `ExecutionReport.cycle_tracker` and `invocation_tracker`: for every name ended with
    /// `cycle-tracker-report-end`, its summed cycles and its count, wherever it was nested.
    public var cycleTrackerReport: [String: (cycles: UInt64, invocations: UInt64)] {
        var report: [String: (cycles: UInt64, invocations: UInt64)] = [:]
        for region in cycleRegions where region.reportHits > 0 {
            let old = report[region.name] ?? (0, 0)
            report[region.name] = (old.cycles + region.reportCycles, old.invocations + region.reportHits)
        }
        return report
    }

    /// The output under RISC Zero's name: the journal.
    public var journal: [UInt8] { publicValues }

    /// `publicValues` as lowercase hex, no prefix.
    public var publicValuesHex: String { publicValues.hexString }

    /// `wallTime` in seconds.
    public var wallSeconds: Double {
        Double(wallTime.components.seconds) + Double(wallTime.components.attoseconds) * 1e-18
    }

    /// Millions of cycles (SP1: guest instructions; RISC Zero: user cycles) per second of wall time.
    public var mips: Double { wallSeconds > 0 ? Double(cycles) / wallSeconds / 1e6 : 0 }
}

/// A region of a guest's run marked with SP1's cycle tracker: the guest writes
/// `cycle-tracker-start: NAME` and `cycle-tracker-end: NAME` lines to stdout (fd 1) around it
/// (Rust: `println!`; the C SDK: `ZKVM_CYCLE_START("NAME")` / `ZKVM_CYCLE_END("NAME")`), or the
/// `cycle-tracker-report-start` / `-report-end` pair, whose totals SP1's host reads back
/// (`Execution.cycleTrackerReport`).
///
/// A region's cycles, as SP1 counts them, are the run's cycle count before the end marker's WRITE
/// minus the count before the start marker's WRITE (SP1: instructions; RISC Zero: user cycles). A
/// region is a row per name *and* enclosing region: a name started while another region is open is
/// nested under it, and every hit of the same name in the same place adds to one row. SP1 v3–v5
/// consume the marker writes (they are not in `stdout`); SP1 v6's and RISC Zero's executors print
/// them like any line, and so does the engine. The markers never change the run itself: its
/// cycles, work and outputs are the same as without the tracker.
public struct CycleRegion: Sendable, Equatable, CustomStringConvertible {
    public let name: String
    /// Index of the enclosing region in `Execution.cycleRegions`, nil at the top.
    public let parent: Int?
    /// 0 at the top, 1 inside one region, …
    public let depth: Int
    /// The cycles of every completed hit, summed.
    public let cycles: UInt64
    /// Completed start/end pairs (0: started, never ended).
    public let hits: UInt64
    /// The part of `cycles` and `hits` ended by `cycle-tracker-report-end`.
    public let reportCycles: UInt64
    public let reportHits: UInt64

    public init(name: String, parent: Int?, depth: Int, cycles: UInt64, hits: UInt64, reportCycles: UInt64 = 0,
                reportHits: UInt64 = 0) {
        self.name = name
        self.parent = parent
        self.depth = depth
        self.cycles = cycles
        self.hits = hits
        self.reportCycles = reportCycles
        self.reportHits = reportHits
    }

    public var description: String { "\(String(repeating: "  ", count: depth))\(name): \(cycles) cycles, \(hits) hits" }

    static func read(_ result: zkvm_result) -> [CycleRegion] {
        guard let rows = result.regions, result.region_count > 0 else { return [] }
        return (0..<result.region_count).map { i in
            let r = rows[i]
            return CycleRegion(name: r.name.map { String(cString: $0) } ?? "", parent: r.parent < 0 ? nil : Int(r.parent),
                               depth: Int(r.depth), cycles: r.cycles, hits: r.hits, reportCycles: r.report_cycles,
                               reportHits: r.report_hits)
        }
    }
}

/// What a run leaves behind besides its result, for differential tests: x0..x31 (zero-extended)
/// and a copy of a range of guest memory.
struct FinalState: Equatable {
    var registers: [UInt64] = []
    var memory: [UInt8] = []
}

/// A flag that stops the executions given it: after `raise()` (from any thread), each fails with
/// `ExecutionError.Kind.interrupted` within about a millisecond of plain code or 64 syscalls. One
/// interrupt may serve many executions (a node raises one at shutdown); raising is permanent.
public final class ExecutionInterrupt: @unchecked Sendable {  // the flag is a C atomic
    let handle: OpaquePointer

    public init() {
        guard let handle = zkvm_interrupt_create() else { fatalError("out of memory allocating an interrupt flag") }
        self.handle = handle
    }

    deinit { zkvm_interrupt_free(handle) }

    public func raise() { zkvm_interrupt_raise(handle) }
    public var isRaised: Bool { zkvm_interrupt_raised(handle) != 0 }
}

enum Executor {
    static func run(_ program: Program, arena: OpaquePointer, stdin: [[UInt8]], maxCycles: UInt64,
                    limits: ExecutionLimits, randomSeed: [UInt8], engine: Engine = .auto,
                    interrupt: ExecutionInterrupt? = nil, capture: (address: UInt64, count: Int)? = nil, state: UnsafeMutablePointer<FinalState>? = nil,
                    profile: ProfileCapture? = nil, debug: DebugHook? = nil)
        throws(ExecutionError) -> Execution
    {
        // One contiguous copy of the items keeps every pointer valid for the whole call.
        let flat = stdin.flatMap { $0 }
        var options = zkvm_exec_options()
        options.max_cycles = maxCycles
        options.max_public_values_bytes = limits.maxPublicValuesBytes
        options.max_log_bytes = limits.maxLogBytes
        options.max_hint_bytes = limits.maxHintBytes
        options.max_memory_bytes = limits.maxMemoryBytes
        if let wall = limits.maxWallTime {
            let (seconds, attoseconds) = wall.components
            let ns = Double(seconds) * 1e9 + Double(attoseconds) / 1e9
            options.max_wall_ns = ns >= Double(UInt64.max) ? .max : UInt64(max(1, ns))  // 0 would mean "none"
        }
        if let work = limits.maxWork { options.max_work = max(1, work) }  // 0 would mean "the default"
        options.interrupt = interrupt?.handle
        withUnsafeMutableBytes(of: &options.random_seed) { $0.copyBytes(from: randomSeed) }
        options.engine = engine.cValue
        var registers = [UInt64](repeating: 0, count: state == nil ? 0 : 32)
        var memory = [UInt8](repeating: 0, count: state == nil ? 0 : capture?.count ?? 0)
        var result = zkvm_result()
        let clock = ContinuousClock()
        let start = clock.now
        registers.withUnsafeMutableBufferPointer { regs in
            memory.withUnsafeMutableBufferPointer { mem in
                if state != nil {
                    options.final_regs = regs.baseAddress
                    if let capture, let base = mem.baseAddress {
                        options.snapshot_addr = capture.address
                        options.snapshot_len = UInt64(capture.count)
                        options.snapshot = base
                    }
                }
                flat.withUnsafeBufferPointer { buf in
                    var offset = 0
                    let items = stdin.map { item -> zkvm_bytes in
                        defer { offset += item.count }
                        return zkvm_bytes(data: buf.baseAddress.map { $0 + offset }, len: item.count)
                    }
                    items.withUnsafeBufferPointer { itemBuf in
                        withExtendedLifetime(interrupt) {
                            if let profile {
                                var raw = zkvm_profile()
                                profile.starts.withUnsafeBufferPointer { starts in
                                    var profileOptions = zkvm_profile_options(
                                        function_starts: starts.baseAddress, function_count: starts.count,
                                        trace_tail: profile.traceTail)
                                    _ = zkvm_profile_execute(program.handle, arena, itemBuf.baseAddress, itemBuf.count,
                                                             &options, &profileOptions, &result, &raw)
                                }
                                profile.absorb(raw)
                                zkvm_profile_free(&raw)
                            } else if let debug {
                                var debugOptions = zkvm_debug_options(callback: DebugHook.callback,
                                                                      context: Unmanaged.passUnretained(debug).toOpaque(),
                                                                      poll: debug.poll == nil ? nil : DebugHook.pollCallback)
                                withExtendedLifetime(debug) {
                                    _ = zkvm_debug_execute(program.handle, arena, itemBuf.baseAddress, itemBuf.count,
                                                           &options, &debugOptions, &result)
                                }
                            } else {
                                _ = zkvm_execute(program.handle, arena, itemBuf.baseAddress, itemBuf.count, &options, &result)
                            }
                        }
                    }
                }
                options.final_regs = nil
                options.snapshot = nil
            }
        }
        let wallTime = clock.now - start
        defer { zkvm_result_free(&result) }
        state?.pointee = FinalState(registers: registers, memory: memory)
        let ran = Engine(ran: result.engine)
        let note = string(fromCharArray: result.engine_note)
        let translation = Duration.nanoseconds(Int64(clamping: result.jit_translate_ns))

        let publicValues = bytes(result.public_values, result.public_values_len)
        let stdout = String(decoding: bytes(result.stdout_data, result.stdout_len), as: UTF8.self)
        let stderr = String(decoding: bytes(result.stderr_data, result.stderr_len), as: UTF8.self)
        guard result.status == ZKVM_OK else {
            let message = string(fromCharArray: result.message)
            let kind = ExecutionError.kind(of: result.status)
            let hasAddress = kind == .memoryAccess || kind == .invalidJump || result.addr != 0
            var error = ExecutionError(kind: kind, message: message, pc: result.pc,
                                       cycles: result.cycles, exitCode: result.exit_code,
                                       address: hasAddress ? result.addr : nil,
                                       word: result.word == 0 ? nil : result.word,
                                       publicValues: publicValues, stdout: stdout, stderr: stderr)
            error.engine = ran
            error.work = result.work
            throw error
        }
        let exit: ExitStatus = result.exit_kind == ZKVM_EXIT_PAUSED.rawValue ? .paused(result.exit_code)
            : .halted(result.exit_code)
        let outputDigest = program.vm == .risc0 ? withUnsafeBytes(of: result.output_digest) { Array($0) } : nil
        var execution = Execution(publicValues: publicValues, cycles: result.cycles, exitCode: result.exit_code,
                                  exit: exit, outputDigest: outputDigest, stdout: stdout, stderr: stderr,
                                  digestCommitted: result.digest_committed != 0, wallTime: wallTime)
        execution.engine = ran
        execution.engineNote = note.isEmpty ? nil : note
        execution.jitTranslationTime = translation
        execution.work = result.work
        execution.cycleRegions = CycleRegion.read(result)
        execution.cycleRegionsTruncated = result.regions_truncated != 0
        return execution
    }

    private static func bytes(_ pointer: UnsafeMutablePointer<UInt8>?, _ count: Int) -> [UInt8] {
        guard let pointer, count > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: pointer, count: count))
    }
}
