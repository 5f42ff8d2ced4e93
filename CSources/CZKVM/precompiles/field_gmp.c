// The GMP reference field arithmetic (see field_gmp.h): the previous production code.

#include "field_gmp.h"

void fpg_reduce(const fp_field *f, mp_limb_t *r, const mp_limb_t *a) {
    if (mpn_cmp(a, f->p, f->n) < 0) {
        if (r != a) fp_copy(f, r, a);
        return;
    }
    mp_limb_t q[2], rem[FP_MAX_LIMBS];
    mpn_tdiv_qr(q, rem, 0, a, f->n, f->p, f->n);
    fp_copy(f, r, rem);
}

/// r = t mod p for a 2n-limb t.
static void reduce_wide(const fp_field *f, mp_limb_t *r, const mp_limb_t *t) {
    const mp_size_t n = f->n;
    const mp_limb_t fold = f->fold;  // 2^(64n) mod p if one limb: fold the high half instead of dividing
    if (!fold) {
        mp_limb_t q[FP_MAX_LIMBS + 1];
        mpn_tdiv_qr(q, r, 0, t, 2 * n, f->p, n);
        return;
    }
    // t = lo + hi * 2^(64n) = lo + hi * fold (mod p).
    mp_limb_t acc[FP_MAX_LIMBS];
    memcpy(acc, t, n * FP_LIMB_BYTES);
    mp_limb_t top = mpn_addmul_1(acc, t + n, n, fold);
    // Fold the carry limb once more; top * fold needs up to two limbs.
    unsigned __int128 wide = (unsigned __int128)top * fold;
    mp_limb_t w[2] = {(mp_limb_t)wide, (mp_limb_t)(wide >> 64)};
    if (mpn_add(acc, acc, n, w, 2)) mpn_add_1(acc, acc, n, fold);  // wrapped: acc is now tiny
    while (mpn_cmp(acc, f->p, n) >= 0) mpn_sub_n(acc, acc, f->p, n);
    memcpy(r, acc, n * FP_LIMB_BYTES);
}

void fpg_add(const fp_field *f, mp_limb_t *r, const mp_limb_t *a, const mp_limb_t *b) {
    mp_limb_t carry = mpn_add_n(r, a, b, f->n);
    if (carry || mpn_cmp(r, f->p, f->n) >= 0) mpn_sub_n(r, r, f->p, f->n);
}

void fpg_sub(const fp_field *f, mp_limb_t *r, const mp_limb_t *a, const mp_limb_t *b) {
    if (mpn_sub_n(r, a, b, f->n)) mpn_add_n(r, r, f->p, f->n);
}

void fpg_neg(const fp_field *f, mp_limb_t *r, const mp_limb_t *a) {
    if (mpn_zero_p(a, f->n))
        fp_zero(f, r);
    else
        mpn_sub_n(r, f->p, a, f->n);
}

void fpg_mul(const fp_field *f, mp_limb_t *r, const mp_limb_t *a, const mp_limb_t *b) {
    mp_limb_t t[2 * FP_MAX_LIMBS];
    if (a == b)
        mpn_sqr(t, a, f->n);
    else
        mpn_mul_n(t, a, b, f->n);
    reduce_wide(f, r, t);
}

void fpg_inv(const fp_field *f, mp_limb_t *r, const mp_limb_t *a) {
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

bool fpg_sqrt(const fp_field *f, mp_limb_t *r, const mp_limb_t *a) {
    mpz_t root, sq;
    mpz_inits(root, sq, NULL);
    mpz_t az, pz, ez;  // read-only views of the limbs
    mpz_roinit_n(az, a, f->n), mpz_roinit_n(pz, f->p, f->n), mpz_roinit_n(ez, f->sqrt_exp, f->n);
    mpz_powm(root, az, ez, pz);
    mpz_mul(sq, root, root);
    mpz_mod(sq, sq, pz);
    bool ok = mpz_cmp(sq, az) == 0;
    fp_zero(f, r);
    mpz_export(r, NULL, -1, sizeof(mp_limb_t), 0, 0, root);
    mpz_clears(root, sq, NULL);
    return ok;
}
