// Short-Weierstrass precompiles (SP1_ABI.md §4.2-§4.3): ADD and DOUBLE for secp256k1, secp256r1,
// BN254 and BLS12-381, DECOMPRESS for secp256k1, secp256r1 and BLS12-381. Points are
// [x | y] little-endian words, affine, with no point at infinity.
//
// SP1 (with the bigint-rug feature InfinityVM enables) computes ADD/DOUBLE on signed integers with
// truncating remainders:
//   ADD:    s = ((p+qy-py) % p) * ((p+qx-px) % p)^(p-2) % p
//           x3 = (s^2 + 2p - px - qx) % p,  y3 = (s*(p + px - x3) + p - py) % p
//   DOUBLE: s = ((a + 3x^2) % p) * ((2y) % p)^(p-2) % p
//           x3 = (s^2 + p + (p - x - x)) % p,  y3 = (s*(p + x - x3) + p - y) % p
// and stores the magnitudes. When every coordinate is < p no intermediate is negative and this is
// plain arithmetic mod p, done with field.h. Coordinates >= p (which no honest
// guest produces) can make intermediates negative; that case replays the formulas exactly on mpz
// integers. (SP1's default dashu build would panic on those underflows instead; InfinityVM's
// build does not.)
//
// SP1 v6 (descriptor flag sp1.v6_curves; SP1_V6_ABI.md §3.2) computes secp256k1 with k256's
// complete formulas on decoded points: both points must be reduced and on the curve, P == Q
// doubles, and a result at infinity (P == -Q, or doubling y = 0) panics. The other curves use
// the formulas above on unsigned integers, so an underflowing intermediate (only possible with
// unreduced coordinates) panics; DECOMPRESS is deprecated there.
//
// One handler per operation serves every curve; a row's arg is its pc_curve (precompiles.h).

#include <pthread.h>

#include "bigint.h"
#include "field.h"
#include "precompiles.h"

typedef enum { DEC_PARITY, DEC_BLS_LARGEST, DEC_NONE } dec_rule;

typedef struct sw_curve {
    fp_id field;
    const char *a_hex, *b_hex;
    dec_rule decompress;
    /// Work of the exact-integer path of ADD / DOUBLE (unreduced coordinates) beyond the row's,
    /// which is the reduced path's (README "Work metering"; scripts/work-weights.sh).
    uint32_t exact_work;
    mp_limb_t a[FP_MAX_LIMBS];                         ///< integer
    mp_limb_t a_el[FP_MAX_LIMBS], b_el[FP_MAX_LIMBS];  ///< elements (field.h)
    bool a_zero;
} sw_curve;

#define CURVE(fid, a, b, rule, exact) {.field = (fid), .a_hex = (a), .b_hex = (b), .decompress = (rule), .exact_work = (exact)}

/// exact_work: the exact path measured at 8,000-12,333 units (secp256k1, secp256r1, BN254) and
/// 27,859-32,662 (BLS12-381) per call, the reduced one (the rows' work, sp1_rows.h) 1,188-1,597
/// and 2,318-2,891: the rows' work plus this covers the first.
static sw_curve curves[PC_CURVE_COUNT] = {
    [PC_SECP256K1] = CURVE(FP_SECP256K1, "0", "7", DEC_PARITY, 11500),
    [PC_SECP256R1] = CURVE(FP_SECP256R1, "ffffffff00000001000000000000000000000000fffffffffffffffffffffffc",
                           "5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b", DEC_PARITY, 11500),
    [PC_BN254] = CURVE(FP_BN254, "0", "3", DEC_NONE, 11500),
    [PC_BLS12381] = CURVE(FP_BLS12381, "0", "4", DEC_BLS_LARGEST, 33000),
};
static pthread_once_t curves_once = PTHREAD_ONCE_INIT;

static void init_curves(void) {
    for (int i = 0; i < PC_CURVE_COUNT; i++) {
        sw_curve *c = &curves[i];
        const fp_field *f = fp_get(c->field);
        mp_limb_t b[FP_MAX_LIMBS];
        fp_limbs_from_hex(c->a, f->n, c->a_hex);
        fp_limbs_from_hex(b, f->n, c->b_hex);
        fp_import(f, c->a_el, c->a);
        fp_import(f, c->b_el, b);
        c->a_zero = fp_is_zero(f, c->a);
    }
}

