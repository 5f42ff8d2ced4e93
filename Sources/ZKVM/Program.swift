import CZKVM
import Foundation

/// The guest VM a program is built for, which the caller names: nothing in an ELF tells them
/// apart (both put the call number in t0, and HALT is 0 in both). This is the engine's own type,
/// not a wire format's numbering.
public enum GuestVM: String, Sendable, CaseIterable, Hashable, CustomStringConvertible {
    /// SP1: RV32IM guests of v3–v5 (the I/O numbering detected from the code) and RV64IM guests of
    /// v6 (ELF64); one cycle per instruction.
    case sp1
    /// RISC Zero 1.x as risc0-zkvm 1.0.5's executor runs it: its v1 loader rules, guest memory
    /// [0x400, 0x0C00_0000), its ecalls and user cycles.
    case risc0

    public var description: String { self == .sp1 ? "SP1" : "RISC Zero 1.x" }

    var cValue: zkvm_vm { self == .sp1 ? ZKVM_VM_SP1 : ZKVM_VM_RISC0 }
}

/// The guest ABI a program runs under: for SP1, SP1 v6 for every ELF64 (RV64IM) guest and, for
/// ELF32 (RV32IM) guests, the I/O numbering detected from the code; for RISC Zero, its 1.x ABI.
public enum GuestABI: Sendable, Equatable, CustomStringConvertible {
    /// sp1-zkvm ≤ 3.x: public values on fd 3, hints on fd 4 appended after pending input.
    case sp1v3
    /// sp1-zkvm 4.x and 5.x: public values on fd 13, hints on fd 14 read next.
    case sp1v4
    /// sp1-zkvm 6.x (RV64IM): 8-byte words, v6's syscall table, non-zero exit codes reported.
    case sp1v6
    /// An RV32 guest without SP1's `syscall_write` (e.g. built with our C SDK); v4 rules apply.
    case unknown
    /// RISC Zero 1.x (loaded as `GuestVM.risc0`): journal on fd 3, user cycles.
    case risc0v1

    public var description: String {
        switch self {
        case .sp1v3: "SP1 v3 (public values fd 3)"
        case .sp1v4: "SP1 v4+ (public values fd 13)"
        case .sp1v6: "SP1 v6 (RV64IM)"
        case .unknown: "unknown (v4 rules)"
        case .risc0v1: "RISC Zero 1.x (1.0.5 executor rules, journal fd 3)"
        }
    }
}

/// The instruction set a program is built for, from its ELF class.
public enum ISA: String, Sendable, Equatable, CustomStringConvertible {
    /// ELF32: SP1 v3–v5 and RISC Zero 1.x guests.
    case rv32im
    /// ELF64: SP1 v6 guests.
    case rv64im

    public var description: String { rawValue }
}

/// A 32-byte program ID. SP1 programs: SHA-256 of the canonical image serialization (README,
/// "Program IDs"); RISC Zero programs: the RISC Zero v1 image ID.
public struct ProgramID: Hashable, Sendable, CustomStringConvertible {
    public let bytes: [UInt8]

    public init?(bytes: [UInt8]) {
        guard bytes.count == 32 else { return nil }
        self.bytes = bytes
    }

    public var hex: String { bytes.hexString }
    public var description: String { hex }
}

/// One PT_LOAD segment as loaded into guest memory.
public struct Segment: Sendable, Equatable {
    public let address: UInt64
    public let memorySize: UInt64
    /// Bytes copied from the file (trailing zero bytes are trimmed: they equal the zero fill).
    public let fileSize: UInt64
    public let readable: Bool
    public let writable: Bool
    public let executable: Bool
    /// SP1 v6's PF_UNTRUSTED: executable code that is fetched from memory, not pre-decoded.
    public var untrusted: Bool = false
}

/// SP1 v6's untrusted-program mode (the ELF's SUCCINCT note): page permissions, MPROTECT inside
/// the heap range, traps to the handler named by `__SUCCINCT_TRAP_CONTEXT`.
public struct UntrustedMode: Sendable, Equatable {
    public let heapStart: UInt64
    public let heapEnd: UInt64
    /// Address of `__SUCCINCT_TRAP_CONTEXT`, if the ELF has that symbol.
    public let trapContext: UInt64?
}

/// Caps applied while loading an ELF.
public struct LoadLimits: Sendable {
    /// Sum of all segments' memory sizes (SP1 only: a RISC Zero image holds only the file's bytes).
    public var maxImageBytes: UInt64 = 128 << 20
    /// Span of the executable segments (pre-decoded at 16 bytes per instruction).
    public var maxTextBytes: UInt64 = 16 << 20

    public init(maxImageBytes: UInt64 = 128 << 20, maxTextBytes: UInt64 = 16 << 20) {
        self.maxImageBytes = maxImageBytes
        self.maxTextBytes = maxTextBytes
    }

    public static let `default` = LoadLimits()
}

