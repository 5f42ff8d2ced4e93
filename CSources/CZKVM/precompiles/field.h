#ifndef ZKVM_FIELD_H
#define ZKVM_FIELD_H

// Prime-field arithmetic shared by the curve, field-tower and hook code: fixed-size GMP mpn limbs,
// no allocation. Elements are little-endian limb arrays of `f->n` limbs; unless a function says
// otherwise, inputs are reduced (< p) and outputs are reduced.
//
// Guest memory holds the same little-endian bytes (words LE, host LE), so an element is moved
// between guest memory and limbs with memcpy.

#include <gmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#if GMP_LIMB_BITS != 64 || GMP_NAIL_BITS != 0
#error "field.h assumes 64-bit GMP limbs without nails"
#endif
#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "guest words are copied as host limbs; a little-endian host is required"
#endif

#define FP_MAX_LIMBS 6  ///< 384 bits: BLS12-381
#define FP_LIMB_BYTES 8

typedef enum fp_id {
    FP_SECP256K1,  ///< 2^256 - 2^32 - 977
    FP_SECP256R1,  ///< P-256
    FP_BN254,      ///< alt_bn128 base field
    FP_BLS12381,   ///< BLS12-381 base field
    FP_ED25519,    ///< 2^255 - 19
    FP_COUNT
} fp_id;

typedef struct fp_field {
    const char *name;
    mp_size_t n;     ///< limbs per element
    uint32_t bytes;  ///< bytes per element in guest memory (32 or 48) = n * 8
    mp_limb_t p[FP_MAX_LIMBS];
    /// 2^(64n) mod p when it fits in one limb (secp256k1, ed25519), else 0: such a p is reduced by
    /// folding the high half instead of dividing.
    mp_limb_t fold;
    /// (p + 1) / 4 for p = 3 mod 4 (square roots); (p + 3) / 8 for ed25519.
    mp_limb_t sqrt_exp[FP_MAX_LIMBS];
    /// p^2 over 2n limbs, for keeping differences of double-width products non-negative.
    mp_limb_t p2[2 * FP_MAX_LIMBS];
} fp_field;

/// The parameters of field `id` (initialised once, thread-safe, never freed).
const fp_field *fp_get(fp_id id);

/// Parses big-endian hex (no prefix) into `n` limbs. Used for constants only.
void fp_limbs_from_hex(mp_limb_t *r, mp_size_t n, const char *hex);

// MARK: - Small helpers

static inline void fp_copy(const fp_field *f, mp_limb_t *r, const mp_limb_t *a) { memcpy(r, a, f->n * FP_LIMB_BYTES); }
static inline void fp_zero(const fp_field *f, mp_limb_t *r) { memset(r, 0, f->n * FP_LIMB_BYTES); }
static inline void fp_set_ui(const fp_field *f, mp_limb_t *r, mp_limb_t v) {
    fp_zero(f, r);
    r[0] = v;
}
static inline bool fp_is_zero(const fp_field *f, const mp_limb_t *a) { return mpn_zero_p(a, f->n); }
static inline bool fp_eq(const fp_field *f, const mp_limb_t *a, const mp_limb_t *b) { return mpn_cmp(a, b, f->n) == 0; }
/// True iff a < p (a canonical field element).
static inline bool fp_is_reduced(const fp_field *f, const mp_limb_t *a) { return mpn_cmp(a, f->p, f->n) < 0; }

/// Loads `f->bytes` little-endian bytes (guest memory) into limbs; not reduced.
static inline void fp_load(const fp_field *f, mp_limb_t *r, const void *src) { memcpy(r, src, f->bytes); }
static inline void fp_store(const fp_field *f, void *dst, const mp_limb_t *a) { memcpy(dst, a, f->bytes); }

// MARK: - Arithmetic

/// r = a mod p for any n-limb a (r may alias a).
void fp_reduce(const fp_field *f, mp_limb_t *r, const mp_limb_t *a);
/// r = t mod p for a 2n-limb t.
void fp_reduce_wide(const fp_field *f, mp_limb_t *r, const mp_limb_t *t);

static inline void fp_add(const fp_field *f, mp_limb_t *r, const mp_limb_t *a, const mp_limb_t *b) {
    mp_limb_t carry = mpn_add_n(r, a, b, f->n);
    if (carry || mpn_cmp(r, f->p, f->n) >= 0) mpn_sub_n(r, r, f->p, f->n);
}

static inline void fp_sub(const fp_field *f, mp_limb_t *r, const mp_limb_t *a, const mp_limb_t *b) {
    if (mpn_sub_n(r, a, b, f->n)) mpn_add_n(r, r, f->p, f->n);
}

static inline void fp_neg(const fp_field *f, mp_limb_t *r, const mp_limb_t *a) {
    if (fp_is_zero(f, a))
        fp_zero(f, r);
    else
        mpn_sub_n(r, f->p, a, f->n);
}

/// r = a * b mod p; a and b may be unreduced n-limb values (r may alias either).
static inline void fp_mul(const fp_field *f, mp_limb_t *r, const mp_limb_t *a, const mp_limb_t *b) {
    mp_limb_t t[2 * FP_MAX_LIMBS];
    if (a == b)
        mpn_sqr(t, a, f->n);
    else
        mpn_mul_n(t, a, b, f->n);
    fp_reduce_wide(f, r, t);
}

static inline void fp_sqr(const fp_field *f, mp_limb_t *r, const mp_limb_t *a) { fp_mul(f, r, a, a); }

/// r = a * v mod p for a small v.
void fp_mul_ui(const fp_field *f, mp_limb_t *r, const mp_limb_t *a, mp_limb_t v);

/// r = a^-1 mod p, and r = 0 for a = 0 (SP1 inverts with a^(p-2), which maps 0 to 0).
void fp_inv(const fp_field *f, mp_limb_t *r, const mp_limb_t *a);

/// r = a^e mod p for an `en`-limb exponent.
void fp_pow(const fp_field *f, mp_limb_t *r, const mp_limb_t *a, const mp_limb_t *e, mp_size_t en);

/// For p = 3 mod 4: r = a^((p+1)/4), the candidate root; returns whether r^2 == a.
bool fp_sqrt(const fp_field *f, mp_limb_t *r, const mp_limb_t *a);

/// Parity of a reduced element (its least significant bit).
static inline bool fp_is_odd(const mp_limb_t *a) { return a[0] & 1; }

#endif
