// Ed25519 precompiles (SP1_ABI.md §4.3): ED_ADD (twisted Edwards a = -1 affine addition; p == q
// is allowed) and ED_DECOMPRESS. SP1 computes both on unsigned integers reduced mod p, so
// coordinates >= p behave like their residues and inverses of 0 are 0. The arithmetic is on field
// elements (field.h), imported from guest memory and exported back.

#include <pthread.h>

#include "ed25519.h"
#include "precompiles.h"

static mp_limb_t ed_d[FP_MAX_LIMBS], ed_sqrt_m1[FP_MAX_LIMBS];
static pthread_once_t ed_once = PTHREAD_ONCE_INIT;

static void init_ed(void) {
    const fp_field *f = fp_get(FP_ED25519);
    // d = -121665 / 121666
    mp_limb_t num[FP_MAX_LIMBS], den[FP_MAX_LIMBS];
    fp_set_ui(f, num, 121665);
    fp_neg(f, num, num);
    fp_set_ui(f, den, 121666);
    fp_inv(f, den, den);
    fp_mul(f, ed_d, num, den);
    // sqrt(-1) = 2^((p-1)/4); which of the two roots is irrelevant: ed25519_sqrt normalises the sign.
    mp_limb_t e[FP_MAX_LIMBS], two[FP_MAX_LIMBS];
    mpn_sub_1(e, f->p, f->n, 1);
    mpn_rshift(e, e, f->n, 2);
    fp_set_ui(f, two, 2);
    fp_pow(f, ed_sqrt_m1, two, e, f->n);
}

const mp_limb_t *ed25519_d(void) {
    pthread_once(&ed_once, init_ed);
    return ed_d;
}

bool ed25519_sqrt(mp_limb_t *r, const mp_limb_t *a) {
    const fp_field *f = fp_get(FP_ED25519);
    pthread_once(&ed_once, init_ed);
    mp_limb_t beta[FP_MAX_LIMBS], b2[FP_MAX_LIMBS], neg_a[FP_MAX_LIMBS];
    fp_pow(f, beta, a, f->sqrt_exp, f->n);  // a^((p+3)/8)
    fp_sqr(f, b2, beta);
    // neg_a = p - a; for a = 0 that is p itself, which no reduced square equals.
    mpn_sub_n(neg_a, f->p, a, f->n);
    bool flipped = fp_eq(f, b2, neg_a);
    if (!flipped && !fp_eq(f, b2, a)) return false;
    if (flipped) fp_mul(f, beta, beta, ed_sqrt_m1);
    if (fp_is_odd(f, beta)) fp_neg(f, beta, beta);
    fp_copy(f, r, beta);
    return true;
}

bool ed25519_decompress_x(mp_limb_t *x, const mp_limb_t *y_in) {
    const fp_field *f = fp_get(FP_ED25519);
    mp_limb_t y[FP_MAX_LIMBS], yy[FP_MAX_LIMBS], u[FP_MAX_LIMBS], v[FP_MAX_LIMBS], one[FP_MAX_LIMBS];
    fp_import(f, y, y_in);
    fp_set_ui(f, one, 1);
    fp_sqr(f, yy, y);
    fp_sub(f, u, yy, one);  // y^2 - 1
    fp_mul(f, v, yy, ed25519_d());
    fp_add(f, v, v, one);  // d y^2 + 1
    fp_inv(f, v, v);
    fp_mul(f, u, u, v);
    return ed25519_sqrt(x, u);
}

