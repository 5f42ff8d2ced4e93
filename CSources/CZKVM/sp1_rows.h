#ifndef ZKVM_SP1_ROWS_H
#define ZKVM_SP1_ROWS_H

// Building SP1's syscall tables (abis.c for v3/v4, abi_sp1_v6.c for v6): the row initializer and
// the rows both generations share (same code, name and handler; the handlers follow each ABI's
// rules through its descriptor). Each table adds the rows that differ.

#include "precompiles/precompiles.h"
#include "program.h"
#include "syscalls.h"

// SP1 counts one cycle per executed instruction, ECALL included, whatever it runs: a precompile's
// "extra cycles" only advance the prover's clock (SP1_ABI.md §8, SP1_V6_ABI.md §2.1). Hence every
// row's extra_cycles is 0.
#define SP1_ROW(code_, name_, flags_, handler_, arg_)                                           \
    [(code_) & 0xffu] = {.code = (code_), .name = (name_), .extra_cycles = 0, .flags = (flags_), \
                         .handler = (handler_), .arg = (arg_)}
/// The six field-tower rows of field F at ids lo .. lo + 5: F_FP_ADD, _SUB, _MUL, F_FP2_ADD, _SUB, _MUL.
#define SP1_FIELD_TOWER(lo, F)                                                                   \
    SP1_ROW(0x00010100u + (lo), #F "_FP_ADD", 0, pc_fp_op, PC_FIELD_OP(FP_##F, PC_FIELD_ADD)),   \
    SP1_ROW(0x00010101u + (lo), #F "_FP_SUB", 0, pc_fp_op, PC_FIELD_OP(FP_##F, PC_FIELD_SUB)),   \
    SP1_ROW(0x00010102u + (lo), #F "_FP_MUL", 0, pc_fp_op, PC_FIELD_OP(FP_##F, PC_FIELD_MUL)),   \
    SP1_ROW(0x00010103u + (lo), #F "_FP2_ADD", 0, pc_fp2_op, PC_FIELD_OP(FP_##F, PC_FIELD_ADD)), \
    SP1_ROW(0x00010104u + (lo), #F "_FP2_SUB", 0, pc_fp2_op, PC_FIELD_OP(FP_##F, PC_FIELD_SUB)), \
    SP1_ROW(0x00010105u + (lo), #F "_FP2_MUL", 0, pc_fp2_op, PC_FIELD_OP(FP_##F, PC_FIELD_MUL))

#define SP1_WRITE 0x00000002u

/// One cycle per instruction, whatever it is, and the word for it in messages.
static const uint8_t sp1_op_cycles[OP_COUNT] = {[0 ... OP_COUNT - 1] = 1};
#define SP1_COSTS .op_cycles = sp1_op_cycles, .cycle_unit = "instructions"

/// The rows of SP1 v3-v6 alike, by family; each row sits at the slot of its code's low byte.
#define SP1_SHARED_ROWS                                                                         \
    /* Control and I/O (syscalls.c). */                                                         \
    SP1_ROW(0x00000000u, "HALT", 0, sys_halt, 0),                                               \
    SP1_ROW(SP1_WRITE, "WRITE", VM_SYSCALL_UNCONSTRAINED, sys_write, 0),                        \
    SP1_ROW(0x00000003u, "ENTER_UNCONSTRAINED", 0, sys_enter_unconstrained, 0),                 \
    SP1_ROW(0x00000004u, "EXIT_UNCONSTRAINED", VM_SYSCALL_UNCONSTRAINED, sys_exit_unconstrained, 0), \
    SP1_ROW(0x00000010u, "COMMIT", 0, sys_commit, 1),                                           \
    SP1_ROW(0x000000F0u, "HINT_LEN", 0, sys_hint_len, 0),                                       \
    SP1_ROW(0x000000F1u, "HINT_READ", 0, sys_hint_read, 0),                                     \
    /* Short-Weierstrass curves (arg: the curve). */                                            \
    SP1_ROW(0x0001010Au, "SECP256K1_ADD", 0, pc_sw_add, PC_SECP256K1),                          \
    SP1_ROW(0x0000010Bu, "SECP256K1_DOUBLE", 0, pc_sw_double, PC_SECP256K1),                    \
    SP1_ROW(0x0001012Cu, "SECP256R1_ADD", 0, pc_sw_add, PC_SECP256R1),                          \
    SP1_ROW(0x0000012Du, "SECP256R1_DOUBLE", 0, pc_sw_double, PC_SECP256R1),                    \
    SP1_ROW(0x0001010Eu, "BN254_ADD", 0, pc_sw_add, PC_BN254),                                  \
    SP1_ROW(0x0000010Fu, "BN254_DOUBLE", 0, pc_sw_double, PC_BN254),                            \
    SP1_ROW(0x0001011Eu, "BLS12381_ADD", 0, pc_sw_add, PC_BLS12381),                            \
    SP1_ROW(0x0000011Fu, "BLS12381_DOUBLE", 0, pc_sw_double, PC_BLS12381),                      \
    /* Hashes, big integers and Ed25519 (precompiles/). */                                      \
    SP1_ROW(0x00300105u, "SHA_EXTEND", 0, pc_sha_extend, 0),                                    \
    SP1_ROW(0x00010106u, "SHA_COMPRESS", 0, pc_sha_compress, 0),                                \
    SP1_ROW(0x00010109u, "KECCAK_PERMUTE", 0, pc_keccak_permute, 0),                            \
    SP1_ROW(0x0001011Du, "UINT256_MUL", 0, pc_uint256_mul, 0),                                  \
    SP1_ROW(0x00010107u, "ED_ADD", 0, pc_ed_add, 0),                                            \
    SP1_ROW(0x00000108u, "ED_DECOMPRESS", 0, pc_ed_decompress, 0),                              \
    /* Field towers (arg: the field and operation). */                                          \
    SP1_FIELD_TOWER(0x20, BLS12381), /* BLS12381_FP_ADD .. BLS12381_FP2_MUL */                  \
    SP1_FIELD_TOWER(0x26, BN254)     /* BN254_FP_ADD .. BN254_FP2_MUL */

#endif