static const sw_curve *curve(uint32_t id) {
    pthread_once(&curves_once, init_curves);
    return &curves[id];
}

// MARK: - Exact replay for unreduced coordinates (mpz, truncating remainders as rug does)

static void tmod(mpz_t r, const mpz_t a, const mpz_t p) { mpz_tdiv_r(r, a, p); }

/// With `unsigned_only` (SP1 v6), a negative intermediate is an underflow: returns -1 and leaves
/// the point unchanged. Else returns 0.
static int add_exact(const fp_field *f, mp_limb_t *px_l, mp_limb_t *py_l, const mp_limb_t *qx_l, const mp_limb_t *qy_l,
                     bool unsigned_only) {
    mpz_t p, px, py, qx, qy, num, den, e, s, x3, y3, t;
    mpz_inits(p, px, py, qx, qy, num, den, e, s, x3, y3, t, NULL);
    int rc = -1;
#define NONNEG(v) \
    if (unsigned_only && mpz_sgn(v) < 0) goto done
    bn_from_limbs(p, f->p, f->n);
    bn_from_limbs(px, px_l, f->n), bn_from_limbs(py, py_l, f->n);
    bn_from_limbs(qx, qx_l, f->n), bn_from_limbs(qy, qy_l, f->n);
    mpz_add(t, p, qy), mpz_sub(t, t, py);
    NONNEG(t);
    tmod(num, t, p);
    mpz_add(t, p, qx), mpz_sub(t, t, px);
    NONNEG(t);
    tmod(den, t, p);
    mpz_sub_ui(e, p, 2);
    mpz_powm(den, den, e, p);  // non-negative result, as rug's pow_mod
    mpz_mul(t, num, den), tmod(s, t, p);
    mpz_mul(t, s, s), mpz_add(t, t, p), mpz_add(t, t, p), mpz_sub(t, t, px), mpz_sub(t, t, qx);
    NONNEG(t);
    tmod(x3, t, p);
    mpz_add(t, p, px), mpz_sub(t, t, x3), mpz_mul(t, s, t), mpz_add(t, t, p), mpz_sub(t, t, py);
    NONNEG(t);
    tmod(y3, t, p);
    bn_to_limbs(px_l, f->n, x3);
    bn_to_limbs(py_l, f->n, y3);
    rc = 0;
done:
    mpz_clears(p, px, py, qx, qy, num, den, e, s, x3, y3, t, NULL);
    return rc;
}

static int double_exact(const sw_curve *c, const fp_field *f, mp_limb_t *x_l, mp_limb_t *y_l, bool unsigned_only) {
    mpz_t p, a, x, y, num, den, e, s, x3, y3, t, u;
    mpz_inits(p, a, x, y, num, den, e, s, x3, y3, t, u, NULL);
    int rc = -1;
    bn_from_limbs(p, f->p, f->n);
    bn_from_limbs(a, c->a, f->n), bn_from_limbs(x, x_l, f->n), bn_from_limbs(y, y_l, f->n);
    mpz_mul(t, x, x), mpz_mul_ui(t, t, 3), mpz_add(t, a, t), tmod(num, t, p);
    mpz_mul_ui(t, y, 2), tmod(den, t, p);
    mpz_sub_ui(e, p, 2);
    mpz_powm(den, den, e, p);
    mpz_mul(t, num, den), tmod(s, t, p);
    mpz_sub(u, p, x), mpz_sub(u, u, x);
    mpz_mul(t, s, s), mpz_add(t, t, p), mpz_add(t, t, u);
    NONNEG(t);
    tmod(x3, t, p);
    mpz_add(t, p, x), mpz_sub(t, t, x3), mpz_mul(t, s, t), mpz_add(t, t, p), mpz_sub(t, t, y);
    NONNEG(t);
    tmod(y3, t, p);
#undef NONNEG
    bn_to_limbs(x_l, f->n, x3);
    bn_to_limbs(y_l, f->n, y3);
    rc = 0;
done:
    mpz_clears(p, a, x, y, num, den, e, s, x3, y3, t, u, NULL);
    return rc;
}

