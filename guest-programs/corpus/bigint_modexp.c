/*
 * bigint_modexp (multi-precision arithmetic): param modular exponentiations b^e mod n with
 * 512-bit numbers in sixteen 32-bit limbs, by left-to-right square-and-multiply in Montgomery
 * form (CIOS multiplication on 32 x 32 -> 64-bit products; R^2 mod n by doubling; -n^-1 mod 2^32
 * by Newton's iteration). Exponentiation i draws, from xorshift32 (seed 0x3C6EF372): n (odd,
 * top bit set), b < n, and an exponent of 64 * (1 + i % 8) bits. Checksum: a fold of every
 * result's limbs.
 */
#include "corpus.h"

#define BL 16 /* limbs */

static void mont_mul(uint32_t *r, const uint32_t *a, const uint32_t *b, const uint32_t *n, uint32_t ninv) {
    uint32_t t[BL + 2];
    for (int j = 0; j < BL + 2; j++) t[j] = 0;
    for (int i = 0; i < BL; i++) {
        uint64_t c = 0;
        for (int j = 0; j < BL; j++) {
            c = (uint64_t)t[j] + (uint64_t)a[j] * b[i] + (c >> 32);
            t[j] = (uint32_t)c;
        }
        c = (uint64_t)t[BL] + (c >> 32);
        t[BL] = (uint32_t)c;
        t[BL + 1] = (uint32_t)(c >> 32);
        uint32_t m = t[0] * ninv;
        c = (uint64_t)t[0] + (uint64_t)m * n[0];
        for (int j = 1; j < BL; j++) {
            c = (uint64_t)t[j] + (uint64_t)m * n[j] + (c >> 32);
            t[j - 1] = (uint32_t)c;
        }
        c = (uint64_t)t[BL] + (c >> 32);
        t[BL - 1] = (uint32_t)c;
        t[BL] = t[BL + 1] + (uint32_t)(c >> 32);
    }
    /* t < 2n: subtract n once if t >= n */
    int ge = t[BL] != 0;
    if (!ge) {
        ge = 1;
        for (int j = BL - 1; j >= 0; j--) {
            if (t[j] != n[j]) {
                ge = t[j] > n[j];
                break;
            }
        }
    }
    if (ge) {
        uint32_t borrow = 0;
        for (int j = 0; j < BL; j++) {
            uint64_t d = (uint64_t)t[j] - n[j] - borrow;
            r[j] = (uint32_t)d;
            borrow = (uint32_t)(d >> 63);
        }
    } else {
        for (int j = 0; j < BL; j++) r[j] = t[j];
    }
}

/* r = 2^(32 * BL * 2) mod n, by doubling 1 modulo n. */
static void r_squared(uint32_t *r, const uint32_t *n) {
    for (int j = 0; j < BL; j++) r[j] = 0;
    r[0] = 1;
    for (int k = 0; k < 64 * BL; k++) {
        uint32_t carry = 0;
        for (int j = 0; j < BL; j++) {
            uint32_t v = r[j];
            r[j] = v << 1 | carry;
            carry = v >> 31;
        }
        int ge = carry != 0;
        if (!ge) {
            ge = 1;
            for (int j = BL - 1; j >= 0; j--) {
                if (r[j] != n[j]) {
                    ge = r[j] > n[j];
                    break;
                }
            }
        }
        if (ge) {
            uint32_t borrow = 0;
            for (int j = 0; j < BL; j++) {
                uint64_t d = (uint64_t)r[j] - n[j] - borrow;
                r[j] = (uint32_t)d;
                borrow = (uint32_t)(d >> 63);
            }
        }
    }
}

uint32_t corpus_bigint_modexp(uint32_t param) {
    uint32_t seed = 0x3C6EF372u, h = CORPUS_FNV_OFFSET;
    uint32_t n[BL], b[BL], e[BL], r2[BL], bm[BL], acc[BL], one[BL];
    for (uint32_t i = 0; i < param; i++) {
        for (int j = 0; j < BL; j++) n[j] = corpus_xorshift32(&seed);
        n[0] |= 1;
        n[BL - 1] |= 0x80000000u;
        for (int j = 0; j < BL; j++) b[j] = corpus_xorshift32(&seed);
        b[BL - 1] = n[BL - 1] >> 1;
        uint32_t elimbs = 2 * (1 + i % 8);
        for (int j = 0; j < BL; j++) e[j] = (uint32_t)j < elimbs ? corpus_xorshift32(&seed) : 0;

        uint32_t inv = n[0]; /* n^-1 mod 2^32: each step doubles the correct low bits */
        for (int k = 0; k < 5; k++) inv *= 2 - n[0] * inv;
        uint32_t ninv = 0u - inv;

        r_squared(r2, n);
        for (int j = 0; j < BL; j++) one[j] = j == 0;
        mont_mul(bm, b, r2, n, ninv);  /* b * R mod n */
        mont_mul(acc, one, r2, n, ninv); /* R mod n */
        for (int bit = 32 * (int)elimbs - 1; bit >= 0; bit--) {
            mont_mul(acc, acc, acc, n, ninv);
            if ((e[bit >> 5] >> (bit & 31)) & 1) mont_mul(acc, acc, bm, n, ninv);
        }
        mont_mul(acc, acc, one, n, ninv); /* out of Montgomery form */
        for (int j = 0; j < BL; j++) h = (h ^ acc[j]) * CORPUS_FNV_PRIME;
    }
    return h;
}
