/*
 * keccak-soft — benchmark guest for workloads/keccak_soft.c: Keccak-256 computed entirely in
 * software (no precompile), so it measures the interpreter.
 * Input:  stdin item 1 = n as a little-endian u32 (default 300 when empty or absent).
 * Output: n (u32 LE) || h_n[0..8] (u64 LE), where h_0 = 32 zero bytes and
 *         h_{i+1} = keccak256(h_i). Same bytes as keccak-bench for the same n.
 */
#include "zkvm.h"
#include "workloads.h"

int main(void) {
    uint32_t n = zkvm_read_u32_or(WL_KECCAK_DEFAULT_N);
    uint64_t checksum = wl_keccak_soft(n);
    zkvm_commit_u32(n);
    zkvm_commit_u64(checksum);
    return 0;
}
