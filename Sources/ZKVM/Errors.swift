import CZKVM

/// Why an ELF was rejected.
public struct ProgramLoadError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case empty, notELF, truncated, wrongClass, wrongEndianness, wrongMachine, wrongType
        case misalignedEntry, entryNotExecutable, noExecutableSegment, misalignedSegment
        case overlappingSegments, segmentOutsideWindow, imageTooLarge, tooManySegments, invalidSegment
        case outOfMemory
        /// `Program(contentsOf:)`: the file could not be read.
        case unreadable
        // SP1 v6's loader rules (ELF64)
        case undecodableInstruction, writableExecutable, unreadableSegment, noncontiguousText
        case tooManyInstructions, invalidNote
    }

    public let kind: Kind
    public let message: String

    public var description: String { message }

    init(kind: Kind, message: String) {
        self.kind = kind
        self.message = message
    }

    init(status: zkvm_load_status, message: String) {
        let kind: Kind = switch status {
        case ZKVM_LOAD_NOT_ELF: .notELF
        case ZKVM_LOAD_TRUNCATED: .truncated
        case ZKVM_LOAD_WRONG_CLASS: .wrongClass
        case ZKVM_LOAD_WRONG_ENDIANNESS: .wrongEndianness
        case ZKVM_LOAD_WRONG_MACHINE: .wrongMachine
        case ZKVM_LOAD_WRONG_TYPE: .wrongType
        case ZKVM_LOAD_MISALIGNED_ENTRY: .misalignedEntry
        case ZKVM_LOAD_ENTRY_NOT_EXECUTABLE: .entryNotExecutable
        case ZKVM_LOAD_NO_EXECUTABLE_SEGMENT: .noExecutableSegment
        case ZKVM_LOAD_MISALIGNED_SEGMENT: .misalignedSegment
        case ZKVM_LOAD_OVERLAPPING_SEGMENTS: .overlappingSegments
        case ZKVM_LOAD_SEGMENT_OUTSIDE_WINDOW: .segmentOutsideWindow
        case ZKVM_LOAD_IMAGE_TOO_LARGE: .imageTooLarge
        case ZKVM_LOAD_TOO_MANY_SEGMENTS: .tooManySegments
        case ZKVM_LOAD_INVALID_SEGMENT: .invalidSegment
        case ZKVM_LOAD_UNDECODABLE_INSTRUCTION: .undecodableInstruction
        case ZKVM_LOAD_WRITABLE_EXECUTABLE: .writableExecutable
        case ZKVM_LOAD_UNREADABLE_SEGMENT: .unreadableSegment
        case ZKVM_LOAD_NONCONTIGUOUS_TEXT: .noncontiguousText
        case ZKVM_LOAD_TOO_MANY_INSTRUCTIONS: .tooManyInstructions
        case ZKVM_LOAD_INVALID_NOTE: .invalidNote
        default: .outOfMemory
        }
        self.init(kind: kind, message: message)
    }
}

/// Why a run failed. `description` is a one-line reason suitable for a job's failure_reason.
public struct ExecutionError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case cycleLimitExceeded, memoryAccess, illegalInstruction, unimplementedInstruction, breakpoint
        case nonZeroExitCode, unsupportedSyscall, stdinExhausted, endInUnconstrained, invalidSyscallUsage
        case syscallFailed, digestMismatch, invalidJump, outputLimit, host
        /// RISC Zero SYS_PANIC: the message is "Guest panicked: …" (the whole text is in `stderr`).
        case guestPanicked
        /// The execution committed more memory than `ExecutionLimits.maxMemoryBytes`.
        case memoryLimitExceeded
        /// The host raised the run's `ExecutionInterrupt`.
        case interrupted
        /// The run took longer than `ExecutionLimits.maxWallTime`.
        case timeLimitExceeded
        /// The task awaiting `Program.run` was cancelled.
        case cancelled
        /// The syscalls' host work (precompiles, hooks, I/O by length) passed the work budget,
        /// `ExecutionLimits.maxWork` or the default derived from max_cycles. Deterministic: the
        /// same call, cycles and message on every machine and tier.
        case workLimitExceeded
    }

    public let kind: Kind
    /// Detail from the engine, e.g. "misaligned word load at address 0x00300001".
    public let message: String
    /// Address of the instruction that stopped the run.
    public let pc: UInt64
    /// Cycles (SP1: instructions; RISC Zero: user cycles) before the run stopped (for the cycle
    /// limit: the limit).
    public let cycles: UInt64
    public let exitCode: UInt32
    /// Faulting memory address or jump target, where relevant.
    public let address: UInt64?
    /// Instruction word or syscall code, where relevant.
    public let word: UInt32?
    public let publicValues: [UInt8]
    public let stdout: String
    public let stderr: String
    /// The tier that ran the instructions (`Execution.engine`).
    public internal(set) var engine: Engine = .interpreter
    /// Units of host work charged (`Execution.work`); for `.workLimitExceeded`, including the
    /// call that passed the budget.
    public internal(set) var work: UInt64 = 0

    public var description: String {
        "\(message) (pc 0x\(String(pc, radix: 16).leftPadded(to: 8)), \(cycles) cycles)"
    }

    static func kind(of status: zkvm_status) -> Kind {
        switch status {
        case ZKVM_ERR_CYCLE_LIMIT: .cycleLimitExceeded
        case ZKVM_ERR_MEMORY_ACCESS: .memoryAccess
        case ZKVM_ERR_ILLEGAL_INSTRUCTION: .illegalInstruction
        case ZKVM_ERR_UNIMPLEMENTED: .unimplementedInstruction
        case ZKVM_ERR_BREAKPOINT: .breakpoint
        case ZKVM_ERR_EXIT_CODE: .nonZeroExitCode
        case ZKVM_ERR_UNSUPPORTED_SYSCALL: .unsupportedSyscall
        case ZKVM_ERR_STDIN_EXHAUSTED: .stdinExhausted
        case ZKVM_ERR_END_IN_UNCONSTRAINED: .endInUnconstrained
        case ZKVM_ERR_INVALID_SYSCALL_USAGE: .invalidSyscallUsage
        case ZKVM_ERR_SYSCALL: .syscallFailed
        case ZKVM_ERR_DIGEST_MISMATCH: .digestMismatch
        case ZKVM_ERR_INVALID_JUMP: .invalidJump
        case ZKVM_ERR_OUTPUT_LIMIT: .outputLimit
        case ZKVM_ERR_GUEST_PANIC: .guestPanicked
        case ZKVM_ERR_MEMORY_LIMIT: .memoryLimitExceeded
        case ZKVM_ERR_INTERRUPTED: .interrupted
        case ZKVM_ERR_TIME_LIMIT: .timeLimitExceeded
        case ZKVM_ERR_WORK_LIMIT: .workLimitExceeded
        default: .host
        }
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
