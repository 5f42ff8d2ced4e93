#ifndef ZKVM_JIT_X86_H
#define ZKVM_JIT_X86_H

// A small x86-64 encoder: the instructions the translator (translate.c) emits, appended to a
// growable byte buffer. Operands are registers or memory references [base + index * scale +
// disp] (or RIP-relative); `w64` selects 64-bit operand size (REX.W), else 32 bits (which zeroes
// the upper half of a destination register).

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct xbuf {
    uint8_t *p;
    size_t len, cap;
    bool oom;  ///< an allocation failed: the contents are incomplete
} xbuf;

enum { RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI, R8, R9, R10, R11, R12, R13, R14, R15, XNONE = 0xFF };

/// Condition codes (the low nibble of Jcc / SETcc).
enum { CC_O, CC_NO, CC_B, CC_AE, CC_E, CC_NE, CC_BE, CC_A, CC_S, CC_NS, CC_P, CC_NP, CC_L, CC_GE, CC_LE, CC_G };

/// ALU group 1 operations (the /digit of 0x81 and the opcode family of ADD..CMP).
enum { ALU_ADD, ALU_OR, ALU_ADC, ALU_SBB, ALU_AND, ALU_SUB, ALU_XOR, ALU_CMP };
/// Shift group 2 (/digit of C1 / D3).
enum { SH_ROL = 0, SH_ROR = 1, SH_SHL = 4, SH_SHR = 5, SH_SAR = 7 };
/// Group 3 (/digit of F7).
enum { G3_TEST = 0, G3_NOT = 2, G3_NEG = 3, G3_MUL = 4, G3_IMUL = 5, G3_DIV = 6, G3_IDIV = 7 };

/// A register or memory operand.
typedef struct xrm {
    bool mem;
    bool rip;  ///< RIP-relative: disp is patched later (x_modrm returns where it is)
    uint8_t reg;  ///< the register when !mem
    uint8_t base, index, scale;  ///< memory: index XNONE for none; scale 1, 2, 4 or 8
    int32_t disp;
} xrm;

static inline xrm XR(unsigned reg) { return (xrm){.reg = (uint8_t)reg, .base = XNONE, .index = XNONE}; }
static inline xrm XM(unsigned base, int32_t disp) {
    return (xrm){.mem = true, .base = (uint8_t)base, .index = XNONE, .scale = 1, .disp = disp};
}
static inline xrm XMI(unsigned base, unsigned index, unsigned scale, int32_t disp) {
    return (xrm){.mem = true, .base = (uint8_t)base, .index = (uint8_t)index, .scale = (uint8_t)scale, .disp = disp};
}
static inline xrm XRIP(void) { return (xrm){.mem = true, .rip = true, .base = XNONE, .index = XNONE}; }

static inline void xb_reserve(xbuf *b, size_t more) {
    if (b->len + more <= b->cap) return;
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->len + more) cap *= 2;
    uint8_t *p = realloc(b->p, cap);
    if (!p) {
        b->oom = true;
        b->len = 0;  // keep writing into what there is; the result is discarded
        return;
    }
    b->p = p;
    b->cap = cap;
}
static inline void xb_byte(xbuf *b, uint8_t v) {
    xb_reserve(b, 1);
    if (b->len < b->cap) b->p[b->len++] = v;
}
static inline void xb_u32(xbuf *b, uint32_t v) {
    for (int i = 0; i < 4; i++) xb_byte(b, (uint8_t)(v >> (8 * i)));
}
static inline void xb_u64(xbuf *b, uint64_t v) {
    for (int i = 0; i < 8; i++) xb_byte(b, (uint8_t)(v >> (8 * i)));
}
static inline void xb_patch32(xbuf *b, size_t at, uint32_t v) {
    if (b->oom || at + 4 > b->len) return;
    memcpy(b->p + at, &v, 4);
}
static inline bool x_fits8(int64_t v) { return v >= -128 && v <= 127; }
static inline bool x_fits32(int64_t v) { return v >= INT32_MIN && v <= INT32_MAX; }

