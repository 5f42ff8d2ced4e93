// A disassembler for the instructions the engine runs (RV32IM, RV64IM) and the system ones it
// refuses (FENCE, ECALL, EBREAK, MRET, WFI, CSR*), for fault reports and `zkvm disasm`. The text
// follows llvm-objdump's `-M no-aliases` form: ABI register names, immediates in hex, branch and
// jump targets as absolute addresses.

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

#include "zkvm_core.h"

static const char *const reg_names[32] = {
    "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0", "a1", "a2", "a3", "a4", "a5",
    "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
};

typedef struct {
    char *out;
    size_t cap, len;
} text;

static void put(text *t, const char *fmt, ...) {
    if (t->len >= t->cap) return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(t->out + t->len, t->cap - t->len, fmt, ap);
    va_end(ap);
    if (n > 0) t->len += (size_t)n < t->cap - t->len ? (size_t)n : t->cap - t->len - 1;
}

/// A signed immediate as llvm-objdump writes it: 0x1f, -0x10, 0x0.
static void put_imm(text *t, int64_t v) {
    if (v < 0) put(t, "-0x%llx", (unsigned long long)(-(uint64_t)v));
    else put(t, "0x%llx", (unsigned long long)v);
}

static int64_t sext(uint64_t v, unsigned bits) { return (int64_t)(v << (64 - bits)) >> (64 - bits); }

static const char *R(uint32_t w, unsigned shift) { return reg_names[(w >> shift) & 31]; }

static void fence_set(text *t, unsigned bits) {
    static const char letters[4] = {'i', 'o', 'r', 'w'};
    for (unsigned i = 0; i < 4; i++)
        if (bits & (8u >> i)) put(t, "%c", letters[i]);
}

/// The name of a CSR llvm-objdump knows by name, else NULL (then it is written as a number).
static const char *csr_name(unsigned csr) {
    switch (csr) {
    case 0x300: return "mstatus";
    case 0x301: return "misa";
    case 0x304: return "mie";
    case 0x305: return "mtvec";
    case 0x340: return "mscratch";
    case 0x341: return "mepc";
    case 0x342: return "mcause";
    case 0x343: return "mtval";
    case 0x344: return "mip";
    case 0xc00: return "cycle";
    case 0xc01: return "time";
    case 0xc02: return "instret";
    case 0xf14: return "mhartid";
    default: return NULL;
    }
}

