// The RV32IM guest ABIs the engine runs: SP1 v3 and v4 (v5 has v4's guest ABI). They share one
// syscall table (same codes and layouts, SP1_ABI.md §4.2) and the instruction-count cost table;
// their descriptors differ in the rules SP1 changed in v4 (SP1_ABI.md §9): public-values and hint
// fds, where a hint goes in the input stream, HINT_LEN on an empty stream, and the hooks served.
// SP1 v6 (RV64IM) is in abi_sp1_v6.c and RISC Zero 1.x in risc0/descriptor.c; this file also
// holds the list of every ABI and the loader's choice among them.

#include "abis.h"

#include <string.h>

#include "abi_sp1_v6.h"
#include "risc0/descriptor.h"
#include "sp1_rows.h"

/// The table: the rows SP1 v3-v6 share, and v3/v4's own.
static const vm_syscall sp1_rv32_syscalls[VM_SYSCALL_SLOTS] = {
    SP1_SHARED_ROWS,
    SP1_ROW(0x0000001Au, "COMMIT_DEFERRED_PROOFS", 0, sys_commit, 0, SP1_WORK_TRIVIAL, 0),
    SP1_ROW(0x0000001Bu, "VERIFY_SP1_PROOF", 0, sys_noop, 0, SP1_WORK_TRIVIAL, 0),  // InfinityVM's path does not verify (SP1_ABI.md §5.3)
    // Work: sp1_rows.h (measured up to 6,494, 7,716, 25,863 and 140 units per call).
    SP1_ROW(0x0000010Cu, "SECP256K1_DECOMPRESS", 0, pc_sw_decompress, PC_SECP256K1, 7200, 0),
    SP1_ROW(0x0000012Eu, "SECP256R1_DECOMPRESS", 0, pc_sw_decompress, PC_SECP256R1, 8500, 0),
    SP1_ROW(0x0000011Cu, "BLS12381_DECOMPRESS", 0, pc_sw_decompress, PC_BLS12381, 28500, 0),
    SP1_ROW(0x0001012Fu, "U256XU2048_MUL", 0, pc_u256x2048_mul, 0, 150, 0),
};

#define SP1_RV32                                                                                  \
    .choice = VM_ABI_DETECTED, .load = VM_LOAD_RV32, .xlen = 32, .mem_lowest = ZKVM_MEM_LOWEST,    \
    .mem_end = ZKVM_MEM_END, .syscalls = sp1_rv32_syscalls, SP1_COSTS
/// Rules v3 and v4 share: non-zero exit codes fail, fds 3/4 and 13/14 are both accepted, the cycle
/// tracker's stdout lines are consumed, HINT_READ pads the last u32, SHA_COMPRESS wants w != h.
#define SP1_RV32_RULES                                                                              \
    .exit_code_fails = true, .legacy_fds = true, .cycle_tracker_consumed = true, .hint_read_extra_word = false, \
    .sha_compress_distinct = true, .v6_curves = false

const vm_abi_desc vm_abi_sp1_v3 = {
    .name = "SP1 v3",
    .id = ZKVM_ABI_V3,
    SP1_RV32,
    .sp1 = {.version = 3, .public_values_fd = 3, .hints_read_next = false, .hint_len_exhausted_fails = true,
            SP1_RV32_RULES},
};

const vm_abi_desc vm_abi_sp1_v4 = {
    .name = "SP1 v4",
    .id = ZKVM_ABI_V4,
    SP1_RV32,
    .sp1 = {.version = 4, .public_values_fd = 13, .hints_read_next = true, .hint_len_exhausted_fails = false,
            SP1_RV32_RULES},
};

const vm_abi_desc *const vm_abi_default = &vm_abi_sp1_v4;

/// Every descriptor, in the order detection tries them.
static const vm_abi_desc *const abis[] = {&vm_abi_sp1_v3, &vm_abi_sp1_v4, &vm_abi_sp1_v6, &vm_abi_risc0_v1};

const vm_abi_desc *vm_abi_for_class(unsigned xlen) {
    if (xlen == vm_abi_default->xlen) return vm_abi_default;
    for (size_t i = 0; i < sizeof abis / sizeof abis[0]; i++)
        if (abis[i]->choice == VM_ABI_BY_CLASS && abis[i]->xlen == xlen) return abis[i];
    return NULL;
}

/// The descriptor chosen by detection whose public-values fd is `fd`, or NULL.
static const vm_abi_desc *detected_by_fd(uint32_t fd) {
    for (size_t i = 0; i < sizeof abis / sizeof abis[0]; i++) {
        const vm_abi_desc *d = abis[i];
        if (d->choice == VM_ABI_DETECTED && d->sp1.public_values_fd == fd && d->xlen == vm_abi_default->xlen &&
            d->mem_lowest == vm_abi_default->mem_lowest && d->mem_end == vm_abi_default->mem_end)
            return d;
    }
    return NULL;
}

const vm_abi_desc *vm_abi_detect(const zkvm_program *p, bool *detected) {
    if (p->abi && p->abi->choice == VM_ABI_BY_CLASS) {  // the ELF class decided
        *detected = true;
        return p->abi;
    }
    // SP1 guests' `syscall_write` compares the fd with the public-values constant right after the
    // WRITE ecall: `li t0, WRITE; ecall; li rX, fd`. The first such sequence in the code decides.
    const uint32_t li_t0_write = 0x00000293u | SP1_WRITE << 20, ecall = 0x00000073u;
    for (size_t s = 0; s < p->segment_count; s++) {
        const vm_segment *seg = &p->segments[s];
        if (!(seg->flags & 1) || seg->filesz < 12) continue;
        for (uint32_t off = 0; off + 12 <= seg->filesz; off += 4) {
            uint32_t w[3];
            memcpy(w, seg->bytes + off, sizeof w);
            if (w[0] != li_t0_write || w[1] != ecall) continue;
            uint32_t next = w[2];
            int is_li = (next & 0x7F) == 0x13 && ((next >> 12) & 7) == 0 && ((next >> 15) & 31) == 0;
            if (!is_li) continue;
            const vm_abi_desc *d = detected_by_fd(next >> 20);
            if (d) {
                *detected = true;
                return d;
            }
        }
    }
    *detected = false;
    return vm_abi_default;
}

const char *zkvm_syscall_name(uint32_t code) {
    for (size_t i = 0; i < sizeof abis / sizeof abis[0]; i++) {
        if (abis[i]->choice == VM_ABI_NAMED) continue;  // SP1's codes only (zkvm_core.h)
        const vm_syscall *sc = vm_syscall_find(abis[i], code);
        if (sc) return sc->name;
    }
    return NULL;
}

const vm_abi_desc *vm_abi_by_id(zkvm_abi id) {
    for (size_t i = 0; i < sizeof abis / sizeof abis[0]; i++)
        if (abis[i]->id == id) return abis[i];
    return NULL;
}
