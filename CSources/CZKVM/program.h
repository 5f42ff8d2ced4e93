#ifndef ZKVM_PROGRAM_H
#define ZKVM_PROGRAM_H

// A loaded program: its segments (for the memory image), its ID, and the pre-decoded text that
// every execution shares read-only.

#include <stdint.h>

#include "zkvm_core.h"

/// Internal opcodes. The interpreter's dispatch table is indexed by these, so the order matters
/// only there (interp_loop.h lists the labels in the same order).
typedef enum vm_op {
    // register-register
    OP_ADD, OP_SUB, OP_XOR, OP_OR, OP_AND, OP_SLL, OP_SRL, OP_SRA, OP_SLT, OP_SLTU,
    OP_MUL, OP_MULH, OP_MULHSU, OP_MULHU, OP_DIV, OP_DIVU, OP_REM, OP_REMU,
    // register-immediate (LUI and AUIPC become LI: their result is known at decode time)
    OP_ADDI, OP_XORI, OP_ORI, OP_ANDI, OP_SLLI, OP_SRLI, OP_SRAI, OP_SLTI, OP_SLTIU, OP_LI,
    // memory
    OP_LB, OP_LH, OP_LW, OP_LBU, OP_LHU, OP_SB, OP_SH, OP_SW,
    // control transfer: each ends a basic block
    OP_BEQ, OP_BNE, OP_BLT, OP_BGE, OP_BLTU, OP_BGEU, OP_JAL, OP_JALR, OP_ECALL,
    OP_BRANCH_BAD_TARGET,  ///< static branch/JAL target outside the text: fails only if taken
    OP_EBREAK, OP_UNIMP, OP_ILLEGAL, OP_NOT_TEXT,
    OP_END,  ///< sentinel slot after the text: execution fell off the end
    OP_COUNT
} vm_op;

/// One pre-decoded instruction (16 bytes).
typedef struct vm_insn {
    uint8_t op;
    uint8_t rd;   ///< destination register; x0 is remapped to VM_REG_SINK
    uint8_t rs1;
    uint8_t rs2;
    int32_t imm;  ///< immediate; for BEQ..BGEU / JAL: the target's slot index
    /// Instructions from this one to the end of its basic block, inclusive. Adding it when
    /// control enters a block gives exact cycle counts with one limit check per block.
    uint32_t rem;
    /// JAL / JALR: the link value (pc + 4). ILLEGAL / UNIMP / NOT_TEXT: the raw word.
    /// BRANCH_BAD_TARGET: the target address.
    uint32_t aux;
} vm_insn;

typedef struct vm_segment {
    uint32_t vaddr, memsz, filesz, flags;
    uint8_t *bytes;  ///< filesz bytes (trailing zeros trimmed)
} vm_segment;

struct zkvm_program {
    uint32_t entry;
    zkvm_abi abi;
    uint8_t id[32];

    vm_segment *segments;  ///< sorted by vaddr
    size_t segment_count;

    uint32_t text_base;   ///< lowest executable address
    uint32_t text_words;  ///< decoded slots; code[text_words] is the OP_END sentinel
    vm_insn *code;
};

/// Decodes the executable span [text_base, text_base + 4 * text_words) of `program` from its
/// segments into program->code (allocated here). Returns 0, or -1 on allocation failure.
int vm_decode_program(zkvm_program *program);

/// Decodes one instruction word at `pc` (exposed for tests of the decoder).
vm_insn vm_decode_word(uint32_t word, uint32_t pc);

#endif
