/*
 * pointer_chase (memory-bound): n = param * 1024 nodes (at most 2^20: 8 MiB), each a next index
 * and a value. The next indices form one random cycle through all nodes (Sattolo's algorithm,
 * xorshift32 seeded 0x9E3779B9); the walk follows it for 4n steps summing values, then four
 * strided sweeps (strides 1, 7, 61, 509, wrapping modulo n) update and sum the values.
 * Checksum: a fold of the walk's sums and final node and the sweeps' sums.
 */
#include "corpus.h"

#define PC_MAX_NODES (1u << 20)

static uint32_t pc_next[PC_MAX_NODES];
static uint32_t pc_value[PC_MAX_NODES];

uint32_t corpus_pointer_chase(uint32_t param) {
    uint32_t n = param > PC_MAX_NODES / 1024 ? PC_MAX_NODES : param * 1024u;
    if (n == 0) return 0;
    uint32_t seed = 0x9E3779B9u;
    for (uint32_t i = 0; i < n; i++) {
        pc_next[i] = i;
        pc_value[i] = corpus_xorshift32(&seed);
    }
    for (uint32_t i = n - 1; i > 0; i--) { /* Sattolo: j < i, so the result is a single cycle */
        uint32_t j = corpus_xorshift32(&seed) % i;
        uint32_t t = pc_next[i];
        pc_next[i] = pc_next[j];
        pc_next[j] = t;
    }

    uint32_t p = 0, sum = 0, mix = 0;
    for (uint32_t k = 0; k < 4 * n; k++) {
        uint32_t v = pc_value[p];
        sum += v;
        mix = (mix << 1 | mix >> 31) ^ v;
        p = pc_next[p];
    }
    uint32_t h = (CORPUS_FNV_OFFSET ^ sum) * CORPUS_FNV_PRIME;
    h = (h ^ mix) * CORPUS_FNV_PRIME;
    h = (h ^ p) * CORPUS_FNV_PRIME;

    static const uint32_t strides[4] = {1, 7, 61, 509};
    for (uint32_t s = 0; s < 4; s++) {
        uint32_t stride = strides[s] % n, idx = 0, acc = 0;
        for (uint32_t k = 0; k < n; k++) {
            uint32_t v = pc_value[idx] + k;
            pc_value[idx] = v;
            acc ^= v + (acc << 3);
            idx += stride;
            if (idx >= n) idx -= n;
        }
        h = (h ^ acc) * CORPUS_FNV_PRIME;
    }
    return h;
}
