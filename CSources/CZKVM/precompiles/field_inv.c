// Modular inversion (see field_inv.h): Bernstein-Yang divsteps ("safegcd"), variable time, for
// a of about p's size; GMP's mpn_gcdext for small a.
//
// Variable time is fine: the zkVM executes public computations. Measured per inverse of a
// uniform a (2026-12, the development machine): divsteps 1.05 us (256-bit p) / 1.67 us (381-bit),
// GMP 1.25 / 1.87 us, Fermat's a^(p-2) with field.c's products 5-9 / 23 us. The divsteps always
// take about 2.2 steps per bit of p, while GMP's first division shrinks the problem to a's size:
// for a below 2^(64(n-2)) GMP is faster (0.2-0.7 us), which matters for the small values of test
// programs (doubling (1, 2)).
//
// The state is f = p, g = a with d, e such that d a = f and e a = g (mod p). A divstep keeps f
// odd and halves g after making it even:
//     delta > 0 and g odd: (delta, f, g) <- (1 - delta, g, (g - f) / 2)
//     g odd:               (delta, f, g) <- (1 + delta, f, (g + f) / 2)
//     g even:              (delta, f, g) <- (1 + delta, f, g / 2)
// and reaches g = 0 with f = +-1 = gcd, when d a = +-1. 62 divsteps depend only on the low 62
// bits of f and g and delta, so they are computed on one word as a 2x2 matrix T with
// |entries| <= 2^62 and then applied to the full f, g (exactly divisible by 2^62) and to d, e
// (made divisible by adding a multiple of p). Numbers are held in signed 62-bit limbs: limbs
// below the top in [0, 2^62), the top one signed, so the int128 products of a matrix entry and a
// limb never overflow. eta = -delta is what the code tracks.

#include "field_inv.h"

#define M62 (((uint64_t)1 << 62) - 1)
#define KERNEL static inline __attribute__((always_inline))

typedef __int128 i128;

/// The transition matrix of 62 divsteps: [f', g'] * 2^62 = [[u, v], [q, r]] [f, g].
typedef struct {
    int64_t u, v, q, r;
} trans;

/// 62 divsteps from eta on the low words of f and g; returns the new eta. Runs of steps that do
/// not swap are taken several at once: with g odd and eta >= 0, the next k <= eta + 1 steps
/// cannot swap, and they give (g + m f) / 2^k with m = -g / f mod 2^k; the trailing zeros of
/// g + m f are then shifted out together.
static int64_t divsteps_62(int64_t eta, uint64_t f, uint64_t g, trans *t) {
    uint64_t u = 1, v = 0, q = 0, r = 1;  // as two's complement, like f and g
    int i = 62;                           // steps left
    for (;;) {
        // Even g: halve it (the matrix keeps g's coefficients and doubles f's instead).
        int zeros = __builtin_ctzll(g | (~(uint64_t)0 << i));
        g >>= zeros;
        u <<= zeros;
        v <<= zeros;
        eta -= zeros;
        i -= zeros;
        if (i == 0) break;
        uint64_t m;
        // g is odd. delta > 0: swap to (g, -f), so that the steps below compute (g - f) / 2.
        // After a swap eta is often large: take up to 6 steps, with f^-1 mod 64 = f (2 - f^2)
        // (f^2 = 1 mod 8 for odd f). Otherwise up to 4, with f^-1 mod 16 = f, or f + 8 when
        // f = 3 or 5 mod 8, which keeps a multiplication off the loop's dependency chain
        // (measured: 6 bits in both cases is ~4% slower, and more bits slower still).
        if (eta < 0) {
            uint64_t tmp;
            eta = -eta;
            tmp = f, f = g, g = -tmp;
            tmp = u, u = q, q = -tmp;
            tmp = v, v = r, r = -tmp;
            int limit = (int)eta + 1 > i ? i : (int)eta + 1;
            uint64_t mask = (~(uint64_t)0 >> (64 - limit)) & 63;
            m = (-(g * (f * (2 - f * f)))) & mask;
        } else {
            int limit = (int)eta + 1 > i ? i : (int)eta + 1;
            uint64_t mask = (~(uint64_t)0 >> (64 - limit)) & 15;
            uint64_t w = f + (((f + 1) & 4) << 1);
            m = (-(w * g)) & mask;
        }
        g += f * m;
        q += u * m;
        r += v * m;
    }
    t->u = (int64_t)u, t->v = (int64_t)v, t->q = (int64_t)q, t->r = (int64_t)r;
    return eta;
}