int pc_ed_add(vm_t *vm, const vm_syscall *sc) {
    const fp_field *f = fp_get(FP_ED25519);
    const uint64_t p_ptr = vm_arg(vm, 0), q_ptr = vm_arg(vm, 1);
    const vm_span spans[] = {{"q", q_ptr, 64, VM_PROT_READ}, {"p", p_ptr, 64, VM_PROT_READ | VM_PROT_WRITE}};
    int rc = vm_check_spans(vm, sc->name, spans, 2);
    if (rc) return rc;
    uint8_t *pm = vm_bytes(vm, p_ptr);
    const uint8_t *qm = vm_bytes(vm, q_ptr);
    mp_limb_t x1[FP_MAX_LIMBS], y1[FP_MAX_LIMBS], x2[FP_MAX_LIMBS], y2[FP_MAX_LIMBS];
    fp_load(f, x1, pm), fp_load(f, y1, pm + 32), fp_load(f, x2, qm), fp_load(f, y2, qm + 32);
    fp_import(f, x1, x1), fp_import(f, y1, y1), fp_import(f, x2, x2), fp_import(f, y2, y2);

    mp_limb_t x1y2[FP_MAX_LIMBS], y1x2[FP_MAX_LIMBS], y1y2[FP_MAX_LIMBS], x1x2[FP_MAX_LIMBS];
    fp_mul(f, x1y2, x1, y2), fp_mul(f, y1x2, y1, x2), fp_mul(f, y1y2, y1, y2), fp_mul(f, x1x2, x1, x2);
    mp_limb_t dxy[FP_MAX_LIMBS], one[FP_MAX_LIMBS], den_x[FP_MAX_LIMBS], den_y[FP_MAX_LIMBS];
    fp_mul(f, dxy, x1x2, y1y2);
    fp_mul(f, dxy, dxy, ed25519_d());
    fp_set_ui(f, one, 1);
    fp_add(f, den_x, one, dxy);
    fp_sub(f, den_y, one, dxy);

    // One inversion for both denominators; each zero denominator inverts to 0 on its own.
    mp_limb_t prod[FP_MAX_LIMBS], inv[FP_MAX_LIMBS];
    fp_mul(f, prod, den_x, den_y);
    if (!fp_is_zero(f, prod)) {
        fp_inv(f, inv, prod);
        mp_limb_t ix[FP_MAX_LIMBS];
        fp_mul(f, ix, inv, den_y);
        fp_mul(f, den_y, inv, den_x);
        fp_copy(f, den_x, ix);
    } else {
        fp_inv(f, den_x, den_x);
        fp_inv(f, den_y, den_y);
    }
    mp_limb_t x3[FP_MAX_LIMBS], y3[FP_MAX_LIMBS];
    fp_add(f, x3, x1y2, y1x2);
    fp_mul(f, x3, x3, den_x);
    fp_add(f, y3, y1y2, x1x2);
    fp_mul(f, y3, y3, den_y);
    fp_export(f, x3, x3), fp_export(f, y3, y3);
    fp_store(f, pm, x3);
    fp_store(f, pm + 32, y3);
    return 0;
}

int pc_ed_decompress(vm_t *vm, const vm_syscall *sc) {
    const fp_field *f = fp_get(FP_ED25519);
    const uint64_t ptr = vm_arg(vm, 0), sign = vm_arg(vm, 1);
    const unsigned align = vm_abi_word_bytes(vm->abi);
    if (ptr & (align - 1))
        return vm_fail(vm, ZKVM_ERR_SYSCALL, "%s: pointer 0x%08llx is not %u-byte aligned", sc->name, (unsigned long long)ptr,
                       align);
    if (sign > 1) return vm_fail(vm, ZKVM_ERR_SYSCALL, "%s: sign must be 0 or 1, got %llu", sc->name, (unsigned long long)sign);
    // y is read from the upper half, x written to the lower one.
    const vm_span spans[] = {{"buffer", ptr + 32, 32, VM_PROT_READ}, {"buffer", ptr, 32, VM_PROT_WRITE}};
    int rc = vm_check_spans(vm, sc->name, spans, 2);
    if (rc) return rc;
    uint8_t *buf = vm_bytes(vm, ptr);
    mp_limb_t y[FP_MAX_LIMBS], x[FP_MAX_LIMBS];
    fp_load(f, y, buf + 32);
    y[3] &= 0x7fffffffffffffffull;  // bit 255 is the sign slot of the compressed encoding
    if (!ed25519_decompress_x(x, y))
        return vm_fail(vm, ZKVM_ERR_SYSCALL, "%s: y is not the y-coordinate of a curve point (decompression failed)",
                       sc->name);
    if (sign) fp_neg(f, x, x);
    fp_export(f, x, x);
    fp_store(f, buf, x);
    return 0;
}
