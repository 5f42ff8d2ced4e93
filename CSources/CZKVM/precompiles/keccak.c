// KECCAK_PERMUTE: Keccak-f[1600] over 25 little-endian lanes in guest memory (200 bytes: 50 u32
// words on RV32, 25 u64 on RV64), using the project's one permutation in CKeccak.

#include <string.h>

#include "ckeccak.h"
#include "precompiles.h"

int pc_keccak_permute(vm_t *vm, const vm_syscall *sc) {
    const uint64_t state_ptr = vm_arg(vm, 0), zero = vm_arg(vm, 1);
    if (zero != 0)
        return vm_fail(vm, ZKVM_ERR_SYSCALL, "%s: second argument must be 0, got 0x%08llx", sc->name, (unsigned long long)zero);
    const vm_span spans[] = {{"state", state_ptr, 200, VM_PROT_READ}, {"state", state_ptr, 200, VM_PROT_WRITE}};
    int rc = vm_check_spans(vm, sc->name, spans, 2);
    if (rc) return rc;
    uint64_t lanes[25];
    memcpy(lanes, vm_bytes(vm, state_ptr), sizeof lanes);  // the host is little-endian like the guest
    ckeccak_f1600(lanes);
    memcpy(vm_bytes(vm, state_ptr), lanes, sizeof lanes);
    return 0;
}