/// [f, g] = T [f, g] / 2^62 over the low `len` limbs (the rest are sign copies of limb len-1).
KERNEL void update_fg(int len, int64_t *f, int64_t *g, const trans *t) {
    i128 cf = (i128)t->u * f[0] + (i128)t->v * g[0];
    i128 cg = (i128)t->q * f[0] + (i128)t->r * g[0];
    cf >>= 62, cg >>= 62;  // the low 62 bits are zero
    for (int j = 1; j < len; j++) {
        cf += (i128)t->u * f[j] + (i128)t->v * g[j];
        cg += (i128)t->q * f[j] + (i128)t->r * g[j];
        f[j - 1] = (int64_t)((uint64_t)cf & M62);
        g[j - 1] = (int64_t)((uint64_t)cg & M62);
        cf >>= 62, cg >>= 62;
    }
    f[len - 1] = (int64_t)cf;
    g[len - 1] = (int64_t)cg;
}

/// [d, e] = T [d, e] / 2^62 mod p, each made divisible by adding m p. With d, e in (-2p, p):
/// write d~ = d + p if d < 0 (so d~ in (-p, p)), e~ likewise; choosing
/// m = u [d < 0] + v [e < 0] - k with k in [0, 2^62) the value that makes the numerator
/// divisible gives u d + v e + m p = u d~ + v e~ - k p, in (-2^63 p, 2^62 p) as |u| + |v| <= 2^62;
/// so the result is back in (-2p, p) with no comparison against p.
KERNEL void update_de(int K, int64_t *d, int64_t *e, const trans *t, const int64_t *p, uint64_t p_inv62) {
    const int64_t sd = d[K - 1] >> 63, se = e[K - 1] >> 63;  // all ones if negative
    int64_t md = (t->u & sd) + (t->v & se), me = (t->q & sd) + (t->r & se);
    i128 cd = (i128)t->u * d[0] + (i128)t->v * e[0];
    i128 ce = (i128)t->q * d[0] + (i128)t->r * e[0];
    md -= (int64_t)((p_inv62 * (uint64_t)cd + (uint64_t)md) & M62);
    me -= (int64_t)((p_inv62 * (uint64_t)ce + (uint64_t)me) & M62);
    cd += (i128)p[0] * md;
    ce += (i128)p[0] * me;
    cd >>= 62, ce >>= 62;  // the low 62 bits are zero
    for (int j = 1; j < K; j++) {
        cd += (i128)t->u * d[j] + (i128)t->v * e[j] + (i128)p[j] * md;
        ce += (i128)t->q * d[j] + (i128)t->r * e[j] + (i128)p[j] * me;
        d[j - 1] = (int64_t)((uint64_t)cd & M62);
        e[j - 1] = (int64_t)((uint64_t)ce & M62);
        cd >>= 62, ce >>= 62;
    }
    d[K - 1] = (int64_t)cd;
    e[K - 1] = (int64_t)ce;
}

/// x = x + c p for a small c, with the lower limbs carried back into [0, 2^62).
KERNEL void add_multiple(int K, int64_t *x, int64_t c, const int64_t *p) {
    int64_t carry = 0;
    for (int j = 0; j < K - 1; j++) {
        carry += x[j] + c * p[j];
        x[j] = (int64_t)((uint64_t)carry & M62);
        carry >>= 62;
    }
    x[K - 1] += c * p[K - 1] + carry;
}

/// The 62-bit limb at bit `bit` of an n-limb integer.
static int64_t bits62(const mp_limb_t *a, int n, int bit) {
    int w = bit / 64, s = bit % 64;
    if (w >= n) return 0;
    uint64_t v = a[w] >> s;
    if (s > 2 && w + 1 < n) v |= a[w + 1] << (64 - s);
    return (int64_t)(v & M62);
}

