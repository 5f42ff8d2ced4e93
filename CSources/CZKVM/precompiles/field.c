// Prime-field parameters and arithmetic (see field.h).
//
// Folding (secp256k1, ed25519) beats Montgomery reduction where it applies: the reduction costs
// N + 1 one-limb products instead of N^2, and elements need no conversion at the syscall boundary.
//
// Every kernel is written once over a limb count N and instantiated for N = 4 and N = 6 by the
// dispatching functions (constant N lets the compiler unroll the loops and keep limbs in
// registers); products use unsigned __int128.

#include "field.h"

#include <pthread.h>

#include "field_inv.h"

typedef unsigned __int128 u128;
#define KERNEL static inline __attribute__((always_inline))
/// N is a constant in every kernel instance: unrolled loops keep the limbs in registers.
#define UNROLL _Pragma("clang loop unroll(full)")

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

/// r = 2^(64k) mod p, computed once at initialisation (GMP division is fine here).
static void pow2_mod(const fp_field *f, mp_limb_t *r, mp_size_t k) {
    mp_limb_t pow2[2 * FP_MAX_LIMBS + 1] = {0}, q[2 * FP_MAX_LIMBS + 1];
    pow2[k] = 1;
    mpn_tdiv_qr(q, r, 0, pow2, k + 1, f->p, f->n);
}

