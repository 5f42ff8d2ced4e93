// KECCAK_PERMUTE: Keccak-f[1600] over 25 little-endian lanes in guest memory (50 words, lane i =
// word[2i] | word[2i+1] << 32), using the project's one permutation in CKeccak.

#include <string.h>

#include "ckeccak.h"
#include "precompiles.h"

int pc_keccak_permute(vm_t *vm, const vm_syscall *sc) {
    const uint32_t state_ptr = vm_arg(vm, 0), zero = vm_arg(vm, 1);
    if (zero != 0) return vm_fail(vm, ZKVM_ERR_SYSCALL, "%s: second argument must be 0, got 0x%08x", sc->name, zero);
    if (vm_check_words(vm, sc->name, "state", state_ptr, 50)) return -1;
    uint64_t lanes[25];
    memcpy(lanes, vm_bytes(vm, state_ptr), sizeof lanes);  // the host is little-endian like the guest
    ckeccak_f1600(lanes);
    memcpy(vm_bytes(vm, state_ptr), lanes, sizeof lanes);
    return 0;
}
