#ifndef ZKVM_LOADER_H
#define ZKVM_LOADER_H

// Building a loaded program (elf_loader.c): pre-decoding (decode.c) and its ID (program_id.c).

#include "program.h"

/// Decodes the text [text_base, text_base + 4 * text_words) of `program` from its decoded
/// segments into program->code (allocated here), weighing each slot with program->abi's
/// op_cycles. Returns 0, or -1 on allocation failure.
int vm_decode_program(zkvm_program *program);

/// Resolves the static branch and JAL targets of `n` decoded slots to slot indices (a target
/// outside them makes the slot OP_BRANCH_BAD_TARGET), writes the OP_END sentinel at code[n],
/// weighs every slot with `op_cycles` and fuses superinstructions.
void vm_resolve_and_weigh(vm_insn *code, uint32_t n, const uint8_t *op_cycles);

/// Sets program->id from its entry and segments (program_id.c).
void vm_program_compute_id(zkvm_program *program);

/// Decodes one instruction word at `pc` for a register width of `xlen` bits.
vm_insn vm_decode_word(uint32_t word, uint64_t pc, unsigned xlen);

#endif
