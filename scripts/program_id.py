#!/usr/bin/env python3
"""Recomputes a program ID from an ELF file, independently of the engine (standard library only).

The program ID is SHA-256 over this byte string (integers big-endian; `addr` is u32 for ELF32
and u64 for ELF64):

    "zkvm-program-id"            15 ASCII bytes, the domain tag
    version = 1                  u32
    vm_type                      u32: 1 = SP1 RV32IM (ELF32), 2 = SP1 RV64IM (ELF64)
    entry                        addr: e_entry
    n                            u32: number of segments
    then for each segment, in ascending p_vaddr order:
        vaddr, memsz             addr
        flags                    u32: p_flags & 7 (PF_X 1, PF_W 2, PF_R 4), | 8 for SP1 v6's PF_UNTRUSTED
        filesz                   addr: p_filesz minus trailing zero bytes (they equal the zero fill)
        the filesz file bytes    with the file-layout fields zeroed where the segment maps them:
                                 the ELF header's e_shoff, e_shentsize, e_shnum, e_shstrndx and
                                 every program header's p_offset (strip rewrites exactly these)
    ELF64 only:
        untrusted                u32: 1 if the ELF has SP1's SUCCINCT note, else 0; if 1:
        heap_start, heap_end     u64, from the note
        has_trap_context         u32, and the value of __SUCCINCT_TRAP_CONTEXT (u64, 0 if none)

Segments: ELF32, the PT_LOAD segments with p_memsz > 0; ELF64, every PT_LOAD (SP1 v6 loads them
in file order, which its loader requires to be ascending), with p_filesz capped at p_memsz, and
the bytes SP1 v6's image holds: when a segment's zero fill starts 4 bytes into an 8-byte slot,
the 4 bytes before it read as zero (its loader writes zero fill a whole slot at a time).

usage: program_id.py ELF [ELF...]
"""
import hashlib
import struct
import sys

PF_UNTRUSTED = 0x0010_0000


def _note(data, off, size):
    """(heap_start, heap_end) of a SUCCINCT note in the PT_NOTE bytes, or None."""
    pos = 0
    while pos + 12 <= size:
        namesz, descsz, ntype = struct.unpack_from("<III", data, off + pos)
        name = data[off + pos + 12:off + pos + 12 + namesz].split(b"\0")[0]
        desc_at = pos + 12 + (namesz + 3) // 4 * 4
        desc = data[off + desc_at:off + desc_at + descsz]
        pos = desc_at + (descsz + 3) // 4 * 4
        if name == b"SUCCINCT" and ntype == 1 and len(desc) == 20 and desc[:4] == b"1\0\0\0":
            return struct.unpack_from("<QQ", desc, 4)
    return None


def _symbol(data, wanted):
    """Value of symbol `wanted` in the first SHT_SYMTAB of an ELF64, or None."""
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", data, 0x3A)
    if not shoff:
        return None
    shdrs = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize) for i in range(shnum)]
    for sh in shdrs:
        if sh[1] != 2:
            continue
        strtab = shdrs[sh[6]]
        for k in range(sh[5] // 24):
            name, _, _, _, value, _ = struct.unpack_from("<IBBHQQ", data, sh[4] + 24 * k)
            start = strtab[4] + name
            if data[start:data.index(b"\0", start)] == wanted:
                return value
        return None
    return None


def program_id(data: bytes) -> str:
    if data[:4] != b"\x7fELF" or data[4] not in (1, 2) or data[5] != 1:
        raise ValueError("not a little-endian ELF32 or ELF64 file")
    is64 = data[4] == 2
    if is64:
        entry, phoff = struct.unpack_from("<QQ", data, 24)
        phentsize, phnum = struct.unpack_from("<HH", data, 54)
        layout = [(0x28, 8), (0x3A, 6)] + [(phoff + 56 * i + 8, 8) for i in range(phnum)]
    else:
        entry, phoff = struct.unpack_from("<II", data, 24)
        phentsize, phnum = struct.unpack_from("<HH", data, 42)
        layout = [(32, 4), (46, 6)] + [(phoff + 32 * i + 4, 4) for i in range(phnum)]
    segments, note = [], None
    for i in range(phnum):
        if is64:
            p_type, flags, offset, vaddr, _, filesz, memsz, _ = struct.unpack_from("<IIQQQQQQ", data, phoff + i * phentsize)
        else:
            p_type, offset, vaddr, _, filesz, memsz, flags, _ = struct.unpack_from("<8I", data, phoff + i * phentsize)
        if is64 and p_type == 4 and note is None:
            note = _note(data, offset, filesz)
        if p_type != 1 or (memsz == 0 and not is64):
            continue
        filesz = min(filesz, memsz)
        body = bytearray(data[offset:offset + filesz])
        for start, length in layout:
            for b in range(start, start + length):
                if offset <= b < offset + filesz:
                    body[b - offset] = 0
        segments.append([vaddr, memsz, (flags & 7) | (8 if is64 and flags & PF_UNTRUSTED else 0), body])
    segments.sort(key=lambda s: s[0])
    if is64:  # SP1 v6's zero-fill slots
        for k, (vaddr, memsz, _, body) in enumerate(segments):
            fill = vaddr + (len(body) + 3) // 4 * 4
            if fill < vaddr + memsz and fill % 8 == 4:
                owner = segments[k] if fill - 4 >= vaddr else (segments[k - 1] if k else None)
                for a in range(fill - 4, fill):
                    if owner and 0 <= a - owner[0] < len(owner[3]):
                        owner[3][a - owner[0]] = 0
    addr = ">Q" if is64 else ">I"
    h = hashlib.sha256()
    h.update(b"zkvm-program-id")
    h.update(struct.pack(">II", 1, 2 if is64 else 1) + struct.pack(addr, entry) + struct.pack(">I", len(segments)))
    for vaddr, memsz, flags, body in segments:
        body = bytes(body).rstrip(b"\0")
        h.update(struct.pack(addr, vaddr) + struct.pack(addr, memsz) + struct.pack(">I", flags) + struct.pack(addr, len(body)))
        h.update(body)
    if is64:
        h.update(struct.pack(">I", 1 if note else 0))
        if note:
            trap = _symbol(data, b"__SUCCINCT_TRAP_CONTEXT")
            h.update(struct.pack(">QQIQ", note[0], note[1], 1 if trap is not None else 0, trap or 0))
    return h.hexdigest()


if __name__ == "__main__":
    for path in sys.argv[1:]:
        with open(path, "rb") as f:
            print(program_id(f.read()))
