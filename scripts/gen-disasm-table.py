#!/usr/bin/env python3
"""Writes the disassembler's reference tables, Tests/ZKVMTests/Fixtures/disasm-rv{32,64}im.tsv:
random instances of every RV32IM / RV64IM instruction (and FENCE, ECALL, EBREAK, MRET, WFI, CSR
forms), assembled by the Swift toolchain's clang and disassembled by its llvm-objdump
(`-M no-aliases`), one "pc<TAB>word<TAB>text" line each. Deterministic (fixed seed); rerun after
changing it: scripts/gen-disasm-table.py
"""
import os
import random
import re
import shutil
import subprocess
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TOOLS = os.path.dirname(os.path.realpath(shutil.which("swift")))
REGS = ["zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0", "a1", "a2", "a3", "a4", "a5",
        "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6"]


def reg(r):
    return r.choice(REGS)


def imm12(r):
    return r.choice([0, 1, -1, 2047, -2048, r.randint(-2048, 2047)])


def lines(xlen, r):
    out = []
    alu_i = ["addi", "slti", "sltiu", "xori", "ori", "andi"]
    alu_r = ["add", "sub", "sll", "slt", "sltu", "xor", "srl", "sra", "or", "and",
             "mul", "mulh", "mulhsu", "mulhu", "div", "divu", "rem", "remu"]
    loads = ["lb", "lh", "lw", "lbu", "lhu"] + (["ld", "lwu"] if xlen == 64 else [])
    stores = ["sb", "sh", "sw"] + (["sd"] if xlen == 64 else [])
    shifts = ["slli", "srli", "srai"]
    branches = ["beq", "bne", "blt", "bge", "bltu", "bgeu"]
    for _ in range(120):
        out.append(f"{r.choice(alu_i)} {reg(r)}, {reg(r)}, {imm12(r)}")
        out.append(f"{r.choice(alu_r)} {reg(r)}, {reg(r)}, {reg(r)}")
        out.append(f"{r.choice(loads)} {reg(r)}, {imm12(r)}({reg(r)})")
        out.append(f"{r.choice(stores)} {reg(r)}, {imm12(r)}({reg(r)})")
        out.append(f"{r.choice(shifts)} {reg(r)}, {reg(r)}, {r.randint(0, xlen - 1)}")
        out.append(f"{r.choice(['lui', 'auipc'])} {reg(r)}, {r.choice([0, 1, 0xfffff, r.randint(0, 0xfffff)])}")
        out.append(f"{r.choice(branches)} {reg(r)}, {reg(r)}, {r.choice([-4096, 4094, r.randint(-2048, 2047) * 2])}")
        out.append(f"jal {reg(r)}, {r.choice([-(1 << 20), (1 << 20) - 2, r.randint(-(1 << 19), (1 << 19) - 1) * 2])}")
        out.append(f"jalr {reg(r)}, {imm12(r)}({reg(r)})")
        if xlen == 64:
            out.append(f"addiw {reg(r)}, {reg(r)}, {imm12(r)}")
            out.append(f"{r.choice(['slliw', 'srliw', 'sraiw'])} {reg(r)}, {reg(r)}, {r.randint(0, 31)}")
            out.append(f"{r.choice(['addw', 'subw', 'sllw', 'srlw', 'sraw', 'mulw', 'divw', 'divuw', 'remw', 'remuw'])}"
                       f" {reg(r)}, {reg(r)}, {reg(r)}")
    fences = ["i", "o", "r", "w", "iorw", "rw", "io", "ow", "ir"]
    for _ in range(10):
        out.append(f"fence {r.choice(fences)}, {r.choice(fences)}")
        out.append(f"{r.choice(['csrrw', 'csrrs', 'csrrc'])} {reg(r)}, {r.choice([0x300, 0x305, 0x341, 0x7c0, 0xc00])}, {reg(r)}")
        out.append(f"{r.choice(['csrrwi', 'csrrsi', 'csrrci'])} {reg(r)}, {r.choice([0x342, 0x7c1])}, {r.randint(0, 31)}")
    out += ["ecall", "ebreak", "mret", "wfi", "fence"]
    return out


def table(xlen):
    r = random.Random(20261206 + xlen)
    source = ".text\n.option norvc\n" + "\n".join(lines(xlen, r)) + "\n"
    with tempfile.TemporaryDirectory() as tmp:
        asm, obj = os.path.join(tmp, "t.s"), os.path.join(tmp, "t.o")
        open(asm, "w").write(source)
        subprocess.run([os.path.join(TOOLS, "clang"), f"--target=riscv{xlen}-unknown-elf", f"-march=rv{xlen}im",
                        "-c", asm, "-o", obj], check=True)
        dump = subprocess.run([os.path.join(TOOLS, "llvm-objdump"), "-d", "-M", "no-aliases", obj],
                              check=True, capture_output=True, text=True).stdout
    rows = []
    for line in dump.splitlines():
        m = re.match(r"\s*([0-9a-f]+):\s+([0-9a-f]{8})\s+(.*)$", line)
        if not m:
            continue
        text = re.sub(r"\s*<[^>]*>$", "", m.group(3)).strip()
        rows.append(f"{int(m.group(1), 16):x}\t{m.group(2)}\t{text}")
    path = os.path.join(ROOT, f"Tests/ZKVMTests/Fixtures/disasm-rv{xlen}im.tsv")
    with open(path, "w") as f:
        f.write("\n".join(rows) + "\n")
    print(f"{path}: {len(rows)} instructions")


if __name__ == "__main__":
    table(32)
    table(64)
