// RV32IM decoder: turns the executable span of a program into vm_insn slots once per program,
// each weighted with the cycles its ABI charges (abi.h, op_cycles).
// Semantics follow SP1's transpiler (SP1_ABI.md §3): CSR*, FENCE, MRET, WFI and other SYSTEM
// encodings become UNIMP; anything outside RV32IM is ILLEGAL and fails only if executed. An ABI
// that decodes some words differently says so in its descriptor (decode_fixup).

#include <stdlib.h>
#include <string.h>

#include "loader.h"
#include "vm.h"

static inline int32_t sext(uint32_t value, unsigned bits) {
    uint32_t m = 1u << (bits - 1);
    value &= (bits == 32) ? 0xFFFFFFFFu : ((1u << bits) - 1);
    return (int32_t)((value ^ m) - m);
}

static inline uint8_t dest(uint32_t rd) { return rd == 0 ? VM_REG_SINK : (uint8_t)rd; }

static vm_insn make(vm_op op, uint32_t rd, uint32_t rs1, uint32_t rs2, int32_t imm) {
    vm_insn i = {.op = (uint16_t)op, .kind = (uint8_t)op, .rd = dest(rd), .rs1 = (uint8_t)rs1, .rs2 = (uint8_t)rs2, .imm = imm};
    return i;
}

static vm_insn raw(vm_op op, uint32_t word) {
    vm_insn i = {.op = (uint16_t)op, .kind = (uint8_t)op, .rd = VM_REG_SINK, .imm = (int32_t)word};
    return i;
}

vm_insn vm_decode_word(uint32_t w, uint32_t pc) {
    uint32_t opcode = w & 0x7F, rd = (w >> 7) & 31, f3 = (w >> 12) & 7;
    uint32_t rs1 = (w >> 15) & 31, rs2 = (w >> 20) & 31, f7 = w >> 25;
    int32_t imm_i = sext(w >> 20, 12);

    switch (opcode) {
    case 0x33: {  // OP
        static const vm_op base[8] = {OP_ADD, OP_SLL, OP_SLT, OP_SLTU, OP_XOR, OP_SRL, OP_OR, OP_AND};
        static const vm_op mext[8] = {OP_MUL, OP_MULH, OP_MULHSU, OP_MULHU, OP_DIV, OP_DIVU, OP_REM, OP_REMU};
        if (f7 == 0) return make(base[f3], rd, rs1, rs2, 0);
        if (f7 == 1) return make(mext[f3], rd, rs1, rs2, 0);
        if (f7 == 0x20 && f3 == 0) return make(OP_SUB, rd, rs1, rs2, 0);
        if (f7 == 0x20 && f3 == 5) return make(OP_SRA, rd, rs1, rs2, 0);
        return raw(OP_ILLEGAL, w);
    }
    case 0x13:  // OP-IMM
        switch (f3) {
        case 0:  // ADDI; `li` and `mv` are common enough to save the register read / the add
            if (rs1 == 0) return make(OP_LI, rd, 0, 0, imm_i);
            if (imm_i == 0) return make(OP_MV, rd, rs1, 0, 0);
            return make(OP_ADDI, rd, rs1, 0, imm_i);
        case 2: return make(OP_SLTI, rd, rs1, 0, imm_i);
        case 3: return make(OP_SLTIU, rd, rs1, 0, imm_i);
        case 4: return make(OP_XORI, rd, rs1, 0, imm_i);
        case 6: return make(OP_ORI, rd, rs1, 0, imm_i);
        case 7: return make(OP_ANDI, rd, rs1, 0, imm_i);
        case 1:
            if (f7 != 0) return raw(OP_ILLEGAL, w);
            return make(OP_SLLI, rd, rs1, 0, (int32_t)rs2);
        default:  // 5
            if (f7 == 0) return make(OP_SRLI, rd, rs1, 0, (int32_t)rs2);
            if (f7 == 0x20) return make(OP_SRAI, rd, rs1, 0, (int32_t)rs2);
            return raw(OP_ILLEGAL, w);
        }
    case 0x03: {  // LOAD
        static const int ops[8] = {OP_LB, OP_LH, OP_LW, -1, OP_LBU, OP_LHU, -1, -1};
        if (ops[f3] < 0) return raw(OP_ILLEGAL, w);
        return make((vm_op)ops[f3], rd, rs1, 0, imm_i);
    }
    case 0x23: {  // STORE
        static const int ops[8] = {OP_SB, OP_SH, OP_SW, -1, -1, -1, -1, -1};
        if (ops[f3] < 0) return raw(OP_ILLEGAL, w);
        int32_t imm = sext((f7 << 5) | rd, 12);
        vm_insn i = make((vm_op)ops[f3], 0, rs1, rs2, imm);
        return i;
    }
    case 0x63: {  // BRANCH: imm holds the byte offset until vm_decode_program resolves it
        static const int ops[8] = {OP_BEQ, OP_BNE, -1, -1, OP_BLT, OP_BGE, OP_BLTU, OP_BGEU};
        static const int against_zero[8] = {OP_BEQZ, OP_BNEZ, -1, -1, OP_BLTZ, OP_BGEZ, -1, -1};
        if (ops[f3] < 0) return raw(OP_ILLEGAL, w);
        uint32_t imm = ((w >> 31) & 1) << 12 | ((w >> 7) & 1) << 11 | ((w >> 25) & 0x3F) << 5 | ((w >> 8) & 0xF) << 1;
        int op = (rs2 == 0 && against_zero[f3] >= 0) ? against_zero[f3] : ops[f3];
        return make((vm_op)op, 0, rs1, rs2, sext(imm, 13));
    }
    case 0x6F: {  // JAL
        uint32_t imm = ((w >> 31) & 1) << 20 | ((w >> 12) & 0xFF) << 12 | ((w >> 20) & 1) << 11 | ((w >> 21) & 0x3FF) << 1;
        return make(OP_JAL, rd, 0, 0, sext(imm, 21));
    }
    case 0x67:  // JALR (SP1 does not clear bit 0 of the target; we reject odd targets at run time)
        if (f3 != 0) return raw(OP_ILLEGAL, w);
        return make(OP_JALR, rd, rs1, 0, imm_i);
    case 0x37:  // LUI
        return make(OP_LI, rd, 0, 0, (int32_t)(w & 0xFFFFF000u));
    case 0x17:  // AUIPC: pc is static, so this is a constant load
        return make(OP_LI, rd, 0, 0, (int32_t)(pc + (w & 0xFFFFF000u)));
    case 0x73:  // SYSTEM
        if (w == 0x00000073u) return raw(OP_ECALL, w);
        if (w == 0x00100073u) return raw(OP_EBREAK, w);
        return raw(OP_UNIMP, w);
    case 0x0F:  // MISC-MEM (FENCE): SP1 transpiles it to UNIMP
        return raw(OP_UNIMP, w);
    default:
        return raw(OP_ILLEGAL, w);
    }
}

