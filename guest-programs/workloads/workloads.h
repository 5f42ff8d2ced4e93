/*
 * Portable benchmark workloads: plain C99, no syscalls, no libc, fixed-width arithmetic only,
 * so the same source gives the same checksum as an RV32IM guest and as a native host binary
 * (guest-programs/native/). Every workload returns a 64-bit checksum; the guest programs commit
 * `param (u32 LE) || checksum (u64 LE)` and the native harness prints the same 12 bytes.
 */
#ifndef WORKLOADS_H
#define WORKLOADS_H

#include <stdint.h>

/* Parameter defaults when stdin item 1 is empty or absent (each about 5 M guest cycles). */
#define WL_FIB_DEFAULT_N            400000u /* iterations */
#define WL_KECCAK_DEFAULT_N         300u    /* chained Keccak-256 hashes */
#define WL_SORT_DEFAULT_N           40000u  /* u32 elements */
#define WL_COREMARK_DEFAULT_N       75u     /* iterations */

/* F(n) mod 2^64 by iteration (F(0) = 0, F(1) = 1). */
uint64_t wl_fib(uint32_t n);

/* Software Keccak-f[1600] (no precompile). h_0 = 32 zero bytes, h_{i+1} = keccak256(h_i);
 * returns h_n[0..8] as a little-endian u64. */
uint64_t wl_keccak_soft(uint32_t n);
/* Keccak-256 of a message, in software (used by the self-test and the native harness). */
void wl_keccak256(const uint8_t *data, uint32_t len, uint8_t out[32]);

/* Fills scratch[0..n) from xorshift32 (seed 0x2545F491), sorts ascending with quicksort,
 * returns a 64-bit FNV-1a-style fold of the sorted words, or 0 if the result is not sorted. */
uint64_t wl_sort(uint32_t n, uint32_t *scratch);

/* CoreMark-like integer mix per iteration: linked-list find/reverse/merge sort, 12x12 matrix
 * multiply / add / matrix-vector, a number-token state machine, all folded with CRC-16/ARC. */
uint64_t wl_coremark_like(uint32_t iterations);

#endif
