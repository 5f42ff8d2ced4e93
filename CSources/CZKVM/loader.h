#ifndef ZKVM_LOADER_H
#define ZKVM_LOADER_H

// Building a loaded program (elf_loader.c): pre-decoding (decode.c) and its ID (program_id.c).

#include "program.h"

/// Decodes the executable span [text_base, text_base + 4 * text_words) of `program` from its
/// segments into program->code (allocated here), weighing each slot with program->abi's
/// op_cycles. Returns 0, or -1 on allocation failure.
int vm_decode_program(zkvm_program *program);

/// Sets program->id from its entry and segments (program_id.c).
void vm_program_compute_id(zkvm_program *program);

/// Decodes one instruction word at `pc` (exposed for tests of the decoder).
vm_insn vm_decode_word(uint32_t word, uint32_t pc);

#endif