// MARK: - Affine formulas on reduced coordinates
//
// Coordinates stay integers (field.h): additions work on them as they are, and each product has
// one imported factor, which gives an integer. The slope is imported once (it multiplies twice);
// nothing is exported.

/// (x1, y1) = (x3, s (x1 - x3) - y1) with x3 = s^2 - x1 - x2 and the slope s = num / den: the end
/// of both formulas.
static void apply_slope(const fp_field *f, const mp_limb_t *num, const mp_limb_t *den, mp_limb_t *x1, mp_limb_t *y1,
                        const mp_limb_t *x2) {
    mp_limb_t inv[FP_MAX_LIMBS], s[FP_MAX_LIMBS], s_el[FP_MAX_LIMBS], x3[FP_MAX_LIMBS], y3[FP_MAX_LIMBS],
        t[FP_MAX_LIMBS];
    fp_inv_int(f, inv, den);  // a zero den (p = -q, or doubling y = 0) inverts to 0, as in SP1
    fp_import(f, inv, inv);
    fp_mul(f, s, inv, num);
    fp_import(f, s_el, s);
    fp_mul(f, x3, s_el, s);
    fp_sub(f, x3, x3, x1);
    fp_sub(f, x3, x3, x2);
    fp_sub(f, t, x1, x3);
    fp_mul(f, y3, s_el, t);
    fp_sub(f, y3, y3, y1);
    fp_copy(f, x1, x3);
    fp_copy(f, y1, y3);
}

/// p = p + q for reduced coordinates (p = -q gives SP1's result for a zero inverse).
static void add_reduced(const fp_field *f, mp_limb_t *px, mp_limb_t *py, const mp_limb_t *qx, const mp_limb_t *qy) {
    mp_limb_t num[FP_MAX_LIMBS], den[FP_MAX_LIMBS];
    fp_sub(f, num, qy, py);
    fp_sub(f, den, qx, px);
    apply_slope(f, num, den, px, py, qx);
}

/// (x, y) = 2 (x, y) for reduced coordinates.
static void double_reduced(const sw_curve *c, const fp_field *f, mp_limb_t *x, mp_limb_t *y) {
    mp_limb_t num[FP_MAX_LIMBS], den[FP_MAX_LIMBS], t[FP_MAX_LIMBS];
    fp_import(f, t, x);
    fp_mul(f, t, t, x);
    fp_add(f, num, t, t);
    fp_add(f, num, num, t);
    if (!c->a_zero) fp_add(f, num, num, c->a);
    fp_add(f, den, y, y);
    apply_slope(f, num, den, x, y, x);  // x2 may alias x1: it is only written at the end
}

/// SP1 v6's secp256k1 decoding: a reduced point on y^2 = x^3 + 7 (k256 panics on anything else).
static bool k256_point_ok(const sw_curve *c, const fp_field *f, const mp_limb_t *x, const mp_limb_t *y) {
    if (!fp_is_reduced(f, x) || !fp_is_reduced(f, y)) return false;
    mp_limb_t xe[FP_MAX_LIMBS], ye[FP_MAX_LIMBS], lhs[FP_MAX_LIMBS], rhs[FP_MAX_LIMBS];
    fp_import(f, xe, x);
    fp_import(f, ye, y);
    fp_sqr(f, lhs, ye);
    fp_sqr(f, rhs, xe);
    fp_mul(f, rhs, rhs, xe);
    fp_add(f, rhs, rhs, c->b_el);
    return fp_eq(f, lhs, rhs);
}

static int k256_not_a_point(vm_t *vm, const char *name, const char *which) {
    return vm_fail(vm, ZKVM_ERR_SYSCALL, "%s: %s is not a reduced secp256k1 point (SP1 v6's k256 decoding panics)", name,
                   which);
}

static int at_infinity(vm_t *vm, const char *name) {
    return vm_fail(vm, ZKVM_ERR_SYSCALL, "%s: the result is the point at infinity, which SP1 v6 cannot encode (it panics)",
                   name);
}

