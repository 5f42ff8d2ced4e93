/// Builds ELF32 little-endian RISC-V executables byte by byte, so loader tests can produce valid
/// images and every kind of malformed one.
struct ELFBuilder {
    struct Segment {
        var type: UInt32 = 1  // PT_LOAD
        var vaddr: UInt32
        var bytes: [UInt8]
        var memsz: UInt32? = nil
        var flags: UInt32  // PF_X 1, PF_W 2, PF_R 4
        var offsetOverride: UInt32? = nil
    }

    var entry: UInt32
    var segments: [Segment]
    var elfClass: UInt8 = 1        // ELFCLASS32
    var dataEncoding: UInt8 = 1    // ELFDATA2LSB
    var machine: UInt16 = 243      // EM_RISCV
    var type: UInt16 = 2           // ET_EXEC
    /// Adds a section header table with .text, .symtab and .strtab (what `strip` removes).
    var withSections = false

    init(entry: UInt32, segments: [Segment]) {
        self.entry = entry
        self.segments = segments
    }

    /// A program whose text is `code` at 0x00200800 (entry there), plus optional data.
    init(code: [UInt32], data: [UInt8]? = nil, dataAddress: UInt32 = 0x0030_0000) {
        var segs = [Segment(vaddr: 0x0020_0800, bytes: code.flatMap { $0.littleEndianBytes }, flags: 5)]
        if let data { segs.append(Segment(vaddr: dataAddress, bytes: data, flags: 6)) }
        self.init(entry: 0x0020_0800, segments: segs)
    }

    func build() -> [UInt8] {
        let ehsize = 52, phentsize = 32
        var out = [UInt8]()
        let phoff = ehsize
        var offset = phoff + phentsize * segments.count
        var placed: [(Segment, UInt32)] = []
        for seg in segments {
            offset = (offset + 3) & ~3
            placed.append((seg, seg.offsetOverride ?? UInt32(offset)))
            offset += seg.bytes.count
        }
        // Optional section table after the segment bytes.
        var shoff = 0, shnum = 0, shstrndx = 0
        var sectionBlob: [UInt8] = []
        if withSections {
            let shstrtab: [UInt8] = Array("\0.text\0.symtab\0.strtab\0.shstrtab\0".utf8)
            let strtab: [UInt8] = Array("\0_start\0main\0".utf8)
            var symtab = [UInt8](repeating: 0, count: 16)  // null symbol
            for (name, value) in [(1, entry), (8, entry)] as [(UInt32, UInt32)] {
                symtab += name.littleEndianBytes + value.littleEndianBytes + UInt32(0).littleEndianBytes
                symtab += [0x12, 0] + UInt16(1).littleEndianBytes  // STB_GLOBAL|STT_FUNC, section 1
            }
            let base = (offset + 3) & ~3
            let symOff = base, strOff = symOff + symtab.count, shstrOff = strOff + strtab.count
            sectionBlob = symtab + strtab + shstrtab
            shoff = (shstrOff + shstrtab.count + 3) & ~3
            sectionBlob += [UInt8](repeating: 0, count: shoff - (base + sectionBlob.count))
            func sh(_ name: UInt32, _ type: UInt32, _ addr: UInt32, _ off: Int, _ size: Int, _ link: UInt32 = 0,
                    _ entsize: UInt32 = 0) -> [UInt8] {
                name.littleEndianBytes + type.littleEndianBytes + UInt32(0).littleEndianBytes + addr.littleEndianBytes
                    + UInt32(off).littleEndianBytes + UInt32(size).littleEndianBytes + link.littleEndianBytes
                    + UInt32(1).littleEndianBytes + UInt32(4).littleEndianBytes + entsize.littleEndianBytes
            }
            let text = placed[0]
            sectionBlob += [UInt8](repeating: 0, count: 40)
            sectionBlob += sh(1, 1, text.0.vaddr, Int(text.1), text.0.bytes.count)
            sectionBlob += sh(7, 2, 0, symOff, symtab.count, 3, 16)
            sectionBlob += sh(15, 3, 0, strOff, strtab.count)
            sectionBlob += sh(23, 3, 0, shstrOff, shstrtab.count)
            shnum = 5
            shstrndx = 4
            offset = base
        }

        out += [0x7F, 0x45, 0x4C, 0x46, elfClass, dataEncoding, 1, 0] + [UInt8](repeating: 0, count: 8)
        out += type.littleEndianBytes + machine.littleEndianBytes + UInt32(1).littleEndianBytes
        out += entry.littleEndianBytes + UInt32(phoff).littleEndianBytes + UInt32(shoff).littleEndianBytes
        out += UInt32(0).littleEndianBytes + UInt16(ehsize).littleEndianBytes + UInt16(phentsize).littleEndianBytes
        out += UInt16(segments.count).littleEndianBytes + UInt16(40).littleEndianBytes
        out += UInt16(shnum).littleEndianBytes + UInt16(shstrndx).littleEndianBytes
        for (seg, off) in placed {
            out += seg.type.littleEndianBytes + off.littleEndianBytes + seg.vaddr.littleEndianBytes
            out += seg.vaddr.littleEndianBytes + UInt32(seg.bytes.count).littleEndianBytes
            out += (seg.memsz ?? UInt32(seg.bytes.count)).littleEndianBytes + seg.flags.littleEndianBytes
            out += UInt32(4).littleEndianBytes
        }
        for (seg, off) in placed where seg.offsetOverride == nil {
            out += [UInt8](repeating: 0, count: Int(off) - out.count)
            out += seg.bytes
        }
        if withSections {
            out += [UInt8](repeating: 0, count: offset - out.count)
            out += sectionBlob
        }
        return out
    }
}

extension FixedWidthInteger {
    var littleEndianBytes: [UInt8] { withUnsafeBytes(of: self.littleEndian) { Array($0) } }
}
