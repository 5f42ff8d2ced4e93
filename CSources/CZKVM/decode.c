// RV32IM / RV64IM decoder: turns the executable span of a program into vm_insn slots once per
// program, each weighted with the cycles its ABI charges (abi.h, op_cycles). One decoder serves
// both widths; `xlen` selects RV64's extra encodings (OP-32, OP-IMM-32, LD/LWU/SD, 6-bit shift
// amounts) and the decoding rules of the SP1 generation that runs that width:
//   RV32 (SP1 v3-v5, SP1_ABI.md §3): CSR*, FENCE, MRET, WFI and other SYSTEM encodings become
//        UNIMP; anything outside RV32IM is ILLEGAL and fails only if executed.
//   RV64 (SP1 v6, SP1_V6_ABI.md §1.2): as SP1's rrs-based transpiler, CSR*, FENCE (funct3 0),
//        MRET and WFI become UNIMP and every other encoding outside RV64IM (other SYSTEM or
//        MISC-MEM words included) is ILLEGAL, which the v6 loader refuses to load.
// An ABI that decodes some words differently (RISC Zero) says so in its descriptor (decode_fixup).

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

/// SYSTEM (0x73): ECALL, EBREAK; the rest is UNIMP on RV32 and, on RV64, UNIMP for CSR*, MRET and
/// WFI only.
static vm_insn decode_system(uint32_t w, unsigned xlen) {
    if (w == 0x00000073u) return raw(OP_ECALL, w);
    if (w == 0x00100073u) return raw(OP_EBREAK, w);
    uint32_t f3 = (w >> 12) & 7;
    if (xlen == 32 || w == 0x30200073u /* MRET */ || w == 0x10500073u /* WFI */ || (f3 != 0 && f3 != 4))
        return raw(OP_UNIMP, w);
    return raw(OP_ILLEGAL, w);
}

/// OP-IMM (0x13) and, on RV64, OP-IMM-32 (0x1B, `word` true).
static vm_insn decode_op_imm(uint32_t w, unsigned xlen, bool word) {
    uint32_t rd = (w >> 7) & 31, f3 = (w >> 12) & 7, rs1 = (w >> 15) & 31, f7 = w >> 25;
    int32_t imm = sext(w >> 20, 12);
    // Shift amounts: 5 bits on RV32 and for the *W shifts, 6 bits on RV64 (funct6 then).
    uint32_t shamt_bits = (xlen == 64 && !word) ? 6 : 5;
    uint32_t shamt = (w >> 20) & ((1u << shamt_bits) - 1), funct = w >> (20 + shamt_bits);
    uint32_t sra_funct = 0x20u >> (shamt_bits - 5);  // 0x20 as funct7, 0x10 as funct6
    (void)f7;
    switch (f3) {
    case 0:
        if (word) return make(OP_ADDIW, rd, rs1, 0, imm);
        // ADDI; `li` and `mv` are common enough to save the register read / the add
        if (rs1 == 0) return make(OP_LI, rd, 0, 0, imm);
        if (imm == 0) return make(OP_MV, rd, rs1, 0, 0);
        return make(OP_ADDI, rd, rs1, 0, imm);
    case 1:
        if (funct != 0) return raw(OP_ILLEGAL, w);
        return make(word ? OP_SLLIW : OP_SLLI, rd, rs1, 0, (int32_t)shamt);
    case 5:
        if (funct == 0) return make(word ? OP_SRLIW : OP_SRLI, rd, rs1, 0, (int32_t)shamt);
        if (funct == sra_funct) return make(word ? OP_SRAIW : OP_SRAI, rd, rs1, 0, (int32_t)shamt);
        return raw(OP_ILLEGAL, w);
    default:
        if (word) return raw(OP_ILLEGAL, w);
        static const vm_op ops[8] = {[2] = OP_SLTI, [3] = OP_SLTIU, [4] = OP_XORI, [6] = OP_ORI, [7] = OP_ANDI};
        return make(ops[f3], rd, rs1, 0, imm);
    }
}