size_t zkvm_disassemble(uint32_t w, uint64_t pc, unsigned xlen, char *out, size_t cap) {
    text t = {out, cap, 0};
    if (!cap) return 0;
    out[0] = 0;
    const unsigned opcode = w & 0x7f, f3 = (w >> 12) & 7, f7 = w >> 25;
    const bool rv64 = xlen == 64;
    const int64_t imm_i = sext(w >> 20, 12);
    const int64_t imm_s = sext(((w >> 25) << 5) | ((w >> 7) & 31), 12);
    const int64_t imm_b = sext((((w >> 31) & 1) << 12) | (((w >> 7) & 1) << 11) | (((w >> 25) & 63) << 5) |
                                   (((w >> 8) & 15) << 1), 13);
    const int64_t imm_j = sext((((w >> 31) & 1) << 20) | (((w >> 12) & 255) << 12) | (((w >> 20) & 1) << 11) |
                                   (((w >> 21) & 1023) << 1), 21);
    const uint64_t mask = rv64 ? ~0ull : 0xffffffffull;
    const char *name = NULL;

    switch (opcode) {
    case 0x37:
    case 0x17:
        put(&t, "%s\t%s, 0x%x", opcode == 0x37 ? "lui" : "auipc", R(w, 7), w >> 12);
        return t.len;
    case 0x6f:
        put(&t, "jal\t%s, 0x%llx", R(w, 7), (unsigned long long)((pc + (uint64_t)imm_j) & mask));
        return t.len;
    case 0x67:
        if (f3 != 0) break;
        put(&t, "jalr\t%s, ", R(w, 7));
        put_imm(&t, imm_i);
        put(&t, "(%s)", R(w, 15));
        return t.len;
    case 0x63: {
        static const char *const b[8] = {"beq", "bne", NULL, NULL, "blt", "bge", "bltu", "bgeu"};
        if (!(name = b[f3])) break;
        put(&t, "%s\t%s, %s, 0x%llx", name, R(w, 15), R(w, 20), (unsigned long long)((pc + (uint64_t)imm_b) & mask));
        return t.len;
    }
    case 0x03: {
        static const char *const l[8] = {"lb", "lh", "lw", "ld", "lbu", "lhu", "lwu", NULL};
        if (!(name = l[f3]) || (!rv64 && (f3 == 3 || f3 == 6))) break;
        put(&t, "%s\t%s, ", name, R(w, 7));
        put_imm(&t, imm_i);
        put(&t, "(%s)", R(w, 15));
        return t.len;
    }
    case 0x23: {
        static const char *const s[8] = {"sb", "sh", "sw", "sd", NULL, NULL, NULL, NULL};
        if (!(name = s[f3]) || (!rv64 && f3 == 3)) break;
        put(&t, "%s\t%s, ", name, R(w, 20));
        put_imm(&t, imm_s);
        put(&t, "(%s)", R(w, 15));
        return t.len;
    }
    case 0x13:
    case 0x1b: {
        const bool word = opcode == 0x1b;
        if (word && !rv64) break;
        if (f3 == 1 || f3 == 5) {  // shifts: 5-bit amounts on RV32 and for the W forms, 6-bit on RV64
            const unsigned shamt_bits = rv64 && !word ? 6 : 5;
            const unsigned shamt = (w >> 20) & ((1u << shamt_bits) - 1);
            const unsigned top = w >> (20 + shamt_bits);  // funct6 / funct7
            const unsigned arith = shamt_bits == 6 ? 0x10 : 0x20;
            if (f3 == 1 && top != 0) break;
            if (f3 == 5 && top != 0 && top != arith) break;
            name = f3 == 1 ? "sll" : top ? "sra" : "srl";
            put(&t, "%si%s\t%s, %s, 0x%x", name, word ? "w" : "", R(w, 7), R(w, 15), shamt);
            return t.len;
        }
        if (word) {
            if (f3 != 0) break;
            name = "addiw";
        } else {
            static const char *const i[8] = {"addi", NULL, "slti", "sltiu", "xori", NULL, "ori", "andi"};
            name = i[f3];
        }
        put(&t, "%s\t%s, %s, ", name, R(w, 7), R(w, 15));
        put_imm(&t, imm_i);
        return t.len;
    }
    case 0x33:
    case 0x3b: {
        const bool word = opcode == 0x3b;
        if (word && !rv64) break;
        if (f7 == 1) {
            static const char *const m[8] = {"mul", "mulh", "mulhsu", "mulhu", "div", "divu", "rem", "remu"};
            static const char *const mw[8] = {"mulw", NULL, NULL, NULL, "divw", "divuw", "remw", "remuw"};
            name = word ? mw[f3] : m[f3];
        } else if (f7 == 0) {
            static const char *const r[8] = {"add", "sll", "slt", "sltu", "xor", "srl", "or", "and"};
            static const char *const rw[8] = {"addw", "sllw", NULL, NULL, NULL, "srlw", NULL, NULL};
            name = word ? rw[f3] : r[f3];
        } else if (f7 == 0x20) {
            if (f3 == 0) name = word ? "subw" : "sub";
            else if (f3 == 5) name = word ? "sraw" : "sra";
        }
        if (!name) break;
        put(&t, "%s\t%s, %s, %s", name, R(w, 7), R(w, 15), R(w, 20));
        return t.len;
    }
    case 0x0f:
        if (f3 != 0 || (w & 0x000f8f80u) != 0 || (w >> 28) != 0) break;  // plain FENCE, rd = rs1 = 0
        put(&t, "fence\t");
        fence_set(&t, (w >> 24) & 15);
        put(&t, ", ");
        fence_set(&t, (w >> 20) & 15);
        return t.len;
    case 0x73: {
        if (f3 == 0) {
            const char *sys = w == 0x00000073u ? "ecall" : w == 0x00100073u ? "ebreak" : w == 0x30200073u ? "mret"
                            : w == 0x10500073u ? "wfi" : NULL;
            if (!sys) break;
            put(&t, "%s", sys);
            return t.len;
        }
        static const char *const c[8] = {NULL, "csrrw", "csrrs", "csrrc", NULL, "csrrwi", "csrrsi", "csrrci"};
        if (!(name = c[f3])) break;
        const unsigned csr = w >> 20;
        put(&t, "%s\t%s, ", name, R(w, 7));
        if (csr_name(csr)) put(&t, "%s, ", csr_name(csr));
        else put(&t, "0x%x, ", csr);
        if (f3 & 4) put(&t, "0x%x", (w >> 15) & 31);
        else put(&t, "%s", R(w, 15));
        return t.len;
    }
    default:
        break;
    }
    t.len = 0;
    put(&t, "<unknown>");
    return t.len;
}
