import CZKVM
import Foundation

/// Where every cycle of a run went: each retired instruction's cycles are attributed to the guest
/// function that executed it, on the call stack it executed on (`Program.profile`).
///
/// The run is the engine's own, on the interpreter, one basic block per loop call: its cycles,
/// outputs and failure are exactly those of `execute` (`result`), and the self cycles of all
/// functions add up to the run's cycle count. Functions come from the ELF's symbol table (an
/// instruction belongs to the last symbol at or below it); a stripped ELF is profiled by address
/// ranges starting at its call targets, named `sub_<address>` (`note` says so). The call stack is
/// a shadow stack: a JAL or JALR writing `ra` calls (a frame for the function of its target), a
/// `jalr x0, 0(ra)` returns, and running into another function without a call (a tail call)
/// replaces the current frame. A syscall's cycles (SP1: its ECALL; RISC Zero: also its extra user
/// cycles) count for the function that made it and are listed again in `syscalls`.
public struct Profile: Sendable {
    /// A function that ran.
    public struct Function: Sendable, Equatable {
        public let name: String
        /// Its start address (nil for code below the first symbol).
        public let address: UInt64?
        /// Cycles of the instructions it executed itself.
        public let selfCycles: UInt64
        /// Cycles while it was on the stack (itself and everything it called; recursion counted once).
        public let inclusiveCycles: UInt64
        /// Calls into it (JAL/JALR writing ra); the function the run started in has 0.
        public let calls: UInt64
    }

    /// A frame of the calling-context tree: one function reached along one path of calls.
    public struct Frame: Sendable, Equatable {
        public let parent: Int?
        /// Index into `functions`.
        public let function: Int
        public let selfCycles: UInt64
        public let calls: UInt64
    }

    /// A syscall as one function called it (over all its calling contexts).
    public struct Syscall: Sendable, Equatable {
        public let name: String
        public let code: UInt32
        public let caller: String
        public let calls: UInt64
        /// Cycles of its ECALLs, extra cycles included (part of the caller's self cycles).
        public let cycles: UInt64
    }

    /// Every function that ran, by self cycles (most first).
    public let functions: [Function]
    public let frames: [Frame]
    /// By cycles (most first).
    public let syscalls: [Syscall]
    /// The sum of all self cycles: the run's cycle count. For a failed run, the cycles of the
    /// instructions that ran; after `.cycleLimitExceeded` that includes the rest of the basic block
    /// that crossed the limit (the engine checks the limit once per block and reports the limit).
    public let totalCycles: UInt64
    /// The run itself, as `execute` would have returned it.
    public let result: Result<Execution, ExecutionError>
    /// How functions were told apart when the ELF has no symbols; nil otherwise.
    public let note: String?
    /// The pcs of the last instructions (`traceTail` of them), oldest first; after a fault the
    /// last one is the instruction that failed.
    public let trace: [UInt64]
    /// True if the profiler ran out of memory (the counts are then partial).
    public let incomplete: Bool
    /// Wall time of the profiled run.
    public let wallTime: Duration

    /// Each calling context with cycles of its own: the function names from the outermost frame
    /// in, and the cycles spent there.
    public func stacks() -> [(frames: [String], cycles: UInt64)] {
        var paths: [[String]] = []
        paths.reserveCapacity(frames.count)
        var out: [(frames: [String], cycles: UInt64)] = []
        for frame in frames {
            let path = (frame.parent.map { paths[$0] } ?? []) + [functions[frame.function].name]
            paths.append(path)
            if frame.selfCycles > 0 { out.append((path, frame.selfCycles)) }
        }
        return out
    }

    /// Flame-graph "folded stacks": one `outer;inner;leaf cycles` line per calling context (names
    /// with `;` or whitespace have them replaced by `_`), for flamegraph.pl, inferno or speedscope.
    public func folded() -> String {
        stacks().map { stack in
            stack.frames.map(Self.foldedName).joined(separator: ";") + " \(stack.cycles)"
        }.joined(separator: "\n") + "\n"
    }

    private static func foldedName(_ name: String) -> String {
        String(name.map { $0 == ";" || $0.isWhitespace ? "_" : $0 })
    }

