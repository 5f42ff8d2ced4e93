/*
 * soft_float (bit manipulation): IEEE-754 binary32 arithmetic in integer code, as a guest without
 * an F extension runs it — addition, subtraction, multiplication and division (bitwise restoring
 * division), correctly rounded to nearest-even with guard/round/sticky bits (normal numbers and
 * zeros; the inputs keep every result normal). For each of param elements, x and y are drawn
 * from xorshift32 (seed 0x428A2F98) with exponents in [-8, 8] and random signs; the workload
 * accumulates the dot product sum(x * y), evaluates p = ((x / 8 + 3/4) x - 5/2) x + 1 by Horner's
 * rule, q = x / y and r = (x + q) * (y - p). Checksum: FNV-1a-style fold of the bit patterns of p,
 * q and r per element, then of the dot product.
 */
#include "corpus.h"

#define F_SIGN 0x80000000u

/* Rounds m (value in [2^26, 2^27): 24 significant bits, then guard, round and sticky) with biased
 * exponent e to nearest-even. */
static uint32_t f_round(uint32_t sign, int32_t e, uint32_t m) {
    uint32_t grs = m & 7, lsb = (m >> 3) & 1;
    m >>= 3;
    if (grs > 4 || (grs == 4 && lsb)) {
        m++;
        if (m == (1u << 24)) {
            m >>= 1;
            e++;
        }
    }
    return sign | (uint32_t)e << 23 | (m & 0x7FFFFFu);
}

static uint32_t f_add(uint32_t a, uint32_t b) {
    if ((a & ~F_SIGN) < (b & ~F_SIGN)) { /* |a| >= |b| */
        uint32_t t = a;
        a = b;
        b = t;
    }
    if ((b & ~F_SIGN) == 0) return (a & ~F_SIGN) == 0 ? (a & b) : a; /* -0 + -0 = -0, else +0 */
    int32_t ea = (int32_t)((a >> 23) & 0xFF), eb = (int32_t)((b >> 23) & 0xFF);
    uint32_t ma = ((a & 0x7FFFFFu) | 0x800000u) << 3, mb = ((b & 0x7FFFFFu) | 0x800000u) << 3;
    uint32_t d = (uint32_t)(ea - eb);
    if (d >= 27) {
        mb = 1; /* only the sticky bit is left */
    } else if (d) {
        uint32_t sticky = (mb & ((1u << d) - 1)) != 0;
        mb = (mb >> d) | sticky;
    }
    uint32_t m;
    if ((a ^ b) & F_SIGN) {
        m = ma - mb;
        if (m == 0) return 0; /* exact cancellation: +0 */
        while (m < (1u << 26)) {
            m <<= 1;
            ea--;
        }
    } else {
        m = ma + mb;
        if (m >= (1u << 27)) {
            m = (m >> 1) | (m & 1);
            ea++;
        }
    }
    return f_round(a & F_SIGN, ea, m);
}

static uint32_t f_sub(uint32_t a, uint32_t b) { return f_add(a, b ^ F_SIGN); }

static uint32_t f_mul(uint32_t a, uint32_t b) {
    uint32_t sign = (a ^ b) & F_SIGN;
    if ((a & ~F_SIGN) == 0 || (b & ~F_SIGN) == 0) return sign;
    int32_t e = (int32_t)((a >> 23) & 0xFF) + (int32_t)((b >> 23) & 0xFF) - 127;
    uint64_t p = (uint64_t)((a & 0x7FFFFFu) | 0x800000u) * ((b & 0x7FFFFFu) | 0x800000u);
    uint32_t shift = 20;
    if (p >= (1ull << 47)) {
        shift = 21;
        e++;
    }
    uint32_t m = (uint32_t)(p >> shift) | ((p & ((1ull << shift) - 1)) != 0);
    return f_round(sign, e, m);
}

static uint32_t f_div(uint32_t a, uint32_t b) {
    uint32_t sign = (a ^ b) & F_SIGN;
    if ((a & ~F_SIGN) == 0) return sign; /* b is never zero here */
    int32_t e = (int32_t)((a >> 23) & 0xFF) - (int32_t)((b >> 23) & 0xFF) + 127;
    uint32_t ma = (a & 0x7FFFFFu) | 0x800000u, mb = (b & 0x7FFFFFu) | 0x800000u;
    uint32_t rem = ma, q = 0;
    if (ma < mb) {
        rem <<= 1;
        e--;
    }
    for (int i = 0; i < 27; i++) { /* 27 quotient bits: 24 significant, guard, round, and one more */
        q <<= 1;
        if (rem >= mb) {
            rem -= mb;
            q |= 1;
        }
        rem <<= 1;
    }
    return f_round(sign, e, q | (rem != 0));
}

static uint32_t random_float(uint32_t *seed) {
    uint32_t r = corpus_xorshift32(seed);
    uint32_t exponent = 127 - 8 + (r >> 24) % 17;
    return (r & F_SIGN) | exponent << 23 | (corpus_xorshift32(seed) & 0x7FFFFFu);
}

uint32_t corpus_soft_float(uint32_t param) {
    const uint32_t c3 = 0x3E000000u /* 0.125 */, c2 = 0x3F400000u /* 0.75 */, c1 = 0xC0200000u /* -2.5 */,
                   c0 = 0x3F800000u /* 1 */;
    uint32_t seed = 0x428A2F98u, dot = 0, h = CORPUS_FNV_OFFSET;
    for (uint32_t i = 0; i < param; i++) {
        uint32_t x = random_float(&seed), y = random_float(&seed);
        dot = f_add(dot, f_mul(x, y));
        uint32_t p = f_add(f_mul(f_add(f_mul(f_add(f_mul(c3, x), c2), x), c1), x), c0);
        uint32_t q = f_div(x, y);
        uint32_t r = f_mul(f_add(x, q), f_sub(y, p));
        h = (h ^ p) * CORPUS_FNV_PRIME;
        h = (h ^ q) * CORPUS_FNV_PRIME;
        h = (h ^ r) * CORPUS_FNV_PRIME;
    }
    return (h ^ dot) * CORPUS_FNV_PRIME;
}
