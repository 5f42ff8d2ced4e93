/*
 * bytecode_vm (branchy): a small register machine — 16 registers, 32-bit instruction words
 * (op 8 bits | rd 4 | rs1 4 | rs2 4 | signed imm 12), dispatched by a switch — runs a bytecode
 * program that follows the Collatz trajectory of a start value (32-bit wrapping, at most 1000
 * steps) and tracks its step count and largest value. param = number of start values
 * (1, 2, ..., param). Checksum: FNV-1a-style fold of (steps, max, bytecode instructions executed)
 * per start value.
 */
#include "corpus.h"

enum { OP_HALT, OP_LI, OP_ADD, OP_SUB, OP_ADDI, OP_ANDI, OP_SHRI, OP_SHLI, OP_XOR,
       OP_BNZ, OP_BZ, OP_JMP, OP_BLTU, OP_MOV, OP_MAXU };

#define INS(op, rd, rs1, rs2, imm) \
    ((uint32_t)(op) | (uint32_t)(rd) << 8 | (uint32_t)(rs1) << 12 | (uint32_t)(rs2) << 16 | ((uint32_t)(imm) & 0xFFFu) << 20)

/* r0 = n (input), r1 = steps, r2 = scratch, r3 = max, r4 = 1, r5 = step cap. Branch and jump
 * targets are relative to the branch itself. */
static const uint32_t collatz_program[] = {
    /*  0 */ INS(OP_LI, 1, 0, 0, 0),
    /*  1 */ INS(OP_LI, 4, 0, 0, 1),
    /*  2 */ INS(OP_LI, 5, 0, 0, 1000),
    /*  3 */ INS(OP_MOV, 3, 0, 0, 0),
    /*  4 */ INS(OP_SUB, 2, 0, 4, 0),     /* loop: r2 = n - 1 */
    /*  5 */ INS(OP_BZ, 0, 2, 0, 13),     /* n == 1: to 18 */
    /*  6 */ INS(OP_BLTU, 0, 1, 5, 2),    /* steps < cap: to 8 */
    /*  7 */ INS(OP_JMP, 0, 0, 0, 11),    /* to 18 */
    /*  8 */ INS(OP_ANDI, 2, 0, 0, 1),
    /*  9 */ INS(OP_BNZ, 0, 2, 0, 3),     /* odd: to 12 */
    /* 10 */ INS(OP_SHRI, 0, 0, 0, 1),
    /* 11 */ INS(OP_JMP, 0, 0, 0, 4),     /* to 15 */
    /* 12 */ INS(OP_ADD, 2, 0, 0, 0),     /* r2 = 2n */
    /* 13 */ INS(OP_ADD, 0, 0, 2, 0),     /* n = 3n */
    /* 14 */ INS(OP_ADDI, 0, 0, 0, 1),    /* n = 3n + 1 */
    /* 15 */ INS(OP_MAXU, 3, 3, 0, 0),
    /* 16 */ INS(OP_ADDI, 1, 1, 0, 1),
    /* 17 */ INS(OP_JMP, 0, 0, 0, -13),   /* to 4 */
    /* 18 */ INS(OP_HALT, 0, 0, 0, 0),
};

/* Runs prog from 0 until HALT; returns the number of bytecode instructions executed. */
static uint32_t vm_run(const uint32_t *prog, uint32_t *r) {
    uint32_t pc = 0, executed = 0;
    for (;;) {
        uint32_t w = prog[pc];
        uint32_t rd = (w >> 8) & 15, rs1 = (w >> 12) & 15, rs2 = (w >> 16) & 15;
        int32_t imm = (int32_t)w >> 20;
        executed++;
        switch (w & 0xFF) {
        case OP_HALT: return executed;
        case OP_LI: r[rd] = (uint32_t)imm; break;
        case OP_ADD: r[rd] = r[rs1] + r[rs2]; break;
        case OP_SUB: r[rd] = r[rs1] - r[rs2]; break;
        case OP_ADDI: r[rd] = r[rs1] + (uint32_t)imm; break;
        case OP_ANDI: r[rd] = r[rs1] & (uint32_t)imm; break;
        case OP_SHRI: r[rd] = r[rs1] >> (imm & 31); break;
        case OP_SHLI: r[rd] = r[rs1] << (imm & 31); break;
        case OP_XOR: r[rd] = r[rs1] ^ r[rs2]; break;
        case OP_BNZ: if (r[rs1] != 0) { pc += (uint32_t)imm; continue; } break;
        case OP_BZ: if (r[rs1] == 0) { pc += (uint32_t)imm; continue; } break;
        case OP_JMP: pc += (uint32_t)imm; continue;
        case OP_BLTU: if (r[rs1] < r[rs2]) { pc += (uint32_t)imm; continue; } break;
        case OP_MOV: r[rd] = r[rs1]; break;
        case OP_MAXU: r[rd] = r[rs1] > r[rs2] ? r[rs1] : r[rs2]; break;
        default: return 0xFFFFFFFFu; /* unreachable with the program above */
        }
        pc++;
    }
}

uint32_t corpus_bytecode_vm(uint32_t param) {
    uint32_t h = CORPUS_FNV_OFFSET;
    for (uint32_t n = 1; n <= param; n++) {
        uint32_t r[16];
        for (int k = 0; k < 16; k++) r[k] = 0;
        r[0] = n;
        uint32_t executed = vm_run(collatz_program, r);
        h = (h ^ r[1]) * CORPUS_FNV_PRIME;
        h = (h ^ r[3]) * CORPUS_FNV_PRIME;
        h = (h ^ executed) * CORPUS_FNV_PRIME;
    }
    return h;
}
