/*
 * sort-bench — benchmark guest for workloads/sort.c.
 * Input:  stdin item 1 = element count n as a little-endian u32 (default 40000 when empty or absent).
 * Output: n (u32 LE) || checksum (u64 LE): FNV-1a-style fold of the sorted xorshift32
 *         sequence (0 would mean "not sorted").
 */
#include "zkvm.h"
#include "workloads.h"

int main(void) {
    uint32_t n = zkvm_read_u32_or(WL_SORT_DEFAULT_N);
    if ((uintptr_t)n > (ZKVM_MAX_MEMORY / 4)) zkvm_panic("sort-bench: n too large");  /* (RV32: 4n must fit) */
    uint32_t *scratch = zkvm_alloc((size_t)n * 4, 4);
    uint64_t checksum = wl_sort(n, scratch);
    if (checksum == 0 && n > 0) zkvm_panic("sort-bench: result not sorted");
    zkvm_commit_u32(n);
    zkvm_commit_u64(checksum);
    return 0;
}
