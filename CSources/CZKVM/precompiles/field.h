#ifndef ZKVM_FIELD_H
#define ZKVM_FIELD_H

// Prime-field arithmetic for the curve, field-tower and hook code over the fixed fields of
// `fp_id`: 4 or 6 64-bit limbs, no allocation and no division. Products are reduced by folding
// where p = 2^(64n) - c for a one-limb c (secp256k1, ed25519), else by Montgomery reduction with
// per-field constants.
//
// Two kinds of limb arrays, both little-endian, `f->n` limbs:
// - integers: what guest memory holds (fp_load / fp_store), any value below 2^(64n), possibly
//   >= p. fp_is_reduced, fp_reduce and equality work on them.
// - elements: residues, always < p: in Montgomery form (a*R mod p, R = 2^(64n)), or for a
//   folding field (`fold` != 0) the canonical integer itself. fp_import turns an integer into
//   an element (reducing it mod p), fp_export an element into its canonical integer. The
//   arithmetic below takes and returns elements. Zero and equality mean the same in both forms,
//   so fp_is_zero and fp_eq serve both; parity and order do not (fp_is_odd exports first;
//   compare exported integers).
// Conversions happen where values cross the syscall boundary, and only where a computation
// needs elements (see the linearity note under the arithmetic).
//
// Guest memory holds the same little-endian bytes (words LE, host LE), so an integer is moved
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
    mp_size_t n;     ///< limbs per element: 4 or 6
    uint32_t bytes;  ///< bytes per element in guest memory (32 or 48) = n * 8
    mp_limb_t p[FP_MAX_LIMBS];
    /// R mod p = 2^(64n) - p when it fits in one limb (secp256k1: 2^32 + 977, ed25519: 38), else
    /// 0. Such a field folds: t = lo + hi R = lo + hi fold (mod p), and keeps elements canonical.
    mp_limb_t fold;
    mp_limb_t n0;                     ///< -p^-1 mod 2^64 (Montgomery reduction, and the inverse's)
    mp_limb_t one[FP_MAX_LIMBS];      ///< the element 1: R mod p, or 1 for a folding field
    mp_limb_t r2[FP_MAX_LIMBS];       ///< R^2 mod p: the Montgomery product with it imports
    /// (p + 1) / 4 for p = 3 mod 4 (square roots); (p + 3) / 8 for ed25519.
    mp_limb_t sqrt_exp[FP_MAX_LIMBS];
} fp_field;

/// The parameters of field `id` (initialised once, thread-safe, never freed).
const fp_field *fp_get(fp_id id);

/// Parses big-endian hex (no prefix) into `n` limbs. Used for constants only.
void fp_limbs_from_hex(mp_limb_t *r, mp_size_t n, const char *hex);

// MARK: - Limbs of either kind

// Moves, clears and comparisons take a constant size per limb count, so that they compile to a few
// register moves instead of libc calls (memmove was ~5% of a field-op-heavy guest's time).
#define FP_SIZED(f, call) ((f)->n == 4 ? call(4 * FP_LIMB_BYTES) : call(6 * FP_LIMB_BYTES))

static inline void fp_copy(const fp_field *f, mp_limb_t *r, const mp_limb_t *a) {
#define FP_COPY_(bytes) memcpy(r, a, bytes)
    FP_SIZED(f, FP_COPY_);
#undef FP_COPY_
}
static inline void fp_zero(const fp_field *f, mp_limb_t *r) {
#define FP_ZERO_(bytes) memset(r, 0, bytes)
    FP_SIZED(f, FP_ZERO_);
#undef FP_ZERO_
}
static inline bool fp_is_zero(const fp_field *f, const mp_limb_t *a) {
    mp_limb_t acc = 0;
    for (mp_size_t i = 0; i < f->n; i++) acc |= a[i];
    return acc == 0;
}
static inline bool fp_eq(const fp_field *f, const mp_limb_t *a, const mp_limb_t *b) {
    mp_limb_t diff = 0;
    for (mp_size_t i = 0; i < f->n; i++) diff |= a[i] ^ b[i];
    return diff == 0;
}