/// A validated, pre-decoded guest program. Immutable: share one instance across threads and run
/// any number of executions of it concurrently.
public final class Program: @unchecked Sendable {  // the C program is read-only after loading
    let handle: OpaquePointer

    /// SP1: the canonical image hash; RISC Zero: the v1 image ID (the seed's program ID).
    public let id: ProgramID
    public let vm: GuestVM
    public let entry: UInt64
    /// rv32im (ELF32: SP1 v3–v5, RISC Zero) or rv64im (ELF64: SP1 v6).
    public let isa: ISA
    public let abi: GuestABI
    public let segments: [Segment]
    /// Set for SP1 v6 programs with the SUCCINCT note.
    public let untrustedMode: UntrustedMode?
    /// Lowest executable address and number of instruction slots decoded from there.
    public let textBase: UInt64
    public let instructionCount: Int
    /// Size of the ELF file this program was loaded from.
    public let elfSize: Int
    /// The ELF's functions by address (empty for a stripped ELF), for `location(of:)`.
    public let symbols: [FunctionSymbol]
    /// Host memory the loaded program holds (pre-decoded text and segment bytes), for caches,
    /// including room for the JIT's translation (~32 bytes of code and a 16-byte table entry per
    /// instruction) whether or not it has been made, so the figure does not change.
    public var hostBytes: Int {
        instructionCount * (16 + 64) + segments.reduce(0) { $0 + Int($1.fileSize) } + 256
            + symbols.reduce(0) { $0 + 40 + $1.name.utf8.count }
    }

    /// Validates and loads an ELF for `vm`. SP1: ELF32 (RV32IM, SP1 v3–v5 layout) or ELF64 (RV64IM,
    /// SP1 v6.4.0's loader rules), the class picking the ISA and the ABI. RISC Zero: ELF32 by RISC
    /// Zero v1's loader rules and memory layout (`Risc0.image(elf:)` gives the same image ID).
    public init(elf: [UInt8], vm: GuestVM = .sp1, limits: LoadLimits = .default) throws(ProgramLoadError) {
        guard !elf.isEmpty else { throw ProgramLoadError(kind: .empty, message: "the ELF is empty") }
        var options = zkvm_load_options(max_image_bytes: limits.maxImageBytes, max_text_bytes: limits.maxTextBytes,
                                        vm: vm.cValue)
        var error = zkvm_load_error()
        var out: OpaquePointer?
        let status = elf.withUnsafeBufferPointer { buf in
            zkvm_program_load(buf.baseAddress, buf.count, &options, &out, &error)
        }
        guard status == ZKVM_LOAD_OK, let handle = out else {
            throw ProgramLoadError(status: status, message: string(fromCharArray: error.message))
        }
        self.handle = handle
        var id = [UInt8](repeating: 0, count: 32)
        zkvm_program_id(handle, &id)
        self.id = ProgramID(bytes: id)!
        self.vm = vm
        self.entry = zkvm_program_entry(handle)
        self.isa = zkvm_program_xlen(handle) == 64 ? .rv64im : .rv32im
        switch zkvm_program_abi(handle) {
        case ZKVM_ABI_V3: self.abi = .sp1v3
        case ZKVM_ABI_V4: self.abi = .sp1v4
        case ZKVM_ABI_V6: self.abi = .sp1v6
        case ZKVM_ABI_RISC0_V1: self.abi = .risc0v1
        default: self.abi = .unknown
        }
        self.segments = (0..<zkvm_program_segment_count(handle)).map { i in
            let s = zkvm_program_segment(handle, i)
            return Segment(address: s.vaddr, memorySize: s.memsz, fileSize: s.filesz,
                           readable: s.flags & 4 != 0, writable: s.flags & 2 != 0, executable: s.flags & 1 != 0,
                           untrusted: s.flags & 8 != 0)
        }
        let untrusted = zkvm_program_untrusted(handle)
        self.untrustedMode = untrusted.enabled == 0 ? nil
            : UntrustedMode(heapStart: untrusted.heap_start, heapEnd: untrusted.heap_end,
                            trapContext: untrusted.has_trap_context != 0 ? untrusted.trap_context : nil)
        self.textBase = zkvm_program_text_base(handle)
        self.instructionCount = Int(zkvm_program_text_words(handle))
        self.elfSize = elf.count
        self.symbols = FunctionSymbol.read(elf: elf)
    }

    deinit { zkvm_program_free(handle) }

