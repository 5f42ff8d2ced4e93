// Precompile registry: syscall code -> handler. SP1 codes from SP1_ABI.md §4.2.

#include "precompiles.h"

static const vm_precompile precompiles[] = {
    {0x00300105u, "SHA_EXTEND", pc_sha_extend},
    {0x00010106u, "SHA_COMPRESS", pc_sha_compress},
    {0x00010109u, "KECCAK_PERMUTE", pc_keccak_permute},
};

const vm_precompile *vm_precompile_lookup(uint32_t code) {
    for (size_t i = 0; i < sizeof precompiles / sizeof precompiles[0]; i++)
        if (precompiles[i].code == code) return &precompiles[i];
    return NULL;
}