/// Emits [0x66] [REX] opcode ModRM [SIB] [disp]. `reg` is the ModRM reg field (a register or a
/// /digit); `byte_regs` asks for a REX prefix when an 8-bit register operand is SPL..DIL (which
/// without REX would mean AH..BH). Returns the offset of a RIP-relative disp32 (else 0).
static inline size_t x_op(xbuf *b, bool w64, bool byte_regs, bool p66, const uint8_t *opc, unsigned opc_len,
                          unsigned reg, xrm rm) {
    uint8_t rex = 0x40 | (w64 ? 8 : 0) | ((reg & 8) ? 4 : 0);
    if (rm.mem) {
        if (!rm.rip && rm.index != XNONE && (rm.index & 8)) rex |= 2;
        if (!rm.rip && (rm.base & 8)) rex |= 1;
    } else if (rm.reg & 8) {
        rex |= 1;
    }
    bool need_rex = rex != 0x40 || (byte_regs && ((reg >= 4 && reg < 8) || (!rm.mem && rm.reg >= 4 && rm.reg < 8)));
    if (p66) xb_byte(b, 0x66);
    if (need_rex) xb_byte(b, rex);
    for (unsigned i = 0; i < opc_len; i++) xb_byte(b, opc[i]);
    unsigned r = (reg & 7) << 3;
    if (!rm.mem) {
        xb_byte(b, (uint8_t)(0xC0 | r | (rm.reg & 7)));
        return 0;
    }
    if (rm.rip) {
        xb_byte(b, (uint8_t)(0x05 | r));
        size_t at = b->len;
        xb_u32(b, (uint32_t)rm.disp);
        return at;
    }
    unsigned base = rm.base & 7;
    unsigned mod = (rm.disp == 0 && base != 5) ? 0 : x_fits8(rm.disp) ? 1 : 2;
    if (rm.index == XNONE && base != 4) {
        xb_byte(b, (uint8_t)((mod << 6) | r | base));
    } else {
        unsigned ss = rm.scale == 8 ? 3 : rm.scale == 4 ? 2 : rm.scale == 2 ? 1 : 0;
        unsigned index = rm.index == XNONE ? 4 : (rm.index & 7);
        xb_byte(b, (uint8_t)((mod << 6) | r | 4));
        xb_byte(b, (uint8_t)((ss << 6) | (index << 3) | base));
    }
    if (mod == 1) xb_byte(b, (uint8_t)(int8_t)rm.disp);
    if (mod == 2) xb_u32(b, (uint32_t)rm.disp);
    return 0;
}
#define X_OP1(b, w64, opc, reg, rm) x_op(b, w64, false, false, (const uint8_t[]){opc}, 1, reg, rm)
#define X_OP2(b, w64, opc1, opc2, reg, rm) x_op(b, w64, false, false, (const uint8_t[]){opc1, opc2}, 2, reg, rm)

// MARK: - Moves

static inline void x_mov_r_rm(xbuf *b, bool w64, unsigned dst, xrm src) { X_OP1(b, w64, 0x8B, dst, src); }
static inline void x_mov_rm_r(xbuf *b, bool w64, xrm dst, unsigned src) { X_OP1(b, w64, 0x89, src, dst); }
static inline void x_mov_rr(xbuf *b, bool w64, unsigned dst, unsigned src) {
    if (dst != src || !w64) x_mov_r_rm(b, w64, dst, XR(src));
}
/// 8- and 16-bit stores of a register's low bits.
static inline void x_mov8_rm_r(xbuf *b, xrm dst, unsigned src) { x_op(b, false, true, false, (const uint8_t[]){0x88}, 1, src, dst); }
static inline void x_mov16_rm_r(xbuf *b, xrm dst, unsigned src) { x_op(b, false, false, true, (const uint8_t[]){0x89}, 1, src, dst); }
/// Stores of an immediate: 8, 16, 32 bits, or 64 bits sign-extended from 32.
static inline void x_mov8_rm_imm(xbuf *b, xrm dst, uint8_t v) {
    x_op(b, false, false, false, (const uint8_t[]){0xC6}, 1, 0, dst);
    xb_byte(b, v);
}
static inline void x_mov16_rm_imm(xbuf *b, xrm dst, uint16_t v) {
    x_op(b, false, false, true, (const uint8_t[]){0xC7}, 1, 0, dst);
    xb_byte(b, (uint8_t)v);
    xb_byte(b, (uint8_t)(v >> 8));
}
static inline void x_mov_rm_imm32(xbuf *b, bool w64, xrm dst, int32_t v) {
    X_OP1(b, w64, 0xC7, 0, dst);
    xb_u32(b, (uint32_t)v);
}
/// dst = v (the shortest form: xor, mov r32 zero-extending, sign-extended imm32, or imm64).
static inline void x_mov_r_imm(xbuf *b, unsigned dst, uint64_t v) {
    if (v == 0) {
        X_OP1(b, false, 0x31, dst, XR(dst));
    } else if (v <= UINT32_MAX) {
        if (dst & 8) xb_byte(b, 0x41);
        xb_byte(b, (uint8_t)(0xB8 | (dst & 7)));
        xb_u32(b, (uint32_t)v);
    } else if (x_fits32((int64_t)v)) {
        x_mov_rm_imm32(b, true, XR(dst), (int32_t)v);
    } else {
        xb_byte(b, (uint8_t)(0x48 | ((dst & 8) ? 1 : 0)));
        xb_byte(b, (uint8_t)(0xB8 | (dst & 7)));
        xb_u64(b, v);
    }
}
static inline void x_lea(xbuf *b, bool w64, unsigned dst, xrm src) { X_OP1(b, w64, 0x8D, dst, src); }
/// Zero / sign extension of 8- or 16-bit memory or registers into a 32- or 64-bit register.
static inline void x_movzx8(xbuf *b, unsigned dst, xrm src) { x_op(b, false, true, false, (const uint8_t[]){0x0F, 0xB6}, 2, dst, src); }
static inline void x_movzx16(xbuf *b, unsigned dst, xrm src) { X_OP2(b, false, 0x0F, 0xB7, dst, src); }
static inline void x_movsx8(xbuf *b, bool w64, unsigned dst, xrm src) { x_op(b, w64, true, false, (const uint8_t[]){0x0F, 0xBE}, 2, dst, src); }
static inline void x_movsx16(xbuf *b, bool w64, unsigned dst, xrm src) { X_OP2(b, w64, 0x0F, 0xBF, dst, src); }
/// movsxd: 64-bit dst = sign-extended 32-bit src.
static inline void x_movsxd(xbuf *b, unsigned dst, xrm src) { X_OP1(b, true, 0x63, dst, src); }

