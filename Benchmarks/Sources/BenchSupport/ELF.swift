/// Minimal ELF32 (little-endian, RISC-V, ET_EXEC) reading and writing, enough to build the
/// synthetic benchmark programs deterministically from code instead of committing binaries.
public enum ELF32 {
    public struct Segment: Sendable {
        public var vaddr: UInt32
        /// PF_X 1, PF_W 2, PF_R 4.
        public var flags: UInt32
        public var data: [UInt8]
        /// Zero-filled past `data.count` up to this size.
        public var memsz: UInt32

        public init(vaddr: UInt32, flags: UInt32, data: [UInt8], memsz: UInt32? = nil) {
            self.vaddr = vaddr
            self.flags = flags
            self.data = data
            self.memsz = memsz ?? UInt32(data.count)
        }
    }

    static let ehdrSize = 52
    static let phdrSize = 32

    /// An ELF with only program headers (no sections). Segment data follows the headers, each at a
    /// file offset congruent to its address modulo 4 KiB, as linkers lay them out.
    public static func build(entry: UInt32, segments: [Segment]) -> [UInt8] {
        var out = [UInt8]()
        func u16(_ v: UInt16) { out += [UInt8(v & 0xFF), UInt8(v >> 8)] }
        func u32(_ v: UInt32) { for i in 0..<4 { out.append(UInt8(truncatingIfNeeded: v >> (8 * UInt32(i)))) } }

        // Plan file offsets first.
        var offset = ehdrSize + phdrSize * segments.count
        var offsets: [Int] = []
        for s in segments {
            let want = Int(s.vaddr & 0xFFF)
            let pageBase = (offset + 0xFFF) & ~0xFFF
            var o = pageBase - 0x1000 + want
            if o < offset { o += 0x1000 }
            offsets.append(o)
            offset = o + s.data.count
        }

        // ELF header.
        out += [0x7F, 0x45, 0x4C, 0x46, 1 /* ELFCLASS32 */, 1 /* little-endian */, 1 /* EV_CURRENT */, 0]
        out += [UInt8](repeating: 0, count: 8)
        u16(2)  // ET_EXEC
        u16(243)  // EM_RISCV
        u32(1)
        u32(entry)
        u32(UInt32(ehdrSize))  // e_phoff
        u32(0)  // e_shoff: no sections
        u32(0)  // e_flags
        u16(UInt16(ehdrSize))
        u16(UInt16(phdrSize))
        u16(UInt16(segments.count))
        u16(40)  // e_shentsize
        u16(0)  // e_shnum
        u16(0)  // e_shstrndx

        for (s, o) in zip(segments, offsets) {
            u32(1)  // PT_LOAD
            u32(UInt32(o))
            u32(s.vaddr)
            u32(s.vaddr)  // p_paddr
            u32(UInt32(s.data.count))
            u32(s.memsz)
            u32(s.flags)
            u32(0x1000)
        }
        for (s, o) in zip(segments, offsets) {
            out += [UInt8](repeating: 0, count: o - out.count)
            out += s.data
        }
        return out
    }

    /// The PT_LOAD segments and entry point of an ELF32 file (no validation beyond bounds).
    public static func loadSegments(of elf: [UInt8]) -> (entry: UInt32, segments: [Segment])? {
        func u16(_ at: Int) -> Int { Int(elf[at]) | Int(elf[at + 1]) << 8 }
        func u32(_ at: Int) -> UInt32 { (0..<4).reduce(0) { $0 | UInt32(elf[at + $1]) << (8 * UInt32($1)) } }
        guard elf.count >= ehdrSize, elf[0..<4] == [0x7F, 0x45, 0x4C, 0x46], elf[4] == 1 else { return nil }
        let entry = u32(24), phoff = Int(u32(28)), phentsize = u16(42), phnum = u16(44)
        var segments: [Segment] = []
        for i in 0..<phnum {
            let h = phoff + i * phentsize
            guard h + phdrSize <= elf.count else { return nil }
            guard u32(h) == 1 else { continue }  // PT_LOAD only
            let offset = Int(u32(h + 4)), filesz = Int(u32(h + 16))
            guard offset + filesz <= elf.count else { return nil }
            segments.append(Segment(vaddr: u32(h + 8), flags: u32(h + 24), data: Array(elf[offset..<offset + filesz]),
                                    memsz: u32(h + 20)))
        }
        return (entry, segments)
    }
}

