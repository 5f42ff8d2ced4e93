// Field-tower precompiles for BN254 and BLS12-381 (SP1_ABI.md §4.2): FP_ADD/SUB/MUL on one
// element, FP2_ADD/SUB/MUL on c0 + c1*u with u^2 = -1. x is overwritten with the result.
//
// SP1 semantics on unreduced inputs: FP ops reduce both operands first; FP2 ADD/MUL reduce the
// results (same values as reducing first); FP2 SUB computes (a + p - b) % p on unsigned big
// integers and so panics when b > a + p.

#include "field.h"
#include "precompiles.h"

typedef enum { OP_ADD, OP_SUB, OP_MUL } fp_op;

static const char *const fp_names[2][3] = {
    {"BN254_FP_ADD", "BN254_FP_SUB", "BN254_FP_MUL"},
    {"BLS12381_FP_ADD", "BLS12381_FP_SUB", "BLS12381_FP_MUL"},
};
static const char *const fp2_names[2][3] = {
    {"BN254_FP2_ADD", "BN254_FP2_SUB", "BN254_FP2_MUL"},
    {"BLS12381_FP2_ADD", "BLS12381_FP2_SUB", "BLS12381_FP2_MUL"},
};

static int fp_op_run(vm_t *vm, fp_id id, fp_op op, uint32_t x_ptr, uint32_t y_ptr) {
    const fp_field *f = fp_get(id);
    const char *name = fp_names[id == FP_BLS12381][op];
    const uint32_t words = f->bytes / 4;
    if (vm_check_words(vm, name, "x", x_ptr, words) || vm_check_words(vm, name, "y", y_ptr, words)) return -1;
    mp_limb_t a[FP_MAX_LIMBS], b[FP_MAX_LIMBS];
    fp_load(f, a, vm_bytes(vm, x_ptr));
    fp_load(f, b, vm_bytes(vm, y_ptr));
    fp_reduce(f, a, a);
    fp_reduce(f, b, b);
    switch (op) {
    case OP_ADD: fp_add(f, a, a, b); break;
    case OP_SUB: fp_sub(f, a, a, b); break;
    case OP_MUL: fp_mul(f, a, a, b); break;
    }
    fp_store(f, vm_bytes(vm, x_ptr), a);
    return 0;
}

/// True iff b > a + p (the unsigned subtraction in SP1's FP2_SUB underflows).
static bool sub_underflows(const fp_field *f, const mp_limb_t *a, const mp_limb_t *b) {
    mp_limb_t ap[FP_MAX_LIMBS];
    if (mpn_add_n(ap, a, f->p, f->n)) return false;  // a + p >= 2^(64n) > b
    return mpn_cmp(b, ap, f->n) > 0;
}

