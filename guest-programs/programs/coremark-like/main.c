/*
 * coremark-like — benchmark guest for workloads/coremark_like.c (list, matrix, state machine,
 * CRC-16; written for this project, not CoreMark).
 * Input:  stdin item 1 = iterations as a little-endian u32 (default 75 when empty or absent).
 * Output: iterations (u32 LE) || checksum (u64 LE) =
 *         crc_list << 48 | crc_matrix << 32 | crc_state << 16 | crc_all (last iteration's CRCs).
 */
#include "zkvm.h"
#include "workloads.h"

int main(void) {
    uint32_t n = zkvm_read_u32_or(WL_COREMARK_DEFAULT_N);
    uint64_t checksum = wl_coremark_like(n);
    zkvm_commit_u32(n);
    zkvm_commit_u64(checksum);
    return 0;
}
