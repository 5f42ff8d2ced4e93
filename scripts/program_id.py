#!/usr/bin/env python3
"""Recomputes a program ID from an ELF file, independently of the engine (standard library only).

The program ID is SHA-256 over this byte string (all integers unsigned 32-bit big-endian):

    "zkvm-program-id"            15 ASCII bytes, the domain tag
    version = 1
    vm_type = 1                  SP1 RV32IM
    entry                        e_entry
    n                            number of PT_LOAD segments with p_memsz > 0
    then for each such segment, in ascending p_vaddr order:
        vaddr, memsz, flags      flags = p_flags & 7 (PF_X 1, PF_W 2, PF_R 4)
        filesz                   p_filesz minus trailing zero bytes (they equal the zero fill)
        the filesz file bytes    with the file-layout fields zeroed where the segment maps them:
                                 the ELF header's e_shoff, e_shentsize, e_shnum, e_shstrndx and
                                 every program header's p_offset (strip rewrites exactly these)

usage: program_id.py ELF [ELF...]
"""
import hashlib
import struct
import sys


def program_id(data: bytes) -> str:
    if data[:4] != b"\x7fELF" or data[4] != 1 or data[5] != 1:
        raise ValueError("not a little-endian ELF32 file")
    entry, phoff = struct.unpack_from("<II", data, 24)
    phentsize, phnum = struct.unpack_from("<HH", data, 42)
    layout = [(32, 4), (46, 6)] + [(phoff + 32 * i + 4, 4) for i in range(phnum)]
    segments = []
    for i in range(phnum):
        p_type, offset, vaddr, _, filesz, memsz, flags, _ = struct.unpack_from("<8I", data, phoff + i * phentsize)
        if p_type != 1 or memsz == 0:
            continue
        body = bytearray(data[offset:offset + filesz])
        for start, length in layout:
            for b in range(start, start + length):
                if offset <= b < offset + filesz:
                    body[b - offset] = 0
        body = bytes(body).rstrip(b"\0")
        segments.append((vaddr, memsz, flags & 7, body))
    segments.sort()
    h = hashlib.sha256()
    h.update(b"zkvm-program-id")
    h.update(struct.pack(">IIII", 1, 1, entry, len(segments)))
    for vaddr, memsz, flags, body in segments:
        h.update(struct.pack(">IIII", vaddr, memsz, flags, len(body)))
        h.update(body)
    return h.hexdigest()


if __name__ == "__main__":
    for path in sys.argv[1:]:
        with open(path, "rb") as f:
            print(program_id(f.read()))
