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

    public init(maxPublicValuesBytes: Int = 64 << 20, maxLogBytes: Int = 1 << 20, maxHintBytes: Int = 256 << 20,
                maxMemoryBytes: UInt64 = 4 << 30) {
        self.maxPublicValuesBytes = maxPublicValuesBytes
        self.maxLogBytes = maxLogBytes
        self.maxHintBytes = maxHintBytes
        self.maxMemoryBytes = maxMemoryBytes
    }

    public static let `default` = ExecutionLimits()
}

/// How a successful run ended.
public enum ExitStatus: Sendable, Equatable, CustomStringConvertible {
    /// SP1 HALT(0); RISC Zero `Halted(code)` (halt type TERMINATE, any user exit code).
    case halted(UInt32)
    /// RISC Zero `Paused(code)` (halt type PAUSE), which InfinityVM's node also took as success.
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

    /// The output under RISC Zero's name: the journal.
    public var journal: [UInt8] { publicValues }

    /// `wallTime` in seconds.
    public var wallSeconds: Double {
        Double(wallTime.components.seconds) + Double(wallTime.components.attoseconds) * 1e-18
    }

    /// Millions of cycles (SP1: guest instructions; RISC Zero: user cycles) per second of wall time.
    public var mips: Double { wallSeconds > 0 ? Double(cycles) / wallSeconds / 1e6 : 0 }
}

enum Executor {
    static func run(_ program: Program, arena: OpaquePointer, stdin: [[UInt8]], maxCycles: UInt64,
                    limits: ExecutionLimits, randomSeed: [UInt8]) throws(ExecutionError) -> Execution
    {
        // One contiguous copy of the items keeps every pointer valid for the whole call.
        let flat = stdin.flatMap { $0 }
        var options = zkvm_exec_options()
        options.max_cycles = maxCycles
        options.max_public_values_bytes = limits.maxPublicValuesBytes
        options.max_log_bytes = limits.maxLogBytes
        options.max_hint_bytes = limits.maxHintBytes
        options.max_memory_bytes = limits.maxMemoryBytes
        withUnsafeMutableBytes(of: &options.random_seed) { $0.copyBytes(from: randomSeed) }
        var result = zkvm_result()
        let clock = ContinuousClock()
        let start = clock.now
        flat.withUnsafeBufferPointer { buf in
            var offset = 0
            let items = stdin.map { item -> zkvm_bytes in
                defer { offset += item.count }
                return zkvm_bytes(data: buf.baseAddress.map { $0 + offset }, len: item.count)
            }
            items.withUnsafeBufferPointer { itemBuf in
                _ = zkvm_execute(program.handle, arena, itemBuf.baseAddress, itemBuf.count, &options, &result)
            }
        }
        let wallTime = clock.now - start
        defer { zkvm_result_free(&result) }

        let publicValues = bytes(result.public_values, result.public_values_len)
        let stdout = String(decoding: bytes(result.stdout_data, result.stdout_len), as: UTF8.self)
        let stderr = String(decoding: bytes(result.stderr_data, result.stderr_len), as: UTF8.self)
        guard result.status == ZKVM_OK else {
            let message = string(fromCharArray: result.message)
            let kind = ExecutionError.kind(of: result.status)
            let hasAddress = kind == .memoryAccess || kind == .invalidJump || result.addr != 0
            throw ExecutionError(kind: kind, message: message, pc: result.pc,
                                 cycles: result.cycles, exitCode: result.exit_code,
                                 address: hasAddress ? result.addr : nil,
                                 word: result.word == 0 ? nil : result.word,
                                 publicValues: publicValues, stdout: stdout, stderr: stderr)
        }
        let exit: ExitStatus = result.exit_kind == ZKVM_EXIT_PAUSED.rawValue ? .paused(result.exit_code)
            : .halted(result.exit_code)
        let outputDigest = program.vm == .risc0 ? withUnsafeBytes(of: result.output_digest) { Array($0) } : nil
        return Execution(publicValues: publicValues, cycles: result.cycles, exitCode: result.exit_code, exit: exit,
                         outputDigest: outputDigest, stdout: stdout, stderr: stderr,
                         digestCommitted: result.digest_committed != 0, wallTime: wallTime)
    }

    private static func bytes(_ pointer: UnsafeMutablePointer<UInt8>?, _ count: Int) -> [UInt8] {
        guard let pointer, count > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: pointer, count: count))
    }
}
