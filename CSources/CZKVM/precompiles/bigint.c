// Arbitrary-size integer helpers (see bigint.h).

#include "bigint.h"

#include <string.h>

void bn_from_be(mpz_t r, const uint8_t *p, size_t len) { mpz_import(r, len, 1, 1, 1, 0, p); }
void bn_from_le(mpz_t r, const uint8_t *p, size_t len) { mpz_import(r, len, -1, 1, -1, 0, p); }

void bn_to_bytes(const mpz_t v, uint8_t *dst, size_t len, bool big_endian) {
    memset(dst, 0, len);
    size_t count = 0;
    uint8_t *tmp = mpz_export(NULL, &count, -1, 1, -1, 0, v);
    for (size_t i = 0; i < count && i < len; i++) dst[big_endian ? len - 1 - i : i] = tmp[i];
    if (tmp) {
        void (*free_fn)(void *, size_t);
        mp_get_memory_functions(NULL, NULL, &free_fn);
        free_fn(tmp, count);
    }
}

void bn_from_limbs(mpz_t r, const mp_limb_t *a, mp_size_t n) { mpz_import(r, n, -1, sizeof(mp_limb_t), 0, 0, a); }

void bn_to_limbs(mp_limb_t *out, mp_size_t n, const mpz_t v) {
    memset(out, 0, n * sizeof(mp_limb_t));
    mpz_export(out, NULL, -1, sizeof(mp_limb_t), 0, 0, v);  // mpz_export writes the magnitude
}

void bn_field_modulus(mpz_t r, fp_id id) {
    const fp_field *f = fp_get(id);
    bn_from_limbs(r, f->p, f->n);
}

bool bn_sqrt_3mod4(mpz_t r, const mpz_t a, const mpz_t p) {
    mpz_t e, sq;
    mpz_inits(e, sq, NULL);
    mpz_add_ui(e, p, 1);
    mpz_fdiv_q_2exp(e, e, 2);
    mpz_powm(r, a, e, p);
    mpz_mul(sq, r, r);
    mpz_mod(sq, sq, p);
    bool ok = mpz_cmp(sq, a) == 0;
    mpz_clears(e, sq, NULL);
    return ok;
}

/// SP1's Tonelli-Shanks (general modulus, given non-residue z); 1 / 0 / -1 / -2 as bn_sqrt_mod,
/// counting the loop's multiplications in *mulmods.
static int tonelli_shanks(mpz_t r, const mpz_t a, const mpz_t m, const mpz_t z, uint64_t *mulmods, uint64_t max) {
    mpz_t e, q, c, t, b, tt;
    mpz_inits(e, q, c, t, b, tt, NULL);
    int result = 0;
    if (mpz_sgn(a) == 0) {  // SP1's legendre_symbol asserts a non-zero argument
        result = -1;
        goto done;
    }
    mpz_sub_ui(e, m, 1);
    mpz_fdiv_q_2exp(e, e, 1);
    mpz_powm(t, a, e, m);
    if (mpz_cmp_ui(t, 1) != 0) goto done;  // not a residue: None

    mpz_sub_ui(q, m, 1);
    unsigned long s = mpz_sgn(q) ? mpz_scan1(q, 0) : 0;
    mpz_fdiv_q_2exp(q, q, s);
    mpz_powm(c, z, q, m);
    mpz_add_ui(e, q, 1);
    mpz_fdiv_q_2exp(e, e, 1);
    mpz_powm(r, a, e, m);
    mpz_powm(t, a, q, m);
    unsigned long mm = s;
    while (mpz_cmp_ui(t, 1) != 0) {
        if (mm == 0) {  // even modulus: SP1 loops forever or underflows computing 2^(m-i-1)
            result = -1;
            goto done;
        }
        unsigned long i = 0;
        mpz_set(tt, t);
        while (mpz_cmp_ui(tt, 1) != 0) {
            if (++*mulmods > max) {
                result = -2;
                goto done;
            }
            mpz_mul(tt, tt, tt);
            mpz_mod(tt, tt, m);
            if (++i == mm) goto done;  // None
        }
        // c^(2^(mm - i - 1)): that many squarings, then three multiplications.
        if ((*mulmods += mm - i + 2) > max) {
            result = -2;
            goto done;
        }
        mpz_set_ui(e, 1);
        mpz_mul_2exp(e, e, mm - i - 1);
        mpz_powm(b, c, e, m);
        mpz_mul(r, r, b), mpz_mod(r, r, m);
        mpz_mul(c, b, b), mpz_mod(c, c, m);
        mpz_mul(t, t, c), mpz_mod(t, t, m);
        mm = i;
    }
    result = 1;
done:
    mpz_clears(e, q, c, t, b, tt, NULL);
    return result;
}

int bn_sqrt_mod(mpz_t r, const mpz_t a, const mpz_t m, const mpz_t nqr, uint64_t *mulmods, uint64_t max_mulmods) {
    if (mpz_fdiv_ui(m, 4) == 3) return bn_sqrt_3mod4(r, a, m) ? 1 : 0;
    return tonelli_shanks(r, a, m, nqr, mulmods, max_mulmods);
}
