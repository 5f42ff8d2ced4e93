import CZKVM

/// Which SP1 I/O numbering a guest was built for, detected from its code.
public enum GuestABI: Sendable, Equatable, CustomStringConvertible {
    /// sp1-zkvm ≤ 3.x: public values on fd 3, hints on fd 4 appended after pending input.
    case sp1v3
    /// sp1-zkvm ≥ 4.0: public values on fd 13, hints on fd 14 read next.
    case sp1v4
    /// No SP1 `syscall_write` found (e.g. guests built with our C SDK); v4 rules apply.
    case unknown

    public var description: String {
        switch self {
        case .sp1v3: "SP1 v3 (public values fd 3)"
        case .sp1v4: "SP1 v4+ (public values fd 13)"
        case .unknown: "unknown (v4 rules)"
        }
    }
}

/// A 32-byte program ID: SHA-256 of the canonical image serialization (README, "Program IDs").
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
    public let address: UInt32
    public let memorySize: UInt32
    /// Bytes copied from the file (trailing zero bytes are trimmed: they equal the zero fill).
    public let fileSize: UInt32
    public let readable: Bool
    public let writable: Bool
    public let executable: Bool
}

/// Caps applied while loading an ELF.
public struct LoadLimits: Sendable {
    /// Sum of all segments' memory sizes.
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

    public let id: ProgramID
    public let entry: UInt32
    public let abi: GuestABI
    public let segments: [Segment]
    /// Lowest executable address and number of instruction slots decoded from there.
    public let textBase: UInt32
    public let instructionCount: Int
    /// Size of the ELF file this program was loaded from.
    public let elfSize: Int
    /// Host memory the loaded program holds (pre-decoded text and segment bytes), for caches.
    public var hostBytes: Int {
        instructionCount * 16 + segments.reduce(0) { $0 + Int($1.fileSize) } + 256
    }

    /// Validates and loads an ELF (ELF32 little-endian RISC-V executable, SP1 memory layout).
    public init(elf: [UInt8], limits: LoadLimits = .default) throws(ProgramLoadError) {
        guard !elf.isEmpty else { throw ProgramLoadError(kind: .empty, message: "the ELF is empty") }
        var options = zkvm_load_options(max_image_bytes: limits.maxImageBytes, max_text_bytes: limits.maxTextBytes)
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
        self.entry = zkvm_program_entry(handle)
        switch zkvm_program_abi(handle) {
        case ZKVM_ABI_V3: self.abi = .sp1v3
        case ZKVM_ABI_V4: self.abi = .sp1v4
        default: self.abi = .unknown
        }
        self.segments = (0..<zkvm_program_segment_count(handle)).map { i in
            let s = zkvm_program_segment(handle, i)
            return Segment(address: s.vaddr, memorySize: s.memsz, fileSize: s.filesz,
                           readable: s.flags & 4 != 0, writable: s.flags & 2 != 0, executable: s.flags & 1 != 0)
        }
        self.textBase = zkvm_program_text_base(handle)
        self.instructionCount = Int(zkvm_program_text_words(handle))
        self.elfSize = elf.count
    }

    deinit { zkvm_program_free(handle) }

    /// Runs the program. `stdin` items are read in order by the guest (`read_vec`); a run of N
    /// instructions succeeds iff N ≤ `maxCycles`.
    public func execute(stdin: [[UInt8]], maxCycles: UInt64, limits: ExecutionLimits = .default)
        throws(ExecutionError) -> Execution
    {
        try ArenaPool.shared.withArena { arena throws(ExecutionError) in
            try Executor.run(self, arena: arena, stdin: stdin, maxCycles: maxCycles, limits: limits)
        }
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
