// The SP1 v6 guest ABI (v6.4.0; SP1_V6_ABI.md): RV64IM over the window [0, 2^40), one cycle per
// instruction, and its syscall table. The codes are v4's (SP1_V6_ABI.md §3.2); what changed is
// the word (u64: 8-byte pointer alignment, SHA words in u64 slots), HINT_LEN / HINT_READ, the fds
// (13/14 and the hooks 15-21 only), non-zero exit codes (reported, not errors), the curve
// arithmetic, the new rows (UINT256_*_CARRY, POSEIDON2, MPROTECT, SIG_RETURN, HINT_MPROTECT_FLUSH,
// the debug calls) and the deprecated ones, which fail as v6's executor panics.

#include "abi_sp1_v6.h"

#include "program.h"
#include "sp1_rows.h"

/// The rows SP1 v3-v6 share (whose handlers follow the descriptor's v6 rules), and v6's own.
static const vm_syscall sp1_v6_syscalls[VM_SYSCALL_SLOTS] = {
    SP1_SHARED_ROWS,
    SP1_ROW(0x0000001Au, "COMMIT_DEFERRED_PROOFS", 0, sys_noop, 0, SP1_WORK_TRIVIAL, 0),  // recorded only when proving
    SP1_ROW(0x0000001Bu, "VERIFY_SP1_PROOF", 0, sys_noop, 0, SP1_WORK_TRIVIAL, 0),        // deferred proofs are the host's
    // Untrusted mode (syscalls_v6.c) and the debug calls, which do not change execution.
    // SIG_RETURN reads 32 registers.
    SP1_ROW(0x00000132u, "MPROTECT", 0, sys_mprotect, 0, SP1_WORK_TRIVIAL, 0),
    SP1_ROW(0x00000134u, "SIG_RETURN", 0, sys_sig_return, 0, 50, 0),
    SP1_ROW(0x00000035u, "HINT_MPROTECT_FLUSH", 0, sys_noop, 0, SP1_WORK_TRIVIAL, 0),
    SP1_ROW(0x00000040u, "DUMP_ELF", 0, sys_noop, 0, SP1_WORK_TRIVIAL, 0),
    SP1_ROW(0x00000041u, "INSERT_PROFILER_SYMBOLS", 0, sys_noop, 0, SP1_WORK_TRIVIAL, 0),
    SP1_ROW(0x00000042u, "DELETE_PROFILER_SYMBOLS", 0, sys_noop, 0, SP1_WORK_TRIVIAL, 0),
    // New precompiles (work: sp1_rows.h; measured up to 29, 39 and 1,983 units per call).
    SP1_ROW(0x00010130u, "UINT256_ADD_CARRY", 0, pc_uint256_carry, 0, 45, 0),
    SP1_ROW(0x00010131u, "UINT256_MUL_CARRY", 0, pc_uint256_carry, 1, 45, 0),
    SP1_ROW(0x00000133u, "POSEIDON2", 0, pc_poseidon2, 0, 2200, 0),
    // Deprecated: the decompressions (v6.0.0) and U256XU2048_MUL (v6.1.0).
    SP1_ROW(0x0000010Cu, "SECP256K1_DECOMPRESS", 0, sys_deprecated, 0, SP1_WORK_TRIVIAL, 0),
    SP1_ROW(0x0000012Eu, "SECP256R1_DECOMPRESS", 0, sys_deprecated, 0, SP1_WORK_TRIVIAL, 0),
    SP1_ROW(0x0000011Cu, "BLS12381_DECOMPRESS", 0, sys_deprecated, 0, SP1_WORK_TRIVIAL, 0),
    SP1_ROW(0x0001012Fu, "U256XU2048_MUL", 0, sys_deprecated, 0, SP1_WORK_TRIVIAL, 0),
};

const vm_abi_desc vm_abi_sp1_v6 = {
    .name = "SP1 v6",
    .id = ZKVM_ABI_V6,
    .choice = VM_ABI_BY_CLASS,
    .load = VM_LOAD_SP1_V6,
    .xlen = 64,
    .mem_lowest = 0,
    .mem_end = ZKVM_SP1_V6_MEM_END,
    .syscalls = sp1_v6_syscalls,
    SP1_COSTS,
    .jalr_clears_bit0 = true,
    .sp1 = {.version = 6, .public_values_fd = 13, .hints_read_next = true, .hint_len_exhausted_fails = false,
            .exit_code_fails = false, .legacy_fds = false, .cycle_tracker_consumed = false,
            .hint_read_extra_word = true, .sha_compress_distinct = false, .v6_curves = true},
};