static int fp2_op_run(vm_t *vm, fp_id id, fp_op op, uint32_t x_ptr, uint32_t y_ptr) {
    const fp_field *f = fp_get(id);
    const char *name = fp2_names[id == FP_BLS12381][op];
    const uint32_t words = 2 * f->bytes / 4;
    if (vm_check_words(vm, name, "x", x_ptr, words) || vm_check_words(vm, name, "y", y_ptr, words)) return -1;
    const mp_size_t n = f->n;
    uint8_t *xm = vm_bytes(vm, x_ptr);
    const uint8_t *ym = vm_bytes(vm, y_ptr);
    mp_limb_t a0[FP_MAX_LIMBS], a1[FP_MAX_LIMBS], b0[FP_MAX_LIMBS], b1[FP_MAX_LIMBS];
    fp_load(f, a0, xm), fp_load(f, a1, xm + f->bytes);
    fp_load(f, b0, ym), fp_load(f, b1, ym + f->bytes);
    if (op == OP_SUB && (sub_underflows(f, a0, b0) || sub_underflows(f, a1, b1)))
        return vm_fail(vm, ZKVM_ERR_SYSCALL, "%s: a component of y exceeds x + p (SP1's unsigned subtraction panics)", name);
    fp_reduce(f, a0, a0), fp_reduce(f, a1, a1), fp_reduce(f, b0, b0), fp_reduce(f, b1, b1);

    mp_limb_t c0[FP_MAX_LIMBS], c1[FP_MAX_LIMBS];
    switch (op) {
    case OP_ADD:
        fp_add(f, c0, a0, b0);
        fp_add(f, c1, a1, b1);
        break;
    case OP_SUB:
        fp_sub(f, c0, a0, b0);
        fp_sub(f, c1, a1, b1);
        break;
    case OP_MUL: {
        // Products at double width, two reductions: c0 = a0b0 - a1b1, c1 = a0b1 + a1b0.
        mp_limb_t t0[2 * FP_MAX_LIMBS], t1[2 * FP_MAX_LIMBS], t2[2 * FP_MAX_LIMBS], t3[2 * FP_MAX_LIMBS];
        mpn_mul_n(t0, a0, b0, n);
        mpn_mul_n(t1, a1, b1, n);
        mpn_mul_n(t2, a0, b1, n);
        mpn_mul_n(t3, a1, b0, n);
        if (mpn_sub_n(t0, t0, t1, 2 * n)) mpn_add_n(t0, t0, f->p2, 2 * n);  // wraps back into [0, p^2)
        if (mpn_add_n(t2, t2, t3, 2 * n)) mpn_sub_n(t2, t2, f->p2, 2 * n);  // wraps back below 2^(128n)
        fp_reduce_wide(f, c0, t0);
        fp_reduce_wide(f, c1, t2);
        break;
    }
    }
    fp_store(f, xm, c0);
    fp_store(f, xm + f->bytes, c1);
    return 0;
}

int pc_bn254_fp_add(vm_t *vm, uint32_t x, uint32_t y) { return fp_op_run(vm, FP_BN254, OP_ADD, x, y); }
int pc_bn254_fp_sub(vm_t *vm, uint32_t x, uint32_t y) { return fp_op_run(vm, FP_BN254, OP_SUB, x, y); }
int pc_bn254_fp_mul(vm_t *vm, uint32_t x, uint32_t y) { return fp_op_run(vm, FP_BN254, OP_MUL, x, y); }
int pc_bn254_fp2_add(vm_t *vm, uint32_t x, uint32_t y) { return fp2_op_run(vm, FP_BN254, OP_ADD, x, y); }
int pc_bn254_fp2_sub(vm_t *vm, uint32_t x, uint32_t y) { return fp2_op_run(vm, FP_BN254, OP_SUB, x, y); }
int pc_bn254_fp2_mul(vm_t *vm, uint32_t x, uint32_t y) { return fp2_op_run(vm, FP_BN254, OP_MUL, x, y); }
int pc_bls12381_fp_add(vm_t *vm, uint32_t x, uint32_t y) { return fp_op_run(vm, FP_BLS12381, OP_ADD, x, y); }
int pc_bls12381_fp_sub(vm_t *vm, uint32_t x, uint32_t y) { return fp_op_run(vm, FP_BLS12381, OP_SUB, x, y); }
int pc_bls12381_fp_mul(vm_t *vm, uint32_t x, uint32_t y) { return fp_op_run(vm, FP_BLS12381, OP_MUL, x, y); }
int pc_bls12381_fp2_add(vm_t *vm, uint32_t x, uint32_t y) { return fp2_op_run(vm, FP_BLS12381, OP_ADD, x, y); }
int pc_bls12381_fp2_sub(vm_t *vm, uint32_t x, uint32_t y) { return fp2_op_run(vm, FP_BLS12381, OP_SUB, x, y); }
int pc_bls12381_fp2_mul(vm_t *vm, uint32_t x, uint32_t y) { return fp2_op_run(vm, FP_BLS12381, OP_MUL, x, y); }