static void init_fields(void) {
    for (int id = 0; id < FP_COUNT; id++) {
        fp_field *f = &fields[id];
        f->name = specs[id].name;
        f->n = specs[id].n;
        f->bytes = (uint32_t)(f->n * FP_LIMB_BYTES);
        fp_limbs_from_hex(f->p, f->n, specs[id].p_hex);

        // -p^-1 mod 2^64 by Newton's iteration: each step doubles the correct low bits, and
        // inv = p is already right in the low 3 bits for any odd p.
        mp_limb_t inv = f->p[0];
        for (int i = 0; i < 5; i++) inv *= 2 - f->p[0] * inv;
        f->n0 = -inv;
        pow2_mod(f, f->one, f->n);
        f->fold = mpn_zero_p(f->one + 1, f->n - 1) ? f->one[0] : 0;
        if (f->fold) fp_limbs_from_hex(f->one, f->n, "1");
        pow2_mod(f, f->r2, 2 * f->n);

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

// MARK: - Kernels

/// r = a - b over N limbs; returns the borrow. (clang's carry builtins become one sbb chain; the
/// __int128 form tests and re-materialises the borrow at every limb.)
KERNEL mp_limb_t sub_n(mp_limb_t *r, const mp_limb_t *a, const mp_limb_t *b, const int N) {
    unsigned long long borrow = 0;
    UNROLL
    for (int i = 0; i < N; i++) r[i] = __builtin_subcll(a[i], b[i], borrow, &borrow);
    return borrow;
}

/// r = a + b over N limbs; returns the carry.
KERNEL mp_limb_t add_n(mp_limb_t *r, const mp_limb_t *a, const mp_limb_t *b, const int N) {
    unsigned long long carry = 0;
    UNROLL
    for (int i = 0; i < N; i++) r[i] = __builtin_addcll(a[i], b[i], carry, &carry);
    return carry;
}

/// r = t - p if the (N+1)-limb t = hi * 2^(64N) + t[0..N) is >= p, else t; needs t < 2p.
KERNEL void final_sub(const fp_field *f, mp_limb_t *r, const mp_limb_t *t, mp_limb_t hi, const int N) {
    mp_limb_t s[FP_MAX_LIMBS];
    mp_limb_t borrow = sub_n(s, t, f->p, N);
    if (hi || !borrow)
        memcpy(r, s, N * FP_LIMB_BYTES);
    else if (r != t)
        memcpy(r, t, N * FP_LIMB_BYTES);
}

KERNEL void add_k(const fp_field *f, mp_limb_t *r, const mp_limb_t *a, const mp_limb_t *b, const int N) {
    mp_limb_t t[FP_MAX_LIMBS];
    mp_limb_t carry = add_n(t, a, b, N);
    final_sub(f, r, t, carry, N);
}

KERNEL void sub_k(const fp_field *f, mp_limb_t *r, const mp_limb_t *a, const mp_limb_t *b, const int N) {
    mp_limb_t t[FP_MAX_LIMBS];
    if (sub_n(t, a, b, N)) add_n(t, t, f->p, N);  // wrapped below zero: the sum carries out, back to [0, p)
    memcpy(r, t, N * FP_LIMB_BYTES);
}

/// Montgomery product a * b / R mod p (CIOS: multiply and reduce interleaved one limb of b at a
/// time). Needs a * b < p * R, e.g. b < p and any N-limb a: the running value stays below 2p,
/// which takes N limbs and one bit, and one conditional subtraction ends it.
KERNEL void mont_mul(const fp_field *f, mp_limb_t *r, const mp_limb_t *a, const mp_limb_t *b, const int N) {
    const mp_limb_t *p = f->p;
    mp_limb_t t[FP_MAX_LIMBS + 2] = {0};
    UNROLL
    for (int i = 0; i < N; i++) {
        mp_limb_t c = 0;
        UNROLL
        for (int j = 0; j < N; j++) {
            u128 acc = (u128)a[j] * b[i] + t[j] + c;
            t[j] = (mp_limb_t)acc;
            c = (mp_limb_t)(acc >> 64);
        }
        u128 top = (u128)t[N] + c;
        t[N] = (mp_limb_t)top;
        t[N + 1] = (mp_limb_t)(top >> 64);
        // Add m * p, which zeroes the low limb, and shift down one limb.
        mp_limb_t m = t[0] * f->n0;
        u128 acc = (u128)m * p[0] + t[0];
        c = (mp_limb_t)(acc >> 64);
        UNROLL
        for (int j = 1; j < N; j++) {
            acc = (u128)m * p[j] + t[j] + c;
            t[j - 1] = (mp_limb_t)acc;
            c = (mp_limb_t)(acc >> 64);
        }
        top = (u128)t[N] + c;
        t[N - 1] = (mp_limb_t)top;
        t[N] = t[N + 1] + (mp_limb_t)(top >> 64);
    }
    final_sub(f, r, t, t[N], N);
}

/// t = a^2 over 2N limbs: the cross products once, doubled, plus the squares.
KERNEL void sqr_wide(mp_limb_t *t, const mp_limb_t *a, const int N) {
    memset(t, 0, 2 * N * FP_LIMB_BYTES);
    UNROLL
    for (int i = 0; i < N - 1; i++) {
        mp_limb_t c = 0;
        UNROLL
        for (int j = i + 1; j < N; j++) {
            u128 acc = (u128)a[i] * a[j] + t[i + j] + c;
            t[i + j] = (mp_limb_t)acc;
            c = (mp_limb_t)(acc >> 64);
        }
        t[i + N] = c;
    }
    mp_limb_t hi = 0;  // t = 2 t; the cross products are below 2^(128N - 1)
    UNROLL
    for (int i = 0; i < 2 * N; i++) {
        mp_limb_t next = t[i] >> 63;
        t[i] = t[i] << 1 | hi;
        hi = next;
    }
    mp_limb_t c = 0;
    UNROLL
    for (int i = 0; i < N; i++) {
        u128 sq = (u128)a[i] * a[i];
        u128 acc = (u128)t[2 * i] + (mp_limb_t)sq + c;
        t[2 * i] = (mp_limb_t)acc;
        acc = (u128)t[2 * i + 1] + (mp_limb_t)(sq >> 64) + (mp_limb_t)(acc >> 64);
        t[2 * i + 1] = (mp_limb_t)acc;
        c = (mp_limb_t)(acc >> 64);
    }
}

/// t = a * b over 2N limbs (schoolbook).
KERNEL void mul_wide(mp_limb_t *t, const mp_limb_t *a, const mp_limb_t *b, const int N) {
    memset(t, 0, 2 * N * FP_LIMB_BYTES);
    UNROLL
    for (int i = 0; i < N; i++) {
        mp_limb_t c = 0;
        UNROLL
        for (int j = 0; j < N; j++) {
            u128 acc = (u128)a[j] * b[i] + t[i + j] + c;
            t[i + j] = (mp_limb_t)acc;
            c = (mp_limb_t)(acc >> 64);
        }
        t[i + N] = c;
    }
}

/// r = t / R mod p for a 2N-limb t < 2pR, p < R / 4 (SOS: N rounds each adding m p at limb i,
/// zeroing it). The sum stays below 3pR < R^2, and the result below 3p: at most two subtractions.
KERNEL void mont_reduce_wide(const fp_field *f, mp_limb_t *r, mp_limb_t *t, const int N) {
    const mp_limb_t *p = f->p;
    mp_limb_t carry_hi = 0;  // carry out of limb i + N, added in the next round
    UNROLL
    for (int i = 0; i < N; i++) {
        mp_limb_t m = t[i] * f->n0;
        mp_limb_t cc = 0;
        UNROLL
        for (int j = 0; j < N; j++) {
            u128 acc = (u128)m * p[j] + t[i + j] + cc;
            t[i + j] = (mp_limb_t)acc;
            cc = (mp_limb_t)(acc >> 64);
        }
        u128 acc = (u128)t[i + N] + cc + carry_hi;
        t[i + N] = (mp_limb_t)acc;
        carry_hi = (mp_limb_t)(acc >> 64);
    }
    mp_limb_t s[FP_MAX_LIMBS];
    memcpy(r, t + N, N * FP_LIMB_BYTES);
    while (!sub_n(s, r, p, N)) memcpy(r, s, N * FP_LIMB_BYTES);
}

/// (c0, c1) = (a0 b0 - a1 b1, a0 b1 + a1 b0) on integers (b unreduced allowed), p < R / 4:
/// the a's imported, four double-width products, and one reduction per component, which also
/// removes the import's R (lazy reduction: 6 N^2 limb products less than 4 Montgomery products).
KERNEL void fp2_mul_k(const fp_field *f, mp_limb_t *c0, mp_limb_t *c1, const mp_limb_t *a0, const mp_limb_t *a1,
                      const mp_limb_t *b0, const mp_limb_t *b1, const int N) {
    mp_limb_t e0[FP_MAX_LIMBS], e1[FP_MAX_LIMBS];
    mont_mul(f, e0, a0, f->r2, N);
    mont_mul(f, e1, a1, f->r2, N);
    // Each product is below p R (e < p, b < R).
    mp_limb_t t0[2 * FP_MAX_LIMBS], t1[2 * FP_MAX_LIMBS], t2[2 * FP_MAX_LIMBS], t3[2 * FP_MAX_LIMBS];
    mul_wide(t0, e0, b0, N);
    mul_wide(t1, e1, b1, N);
    mul_wide(t2, e0, b1, N);
    mul_wide(t3, e1, b0, N);
    // t0 - t1 is in (-pR, pR): add p R if it is negative (the carry out of the wrapped sum drops).
    if (sub_n(t0, t0, t1, 2 * N)) add_n(t0 + N, t0 + N, f->p, N);
    add_n(t2, t2, t3, 2 * N);  // < 2pR < R^2
    mont_reduce_wide(f, c0, t0, N);
    mont_reduce_wide(f, c1, t2, N);
}

/// r = t mod p for any 2N-limb t, p = R - fold: t = lo + hi fold, folded twice, then at most
/// two subtractions (R < 3p).
KERNEL void fold_reduce_wide(const fp_field *f, mp_limb_t *r, const mp_limb_t *t, const int N) {
    const mp_limb_t c = f->fold;
    mp_limb_t acc[FP_MAX_LIMBS];
    mp_limb_t carry = 0;
    UNROLL
    for (int i = 0; i < N; i++) {
        u128 x = (u128)t[N + i] * c + t[i] + carry;
        acc[i] = (mp_limb_t)x;
        carry = (mp_limb_t)(x >> 64);
    }
    // carry <= c: carry * R = carry * c, at most two limbs.
    u128 x = (u128)carry * c + acc[0];
    acc[0] = (mp_limb_t)x;
    mp_limb_t k = (mp_limb_t)(x >> 64);
    UNROLL
    for (int i = 1; i < N; i++) {
        x = (u128)acc[i] + k;
        acc[i] = (mp_limb_t)x;
        k = (mp_limb_t)(x >> 64);
    }
    if (k) {  // wrapped past R (acc[1..N) are now 0): add R = c once more
        x = (u128)acc[0] + c;
        acc[0] = (mp_limb_t)x;
        acc[1] += (mp_limb_t)(x >> 64);
    }
    mp_limb_t s[FP_MAX_LIMBS];
    while (!sub_n(s, acc, f->p, N)) memcpy(acc, s, N * FP_LIMB_BYTES);
    memcpy(r, acc, N * FP_LIMB_BYTES);
}

// MARK: - Dispatch

#define DISPATCH(call4, call6) \
    do {                       \
        if (f->n == 4)         \
            call4;             \
        else                   \
            call6;             \
    } while (0)

void fp_add(const fp_field *f, mp_limb_t *r, const mp_limb_t *a, const mp_limb_t *b) {
    DISPATCH(add_k(f, r, a, b, 4), add_k(f, r, a, b, 6));
}

void fp_sub(const fp_field *f, mp_limb_t *r, const mp_limb_t *a, const mp_limb_t *b) {
    DISPATCH(sub_k(f, r, a, b, 4), sub_k(f, r, a, b, 6));
}

void fp_neg(const fp_field *f, mp_limb_t *r, const mp_limb_t *a) {
    if (fp_is_zero(f, a))
        fp_zero(f, r);
    else
        DISPATCH(sub_n(r, f->p, a, 4), sub_n(r, f->p, a, 6));
}

// Folding fields have 4 limbs.
void fp_mul(const fp_field *f, mp_limb_t *r, const mp_limb_t *a, const mp_limb_t *b) {
    if (f->fold) {
        mp_limb_t t[8];
        mul_wide(t, a, b, 4);
        fold_reduce_wide(f, r, t, 4);
    } else {
        DISPATCH(mont_mul(f, r, a, b, 4), mont_mul(f, r, a, b, 6));
    }
}

void fp_sqr(const fp_field *f, mp_limb_t *r, const mp_limb_t *a) {
    if (f->fold) {
        mp_limb_t t[8];
        sqr_wide(t, a, 4);
        fold_reduce_wide(f, r, t, 4);
    } else {  // a separate Montgomery squaring (squares, then the reduction) measured slower
        DISPATCH(mont_mul(f, r, a, a, 4), mont_mul(f, r, a, a, 6));
    }
}

void fp2_mul_int(const fp_field *f, mp_limb_t *c0, mp_limb_t *c1, const mp_limb_t *a0, const mp_limb_t *a1,
                 const mp_limb_t *b0, const mp_limb_t *b1) {
    // The lazy reduction needs headroom, p < R / 4 (BN254, BLS12-381: the fields with Fp2
    // precompiles); the other fields multiply the plain way.
    if (f->fold || f->p[f->n - 1] >> 62) {
        mp_limb_t e0[FP_MAX_LIMBS], e1[FP_MAX_LIMBS], t[FP_MAX_LIMBS], r0[FP_MAX_LIMBS];
        fp_import(f, e0, a0), fp_import(f, e1, a1);
        fp_mul(f, r0, e0, b0), fp_mul(f, t, e1, b1), fp_sub(f, r0, r0, t);
        fp_mul(f, c1, e0, b1), fp_mul(f, t, e1, b0), fp_add(f, c1, c1, t);
        fp_copy(f, c0, r0);
        return;
    }
    DISPATCH(fp2_mul_k(f, c0, c1, a0, a1, b0, b1, 4), fp2_mul_k(f, c0, c1, a0, a1, b0, b1, 6));
}

void fp_reduce(const fp_field *f, mp_limb_t *r, const mp_limb_t *a) {
    if (r != a) fp_copy(f, r, a);
    // R / p < 10 for every field here, so a few subtractions reach [0, p); integers >= p only
    // come from guests that pass unreduced coordinates.
    while (!fp_is_reduced(f, r)) mpn_sub_n(r, r, f->p, f->n);
}

void fp_import(const fp_field *f, mp_limb_t *r, const mp_limb_t *a) {
    if (f->fold)
        fp_reduce(f, r, a);
    else
        fp_mul(f, r, a, f->r2);  // a * R^2 / R; any N-limb a qualifies since R^2 mod p < p
}

void fp_export(const fp_field *f, mp_limb_t *r, const mp_limb_t *a) {
    static const mp_limb_t one[FP_MAX_LIMBS] = {1};
    if (f->fold)
        fp_copy(f, r, a);
    else
        fp_mul(f, r, a, one);  // a / R; below p, as a < p
}

void fp_set_ui(const fp_field *f, mp_limb_t *r, mp_limb_t v) {
    mp_limb_t t[FP_MAX_LIMBS] = {v};
    fp_import(f, r, t);
}

bool fp_is_odd(const fp_field *f, const mp_limb_t *a) {
    mp_limb_t t[FP_MAX_LIMBS];
    fp_export(f, t, a);
    return t[0] & 1;
}

// MARK: - Exponentiation, inversion, square roots

/// Sliding windows of up to POW_WINDOW bits over the exponent: a table of the odd powers
/// a, a^3, ..., a^(2^POW_WINDOW - 1), one squaring per exponent bit and one multiplication per
/// window.
#define POW_WINDOW 5

void fp_pow(const fp_field *f, mp_limb_t *r, const mp_limb_t *a, const mp_limb_t *e, mp_size_t en) {
    mp_limb_t odd[1 << (POW_WINDOW - 1)][FP_MAX_LIMBS], a2[FP_MAX_LIMBS], acc[FP_MAX_LIMBS];
    fp_copy(f, odd[0], a);
    fp_sqr(f, a2, a);
    for (int i = 1; i < 1 << (POW_WINDOW - 1); i++) fp_mul(f, odd[i], odd[i - 1], a2);

    fp_copy(f, acc, f->one);
    long bit = (long)en * 64 - 1;
#define EBIT(i) ((e[(i) / 64] >> ((i) % 64)) & 1)
    while (bit >= 0) {
        if (!EBIT(bit)) {
            fp_sqr(f, acc, acc);
            bit--;
            continue;
        }
        // The window [low, bit]: at most POW_WINDOW bits, ending in a set bit.
        long low = bit - POW_WINDOW + 1 < 0 ? 0 : bit - POW_WINDOW + 1;
        while (!EBIT(low)) low++;
        unsigned w = 0;
        for (long i = bit; i >= low; i--) {
            fp_sqr(f, acc, acc);
            w = w << 1 | (unsigned)EBIT(i);
        }
        fp_mul(f, acc, acc, odd[w >> 1]);
        bit = low - 1;
    }
#undef EBIT
    fp_copy(f, r, acc);
}

void fp_inv_int(const fp_field *f, mp_limb_t *r, const mp_limb_t *a) {
    if (fp_is_zero(f, a))
        fp_zero(f, r);
    else
        fp_inverse_int(f, r, a);
}

void fp_inv(const fp_field *f, mp_limb_t *r, const mp_limb_t *a) {
    mp_limb_t t[FP_MAX_LIMBS];
    fp_export(f, t, a);
    fp_inv_int(f, t, t);
    fp_import(f, r, t);
}

bool fp_sqrt(const fp_field *f, mp_limb_t *r, const mp_limb_t *a) {
    mp_limb_t root[FP_MAX_LIMBS], sq[FP_MAX_LIMBS];
    fp_pow(f, root, a, f->sqrt_exp, f->n);
    fp_sqr(f, sq, root);
    fp_copy(f, r, root);
    return fp_eq(f, sq, a);
}