// MARK: - Integers

/// True iff the integer a < p (a canonical field element).
static inline bool fp_is_reduced(const fp_field *f, const mp_limb_t *a) { return mpn_cmp(a, f->p, f->n) < 0; }

/// Loads `f->bytes` little-endian bytes (guest memory) as an integer; not reduced.
static inline void fp_load(const fp_field *f, mp_limb_t *r, const void *src) {
#define FP_LOAD_(bytes) memcpy(r, src, bytes)
    FP_SIZED(f, FP_LOAD_);
#undef FP_LOAD_
}
static inline void fp_store(const fp_field *f, void *dst, const mp_limb_t *a) {
#define FP_STORE_(bytes) memcpy(dst, a, bytes)
    FP_SIZED(f, FP_STORE_);
#undef FP_STORE_
}

/// r = a mod p for any n-limb integer a (r may alias a).
void fp_reduce(const fp_field *f, mp_limb_t *r, const mp_limb_t *a);

// MARK: - Conversions

/// r = the element of the integer a mod p, for any n-limb a (r may alias a).
void fp_import(const fp_field *f, mp_limb_t *r, const mp_limb_t *a);
/// r = the canonical integer (< p) of the element a (r may alias a).
void fp_export(const fp_field *f, mp_limb_t *r, const mp_limb_t *a);
/// r = the element v.
void fp_set_ui(const fp_field *f, mp_limb_t *r, mp_limb_t v);

// MARK: - Element arithmetic (r may alias any operand)

// Montgomery form is linear, so fp_add, fp_sub and fp_neg compute the same on reduced integers
// as on elements; the precompiles use that to stay out of Montgomery form where they only add.
// fp_mul of an element of a and the integer b (any n-limb b) gives the integer ab mod p in
// either form (one conversion fewer than importing b and exporting the product).

void fp_add(const fp_field *f, mp_limb_t *r, const mp_limb_t *a, const mp_limb_t *b);
void fp_sub(const fp_field *f, mp_limb_t *r, const mp_limb_t *a, const mp_limb_t *b);
void fp_neg(const fp_field *f, mp_limb_t *r, const mp_limb_t *a);
void fp_mul(const fp_field *f, mp_limb_t *r, const mp_limb_t *a, const mp_limb_t *b);
void fp_sqr(const fp_field *f, mp_limb_t *r, const mp_limb_t *a);

/// (c0, c1) = (a0 + a1 u)(b0 + b1 u) mod p with u^2 = -1, for any n-limb integers; c0 and c1
/// are reduced integers (they may alias no operand).
void fp2_mul_int(const fp_field *f, mp_limb_t *c0, mp_limb_t *c1, const mp_limb_t *a0, const mp_limb_t *a1,
                 const mp_limb_t *b0, const mp_limb_t *b1);

/// r = a^-1, and r = 0 for a = 0 (SP1 inverts with a^(p-2), which maps 0 to 0).
void fp_inv(const fp_field *f, mp_limb_t *r, const mp_limb_t *a);
/// The same on integers: r = a^-1 mod p for an integer a < p, 0 for 0. (fp_inv is this between
/// an export and an import; the method depends on the integer's size.)
void fp_inv_int(const fp_field *f, mp_limb_t *r, const mp_limb_t *a);

/// r = a^e for an `en`-limb integer exponent e.
void fp_pow(const fp_field *f, mp_limb_t *r, const mp_limb_t *a, const mp_limb_t *e, mp_size_t en);

/// r = a^sqrt_exp: for p = 3 mod 4 the candidate root a^((p+1)/4); returns whether r^2 == a.
/// (For ed25519, ed25519_sqrt in ed25519.h finishes the (p+3)/8 candidate.)
bool fp_sqrt(const fp_field *f, mp_limb_t *r, const mp_limb_t *a);

/// Parity of the canonical integer of the element a.
bool fp_is_odd(const fp_field *f, const mp_limb_t *a);

#endif
