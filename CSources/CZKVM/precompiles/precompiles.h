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
// uint256.c
int pc_uint256_mul(vm_t *vm, uint32_t x_ptr, uint32_t y_ptr);
int pc_u256x2048_mul(vm_t *vm, uint32_t a_ptr, uint32_t b_ptr);  // lo / hi pointers in a2 / a3
// weierstrass.c
int pc_secp256k1_add(vm_t *vm, uint32_t p_ptr, uint32_t q_ptr);
int pc_secp256k1_double(vm_t *vm, uint32_t p_ptr, uint32_t unused);
int pc_secp256k1_decompress(vm_t *vm, uint32_t ptr, uint32_t is_odd);
int pc_secp256r1_add(vm_t *vm, uint32_t p_ptr, uint32_t q_ptr);
int pc_secp256r1_double(vm_t *vm, uint32_t p_ptr, uint32_t unused);
int pc_secp256r1_decompress(vm_t *vm, uint32_t ptr, uint32_t is_odd);
int pc_bn254_add(vm_t *vm, uint32_t p_ptr, uint32_t q_ptr);
int pc_bn254_double(vm_t *vm, uint32_t p_ptr, uint32_t unused);
int pc_bls12381_add(vm_t *vm, uint32_t p_ptr, uint32_t q_ptr);
int pc_bls12381_double(vm_t *vm, uint32_t p_ptr, uint32_t unused);
int pc_bls12381_decompress(vm_t *vm, uint32_t ptr, uint32_t sign);
// edwards.c
int pc_ed_add(vm_t *vm, uint32_t p_ptr, uint32_t q_ptr);
int pc_ed_decompress(vm_t *vm, uint32_t ptr, uint32_t sign);
// fptower.c
int pc_bn254_fp_add(vm_t *vm, uint32_t x_ptr, uint32_t y_ptr);
int pc_bn254_fp_sub(vm_t *vm, uint32_t x_ptr, uint32_t y_ptr);
int pc_bn254_fp_mul(vm_t *vm, uint32_t x_ptr, uint32_t y_ptr);
int pc_bn254_fp2_add(vm_t *vm, uint32_t x_ptr, uint32_t y_ptr);
int pc_bn254_fp2_sub(vm_t *vm, uint32_t x_ptr, uint32_t y_ptr);
int pc_bn254_fp2_mul(vm_t *vm, uint32_t x_ptr, uint32_t y_ptr);
int pc_bls12381_fp_add(vm_t *vm, uint32_t x_ptr, uint32_t y_ptr);
int pc_bls12381_fp_sub(vm_t *vm, uint32_t x_ptr, uint32_t y_ptr);
int pc_bls12381_fp_mul(vm_t *vm, uint32_t x_ptr, uint32_t y_ptr);
int pc_bls12381_fp2_add(vm_t *vm, uint32_t x_ptr, uint32_t y_ptr);
int pc_bls12381_fp2_sub(vm_t *vm, uint32_t x_ptr, uint32_t y_ptr);
int pc_bls12381_fp2_mul(vm_t *vm, uint32_t x_ptr, uint32_t y_ptr);

#endif
