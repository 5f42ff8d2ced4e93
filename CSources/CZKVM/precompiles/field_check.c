// zkvm_field_check (zkvm_core.h): field.c against field_gmp.c, operation by operation.
//
// Each case draws operands, runs the operation both ways and compares canonical integers: the
// fixed-width side imports its operands, computes in Montgomery form and exports the result,
// so the conversions are checked by every case too. Results are compared with GMP's mpn_cmp:
// field.h's own limb helpers (equality, copies, guest-memory loads and stores) are an operation
// under test.

#include <stdio.h>

#include "../include/zkvm_core.h"
#include "field.h"
#include "field_gmp.h"

typedef enum {
    OP_IMPORT,  ///< fp_import + fp_export of any integer = the integer mod p
    OP_REDUCE,  ///< fp_reduce of any integer
    OP_MUL,
    OP_SQR,
    OP_ADD,
    OP_SUB,
    OP_NEG,
    OP_INV,
    OP_SQRT,    ///< the candidate root and whether it is one
    OP_PARITY,  ///< fp_is_odd
    OP_FP2_MUL, ///< fp2_mul_int on any integers, both components
    OP_LIMBS,   ///< fp_eq, fp_copy, fp_zero, fp_load and fp_store against mpn_cmp and a byte-wise copy
    OP_COUNT
} check_op;

static const char *const op_names[OP_COUNT] = {"import/export", "reduce", "mul", "sqr", "add",
                                               "sub", "neg", "inv", "sqrt", "parity", "fp2 mul", "limbs"};