/// OP (0x33) and, on RV64, OP-32 (0x3B, `word` true).
static vm_insn decode_op(uint32_t w, bool word) {
    uint32_t rd = (w >> 7) & 31, f3 = (w >> 12) & 7, rs1 = (w >> 15) & 31, rs2 = (w >> 20) & 31, f7 = w >> 25;
    static const int base[8] = {OP_ADD, OP_SLL, OP_SLT, OP_SLTU, OP_XOR, OP_SRL, OP_OR, OP_AND};
    static const int mext[8] = {OP_MUL, OP_MULH, OP_MULHSU, OP_MULHU, OP_DIV, OP_DIVU, OP_REM, OP_REMU};
    static const int base_w[8] = {OP_ADDW, OP_SLLW, -1, -1, -1, OP_SRLW, -1, -1};
    static const int mext_w[8] = {OP_MULW, -1, -1, -1, OP_DIVW, OP_DIVUW, OP_REMW, OP_REMUW};
    int op = -1;
    if (f7 == 0) op = (word ? base_w : base)[f3];
    if (f7 == 1) op = (word ? mext_w : mext)[f3];
    if (f7 == 0x20 && f3 == 0) op = word ? OP_SUBW : OP_SUB;
    if (f7 == 0x20 && f3 == 5) op = word ? OP_SRAW : OP_SRA;
    return op < 0 ? raw(OP_ILLEGAL, w) : make((vm_op)op, rd, rs1, rs2, 0);
}