static int underflow(vm_t *vm, const char *name) {
    return vm_fail(vm, ZKVM_ERR_SYSCALL,
                   "%s: an unreduced coordinate makes SP1 v6's unsigned arithmetic underflow (it panics)", name);
}

// MARK: - ADD / DOUBLE

int pc_sw_add(vm_t *vm, const vm_syscall *sc) {
    const sw_curve *c = curve(sc->arg);
    const fp_field *f = fp_get(c->field);
    const uint64_t p_ptr = vm_arg(vm, 0), q_ptr = vm_arg(vm, 1), bytes = 2 * f->bytes;
    const vm_span spans[] = {{"q", q_ptr, bytes, VM_PROT_READ}, {"p", p_ptr, bytes, VM_PROT_READ | VM_PROT_WRITE}};
    int rc = vm_check_spans(vm, sc->name, spans, 2);
    if (rc) return rc;
    uint8_t *pm = vm_bytes(vm, p_ptr);
    const uint8_t *qm = vm_bytes(vm, q_ptr);
    mp_limb_t px[FP_MAX_LIMBS], py[FP_MAX_LIMBS], qx[FP_MAX_LIMBS], qy[FP_MAX_LIMBS];
    fp_load(f, px, pm), fp_load(f, py, pm + f->bytes);
    fp_load(f, qx, qm), fp_load(f, qy, qm + f->bytes);
    const bool v6 = vm->abi->sp1.v6_curves;

    if (v6 && sc->arg == PC_SECP256K1) {  // k256's complete addition
        if (!k256_point_ok(c, f, px, py)) return k256_not_a_point(vm, sc->name, "p");
        if (!k256_point_ok(c, f, qx, qy)) return k256_not_a_point(vm, sc->name, "q");
        if (fp_eq(f, px, qx)) {
            mp_limb_t sum[FP_MAX_LIMBS];
            fp_add(f, sum, py, qy);
            if (fp_is_zero(f, sum)) return at_infinity(vm, sc->name);
            double_reduced(c, f, px, py);  // p == q
        } else {
            add_reduced(f, px, py, qx, qy);
        }
    } else {
        if (fp_eq(f, px, qx) && fp_eq(f, py, qy))
            return vm_fail(vm, ZKVM_ERR_SYSCALL, "%s: p and q are the same point (SP1 panics; use DOUBLE)", sc->name);
        if (fp_is_reduced(f, px) && fp_is_reduced(f, py) && fp_is_reduced(f, qx) && fp_is_reduced(f, qy))
            add_reduced(f, px, py, qx, qy);
        else if (vm_charge_work(vm, c->exact_work, sc->name) != 0)
            return -1;
        else if (add_exact(f, px, py, qx, qy, v6) != 0)
            return underflow(vm, sc->name);
    }
    fp_store(f, pm, px);
    fp_store(f, pm + f->bytes, py);
    return 0;
}

/// DOUBLE ignores a1 (the guest passes 0).
int pc_sw_double(vm_t *vm, const vm_syscall *sc) {
    const sw_curve *c = curve(sc->arg);
    const fp_field *f = fp_get(c->field);
    const uint64_t p_ptr = vm_arg(vm, 0);
    const vm_span spans[] = {{"p", p_ptr, 2 * f->bytes, VM_PROT_READ | VM_PROT_WRITE}};
    int rc = vm_check_spans(vm, sc->name, spans, 1);
    if (rc) return rc;
    uint8_t *pm = vm_bytes(vm, p_ptr);
    mp_limb_t x[FP_MAX_LIMBS], y[FP_MAX_LIMBS];
    fp_load(f, x, pm), fp_load(f, y, pm + f->bytes);
    const bool v6 = vm->abi->sp1.v6_curves;

    if (v6 && sc->arg == PC_SECP256K1) {
        if (!k256_point_ok(c, f, x, y)) return k256_not_a_point(vm, sc->name, "p");
        if (fp_is_zero(f, y)) return at_infinity(vm, sc->name);
        double_reduced(c, f, x, y);
    } else if (fp_is_reduced(f, x) && fp_is_reduced(f, y)) {
        double_reduced(c, f, x, y);
    } else if (vm_charge_work(vm, c->exact_work, sc->name) != 0) {
        return -1;
    } else if (double_exact(c, f, x, y, v6) != 0) {
        return underflow(vm, sc->name);
    }
    fp_store(f, pm, x);
    fp_store(f, pm + f->bytes, y);
    return 0;
}