// MARK: - Arithmetic

/// dst = dst OP src (ALU_*), src a register or memory.
static inline void x_alu_r_rm(xbuf *b, unsigned op, bool w64, unsigned dst, xrm src) {
    X_OP1(b, w64, (uint8_t)((op << 3) | 3), dst, src);
}
/// dst = dst OP imm (sign-extended imm8 or imm32).
static inline void x_alu_rm_imm(xbuf *b, unsigned op, bool w64, xrm dst, int32_t imm) {
    if (x_fits8(imm)) {
        X_OP1(b, w64, 0x83, op, dst);
        xb_byte(b, (uint8_t)(int8_t)imm);
    } else {
        X_OP1(b, w64, 0x81, op, dst);
        xb_u32(b, (uint32_t)imm);
    }
}
static inline void x_test_rm_r(xbuf *b, bool w64, xrm a, unsigned r) { X_OP1(b, w64, 0x85, r, a); }
static inline void x_test8_rm_imm(xbuf *b, xrm a, uint8_t imm) {
    x_op(b, false, true, false, (const uint8_t[]){0xF6}, 1, 0, a);
    xb_byte(b, imm);
}
static inline void x_shift_imm(xbuf *b, unsigned op, bool w64, xrm dst, unsigned n) {
    X_OP1(b, w64, 0xC1, op, dst);
    xb_byte(b, (uint8_t)n);
}
static inline void x_shift_cl(xbuf *b, unsigned op, bool w64, xrm dst) { X_OP1(b, w64, 0xD3, op, dst); }
static inline void x_group3(xbuf *b, unsigned op, bool w64, xrm a) { X_OP1(b, w64, 0xF7, op, a); }
static inline void x_imul_r_rm(xbuf *b, bool w64, unsigned dst, xrm src) { X_OP2(b, w64, 0x0F, 0xAF, dst, src); }
/// Sign-extends eax into edx (cdq) or rax into rdx (cqo).
static inline void x_cdq(xbuf *b, bool w64) {
    if (w64) xb_byte(b, 0x48);
    xb_byte(b, 0x99);
}
/// r8 = condition (SETcc), on AL, CL, DL or BL.
static inline void x_setcc(xbuf *b, unsigned cc, unsigned r8) { X_OP2(b, false, 0x0F, (uint8_t)(0x90 | cc), 0, XR(r8)); }

// MARK: - Control

/// Jcc / JMP with a rel32 to patch: returns the offset of the rel32.
static inline size_t x_jcc32(xbuf *b, unsigned cc) {
    xb_byte(b, 0x0F);
    xb_byte(b, (uint8_t)(0x80 | cc));
    size_t at = b->len;
    xb_u32(b, 0);
    return at;
}
static inline size_t x_jmp32(xbuf *b) {
    xb_byte(b, 0xE9);
    size_t at = b->len;
    xb_u32(b, 0);
    return at;
}
/// Short forward jumps within one sequence: returns the offset of the rel8, fixed by x_here8.
static inline size_t x_jcc8(xbuf *b, unsigned cc) {
    xb_byte(b, (uint8_t)(0x70 | cc));
    xb_byte(b, 0);
    return b->len - 1;
}
static inline size_t x_jmp8(xbuf *b) {
    xb_byte(b, 0xEB);
    xb_byte(b, 0);
    return b->len - 1;
}
/// Points the rel8 at `at` to the current position.
static inline void x_here8(xbuf *b, size_t at) {
    if (!b->oom && at < b->len) b->p[at] = (uint8_t)(int8_t)(b->len - (at + 1));
}
static inline void x_jmp_rm(xbuf *b, xrm target) { X_OP1(b, false, 0xFF, 4, target); }
static inline void x_call_rm(xbuf *b, xrm target) { X_OP1(b, false, 0xFF, 2, target); }
static inline void x_push(xbuf *b, unsigned r) {
    if (r & 8) xb_byte(b, 0x41);
    xb_byte(b, (uint8_t)(0x50 | (r & 7)));
}
static inline void x_pop(xbuf *b, unsigned r) {
    if (r & 8) xb_byte(b, 0x41);
    xb_byte(b, (uint8_t)(0x58 | (r & 7)));
}
static inline void x_ret(xbuf *b) { xb_byte(b, 0xC3); }

#endif