static uint64_t next_random(uint64_t *state) {  // splitmix64
    uint64_t z = (*state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/// A reduced integer: one time in four an edge value, else uniform below p.
static void draw_reduced(const fp_field *f, uint64_t *rng, mp_limb_t *r) {
    const mp_size_t n = f->n;
    const uint64_t pick = next_random(rng);
    fp_zero(f, r);
    if (pick % 4 == 0) {
        const uint64_t small = next_random(rng) % 5;
        switch ((pick >> 8) % 9) {
        case 0: r[0] = small; break;                                    // 0 .. 4
        case 1: mpn_sub_1(r, f->p, n, 1 + small); break;                // p - 1 .. p - 5
        case 2: mpn_rshift(r, f->p, n, 1), mpn_add_1(r, r, n, small % 2); break;  // (p -+ 1) / 2
        case 3: fp_copy(f, r, f->one); break;                           // R mod p
        case 4: fp_copy(f, r, f->r2); break;
        case 5: r[0] = next_random(rng); break;                         // one limb
        case 6: for (mp_size_t i = 0; i < n; i++) r[i] = ~(mp_limb_t)0; // all ones below p's length
                mpn_rshift(r, r, n, 1 + (mp_limb_t)__builtin_clzll(f->p[n - 1])); break;
        case 7: r[n - 1] = f->p[n - 1] - 1; break;                      // sparse, just below p
        default: mpn_sub_1(r, f->p, n, next_random(rng)); break;       // close to p
        }
        return;
    }
    const int top_bits = 64 - __builtin_clzll(f->p[n - 1]);
    do {
        for (mp_size_t i = 0; i < n; i++) r[i] = next_random(rng);
        r[n - 1] &= top_bits == 64 ? ~(mp_limb_t)0 : ((mp_limb_t)1 << top_bits) - 1;
    } while (!fp_is_reduced(f, r));
}

/// Any n-limb integer: half the time reduced, else an unreduced one (p, p + k, k p + small,
/// 2^(64n) - 1, uniform over all n limbs).
static void draw_integer(const fp_field *f, uint64_t *rng, mp_limb_t *r) {
    const mp_size_t n = f->n;
    const uint64_t pick = next_random(rng);
    if (pick % 2 == 0) return draw_reduced(f, rng, r);
    switch ((pick >> 8) % 5) {
    case 0: fp_copy(f, r, f->p), mpn_add_1(r, r, n, next_random(rng) % 3); break;
    case 1: {  // k p + small for the largest k that fits
        mp_limb_t k = (mp_limb_t)(~(mp_limb_t)0 / ((unsigned __int128)f->p[n - 1] + 1));
        mpn_mul_1(r, f->p, n, k ? k : 1);
        mpn_add_1(r, r, n, next_random(rng) % 3);
        break;
    }
    case 2: for (mp_size_t i = 0; i < n; i++) r[i] = ~(mp_limb_t)0; break;
    default: for (mp_size_t i = 0; i < n; i++) r[i] = next_random(rng); break;
    }
}

static void hex_append(char *buf, size_t cap, const char *label, const mp_limb_t *a, mp_size_t n) {
    size_t len = strlen(buf);
    if (len >= cap) return;
    len += snprintf(buf + len, cap - len, " %s=", label);
    for (mp_size_t i = n; i-- > 0 && len < cap;) len += snprintf(buf + len, cap - len, "%016llx", (unsigned long long)a[i]);
}

/// One case: 1 if the two implementations disagree (then `why` describes it).
static int check_case(const fp_field *f, check_op op, uint64_t *rng, char *why, size_t cap) {
    mp_limb_t a[FP_MAX_LIMBS], b[FP_MAX_LIMBS], ea[FP_MAX_LIMBS], eb[FP_MAX_LIMBS];
    mp_limb_t want[FP_MAX_LIMBS] = {0}, got[FP_MAX_LIMBS] = {0};
    bool want_flag = false, got_flag = false;
    mp_limb_t a1[FP_MAX_LIMBS], b1[FP_MAX_LIMBS], want1[FP_MAX_LIMBS] = {0}, got1[FP_MAX_LIMBS] = {0};
    if (op == OP_IMPORT || op == OP_REDUCE || op == OP_FP2_MUL)
        draw_integer(f, rng, a);
    else
        draw_reduced(f, rng, a);
    if (op == OP_FP2_MUL)
        draw_integer(f, rng, b), draw_integer(f, rng, a1), draw_integer(f, rng, b1);
    else
        draw_reduced(f, rng, b);
    if (op == OP_SUB && next_random(rng) % 8 == 0) fp_copy(f, b, a);  // a - a
    fp_import(f, ea, a);
    fp_import(f, eb, b);
    switch (op) {
    case OP_IMPORT: fpg_reduce(f, want, a), fp_export(f, got, ea); break;
    case OP_REDUCE: fpg_reduce(f, want, a), fp_reduce(f, got, a); break;
    case OP_MUL: fpg_mul(f, want, a, b), fp_mul(f, got, ea, eb); break;
    case OP_SQR: fpg_mul(f, want, a, a), fp_sqr(f, got, ea); break;
    case OP_ADD: fpg_add(f, want, a, b), fp_add(f, got, ea, eb); break;
    case OP_SUB: fpg_sub(f, want, a, b), fp_sub(f, got, ea, eb); break;
    case OP_NEG: fpg_neg(f, want, a), fp_neg(f, got, ea); break;
    case OP_INV: fpg_inv(f, want, a), fp_inv(f, got, ea); break;
    case OP_SQRT: want_flag = fpg_sqrt(f, want, a), got_flag = fp_sqrt(f, got, ea); break;
    case OP_PARITY: want_flag = a[0] & 1, got_flag = fp_is_odd(f, ea); break;
    case OP_FP2_MUL: {
        mp_limb_t t[FP_MAX_LIMBS];
        fpg_mul(f, want, a, b), fpg_mul(f, t, a1, b1), fpg_sub(f, want, want, t);
        fpg_mul(f, want1, a, b1), fpg_mul(f, t, a1, b), fpg_add(f, want1, want1, t);
        fp2_mul_int(f, got, got1, a, a1, b, b1);
        break;
    }
    case OP_LIMBS: {
        // b = a, then half the time one bit flipped anywhere: fp_eq must agree with mpn_cmp.
        fp_copy(f, b, a);
        if (next_random(rng) % 2) {
            const uint64_t bit = next_random(rng) % (uint64_t)(64 * f->n);
            b[bit / 64] ^= (mp_limb_t)1 << (bit % 64);
        }
        want_flag = mpn_cmp(a, b, f->n) == 0;
        got_flag = fp_eq(f, a, b);
        // want = a through bytes assembled one at a time (guest memory's little-endian layout);
        // got = a through fp_store and fp_load, after fp_zero (which must clear every limb).
        uint8_t bytes[FP_MAX_LIMBS * FP_LIMB_BYTES + 8], stored[FP_MAX_LIMBS * FP_LIMB_BYTES + 8];
        memset(stored, 0xA5, sizeof stored);
        for (size_t i = 0; i < f->bytes; i++) bytes[i] = (uint8_t)(a[i / 8] >> (8 * (i % 8)));
        for (size_t i = 0; i < f->bytes; i++) want[i / 8] |= (mp_limb_t)bytes[i] << (8 * (i % 8));
        fp_store(f, stored, a);
        fp_zero(f, got);
        if (!mpn_zero_p(got, f->n) || memcmp(stored, bytes, f->bytes) != 0 || stored[f->bytes] != 0xA5) got_flag = !want_flag;
        fp_load(f, got, stored);
        break;
    }
    case OP_COUNT: break;
    }
    if (op != OP_IMPORT && op != OP_REDUCE && op != OP_PARITY && op != OP_FP2_MUL && op != OP_LIMBS) fp_export(f, got, got);
    // Compared with GMP's mpn_cmp, not fp_eq, which OP_LIMBS checks.
    if (mpn_cmp(want, got, f->n) == 0 && mpn_cmp(want1, got1, f->n) == 0 && want_flag == got_flag) return 0;
    snprintf(why, cap, "%s %s:", f->name, op_names[op]);
    hex_append(why, cap, "a", a, f->n);
    if (op == OP_MUL || op == OP_ADD || op == OP_SUB || op == OP_FP2_MUL) hex_append(why, cap, "b", b, f->n);
    if (op == OP_FP2_MUL) hex_append(why, cap, "a1", a1, f->n), hex_append(why, cap, "b1", b1, f->n);
    hex_append(why, cap, "gmp", want, f->n);
    hex_append(why, cap, "got", got, f->n);
    if (op == OP_FP2_MUL) hex_append(why, cap, "gmp1", want1, f->n), hex_append(why, cap, "got1", got1, f->n);
    if (want_flag != got_flag) {
        size_t len = strlen(why);
        if (len < cap) snprintf(why + len, cap - len, " flag gmp=%d got=%d", want_flag, got_flag);
    }
    return 1;
}

const char *zkvm_field_name(uint32_t field) { return field < FP_COUNT ? fp_get((fp_id)field)->name : NULL; }

int zkvm_field_check(uint32_t field, uint64_t cases, uint64_t seed, zkvm_field_check_result *result) {
    memset(result, 0, sizeof *result);
    if (field >= FP_COUNT) return -1;
    const fp_field *f = fp_get((fp_id)field);
    result->operations = OP_COUNT;
    result->min_cases = UINT64_MAX;
    uint64_t rng = seed;
    for (int op = 0; op < OP_COUNT; op++) {
        uint64_t i = 0;
        for (; i < cases; i++) {
            char why[sizeof result->first_mismatch];
            if (!check_case(f, (check_op)op, &rng, why, sizeof why)) continue;
            if (result->mismatches++ == 0) memcpy(result->first_mismatch, why, sizeof why);
        }
        result->cases += i;
        if (i < result->min_cases) result->min_cases = i;
    }
    return 0;
}