    /// Runs the program; a run of N cycles succeeds iff N ≤ `maxCycles` (SP1: instructions; RISC
    /// Zero: user cycles, its session limit). An SP1 v6 guest that halts with a non-zero exit code
    /// succeeds with that `exitCode` (SP1 v6 reports it; it is not an executor error); on SP1
    /// v3–v5 it fails with `.nonZeroExitCode`.
    ///
    /// - `stdin`: SP1 guests read the items in order (`read_vec`); a RISC Zero guest reads their
    ///   concatenation as its stdin byte stream (`Risc0.framedInput` frames several inputs into
    ///   one, as risc0's `env::read_slice` reads them back).
    /// - `randomSeed`: 32 bytes from which a RISC Zero guest's SYS_RANDOM bytes are derived
    ///   (nil: 32 zero bytes), so that repeated executions get the same bytes (a service that must
    ///   reproduce a run passes an ID of the work, e.g. a job ID). The bytes are
    ///   SHA-256("risc0.SYS_RANDOM" ‖ seed ‖ LE64(i)) for i = 0, 1, …, concatenated; each
    ///   SYS_RANDOM call takes the next 4 · a1 of them.
    ///
    /// - `engine`: the execution tier (`Engine`); every tier gives the same result.
    /// - `interrupt`: raising it stops the run with `.interrupted` (`ExecutionInterrupt`).
    public func execute(stdin: [[UInt8]], maxCycles: UInt64, limits: ExecutionLimits = .default,
                        randomSeed: [UInt8]? = nil, engine: Engine = .auto,
                        interrupt: ExecutionInterrupt? = nil) throws(ExecutionError) -> Execution
    {
        precondition(randomSeed.map { $0.count == 32 } ?? true, "the random seed is 32 bytes")
        return try ArenaPool.shared.withArena { arena throws(ExecutionError) in
            try Executor.run(self, arena: arena, stdin: stdin, maxCycles: maxCycles, limits: limits,
                             randomSeed: randomSeed ?? [UInt8](repeating: 0, count: 32), engine: engine,
                             interrupt: interrupt)
        }
    }

    /// As `execute`, also returning the registers and a copy of guest memory [address, address +
    /// count) at the end of the run (differential tests).
    func executeCapturing(stdin: [[UInt8]], maxCycles: UInt64, engine: Engine, memory: (address: UInt64, count: Int),
                          randomSeed: [UInt8]? = nil) -> (Result<Execution, ExecutionError>, FinalState)
    {
        var state = FinalState()
        let result = Result { () throws(ExecutionError) -> Execution in
            try ArenaPool.shared.withArena { arena throws(ExecutionError) in
                try Executor.run(self, arena: arena, stdin: stdin, maxCycles: maxCycles, limits: .default,
                                 randomSeed: randomSeed ?? [UInt8](repeating: 0, count: 32), engine: engine,
                                 capture: memory, state: &state)
            }
        }
        return (result, state)
    }

    /// The JIT's translation of this program (made on first use and shared by every execution).
    public struct JITInfo: Sendable, Equatable {
        public enum State: String, Sendable { case notTranslated, ready, unavailable }
        public let state: State
        public let translationTime: Duration
        /// Bytes of host code.
        public let codeBytes: Int
        /// Guest registers kept in host registers.
        public let pinnedRegisters: Int
        /// `.unavailable`: why (e.g. not an x86-64 host, executable memory refused).
        public let reason: String?

        init(_ info: zkvm_jit_info) {
            state = switch info.state {
            case ZKVM_JIT_READY: .ready
            case ZKVM_JIT_UNAVAILABLE: .unavailable
            default: .notTranslated
            }
            translationTime = .nanoseconds(Int64(clamping: info.translate_ns))
            codeBytes = Int(info.code_bytes)
            pinnedRegisters = Int(info.pinned_registers)
            let text = string(fromCharArray: info.reason)
            reason = text.isEmpty ? nil : text
        }
    }

    /// The state of the JIT's translation, without translating.
    public var jit: JITInfo { JITInfo(zkvm_program_jit_info(handle)) }

    /// Translates the program for the JIT now, if it is not yet (otherwise the first execution
    /// that uses the JIT does), and returns the translation's state.
    @discardableResult
    public func prepareJIT() -> JITInfo { JITInfo(zkvm_program_jit_prepare(handle)) }

    /// Loads an ELF held in `Data` (see `init(elf:vm:limits:)`).
    public convenience init(elf: Data, vm: GuestVM = .sp1, limits: LoadLimits = .default) throws(ProgramLoadError) {
        try self.init(elf: [UInt8](elf), vm: vm, limits: limits)
    }

    /// Loads the ELF file at `url` (see `init(elf:vm:limits:)`); a file that cannot be read throws
    /// an `.unreadable` error naming it.
    public convenience init(contentsOf url: URL, vm: GuestVM = .sp1, limits: LoadLimits = .default) throws(ProgramLoadError) {
        let data: Data
        do { data = try Data(contentsOf: url, options: .mappedIfSafe) } catch {
            throw ProgramLoadError(kind: .unreadable, message: "cannot read \(url.path): \(error.localizedDescription)")
        }
        try self.init(elf: data, vm: vm, limits: limits)
    }
}

extension [UInt8] {
    var hexString: String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(count * 2)
        for b in self {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
