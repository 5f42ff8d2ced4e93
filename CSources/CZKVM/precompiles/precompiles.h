#ifndef ZKVM_PRECOMPILES_H
#define ZKVM_PRECOMPILES_H

// Precompile handlers. Each takes the ECALL's a0 / a1 (a2 / a3 from vm->regs where the ABI
// uses them), validates its pointers with vm_check_words, and returns 0 or vm_fail(...).
// Registered by code in syscall_table.c.

#include "../vm.h"

typedef int (*vm_precompile_fn)(vm_t *vm, uint32_t a0, uint32_t a1);

typedef struct vm_precompile {
    uint32_t code;
    const char *name;
    vm_precompile_fn fn;
} vm_precompile;

/// The handler for `code`, or NULL if it is not a precompile we implement.
const vm_precompile *vm_precompile_lookup(uint32_t code);

// sha256.c
int pc_sha_extend(vm_t *vm, uint32_t w_ptr, uint32_t zero);
int pc_sha_compress(vm_t *vm, uint32_t w_ptr, uint32_t h_ptr);
// keccak.c
int pc_keccak_permute(vm_t *vm, uint32_t state_ptr, uint32_t zero);

#endif