vm_insn vm_decode_word(uint32_t w, uint64_t pc, unsigned xlen) {
    uint32_t opcode = w & 0x7F, rd = (w >> 7) & 31, f3 = (w >> 12) & 7;
    uint32_t rs1 = (w >> 15) & 31, rs2 = (w >> 20) & 31, f7 = w >> 25;
    int32_t imm_i = sext(w >> 20, 12);
    const bool rv64 = xlen == 64;

    switch (opcode) {
    case 0x33: return decode_op(w, false);
    case 0x3B: return rv64 ? decode_op(w, true) : raw(OP_ILLEGAL, w);
    case 0x13: return decode_op_imm(w, xlen, false);
    case 0x1B: return rv64 ? decode_op_imm(w, xlen, true) : raw(OP_ILLEGAL, w);
    case 0x03: {  // LOAD
        static const int ops[8] = {OP_LB, OP_LH, OP_LW, OP_LD, OP_LBU, OP_LHU, OP_LWU, -1};
        if (ops[f3] < 0 || (!rv64 && (f3 == 3 || f3 == 6))) return raw(OP_ILLEGAL, w);
        return make((vm_op)ops[f3], rd, rs1, 0, imm_i);
    }
    case 0x23: {  // STORE
        static const int ops[8] = {OP_SB, OP_SH, OP_SW, OP_SD, -1, -1, -1, -1};
        if (ops[f3] < 0 || (!rv64 && f3 == 3)) return raw(OP_ILLEGAL, w);
        return make((vm_op)ops[f3], 0, rs1, rs2, sext((f7 << 5) | rd, 12));
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
    case 0x67:  // JALR (the loops of each width apply that width's rule to bit 0 of the target)
        if (f3 != 0) return raw(OP_ILLEGAL, w);
        return make(OP_JALR, rd, rs1, 0, imm_i);
    case 0x37:  // LUI: sign-extended on RV64, which the loops do to every immediate
        return make(OP_LI, rd, 0, 0, (int32_t)(w & 0xFFFFF000u));
    case 0x17: {  // AUIPC: pc is static, so this is a constant load when the constant fits
        int64_t value = (int64_t)pc + (int32_t)(w & 0xFFFFF000u);
        if (!rv64 || value == (int32_t)value) return make(OP_LI, rd, 0, 0, (int32_t)(uint32_t)value);
        return make(OP_AUIPC, rd, 0, 0, (int32_t)(w & 0xFFFFF000u));
    }
    case 0x73: return decode_system(w, xlen);
    case 0x0F:  // MISC-MEM: SP1 transpiles FENCE to UNIMP (v6: FENCE.I and the rest do not decode)
        return (!rv64 || f3 == 0) ? raw(OP_UNIMP, w) : raw(OP_ILLEGAL, w);
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

/// Which operand of `later` is the register `earlier` writes: 1 (rs1), 2 (rs2) or 0. (x0 writes
/// go to VM_REG_SINK, which no operand names; an op that does not read the operand is unaffected,
/// since the value handed over equals the register's.)
static unsigned reads_result(const vm_insn *later, const vm_insn *earlier) {
    return later->rs1 == earlier->rd ? 1 : later->rs2 == earlier->rd ? 2 : 0;
}

void vm_resolve_and_weigh(vm_insn *code, uint32_t n, const uint8_t *cost) {
    // Resolve static targets to slot indices.
    uint64_t text_bytes = (uint64_t)n * 4;
    for (uint32_t i = 0; i < n; i++) {
        vm_insn *ins = &code[i];
        if (!(is_branch(ins->kind) || ins->kind == OP_JAL)) continue;
        uint64_t off = 4 * (uint64_t)i + (uint64_t)(int64_t)ins->imm;  // target - text_base, wrapping
        if ((off & 3) || off >= text_bytes) {
            // OP_BRANCH_BAD_TARGET: rd remembers the original op, a JAL's destination moves to
            // rs2 (which a JAL does not use), imm keeps the byte offset.
            if (ins->kind == OP_JAL) ins->rs2 = ins->rd;
            ins->rd = ins->kind;
            ins->op = ins->kind = OP_BRANCH_BAD_TARGET;
        } else {
            ins->imm = (int32_t)(off >> 2);
        }
    }

    // Block weights, from the end: a slot's own cost plus, unless it ends its block, the weight
    // of its successor. A branch with a bad target costs what the branch does (rd keeps its op).
    code[n] = raw(OP_END, 0);
    code[n].weight = 0;
    for (uint32_t i = n; i-- > 0;) {
        const vm_insn *ins = &code[i];
        uint32_t own = cost[ins->kind == OP_BRANCH_BAD_TARGET ? ins->rd : ins->kind];
        code[i].weight = own + (is_block_end(ins->kind) ? 0 : code[i + 1].weight);
    }

    // Superinstructions: a slot whose op is in VM_FUSE_FIRST dispatches straight to its
    // successor's handler. Every slot keeps its own entry, so jumps into the middle still work.
    // When the successor reads the register the slot writes, the pair takes that operand from
    // the first op's result.
    for (uint32_t i = 0; i < n; i++)
        if (fuse_slot[code[i].kind])
            code[i].op = (uint16_t)FUSED_DEP_OP(reads_result(&code[i + 1], &code[i]), fuse_slot[code[i].kind] - 1,
                                                code[i + 1].kind);
    // Reached from the slot before (not as a block entry), a slot reading the register that slot
    // wrote takes the value in a host register too.
    for (uint32_t i = 0; i <= n; i++)
        code[i].op_next = (uint16_t)VM_ACC_OP(i > 0 ? reads_result(&code[i], &code[i - 1]) : 0, code[i].op);
}

int vm_decode_program(zkvm_program *p) {
    uint32_t n = p->text_words;
    vm_insn *code = calloc((size_t)n + 1, sizeof *code);
    if (!code) return -1;
    const unsigned xlen = p->abi->xlen;

    // Gaps between executable segments are not code.
    for (uint32_t i = 0; i < n; i++) code[i] = raw(OP_NOT_TEXT, 0);
    for (size_t s = 0; s < p->segment_count; s++) {
        const vm_segment *seg = &p->segments[s];
        if (!seg->decoded) continue;
        for (uint64_t off = 0; off < seg->decoded_bytes; off += 4) {
            uint64_t pc = seg->vaddr + off;
            uint32_t w = 0;
            for (unsigned b = 0; b < 4; b++)
                if (off + b < seg->filesz) w |= (uint32_t)seg->bytes[off + b] << (8 * b);
            vm_insn *slot = &code[(pc - p->text_base) >> 2];
            *slot = vm_decode_word(w, pc, xlen);
            if (p->abi->decode_fixup) p->abi->decode_fixup(slot, w);
        }
    }
    vm_resolve_and_weigh(code, n, p->abi->op_cycles);
    p->code = code;
    return 0;
}
