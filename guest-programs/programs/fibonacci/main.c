/*
 * fibonacci — benchmark guest for workloads/fib.c.
 * Input:  stdin item 1 = n as a little-endian u32 (default 400000 when empty or absent).
 *         Items 2 and 3 (offchain input, state) are ignored.
 * Output: n (u32 LE) || F(n) mod 2^64 (u64 LE) — 12 bytes.
 */
#include "zkvm.h"
#include "workloads.h"

int main(void) {
    uint32_t n = zkvm_read_u32_or(WL_FIB_DEFAULT_N);
    uint64_t checksum = wl_fib(n);
    zkvm_commit_u32(n);
    zkvm_commit_u64(checksum);
    return 0;
}