KERNEL void inverse_k(const fp_field *f, mp_limb_t *r, const mp_limb_t *a, const int K) {
    const int n = (int)f->n;
    int64_t p[8], fv[8], gv[8], d[8] = {0}, e[8] = {0};
    for (int j = 0; j < K; j++) p[j] = bits62(f->p, n, 62 * j), gv[j] = bits62(a, n, 62 * j);
    for (int j = 0; j < K; j++) fv[j] = p[j];
    e[0] = 1;
    const uint64_t p_inv62 = (0 - f->n0) & M62;  // n0 = -p^-1 mod 2^64
    int64_t eta = -1;
    int len = K;
    for (;;) {
        trans t;
        eta = divsteps_62(eta, (uint64_t)fv[0], (uint64_t)gv[0], &t);
        update_de(K, d, e, &t, p, p_inv62);
        update_fg(len, fv, gv, &t);
        // Done when g = 0.
        if (gv[0] == 0) {
            int64_t any = 0;
            for (int j = 1; j < len; j++) any |= gv[j];
            if (any == 0) break;
        }
        // Drop the top limb when it is only the sign of both f and g.
        int64_t fn = fv[len - 1], gn = gv[len - 1];
        if (len > 1 && ((fn ^ (fn >> 63)) | (gn ^ (gn >> 63))) == 0) {
            fv[len - 2] |= (int64_t)((uint64_t)fn << 62);
            gv[len - 2] |= (int64_t)((uint64_t)gn << 62);
            len--;
        }
    }
    // f = +-1 (p is prime and 0 < a < p): a^-1 = f d, in (-2p, 2p); then into [0, p).
    if (fv[len - 1] < 0) {
        for (int j = 0; j < K; j++) d[j] = -d[j];
        add_multiple(K, d, 0, p);
    }
    while (d[K - 1] < 0) add_multiple(K, d, 1, p);
    int64_t s[8];
    for (int j = 0; j < K; j++) s[j] = d[j];
    add_multiple(K, s, -1, p);
    if (s[K - 1] >= 0)
        for (int j = 0; j < K; j++) d[j] = s[j];
    memset(r, 0, n * FP_LIMB_BYTES);
    for (int j = 0; j < K; j++) {
        int bit = 62 * j, w = bit / 64, s = bit % 64;
        uint64_t v = (uint64_t)d[j];
        if (w < n) r[w] |= v << s;
        if (s > 2 && w + 1 < n) r[w + 1] |= v >> (64 - s);
    }
}

/// r = a^-1 by GMP's extended gcd: g = 1 = a s + p t.
static void inverse_gmp(const fp_field *f, mp_limb_t *r, const mp_limb_t *a) {
    const mp_size_t n = f->n;
    // gcdext destroys its inputs and wants one spare limb each; V (= p) must have a non-zero top
    // limb, which every p here has.
    mp_limb_t u[FP_MAX_LIMBS + 1], v[FP_MAX_LIMBS + 1], g[FP_MAX_LIMBS + 1], s[FP_MAX_LIMBS + 1];
    memcpy(u, a, n * FP_LIMB_BYTES);
    memcpy(v, f->p, n * FP_LIMB_BYTES);
    mp_size_t sn = 0;
    mpn_gcdext(g, s, &sn, u, n, v, n);
    mp_size_t abs_sn = sn < 0 ? -sn : sn;
    mp_limb_t mag[FP_MAX_LIMBS] = {0};
    memcpy(mag, s, abs_sn * FP_LIMB_BYTES);
    if (sn < 0)
        mpn_sub_n(r, f->p, mag, n);
    else
        memcpy(r, mag, n * FP_LIMB_BYTES);
}

void fp_inverse_int(const fp_field *f, mp_limb_t *r, const mp_limb_t *a) {
    if (a[f->n - 1] == 0 && a[f->n - 2] == 0)
        inverse_gmp(f, r, a);
    // Signed 62-bit limbs: 5 cover 256 bits plus a sign, 7 cover 384.
    else if (f->n == 4)
        inverse_k(f, r, a, 5);
    else
        inverse_k(f, r, a, 7);
}