// MARK: - DECOMPRESS

/// Buffer [y out | x in], each coordinate little-endian; writes y with the requested sign.
int pc_sw_decompress(vm_t *vm, const vm_syscall *sc) {
    const sw_curve *c = curve(sc->arg);
    const fp_field *f = fp_get(c->field);
    const char *name = sc->name;
    const uint64_t ptr = vm_arg(vm, 0), sign = vm_arg(vm, 1);
    if (ptr & 3) return vm_fail(vm, ZKVM_ERR_SYSCALL, "%s: pointer 0x%08llx is not 4-byte aligned", name, (unsigned long long)ptr);
    if (sign > 1)
        return vm_fail(vm, ZKVM_ERR_SYSCALL, "%s: sign/is_odd argument must be 0 or 1, got %llu", name, (unsigned long long)sign);
    const vm_span spans[] = {{"buffer", ptr, 2 * f->bytes, 0}};
    if (vm_check_spans(vm, name, spans, 1)) return -1;
    uint8_t *buf = vm_bytes(vm, ptr);
    mp_limb_t x[FP_MAX_LIMBS], y[FP_MAX_LIMBS], rhs[FP_MAX_LIMBS], t[FP_MAX_LIMBS];
    fp_load(f, x, buf + f->bytes);

    bool want_largest = sign;
    if (c->decompress == DEC_BLS_LARGEST) {
        // SP1 ORs the ZCash flags into the big-endian x (compressed 0x80, sort 0x20 if sign) and
        // parses it with amcl: the infinity flag (0x40) yields (0, 1) if everything else is zero,
        // the sort flag may also come from x itself, and the three flag bits are masked off x.
        const int top = 5;  // limb holding the most significant byte
        uint8_t flags = (uint8_t)(x[top] >> 56) | 0x80 | (sign ? 0x20 : 0);
        x[top] &= 0x00ffffffffffffffull;
        if (flags & 0x40) {
            if ((flags & 0x3f) || !fp_is_zero(f, x))
                return vm_fail(vm, ZKVM_ERR_SYSCALL, "%s: invalid x (infinity flag with other bits set)", name);
            fp_zero(f, y);  // amcl's point at infinity is (0, 1)
            y[0] = 1;
            fp_store(f, buf, y);
            return 0;
        }
        want_largest = flags & 0x20;
        x[top] |= (mp_limb_t)(flags & 0x1f) << 56;
    }
    if (!fp_is_reduced(f, x)) return vm_fail(vm, ZKVM_ERR_SYSCALL, "%s: x is not less than the field modulus", name);

    fp_import(f, x, x);
    fp_sqr(f, t, x);
    fp_mul(f, rhs, t, x);
    if (!c->a_zero) {
        fp_mul(f, t, c->a_el, x);
        fp_add(f, rhs, rhs, t);
    }
    fp_add(f, rhs, rhs, c->b_el);
    // amcl rejects x^3 + b = 0 (its Jacobi symbol is 0, not 1); k256/p256 accept it with y = 0.
    if (!fp_sqrt(f, y, rhs) || (c->decompress == DEC_BLS_LARGEST && fp_is_zero(f, rhs)))
        return vm_fail(vm, ZKVM_ERR_SYSCALL, "%s: x is not the x-coordinate of a curve point (x^3 + ax + b is not a square)",
                       name);

    // The sign rules look at the integers: export y, and negate it as an integer (p - y).
    fp_export(f, y, y);
    if (c->decompress == DEC_BLS_LARGEST) {
        fp_neg(f, t, y);
        bool y_is_larger = mpn_cmp(y, t, f->n) > 0;
        if (y_is_larger != want_largest) fp_copy(f, y, t);
    } else if ((bool)(y[0] & 1) != (bool)sign) {
        fp_neg(f, y, y);
    }
    fp_store(f, buf, y);
    return 0;
}
