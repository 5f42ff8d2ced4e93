// The SP1 v6 guest ABI (v6.4.0; SP1_V6_ABI.md): RV64IM over the window [0, 2^40), one cycle per
// instruction, and its syscall table. The codes are v4's (SP1_V6_ABI.md §3.2); what changed is
// the word (u64: 8-byte pointer alignment, SHA words in u64 slots), HINT_LEN / HINT_READ, the fds
// (13/14 and the hooks 15-21 only), non-zero exit codes (reported, not errors), the curve
// arithmetic, the new rows (UINT256_*_CARRY, POSEIDON2, MPROTECT, SIG_RETURN, HINT_MPROTECT_FLUSH,
// the debug calls) and the deprecated ones, which fail as v6's executor panics.

#include "abi_sp1_v6.h"

#include "precompiles/precompiles.h"
#include "program.h"
#include "syscalls.h"

// SP1 v6 counts one cycle per instruction, ECALL included: syscalls add nothing (SP1_V6_ABI.md §2.1).
#define ROW(code_, name_, flags_, handler_, arg_)                                               \
    [(code_) & 0xffu] = {.code = (code_), .name = (name_), .extra_cycles = 0, .flags = (flags_), \
                         .handler = (handler_), .arg = (arg_)}
#define FIELD_TOWER(lo, F)                                                                   \
    ROW(0x00010100u + (lo), #F "_FP_ADD", 0, pc_fp_op, PC_FIELD_OP(FP_##F, PC_FIELD_ADD)),   \
    ROW(0x00010101u + (lo), #F "_FP_SUB", 0, pc_fp_op, PC_FIELD_OP(FP_##F, PC_FIELD_SUB)),   \
    ROW(0x00010102u + (lo), #F "_FP_MUL", 0, pc_fp_op, PC_FIELD_OP(FP_##F, PC_FIELD_MUL)),   \
    ROW(0x00010103u + (lo), #F "_FP2_ADD", 0, pc_fp2_op, PC_FIELD_OP(FP_##F, PC_FIELD_ADD)), \
    ROW(0x00010104u + (lo), #F "_FP2_SUB", 0, pc_fp2_op, PC_FIELD_OP(FP_##F, PC_FIELD_SUB)), \
    ROW(0x00010105u + (lo), #F "_FP2_MUL", 0, pc_fp2_op, PC_FIELD_OP(FP_##F, PC_FIELD_MUL))

static const vm_syscall sp1_v6_syscalls[VM_SYSCALL_SLOTS] = {
    // Control and I/O (syscalls.c, syscalls_v6.c).
    ROW(0x00000000u, "HALT", 0, sys_halt, 0),
    ROW(0x00000002u, "WRITE", VM_SYSCALL_UNCONSTRAINED, sys_write, 0),
    ROW(0x00000003u, "ENTER_UNCONSTRAINED", 0, sys_enter_unconstrained, 0),
    ROW(0x00000004u, "EXIT_UNCONSTRAINED", VM_SYSCALL_UNCONSTRAINED, sys_exit_unconstrained, 0),
    ROW(0x00000010u, "COMMIT", 0, sys_commit, 1),
    ROW(0x0000001Au, "COMMIT_DEFERRED_PROOFS", 0, sys_noop, 0),  // recorded only when proving
    ROW(0x0000001Bu, "VERIFY_SP1_PROOF", 0, sys_noop, 0),        // deferred proofs are the host's
    ROW(0x000000F0u, "HINT_LEN", 0, sys_hint_len, 0),
    ROW(0x000000F1u, "HINT_READ", 0, sys_hint_read, 0),
    ROW(0x00000132u, "MPROTECT", 0, sys_mprotect, 0),
    ROW(0x00000134u, "SIG_RETURN", 0, sys_sig_return, 0),
    ROW(0x00000035u, "HINT_MPROTECT_FLUSH", 0, sys_noop, 0),
    ROW(0x00000040u, "DUMP_ELF", 0, sys_noop, 0),  // debug calls: no effect on execution
    ROW(0x00000041u, "INSERT_PROFILER_SYMBOLS", 0, sys_noop, 0),
    ROW(0x00000042u, "DELETE_PROFILER_SYMBOLS", 0, sys_noop, 0),
    // Short-Weierstrass curves (arg: the curve); the decompressions are deprecated.
    ROW(0x0001010Au, "SECP256K1_ADD", 0, pc_sw_add, PC_SECP256K1),
    ROW(0x0000010Bu, "SECP256K1_DOUBLE", 0, pc_sw_double, PC_SECP256K1),
    ROW(0x0000010Cu, "SECP256K1_DECOMPRESS", 0, sys_deprecated, 0),
    ROW(0x0001012Cu, "SECP256R1_ADD", 0, pc_sw_add, PC_SECP256R1),
    ROW(0x0000012Du, "SECP256R1_DOUBLE", 0, pc_sw_double, PC_SECP256R1),
    ROW(0x0000012Eu, "SECP256R1_DECOMPRESS", 0, sys_deprecated, 0),
    ROW(0x0001010Eu, "BN254_ADD", 0, pc_sw_add, PC_BN254),
    ROW(0x0000010Fu, "BN254_DOUBLE", 0, pc_sw_double, PC_BN254),
    ROW(0x0001011Eu, "BLS12381_ADD", 0, pc_sw_add, PC_BLS12381),
    ROW(0x0000011Fu, "BLS12381_DOUBLE", 0, pc_sw_double, PC_BLS12381),
    ROW(0x0000011Cu, "BLS12381_DECOMPRESS", 0, sys_deprecated, 0),
    // Hashes, big integers, Ed25519 and Poseidon2 (precompiles/).
    ROW(0x00300105u, "SHA_EXTEND", 0, pc_sha_extend, 0),
    ROW(0x00010106u, "SHA_COMPRESS", 0, pc_sha_compress, 0),
    ROW(0x00010109u, "KECCAK_PERMUTE", 0, pc_keccak_permute, 0),
    ROW(0x0001011Du, "UINT256_MUL", 0, pc_uint256_mul, 0),
    ROW(0x0001012Fu, "U256XU2048_MUL", 0, sys_deprecated, 0),  // deprecated since v6.1.0
    ROW(0x00010130u, "UINT256_ADD_CARRY", 0, pc_uint256_carry, 0),
    ROW(0x00010131u, "UINT256_MUL_CARRY", 0, pc_uint256_carry, 1),
    ROW(0x00000133u, "POSEIDON2", 0, pc_poseidon2, 0),
    ROW(0x00010107u, "ED_ADD", 0, pc_ed_add, 0),
    ROW(0x00000108u, "ED_DECOMPRESS", 0, pc_ed_decompress, 0),
    // Field towers (arg: the field and operation).
    FIELD_TOWER(0x20, BLS12381),  // BLS12381_FP_ADD .. BLS12381_FP2_MUL
    FIELD_TOWER(0x26, BN254),     // BN254_FP_ADD .. BN254_FP2_MUL
};

/// One cycle per instruction.
static const uint8_t sp1_v6_op_cycles[OP_COUNT] = {[0 ... OP_COUNT - 1] = 1};

const vm_abi_desc vm_abi_sp1_v6 = {
    .name = "SP1 v6",
    .id = ZKVM_ABI_V6,
    .choice = VM_ABI_BY_CLASS,
    .load = VM_LOAD_SP1_V6,
    .xlen = 64,
    .mem_lowest = 0,
    .mem_end = ZKVM_SP1_V6_MEM_END,
    .syscalls = sp1_v6_syscalls,
    .op_cycles = sp1_v6_op_cycles,
    .sp1 = {.version = 6, .public_values_fd = 13, .hints_read_next = true, .hint_len_exhausted_fails = false,
            .exit_code_fails = false, .legacy_fds = false, .cycle_tracker_consumed = false,
            .hint_read_extra_word = true, .sha_compress_distinct = false, .v6_curves = true},
};
