/// Builds ELF64 little-endian RISC-V executables byte by byte (SP1 v6 guests): PT_LOAD and PT_NOTE
/// segments, SP1's SUCCINCT note, and an optional symbol table (for __SUCCINCT_TRAP_CONTEXT).
struct ELF64Builder {
    struct Segment {
        var type: UInt32 = 1  // PT_LOAD; 4 = PT_NOTE
        var vaddr: UInt64
        var bytes: [UInt8]
        var memsz: UInt64? = nil
        var flags: UInt32  // PF_X 1, PF_W 2, PF_R 4, SP1's PF_UNTRUSTED 0x0010_0000
    }

    static let base: UInt64 = 0x7800_0000

    var entry: UInt64
    var segments: [Segment]
    var machine: UInt16 = 243
    var type: UInt16 = 2
    /// Symbols written to a .symtab section (name, value).
    var symbols: [(String, UInt64)] = []

    init(entry: UInt64, segments: [Segment]) {
        self.entry = entry
        self.segments = segments
    }

    /// Text at 0x78000000 (entry there), plus an optional read-write data segment.
    init(code: [UInt32], data: [UInt8]? = nil, dataAddress: UInt64 = 0x7810_0000) {
        var segs = [Segment(vaddr: Self.base, bytes: code.flatMap { $0.littleEndianBytes }, flags: 5)]
        if let data { segs.append(Segment(vaddr: dataAddress, bytes: data, flags: 6)) }
        self.init(entry: Self.base, segments: segs)
    }

    /// SP1's SUCCINCT note: untrusted-program mode with MPROTECT allowed in [heapStart, heapEnd).
    static func succinctNote(heapStart: UInt64, heapEnd: UInt64) -> Segment {
        let desc = Array("1\0\0\0".utf8) + heapStart.littleEndianBytes + heapEnd.littleEndianBytes
        let note = UInt32(9).littleEndianBytes + UInt32(desc.count).littleEndianBytes + UInt32(1).littleEndianBytes
            + Array("SUCCINCT\0".utf8) + [0, 0, 0] + desc
        return Segment(type: 4, vaddr: 0, bytes: note, memsz: 0, flags: 4)
    }

    func build() -> [UInt8] {
        let ehsize = 64, phentsize = 56
        var offset = ehsize + phentsize * segments.count
        var placed: [(Segment, Int)] = []
        for seg in segments {
            offset = (offset + 7) & ~7
            placed.append((seg, offset))
            offset += seg.bytes.count
        }
        // Section table: null, .symtab, .strtab, .shstrtab (only with symbols).
        var tail: [UInt8] = []
        var shoff = 0, shnum = 0, shstrndx = 0
        if !symbols.isEmpty {
            var strtab: [UInt8] = [0], symtab = [UInt8](repeating: 0, count: 24)
            for (name, value) in symbols {
                symtab += UInt32(strtab.count).littleEndianBytes + [0x11, 0] + UInt16(0xFFF1).littleEndianBytes
                symtab += value.littleEndianBytes + UInt64(8).littleEndianBytes  // STB_GLOBAL|STT_OBJECT, SHN_ABS
                strtab += Array(name.utf8) + [0]
            }
            let shstrtab = Array("\0.symtab\0.strtab\0.shstrtab\0".utf8)
            let base = (offset + 7) & ~7
            let symOff = base, strOff = symOff + symtab.count, shstrOff = strOff + strtab.count
            tail = symtab + strtab + shstrtab
            shoff = (shstrOff + shstrtab.count + 7) & ~7
            tail += [UInt8](repeating: 0, count: shoff - (base + tail.count))
            func sh(_ name: UInt32, _ type: UInt32, _ off: Int, _ size: Int, link: UInt32 = 0, entsize: UInt64 = 0) -> [UInt8] {
                name.littleEndianBytes + type.littleEndianBytes + UInt64(0).littleEndianBytes + UInt64(0).littleEndianBytes
                    + UInt64(off).littleEndianBytes + UInt64(size).littleEndianBytes + link.littleEndianBytes
                    + UInt32(1).littleEndianBytes + UInt64(8).littleEndianBytes + entsize.littleEndianBytes
            }
            tail += [UInt8](repeating: 0, count: 64)
            tail += sh(1, 2, symOff, symtab.count, link: 2, entsize: 24)
            tail += sh(9, 3, strOff, strtab.count)
            tail += sh(17, 3, shstrOff, shstrtab.count)
            shnum = 4
            shstrndx = 3
            offset = base
        }

        var out: [UInt8] = [0x7F, 0x45, 0x4C, 0x46, 2, 1, 1, 0] + [UInt8](repeating: 0, count: 8)
        out += type.littleEndianBytes + machine.littleEndianBytes + UInt32(1).littleEndianBytes
        out += entry.littleEndianBytes + UInt64(ehsize).littleEndianBytes + UInt64(shoff).littleEndianBytes
        out += UInt32(0).littleEndianBytes + UInt16(ehsize).littleEndianBytes + UInt16(phentsize).littleEndianBytes
        out += UInt16(segments.count).littleEndianBytes + UInt16(64).littleEndianBytes
        out += UInt16(shnum).littleEndianBytes + UInt16(shstrndx).littleEndianBytes
        for (seg, off) in placed {
            out += seg.type.littleEndianBytes + seg.flags.littleEndianBytes + UInt64(off).littleEndianBytes
            out += seg.vaddr.littleEndianBytes + seg.vaddr.littleEndianBytes + UInt64(seg.bytes.count).littleEndianBytes
            out += (seg.memsz ?? UInt64(seg.bytes.count)).littleEndianBytes + UInt64(8).littleEndianBytes
        }
        for (seg, off) in placed {
            out += [UInt8](repeating: 0, count: off - out.count)
            out += seg.bytes
        }
        if !tail.isEmpty {
            out += [UInt8](repeating: 0, count: offset - out.count)
            out += tail
        }
        return out
    }
}
