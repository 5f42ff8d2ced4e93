#ifndef ZKVM_PRECOMPILES_H
#define ZKVM_PRECOMPILES_H

// Precompile handlers for the syscall tables (abis.c, abi_sp1_v6.c), at either register width.
// Each reads its pointers from a0 / a1 (a2..a4 where the ABI uses them), validates its buffers
// with vm_check_spans (alignment to the ABI's word, the guest window, and in SP1 v6's untrusted
// mode the page permissions, in the order SP1 checks them), names itself in messages with its
// row's name, and returns 0, VM_TRAP or vm_fail(...). Byte layouts are the same on both widths
// except SHA-256's words, one per guest word (a u32 on RV32, the low half of a u64 on RV64).
// Handlers that serve several rows take the curve or the field and operation from the row's `arg`.

#include "../vm.h"
#include "field.h"

/// Short-Weierstrass curves (weierstrass.c): the `arg` of their ADD / DOUBLE / DECOMPRESS rows.
typedef enum pc_curve { PC_SECP256K1, PC_SECP256R1, PC_BN254, PC_BLS12381, PC_CURVE_COUNT } pc_curve;

/// Field-tower operations (fptower.c); a row's `arg` is PC_FIELD_OP(field, op).
typedef enum pc_field_op { PC_FIELD_ADD, PC_FIELD_SUB, PC_FIELD_MUL } pc_field_op;
#define PC_FIELD_OP(field, op) ((uint32_t)(field) << 8 | (uint32_t)(op))

// sha256.c
int pc_sha_extend(vm_t *vm, const vm_syscall *sc);    ///< a0 = w, a1 = 0
int pc_sha_compress(vm_t *vm, const vm_syscall *sc);  ///< a0 = w, a1 = h
// keccak.c
int pc_keccak_permute(vm_t *vm, const vm_syscall *sc);  ///< a0 = state, a1 = 0
// uint256.c
int pc_uint256_mul(vm_t *vm, const vm_syscall *sc);     ///< a0 = x, a1 = y ‖ modulus
int pc_u256x2048_mul(vm_t *vm, const vm_syscall *sc);   ///< a0 = a, a1 = b, a2 = lo, a3 = hi
/// UINT256_ADD_CARRY (arg 0) and UINT256_MUL_CARRY (arg 1), SP1 v6: a0 = a, a1 = b, a2 = c; the
/// low and high 256 bits of a + b + c, or a * b + c, go to a3 and a4.
int pc_uint256_carry(vm_t *vm, const vm_syscall *sc);
// poseidon2.c
int pc_poseidon2(vm_t *vm, const vm_syscall *sc);  ///< a0 = 16 KoalaBear elements (u32 LE), permuted in place
/// SP1 v6's Poseidon2 permutation (KoalaBear, width 16) of 16 elements (reduced mod p first).
void pc_poseidon2_permute(uint32_t state[16]);
// weierstrass.c (arg: pc_curve)
int pc_sw_add(vm_t *vm, const vm_syscall *sc);         ///< a0 = p, a1 = q
int pc_sw_double(vm_t *vm, const vm_syscall *sc);      ///< a0 = p (a1 ignored)
int pc_sw_decompress(vm_t *vm, const vm_syscall *sc);  ///< a0 = buffer, a1 = sign / is_odd
// edwards.c
int pc_ed_add(vm_t *vm, const vm_syscall *sc);         ///< a0 = p, a1 = q
int pc_ed_decompress(vm_t *vm, const vm_syscall *sc);  ///< a0 = buffer, a1 = sign
// fptower.c (arg: PC_FIELD_OP)
int pc_fp_op(vm_t *vm, const vm_syscall *sc);   ///< a0 = x, a1 = y; x = x op y
int pc_fp2_op(vm_t *vm, const vm_syscall *sc);  ///< a0 = x, a1 = y (c0 ‖ c1 each)

#endif
