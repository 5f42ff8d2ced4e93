import CZKVM

/// Why a debug run stopped (`Program.debug`). The instruction at `DebugMachine.pc` has not run.
public enum DebugEvent: Sendable, Equatable {
    /// Before the first instruction.
    case entry
    /// One instruction ran (the handler answered `.step`).
    case stepped
    /// pc reached a breakpoint.
    case breakpoint
    /// The run failed at pc (`DebugMachine.failure`); it ends when the handler returns.
    case fault
    /// `poll` asked for a stop.
    case interrupted
}

/// How a debug run goes on from a stop.
public enum DebugAction: Sendable, Equatable {
    /// Until a breakpoint, a failure or the end.
    case `continue`
    /// One instruction.
    case step
    /// End the run now: it fails with `.interrupted`.
    case kill
    /// To the end, without further stops.
    case detach
}

/// The machine of a debug run while it is stopped: registers, pc, guest memory and breakpoints.
/// Valid only inside the handler call that receives it.
public struct DebugMachine {
    let raw: OpaquePointer

    /// The register width in bits: 32 (SP1 v3-v5, RISC Zero) or 64 (SP1 v6).
    public var xlen: Int { Int(zkvm_debug_xlen(raw)) }
    /// The next instruction (at `.fault`, the one that failed).
    public var pc: UInt64 { zkvm_debug_pc(raw) }
    /// Cycles completed so far.
    public var cycles: UInt64 { zkvm_debug_cycles(raw) }

    /// Moves pc; false (nothing changed) when `address` is not an instruction of the program's text.
    public func setPC(_ address: UInt64) -> Bool { zkvm_debug_set_pc(raw, address) == 0 }

    /// x`index` (0 ..< 32), zero-extended on RV32.
    public func register(_ index: Int) -> UInt64 {
        precondition((0..<32).contains(index), "registers are x0 ... x31")
        return zkvm_debug_reg(raw, UInt32(index))
    }

    /// Sets x`index` (truncated on RV32); writes to x0 are ignored.
    public func setRegister(_ index: Int, _ value: UInt64) {
        precondition((0..<32).contains(index), "registers are x0 ... x31")
        zkvm_debug_set_reg(raw, UInt32(index), value)
    }

    /// `count` bytes of guest memory at `address`, or nil when the range is not inside the guest window.
    public func read(_ address: UInt64, count: Int) -> [UInt8]? {
        guard count >= 0 else { return nil }
        var out = [UInt8](repeating: 0, count: count)
        let ok = out.withUnsafeMutableBytes { zkvm_debug_read(raw, address, $0.baseAddress, count) == 0 }
        return ok ? out : nil
    }

    /// Writes guest memory; false when the range is not inside the guest window. Data only: the
    /// program's code was decoded when it was loaded, so writing over it changes no instruction.
    public func write(_ address: UInt64, _ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { zkvm_debug_write(raw, address, $0.baseAddress, bytes.count) == 0 }
    }

    /// Sets or clears a breakpoint; false when `address` is not an instruction of the program's text.
    @discardableResult
    public func setBreakpoint(_ address: UInt64, _ on: Bool = true) -> Bool {
        zkvm_debug_set_breakpoint(raw, address, on ? 1 : 0) == 0
    }

    /// At `.fault`: what failed (kind and message); nil at other stops.
    public var failure: (kind: ExecutionError.Kind, message: String)? {
        var message: UnsafePointer<CChar>?
        let status = zkvm_debug_status(raw, &message)
        guard status != ZKVM_OK else { return nil }
        return (ExecutionError.kind(of: status), message.map { String(cString: $0) } ?? "")
    }
}

/// The handler of one debug run, reached from the C core's callback.
final class DebugHook {
    let handler: (DebugEvent, DebugMachine) -> DebugAction
    let poll: (() -> Bool)?

    init(_ handler: @escaping (DebugEvent, DebugMachine) -> DebugAction, poll: (() -> Bool)?) {
        self.handler = handler
        self.poll = poll
    }

    static let pollCallback: @convention(c) (UnsafeMutableRawPointer?) -> Int32 = { context in
        Unmanaged<DebugHook>.fromOpaque(context!).takeUnretainedValue().poll?() == true ? 1 : 0
    }

    static let callback: zkvm_debug_callback = { context, event, machine in
        let hook = Unmanaged<DebugHook>.fromOpaque(context!).takeUnretainedValue()
        let e: DebugEvent = switch event {
        case ZKVM_DEBUG_ENTRY: .entry
        case ZKVM_DEBUG_STEPPED: .stepped
        case ZKVM_DEBUG_BREAKPOINT: .breakpoint
        case ZKVM_DEBUG_INTERRUPTED: .interrupted
        default: .fault
        }
        return switch hook.handler(e, DebugMachine(raw: machine!)) {
        case .continue: ZKVM_DEBUG_CONTINUE
        case .step: ZKVM_DEBUG_STEP
        case .kill: ZKVM_DEBUG_KILL
        case .detach: ZKVM_DEBUG_DETACH
        }
    }
}

extension Program {
    /// Runs the program as `execute` does, on the interpreter, under a debugger: `handler` is
    /// called at every stop (`.entry` before the first instruction, `.stepped` after each single
    /// step, `.breakpoint`, `.fault` when the run fails) with the stopped machine, and says how to
    /// go on. Unless the handler changes registers or memory, the run's cycles, outputs and
    /// failure are exactly those of `execute`. While the handler steps or has breakpoints set, the
    /// engine runs one instruction at a time (slower); with neither, at the interpreter's speed.
    /// The handler runs on the calling thread. `poll`, if given, is called while the run goes on,
    /// about every 2^18 cycles: true stops it (`.interrupted`), e.g. for GDB's Ctrl-C.
    public func debug(stdin: [[UInt8]], maxCycles: UInt64, limits: ExecutionLimits = .default,
                      randomSeed: [UInt8]? = nil, poll: (() -> Bool)? = nil,
                      handler: (DebugEvent, DebugMachine) -> DebugAction) -> Result<Execution, ExecutionError>
    {
        precondition(randomSeed.map { $0.count == 32 } ?? true, "the random seed is 32 bytes")
        return withoutActuallyEscaping(handler) { handler in
            let hook = DebugHook(handler, poll: poll)
            return Result { () throws(ExecutionError) -> Execution in
                try ArenaPool.shared.withArena { arena throws(ExecutionError) in
                    try Executor.run(self, arena: arena, stdin: stdin, maxCycles: maxCycles, limits: limits,
                                     randomSeed: randomSeed ?? [UInt8](repeating: 0, count: 32), engine: .interpreter,
                                     debug: hook)
                }
            }
        }
    }
}
