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
//
// Work (README "Work metering"): each row's `work` is the host cost of one call in work units, one
// unit being one interpreted instruction (the interpreter's geomean over fib, sort, CoreMark-like
// and software Keccak: 0.93 ns in the run below), and `per_kib` the cost per KiB of the data a
// length-dependent row moves. Derived with scripts/work-weights.sh (clang -O2 as a release build,
// thread CPU time, median of 7 batches of ~20 ms on the bare syscall harness, every call's input
// rewritten as needed; output in Benchmarks/results/work-weights.txt): for each row the slowest
// of its input classes (reduced and unreduced coordinates, a modulus and none, each sign), the
// larger of the SP1 v4 (RV32) and v6 (RV64) figures and of the day's runs, rounded up by ~10 %.
// Measured, in units per call: SHA_EXTEND 206-269, SHA_COMPRESS 214-318, KECCAK_PERMUTE 298-489,
// UINT256_MUL 88-131, U256XU2048_MUL 103-140; the curves' ADD / DOUBLE on reduced coordinates
// 1,188-1,597 (secp256k1, secp256r1, BN254) and 2,318-2,891 (BLS12-381), the rows' work, and on
// unreduced ones (the exact-integer path) 8,000-12,333 and 27,859-32,662, the rest of which the
// handler charges (weierstrass.c); DECOMPRESS 5,162-6,494 (secp256k1), 6,481-7,716 (secp256r1),
// 22,721-25,863 (BLS12-381); ED_ADD 1,420-1,631, ED_DECOMPRESS 6,424-8,377; the field towers
// (BLS12-381 / BN254) FP ADD, SUB 119-162 / 70-106, FP MUL 133-181 / 72-120, FP2 ADD, SUB 227-310
// / 114-183, FP2 MUL 290-404 / 138-221; POSEIDON2 1,800-1,983; the trivial rows (HINT_LEN, COMMIT,
// no-ops) 9-14, the dispatch itself. WRITE 18-61 per call and 42-561 per KiB copied (public values
// and hints, page faults and reallocation included), HINT_READ 31-66 and 43-117; HALT's SHA-256
// of the public values 616-645 per KiB; an unconstrained block's journal 230-332 per KiB of pages
// restored (EXIT_UNCONSTRAINED; the block's instructions cost one unit each).
#define SP1_ROW(code_, name_, flags_, handler_, arg_, work_, per_kib_)                          \
    [(code_) & 0xffu] = {.code = (code_), .name = (name_), .extra_cycles = 0, .flags = (flags_), \
                         .handler = (handler_), .arg = (arg_), .work = (work_), .work_per_kib = (per_kib_)}
