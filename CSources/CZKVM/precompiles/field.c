// Prime-field parameters and the non-inline field operations (see field.h).

#include "field.h"

#include <pthread.h>

static const struct {
    const char *name;
    mp_size_t n;
    const char *p_hex;
} specs[FP_COUNT] = {
    [FP_SECP256K1] = {"secp256k1", 4, "fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f"},
    [FP_SECP256R1] = {"secp256r1", 4, "ffffffff00000001000000000000000000000000ffffffffffffffffffffffff"},
    [FP_BN254] = {"bn254", 4, "30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd47"},
    [FP_BLS12381] = {"bls12-381", 6,
                     "1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaab"},
    [FP_ED25519] = {"ed25519", 4, "7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffed"},
};

static fp_field fields[FP_COUNT];
static pthread_once_t fields_once = PTHREAD_ONCE_INIT;

void fp_limbs_from_hex(mp_limb_t *r, mp_size_t n, const char *hex) {
    memset(r, 0, n * FP_LIMB_BYTES);
    size_t len = strlen(hex);
    for (size_t i = 0; i < len && i / 16 < (size_t)n; i++) {
        char c = hex[len - 1 - i];
        mp_limb_t v = c <= '9' ? (mp_limb_t)(c - '0') : (mp_limb_t)((c | 0x20) - 'a' + 10);
        r[i / 16] |= v << (4 * (i % 16));
    }
}

static void init_fields(void) {
    for (int id = 0; id < FP_COUNT; id++) {
        fp_field *f = &fields[id];
        f->name = specs[id].name;
        f->n = specs[id].n;
        f->bytes = (uint32_t)(f->n * FP_LIMB_BYTES);
        fp_limbs_from_hex(f->p, f->n, specs[id].p_hex);

        // 2^(64n) mod p: if it fits in one limb, reduction can fold instead of divide.
        mp_limb_t pow2[FP_MAX_LIMBS + 1] = {0}, q[2], rem[FP_MAX_LIMBS];
        pow2[f->n] = 1;
        mpn_tdiv_qr(q, rem, 0, pow2, f->n + 1, f->p, f->n);
        f->fold = mpn_zero_p(rem + 1, f->n - 1) ? rem[0] : 0;

        mpn_sqr(f->p2, f->p, f->n);

        // Square-root exponent: (p+1)/4 when p = 3 mod 4, else (p+3)/8 (ed25519, p = 5 mod 8).
        mp_limb_t t[FP_MAX_LIMBS];
        if ((f->p[0] & 3) == 3) {
            mpn_add_1(t, f->p, f->n, 1);
            mpn_rshift(f->sqrt_exp, t, f->n, 2);
        } else {
            mpn_add_1(t, f->p, f->n, 3);
            mpn_rshift(f->sqrt_exp, t, f->n, 3);
        }
    }
}

const fp_field *fp_get(fp_id id) {
    pthread_once(&fields_once, init_fields);
    return &fields[id];
}

void fp_reduce(const fp_field *f, mp_limb_t *r, const mp_limb_t *a) {
    if (mpn_cmp(a, f->p, f->n) < 0) {
        if (r != a) fp_copy(f, r, a);
        return;
    }
    mp_limb_t q[2], rem[FP_MAX_LIMBS];
    mpn_tdiv_qr(q, rem, 0, a, f->n, f->p, f->n);
    fp_copy(f, r, rem);
}

void fp_reduce_wide(const fp_field *f, mp_limb_t *r, const mp_limb_t *t) {
    const mp_size_t n = f->n;
    if (!f->fold) {
        mp_limb_t q[FP_MAX_LIMBS + 1];
        mpn_tdiv_qr(q, r, 0, t, 2 * n, f->p, n);
        return;
    }
    // p = 2^(64n) - fold (up to small multiples): t = lo + hi * 2^(64n) = lo + hi * fold (mod p).
    mp_limb_t acc[FP_MAX_LIMBS];
    memcpy(acc, t, n * FP_LIMB_BYTES);
    mp_limb_t top = mpn_addmul_1(acc, t + n, n, f->fold);
    // Fold the carry limb once more; top * fold needs up to two limbs.
    unsigned __int128 wide = (unsigned __int128)top * f->fold;
    mp_limb_t w[2] = {(mp_limb_t)wide, (mp_limb_t)(wide >> 64)};
    if (mpn_add(acc, acc, n, w, 2)) mpn_add_1(acc, acc, n, f->fold);  // wrapped: acc is now tiny
    while (mpn_cmp(acc, f->p, n) >= 0) mpn_sub_n(acc, acc, f->p, n);
    memcpy(r, acc, n * FP_LIMB_BYTES);
}

void fp_mul_ui(const fp_field *f, mp_limb_t *r, const mp_limb_t *a, mp_limb_t v) {
    mp_limb_t t[2 * FP_MAX_LIMBS] = {0};
    t[f->n] = mpn_mul_1(t, a, f->n, v);
    fp_reduce_wide(f, r, t);
}

void fp_inv(const fp_field *f, mp_limb_t *r, const mp_limb_t *a) {
    const mp_size_t n = f->n;
    if (mpn_zero_p(a, n)) {
        fp_zero(f, r);
        return;
    }
    // Extended gcd: g = a*s + p*t, so s = a^-1 when g = 1. gcdext destroys its inputs and wants
    // one spare limb each; V (= p) must have a non-zero top limb, which every p here has.
    mp_limb_t u[FP_MAX_LIMBS + 1], v[FP_MAX_LIMBS + 1], g[FP_MAX_LIMBS + 1], s[FP_MAX_LIMBS + 1];
    memcpy(u, a, n * FP_LIMB_BYTES);
    memcpy(v, f->p, n * FP_LIMB_BYTES);
    mp_size_t sn = 0;
    mp_size_t gn = mpn_gcdext(g, s, &sn, u, n, v, n);
    if (gn != 1 || g[0] != 1) {  // a = 0 mod p; cannot happen for reduced non-zero a
        fp_zero(f, r);
        return;
    }
    mp_size_t abs_sn = sn < 0 ? -sn : sn;
    mp_limb_t mag[FP_MAX_LIMBS] = {0};
    memcpy(mag, s, abs_sn * FP_LIMB_BYTES);
    if (sn < 0)
        mpn_sub_n(r, f->p, mag, n);
    else
        fp_copy(f, r, mag);
}

void fp_pow(const fp_field *f, mp_limb_t *r, const mp_limb_t *a, const mp_limb_t *e, mp_size_t en) {
    mp_limb_t acc[FP_MAX_LIMBS], base[FP_MAX_LIMBS];
    fp_reduce(f, base, a);
    fp_set_ui(f, acc, 1);
    for (mp_size_t i = en; i-- > 0;) {
        for (int bit = 63; bit >= 0; bit--) {
            fp_sqr(f, acc, acc);
            if ((e[i] >> bit) & 1) fp_mul(f, acc, acc, base);
        }
    }
    fp_copy(f, r, acc);
}

bool fp_sqrt(const fp_field *f, mp_limb_t *r, const mp_limb_t *a) {
    mp_limb_t root[FP_MAX_LIMBS], sq[FP_MAX_LIMBS];
    fp_pow(f, root, a, f->sqrt_exp, f->n);
    fp_sqr(f, sq, root);
    fp_copy(f, r, root);
    return fp_eq(f, sq, a);
}