/// RV32I encodings for the hand-written benchmark programs.
public enum RV32 {
    public static func addi(_ rd: UInt32, _ rs1: UInt32, _ imm: Int32) -> UInt32 {
        (UInt32(bitPattern: imm) & 0xFFF) << 20 | rs1 << 15 | rd << 7 | 0x13
    }

    public static func bne(_ rs1: UInt32, _ rs2: UInt32, _ offset: Int32) -> UInt32 {
        let imm = UInt32(bitPattern: offset)
        return (imm >> 12 & 1) << 31 | (imm >> 5 & 0x3F) << 25 | rs2 << 20 | rs1 << 15 | 1 << 12
            | (imm >> 1 & 0xF) << 8 | (imm >> 11 & 1) << 7 | 0x63
    }

    public static let ecall: UInt32 = 0x0000_0073
}

public enum SyntheticPrograms {
    /// Text address of the SDK's guests (guest-programs/sdk/link.ld).
    public static let textBase: UInt32 = 0x0020_0800

    /// Exactly 100 instructions: a 32-iteration loop of 3 instructions, then HALT(0) — the
    /// per-execution setup overhead benchmark (no stdin, no public values).
    public static func hundredInstructions() -> [UInt8] {
        let t0: UInt32 = 5, t1: UInt32 = 6, a0: UInt32 = 10, a1: UInt32 = 11
        let code: [UInt32] = [
            RV32.addi(t1, 0, 32),  // 1
            RV32.addi(t1, t1, -1),  // loop: 32 x 3
            RV32.addi(a1, a1, 1),
            RV32.bne(t1, 0, -8),
            RV32.addi(t0, 0, 0),  // HALT code
            RV32.addi(a0, 0, 0),  // exit code 0
            RV32.ecall,  // 3
        ]
        let bytes = code.flatMap { w in (0..<4).map { UInt8(truncatingIfNeeded: w >> (8 * UInt32($0))) } }
        return ELF32.build(entry: textBase, segments: [.init(vaddr: textBase, flags: 5, data: bytes)])
    }

    /// Address of the extra data segment of `padded`: far above any guest's data and heap start.
    public static let padAddress: UInt32 = 0x1000_0000
    /// The same for RISC Zero guests, whose memory ends at 0x0C000000.
    public static let risc0PadAddress: UInt32 = 0x0800_0000

    /// `base`'s segments plus one read-only segment of deterministic pseudo-random bytes (xorshift32,
    /// seed 0x2545F491; non-zero so no trailing-zero trimming shortens it), sized so the whole file
    /// is exactly `totalBytes`. The program still runs as `base` does.
    public static func padded(_ base: [UInt8], totalBytes: Int = 1 << 20, at padAddress: UInt32 = padAddress) -> [UInt8]? {
        guard let (entry, segments) = ELF32.loadSegments(of: base) else { return nil }
        // Build once with an empty pad to learn the overhead, then size the pad to hit the total.
        let probe = ELF32.build(entry: entry, segments: segments + [.init(vaddr: padAddress, flags: 4, data: [1])])
        let padSize = totalBytes - (probe.count - 1)
        guard padSize > 0 else { return nil }
        var state: UInt32 = 0x2545_F491
        var pad = [UInt8](repeating: 0, count: padSize)
        for i in 0..<padSize {
            state ^= state << 13
            state ^= state >> 17
            state ^= state << 5
            pad[i] = UInt8(truncatingIfNeeded: state) | 1
        }
        let elf = ELF32.build(entry: entry, segments: segments + [.init(vaddr: padAddress, flags: 4, data: pad)])
        return elf.count == totalBytes ? elf : nil
    }
}
