/*
 * mul_div (multiply/divide-heavy), for every k in 2 .. param + 1:
 *   - is k prime? trial division by 2 and odd d with d * d <= k (unsigned remainder);
 *   - isqrt(k * 2654435761 mod 2^32) by Newton's iteration (unsigned division);
 *   - signed quotient and remainder (C truncation) of a pseudo-random x by a pseudo-random
 *     non-zero divisor of either sign;
 *   - every 16th k: 7^k mod (2^31 - 1) by square-and-multiply on 64-bit products, reduced with
 *     the Mersenne identity (no 64-bit division).
 * Checksum: a fold of the prime count, the square roots, the signed results and the powers.
 */
#include "corpus.h"

#define MERSENNE31 0x7FFFFFFFu

static uint32_t mulmod_m31(uint32_t a, uint32_t b) {
    uint64_t x = (uint64_t)a * b;
    uint64_t r = (x & MERSENNE31) + (x >> 31);
    r = (r & MERSENNE31) + (r >> 31);
    return (uint32_t)(r >= MERSENNE31 ? r - MERSENNE31 : r);
}

static uint32_t powmod_m31(uint32_t base, uint32_t e) {
    uint32_t result = 1;
    while (e) {
        if (e & 1) result = mulmod_m31(result, base);
        base = mulmod_m31(base, base);
        e >>= 1;
    }
    return result;
}

static uint32_t isqrt32(uint32_t v) {
    if (v < 2) return v;
    uint32_t x = v, y = (x >> 1) + (x & 1); /* ceil(v / 2) without overflow */
    while (y < x) {
        x = y;
        y = (x + v / x) / 2;
    }
    return x;
}

static int is_prime(uint32_t k) {
    if (k < 2) return 0;
    if (k % 2 == 0) return k == 2;
    for (uint32_t d = 3; d * d <= k; d += 2)
        if (k % d == 0) return 0;
    return 1;
}

uint32_t corpus_mul_div(uint32_t param) {
    uint32_t primes = 0, roots = 0, powers = 0, seed = 0x2545F491u;
    uint32_t h = CORPUS_FNV_OFFSET;
    for (uint32_t k = 2; k - 2 < param; k++) {
        primes += (uint32_t)is_prime(k);
        roots += isqrt32(k * 2654435761u);
        int32_t x = (int32_t)(corpus_xorshift32(&seed) >> 1) - 0x40000000;
        uint32_t r = corpus_xorshift32(&seed);
        int32_t d = (int32_t)(r & 0xFFFF) + 1;
        if (r & 0x10000) d = -d;
        int32_t q = x / d, m = x % d;
        h = (h ^ (uint32_t)q) * CORPUS_FNV_PRIME;
        h = (h ^ (uint32_t)m) * CORPUS_FNV_PRIME;
        if ((k & 15) == 0) powers ^= powmod_m31(7, k) + k;
    }
    h = (h ^ primes) * CORPUS_FNV_PRIME;
    h = (h ^ roots) * CORPUS_FNV_PRIME;
    return (h ^ powers) * CORPUS_FNV_PRIME;
}