static int is_block_end(uint8_t op) { return op >= OP_BEQ; }
static int is_branch(uint8_t op) { return op >= OP_BEQ && op <= OP_BGEZ; }

/// 1 + the VM_FUSE_FIRST index of each op that can start a superinstruction, else 0.
static const uint8_t fuse_slot[OP_COUNT] = {
#define FUSE_SLOT(name) [OP_##name] = FUSE_##name + 1,
    VM_FUSE_FIRST(FUSE_SLOT)
#undef FUSE_SLOT
};

int vm_decode_program(zkvm_program *p) {
    uint32_t n = p->text_words;
    vm_insn *code = calloc((size_t)n + 1, sizeof *code);
    if (!code) return -1;

    // Gaps between executable segments are not code.
    for (uint32_t i = 0; i < n; i++) code[i] = raw(OP_NOT_TEXT, 0);
    for (size_t s = 0; s < p->segment_count; s++) {
        const vm_segment *seg = &p->segments[s];
        if (!(seg->flags & 1)) continue;
        for (uint32_t off = 0; off < seg->filesz; off += 4) {  // the decoded span ends at file bytes
            uint32_t pc = seg->vaddr + off, w = 0;
            for (unsigned b = 0; b < 4; b++)
                if (off + b < seg->filesz) w |= (uint32_t)seg->bytes[off + b] << (8 * b);
            vm_insn *slot = &code[(pc - p->text_base) >> 2];
            *slot = vm_decode_word(w, pc);
            if (p->abi->decode_fixup) p->abi->decode_fixup(slot, w);
        }
    }

    // Resolve static targets to slot indices.
    uint32_t text_bytes = n * 4;
    for (uint32_t i = 0; i < n; i++) {
        vm_insn *ins = &code[i];
        if (!(is_branch(ins->kind) || ins->kind == OP_JAL)) continue;
        uint32_t pc = p->text_base + 4 * i;
        uint32_t target = pc + (uint32_t)ins->imm;
        uint32_t off = target - p->text_base;
        if ((off & 3) || off >= text_bytes) {
            ins->rd = ins->kind;  // remember the original op; see OP_BRANCH_BAD_TARGET
            ins->op = ins->kind = OP_BRANCH_BAD_TARGET;
            ins->imm = (int32_t)target;
        } else {
            ins->imm = (int32_t)(off >> 2);
        }
    }

    // Block weights, from the end: a slot's own cost plus, unless it ends its block, the weight
    // of its successor. A branch with a bad target costs what the branch does (rd keeps its op).
    const uint8_t *cost = p->abi->op_cycles;
    code[n] = raw(OP_END, 0);
    code[n].weight = 0;
    for (uint32_t i = n; i-- > 0;) {
        const vm_insn *ins = &code[i];
        uint32_t own = cost[ins->kind == OP_BRANCH_BAD_TARGET ? ins->rd : ins->kind];
        code[i].weight = own + (is_block_end(ins->kind) ? 0 : code[i + 1].weight);
    }

    // Superinstructions: a slot whose op is in VM_FUSE_FIRST dispatches straight to its
    // successor's handler. Every slot keeps its own entry, so jumps into the middle still work.
    for (uint32_t i = 0; i < n; i++)
        if (fuse_slot[code[i].kind]) code[i].op = (uint16_t)FUSED_OP(fuse_slot[code[i].kind] - 1, code[i + 1].kind);
    p->code = code;
    return 0;
}