    /// The profile in speedscope's file format (https://www.speedscope.app/file-format-schema.json):
    /// one `sampled` profile whose samples are the calling contexts and whose weights are their
    /// cycles, unit "none" (cycles).
    public func speedscopeJSON(name: String) -> Data {
        let stacks = stacks()
        let document: [String: Any] = [
            "$schema": "https://www.speedscope.app/file-format-schema.json",
            "shared": ["frames": functions.map { ["name": $0.name] }],
            "profiles": [[
                "type": "sampled", "name": name, "unit": "none", "startValue": 0, "endValue": totalCycles,
                "samples": frames.enumerated().compactMap { index, frame -> [Int]? in
                    frame.selfCycles > 0 ? path(of: index) : nil
                },
                "weights": stacks.map(\.cycles),
            ] as [String: Any]],
            "name": name, "activeProfileIndex": 0, "exporter": "zkvm profile",
        ]
        return try! JSONSerialization.data(withJSONObject: document, options: [.sortedKeys])
    }

    /// Function indices from the outermost frame to `frame`.
    private func path(of frame: Int) -> [Int] {
        var out: [Int] = []
        var at: Int? = frame
        while let i = at {
            out.append(frames[i].function)
            at = frames[i].parent
        }
        return out.reversed()
    }
}

/// The raw profile of one run, filled by `Executor.run`.
final class ProfileCapture {
    let starts: [UInt64]
    let traceTail: Int
    var nodes: [zkvm_profile_node] = []
    var syscalls: [zkvm_profile_syscall] = []
    var trace: [UInt64] = []
    var total: UInt64 = 0
    var incomplete = false

    init(starts: [UInt64], traceTail: Int) {
        self.starts = starts
        self.traceTail = traceTail
    }

    func absorb(_ raw: zkvm_profile) {
        if let p = raw.nodes { nodes = Array(UnsafeBufferPointer(start: p, count: raw.node_count)) }
        if let p = raw.syscalls { syscalls = Array(UnsafeBufferPointer(start: p, count: raw.syscall_count)) }
        if let p = raw.trace { trace = Array(UnsafeBufferPointer(start: p, count: raw.trace_count)) }
        total = raw.total_cycles
        incomplete = raw.incomplete != 0
    }
}