/// The six field-tower rows of field F at ids lo .. lo + 5: F_FP_ADD, _SUB, _MUL, F_FP2_ADD, _SUB,
/// _MUL, with the work of FP ADD/SUB, FP MUL, FP2 ADD/SUB and FP2 MUL.
#define SP1_FIELD_TOWER(lo, F, w_add, w_mul, w2_add, w2_mul)                                                  \
    SP1_ROW(0x00010100u + (lo), #F "_FP_ADD", 0, pc_fp_op, PC_FIELD_OP(FP_##F, PC_FIELD_ADD), w_add, 0),    \
    SP1_ROW(0x00010101u + (lo), #F "_FP_SUB", 0, pc_fp_op, PC_FIELD_OP(FP_##F, PC_FIELD_SUB), w_add, 0),    \
    SP1_ROW(0x00010102u + (lo), #F "_FP_MUL", 0, pc_fp_op, PC_FIELD_OP(FP_##F, PC_FIELD_MUL), w_mul, 0),    \
    SP1_ROW(0x00010103u + (lo), #F "_FP2_ADD", 0, pc_fp2_op, PC_FIELD_OP(FP_##F, PC_FIELD_ADD), w2_add, 0), \
    SP1_ROW(0x00010104u + (lo), #F "_FP2_SUB", 0, pc_fp2_op, PC_FIELD_OP(FP_##F, PC_FIELD_SUB), w2_add, 0), \
    SP1_ROW(0x00010105u + (lo), #F "_FP2_MUL", 0, pc_fp2_op, PC_FIELD_OP(FP_##F, PC_FIELD_MUL), w2_mul, 0)

/// The work of a row that does nothing but dispatch (HINT_LEN, COMMIT, no-ops).
#define SP1_WORK_TRIVIAL 15u

#define SP1_WRITE 0x00000002u

/// One cycle per instruction, whatever it is, and the word for it in messages.
static const uint8_t sp1_op_cycles[OP_COUNT] = {[0 ... OP_COUNT - 1] = 1};
#define SP1_COSTS .op_cycles = sp1_op_cycles, .cycle_unit = "instructions"

/// The rows of SP1 v3-v6 alike, by family; each row sits at the slot of its code's low byte.
/// Columns: code, name, flags, handler, arg, work per call, work per KiB.
#define SP1_SHARED_ROWS                                                                         \
    /* Control and I/O (syscalls.c). HALT: per KiB of public values it hashes; WRITE: per KiB  \
       it copies (hooks add their own work, hooks.c); EXIT_UNCONSTRAINED: one unit per       \
       discarded instruction plus per KiB of journaled pages restored (measured: 255). */      \
    SP1_ROW(0x00000000u, "HALT", 0, sys_halt, 0, SP1_WORK_TRIVIAL, 700),                       \
    SP1_ROW(SP1_WRITE, "WRITE", VM_SYSCALL_UNCONSTRAINED, sys_write, 0, 70, 600),              \
    SP1_ROW(0x00000003u, "ENTER_UNCONSTRAINED", 0, sys_enter_unconstrained, 0, SP1_WORK_TRIVIAL, 0), \
    SP1_ROW(0x00000004u, "EXIT_UNCONSTRAINED", VM_SYSCALL_UNCONSTRAINED, sys_exit_unconstrained, 0, SP1_WORK_TRIVIAL, 370), \
    SP1_ROW(0x00000010u, "COMMIT", 0, sys_commit, 1, SP1_WORK_TRIVIAL, 0),                     \
    SP1_ROW(0x000000F0u, "HINT_LEN", 0, sys_hint_len, 0, SP1_WORK_TRIVIAL, 0),                 \
    SP1_ROW(0x000000F1u, "HINT_READ", 0, sys_hint_read, 0, 75, 130),                            \
    /* Short-Weierstrass curves (arg: the curve). */                                            \
    SP1_ROW(0x0001010Au, "SECP256K1_ADD", 0, pc_sw_add, PC_SECP256K1, 1700, 0),               \
    SP1_ROW(0x0000010Bu, "SECP256K1_DOUBLE", 0, pc_sw_double, PC_SECP256K1, 1700, 0),         \
    SP1_ROW(0x0001012Cu, "SECP256R1_ADD", 0, pc_sw_add, PC_SECP256R1, 1700, 0),               \
    SP1_ROW(0x0000012Du, "SECP256R1_DOUBLE", 0, pc_sw_double, PC_SECP256R1, 1700, 0),         \
    SP1_ROW(0x0001010Eu, "BN254_ADD", 0, pc_sw_add, PC_BN254, 1700, 0),                       \
    SP1_ROW(0x0000010Fu, "BN254_DOUBLE", 0, pc_sw_double, PC_BN254, 1700, 0),                 \
    SP1_ROW(0x0001011Eu, "BLS12381_ADD", 0, pc_sw_add, PC_BLS12381, 3200, 0),                 \
    SP1_ROW(0x0000011Fu, "BLS12381_DOUBLE", 0, pc_sw_double, PC_BLS12381, 3200, 0),           \
    /* Hashes, big integers and Ed25519 (precompiles/). */                                      \
    SP1_ROW(0x00300105u, "SHA_EXTEND", 0, pc_sha_extend, 0, 300, 0),                           \
    SP1_ROW(0x00010106u, "SHA_COMPRESS", 0, pc_sha_compress, 0, 350, 0),                       \
    SP1_ROW(0x00010109u, "KECCAK_PERMUTE", 0, pc_keccak_permute, 0, 520, 0),                   \
    SP1_ROW(0x0001011Du, "UINT256_MUL", 0, pc_uint256_mul, 0, 140, 0),                         \
    SP1_ROW(0x00010107u, "ED_ADD", 0, pc_ed_add, 0, 1700, 0),                                  \
    SP1_ROW(0x00000108u, "ED_DECOMPRESS", 0, pc_ed_decompress, 0, 9200, 0),                    \
    /* Field towers (arg: the field and operation). */                                          \
    SP1_FIELD_TOWER(0x20, BLS12381, 180, 200, 340, 450), /* BLS12381_FP_ADD .. BLS12381_FP2_MUL */ \
    SP1_FIELD_TOWER(0x26, BN254, 120, 135, 200, 245)      /* BN254_FP_ADD .. BN254_FP2_MUL */

#endif
