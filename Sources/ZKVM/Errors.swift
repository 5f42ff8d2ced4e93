import CZKVM

/// Why an ELF was rejected.
public struct ProgramLoadError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What was wrong; `message` says where (offsets, addresses, sizes).
    public enum Kind: String, Sendable {
        /// The bytes are empty.
        case empty
        /// No ELF magic.
        case notELF
        /// A header, table or segment extends past the end of the file.
        case truncated
        /// Not the class the VM needs (ELF32 for RV32 guests, ELF64 for SP1 v6).
        case wrongClass
        /// Not little-endian.
        case wrongEndianness
        /// Not a RISC-V ELF.
        case wrongMachine
        /// Not an executable (`ET_EXEC`).
        case wrongType
        /// The entry point is not 4-byte aligned.
        case misalignedEntry
        /// The entry point is not in an executable segment.
        case entryNotExecutable
        /// No executable segment.
        case noExecutableSegment
        /// A segment's address is not 4-byte aligned.
        case misalignedSegment
        /// Two loadable segments overlap.
        case overlappingSegments
        /// A segment lies outside the VM's guest memory window.
        case segmentOutsideWindow
        /// The loaded image, or the span of its executable segments, is larger than allowed
        /// (`LoadLimits`, the VM's own limits).
        case imageTooLarge
        /// More program headers than the loader accepts.
        case tooManySegments
        /// A segment's sizes are inconsistent (file size over memory size, an address overflow, a
        /// header size the VM does not accept).
        case invalidSegment
        /// The host could not allocate the program's image.
        case outOfMemory
        /// `Program(contentsOf:)`: the file could not be read.
        case unreadable
        /// SP1 v6: a word of the text does not decode (v6 refuses to load such a program).
        case undecodableInstruction
        /// SP1 v6: a segment is both writable and executable.
        case writableExecutable
        /// SP1 v6: a segment is not readable.
        case unreadableSegment
        /// SP1 v6: the executable segments do not follow each other.
        case noncontiguousText
        /// SP1 v6: more than 2^22 instructions.
        case tooManyInstructions
        /// SP1 v6: a SUCCINCT note with heap end ≤ heap start.
        case invalidNote
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

/// Why a run failed. `description` is a one-line reason, fit for a log line or a stored failure.
public struct ExecutionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Why the run stopped. The guest's failures first (properties of the program and its input:
    /// every run of it fails the same way, as the reference executor does), then the limits and
    /// stops the host set (`memoryLimitExceeded` onwards).
    public enum Kind: String, Sendable {
        /// The run reached `maxCycles` (`cycles` = the limit) before it halted.
        case cycleLimitExceeded
        /// A load, store or fetch outside guest memory or misaligned (`address` is the address).
        case memoryAccess
        /// An instruction word that does not decode (`word`).
        case illegalInstruction
        /// An instruction SP1 does not implement: CSR, FENCE, MRET, WFI, UNIMP (`word`).
        case unimplementedInstruction
        /// EBREAK.
        case breakpoint
        /// SP1 v3–v5: HALT with a non-zero exit code (`exitCode`; `stderr` has the guest's message).
        case nonZeroExitCode
        /// An ECALL with a call number the guest ABI does not have (`word` is the number).
        case unsupportedSyscall
        /// The guest read more stdin items than it was given.
        case stdinExhausted
        /// SP1: the guest halted inside an unconstrained block.
        case endInUnconstrained
        /// SP1: a syscall that is not allowed inside an unconstrained block.
        case invalidSyscallUsage
        /// A syscall or precompile rejected its arguments (an invalid point, a bad length); the
        /// message names it.
        case syscallFailed
        /// SP1: the committed digest differs from SHA-256 of the public values.
        case digestMismatch
        /// A jump to a target outside the program text, or misaligned (`address`).
        case invalidJump
        /// Public values or the hint stream passed their `ExecutionLimits` cap.
        case outputLimit
        /// The host failed (an allocation): not a property of the program.
        case host
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

    package static func kind(of status: zkvm_status) -> Kind {
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
