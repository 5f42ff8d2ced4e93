/*
 * The unseen corpus: workloads written for breadth, to measure the interpreter on programs nobody
 * tuned it for (none of them was used to choose its superinstructions). Each is portable C99
 * with no libc and no syscalls, generates its input in-program from a fixed seed, scales with one
 * parameter and returns a 32-bit checksum that is the same on every target (RV32IM and RV64IM
 * guests, the host, qemu-user binaries):
 *
 *   bytecode_vm    branchy: a register-machine bytecode interpreter (switch dispatch) running
 *                  Collatz trajectories                                   param = start values
 *   pointer_chase  memory-bound: a random single-cycle permutation (Sattolo) chased through
 *                  4 MiB of nodes, then strided sweeps                    param = KiNodes
 *   mul_div        mul/div-heavy: trial-division prime count, Newton integer square roots,
 *                  signed division, Mersenne-prime modular powers          param = numbers
 *   call_tree      call-heavy: recursive Fibonacci, a recursively built and walked binary tree,
 *                  a function-pointer table                               param = rounds
 *   byte_scan      byte-oriented: bitwise CRC-32, naive substring search, histogram, to-upper
 *                  and FNV-1a over generated text                         param = KiB of text
 *   aes_table      table-driven: AES-128 with T-tables (S-box computed in-program, FIPS-197
 *                  checked), counter mode, table CRC-32 of the output     param = blocks
 *   bigint_modexp  multi-precision: 512-bit Montgomery modular exponentiation on 32-bit limbs
 *                                                                         param = exponentiations
 *   json_parse     parser: generates a JSON document, then a recursive-descent parser walks it
 *                                                                         param = records
 *   lz_compress    compressor: greedy LZ77 with hash chains over generated data, then
 *                  decompression and comparison                           param = KiB of input
 *   mark_mix       CoreMark-like: linked list, 16x16 matrix, token state machine, CRC-16/CCITT
 *                                                                         param = iterations
 *   soft_float     bit manipulation: IEEE-754 binary32 add/sub/mul/div in integer code, rounded
 *                  to nearest-even, on a dot product, a polynomial and quotients   param = elements
 *   hash_map       hashing: open-addressing table (linear probing, backward-shift deletion) of
 *                  up to 8 MiB: inserts, lookups, deletes                 param = keys
 *
 * The defaults give roughly 20-100 million guest instructions each. Guests commit
 * param (u32 LE) || checksum (u32 LE). Large buffers are static (.bss) and re-initialised by
 * every call, so a host may call a workload repeatedly. scripts/gen_guest_vectors.py --corpus
 * re-states every workload in Python.
 */
#ifndef CORPUS_H
#define CORPUS_H

#include <stdint.h>

#define CORPUS_DEFAULT_bytecode_vm   3000u
#define CORPUS_DEFAULT_pointer_chase 384u
#define CORPUS_DEFAULT_mul_div       180000u
#define CORPUS_DEFAULT_call_tree     600u
#define CORPUS_DEFAULT_byte_scan     384u
#define CORPUS_DEFAULT_aes_table     48000u
#define CORPUS_DEFAULT_bigint_modexp 16u
#define CORPUS_DEFAULT_json_parse    14000u
#define CORPUS_DEFAULT_lz_compress   384u
#define CORPUS_DEFAULT_mark_mix      350u
#define CORPUS_DEFAULT_soft_float    60000u
#define CORPUS_DEFAULT_hash_map      300000u

uint32_t corpus_bytecode_vm(uint32_t param);
uint32_t corpus_pointer_chase(uint32_t param);
uint32_t corpus_mul_div(uint32_t param);
uint32_t corpus_call_tree(uint32_t param);
uint32_t corpus_byte_scan(uint32_t param);
uint32_t corpus_aes_table(uint32_t param);
uint32_t corpus_bigint_modexp(uint32_t param);
uint32_t corpus_json_parse(uint32_t param);
uint32_t corpus_lz_compress(uint32_t param);
uint32_t corpus_mark_mix(uint32_t param);
uint32_t corpus_soft_float(uint32_t param);
uint32_t corpus_hash_map(uint32_t param);

/* xorshift32 (Marsaglia 13/17/5); the state must not be 0. */
static inline uint32_t corpus_xorshift32(uint32_t *s) {
    uint32_t x = *s;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    *s = x;
    return x;
}

#define CORPUS_FNV_OFFSET 0x811C9DC5u
#define CORPUS_FNV_PRIME  0x01000193u

#endif