extension Program {
    /// Runs the program as `execute` does, on the interpreter, and attributes every retired
    /// instruction to the guest function that executed it (`Profile`). Slower than `execute`
    /// (each basic block returns to the driver); a normal run never pays for it.
    /// - `traceTail`: keep the pcs of the last this many instructions (`Profile.trace`).
    public func profile(stdin: [[UInt8]], maxCycles: UInt64, limits: ExecutionLimits = .default,
                        randomSeed: [UInt8]? = nil, traceTail: Int = 0) -> Profile {
        precondition(randomSeed.map { $0.count == 32 } ?? true, "the random seed is 32 bytes")
        let table = functionTable()
        let capture = ProfileCapture(starts: table.starts, traceTail: max(0, traceTail))
        let clock = ContinuousClock()
        let start = clock.now
        let result = Result { () throws(ExecutionError) -> Execution in
            try ArenaPool.shared.withArena { arena throws(ExecutionError) in
                try Executor.run(self, arena: arena, stdin: stdin, maxCycles: maxCycles, limits: limits,
                                 randomSeed: randomSeed ?? [UInt8](repeating: 0, count: 32), engine: .interpreter,
                                 profile: capture)
            }
        }
        let wall = clock.now - start

        // Functions that ran, keyed by the C core's index (table.names.count: below every start).
        var index: [UInt32: Int] = [:]
        var raw: [(name: String, address: UInt64?)] = []
        func functionIndex(_ f: UInt32) -> Int {
            if let i = index[f] { return i }
            let i = raw.count
            index[f] = i
            raw.append(Int(f) < table.names.count ? (table.names[Int(f)], table.starts[Int(f)]) : ("[unknown]", nil))
            return i
        }
        let frames = capture.nodes.map { node in
            Profile.Frame(parent: node.parent < 0 ? nil : Int(node.parent), function: functionIndex(node.function),
                          selfCycles: node.self_cycles, calls: node.calls)
        }
        // Subtree totals (parents precede children), then inclusive cycles per function: the
        // subtrees of its outermost frames.
        var subtree = frames.map(\.selfCycles)
        for i in frames.indices.reversed() { if let p = frames[i].parent { subtree[p] += subtree[i] } }
        var selfCycles = [UInt64](repeating: 0, count: raw.count), inclusive = selfCycles, calls = selfCycles
        for (i, frame) in frames.enumerated() {
            selfCycles[frame.function] += frame.selfCycles
            calls[frame.function] += frame.calls
            var outermost = true
            var at = frame.parent
            while let p = at {
                if frames[p].function == frame.function { outermost = false; break }
                at = frames[p].parent
            }
            if outermost { inclusive[frame.function] += subtree[i] }
        }
        let functions = raw.indices.map { i in
            Profile.Function(name: raw[i].name, address: raw[i].address, selfCycles: selfCycles[i],
                             inclusiveCycles: inclusive[i], calls: calls[i])
        }
        // Sorted by self cycles; frames renumbered to match.
        let order = functions.indices.sorted { (functions[$0].selfCycles, functions[$1].address ?? 0) > (functions[$1].selfCycles, functions[$0].address ?? 0) }
        var position = [Int](repeating: 0, count: order.count)
        for (newIndex, old) in order.enumerated() { position[old] = newIndex }
        let sortedFrames = frames.map {
            Profile.Frame(parent: $0.parent, function: position[$0.function], selfCycles: $0.selfCycles, calls: $0.calls)
        }
        // Syscalls by (code, calling function), over all calling contexts.
        var byCaller: [String: Profile.Syscall] = [:]
        for use in capture.syscalls {
            let caller = functions[frames[Int(use.node)].function].name
            let key = "\(use.code) \(caller)"
            let old = byCaller[key]
            byCaller[key] = Profile.Syscall(name: syscallName(use.code), code: use.code, caller: caller,
                                            calls: (old?.calls ?? 0) + use.calls, cycles: (old?.cycles ?? 0) + use.cycles)
        }
        let syscalls = byCaller.values.sorted { ($0.cycles, $1.name, $1.caller) > ($1.cycles, $0.name, $0.caller) }
        return Profile(functions: order.map { functions[$0] }, frames: sortedFrames, syscalls: syscalls,
                       totalCycles: capture.total, result: result, note: table.note, trace: capture.trace,
                       incomplete: capture.incomplete, wallTime: wall)
    }

    /// The name of a syscall code under this program's ABI.
    func syscallName(_ code: UInt32) -> String {
        if vm == .risc0 {
            return ["HALT", "INPUT", "SOFTWARE", "SHA", "BIGINT", "USER", "BIGINT2"].indices.contains(Int(code))
                ? ["HALT", "INPUT", "SOFTWARE", "SHA", "BIGINT", "USER", "BIGINT2"][Int(code)] : "ecall 0x\(String(code, radix: 16))"
        }
        return zkvm_syscall_name(code).map { String(cString: $0) } ?? "syscall 0x\(String(code, radix: 16))"
    }

    /// Function starts and names for the profiler: the symbol table, or for a stripped ELF the
    /// entry and every static call target (JAL writing ra) in the executable segments.
    func functionTable() -> (starts: [UInt64], names: [String], note: String?) {
        if !symbols.isEmpty { return (symbols.map(\.address), symbols.map(\.name), nil) }
        var starts: Set<UInt64> = [entry]
        for segment in segments where segment.executable {
            var pc = segment.address & ~3
            while pc + 4 <= segment.address + segment.memorySize, let word = word(at: pc) {
                if word & 0x7f == 0x6f && (word >> 7) & 31 == 1 {  // JAL ra, offset
                    let imm = (word >> 31) << 20 | ((word >> 12) & 0xff) << 12 | ((word >> 20) & 1) << 11 | ((word >> 21) & 0x3ff) << 1
                    let offset = Int64(Int32(bitPattern: imm << 11) >> 11)
                    starts.insert(UInt64(bitPattern: Int64(bitPattern: pc) &+ offset) & (isa == .rv32im ? 0xffff_ffff : .max))
                }
                pc += 4
            }
        }
        let sorted = starts.sorted()
        return (sorted, sorted.map { "sub_\(String($0, radix: 16))" },
                "the ELF has no symbol table: functions are address ranges from its entry and call targets (sub_<address>)")
    }
}
