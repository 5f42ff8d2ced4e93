// Field-tower precompiles for BN254 and BLS12-381 (SP1_ABI.md §4.2): FP_ADD/SUB/MUL on one
// element, FP2_ADD/SUB/MUL on c0 + c1*u with u^2 = -1. x is overwritten with the result.
//
// SP1 semantics on unreduced inputs: FP ops reduce both operands first; FP2 ADD/MUL reduce the
// results (same values as reducing first); FP2 SUB computes (a + p - b) % p on unsigned big
// integers and so panics when b > a + p.
//
// A row's arg is PC_FIELD_OP(field, op) (precompiles.h).
//
// Results are integers: sums and differences of reduced integers need no Montgomery form, and a
// product is fp_mul of one imported factor and the other factor as an integer (field.h).

#include "field.h"
#include "precompiles.h"

int pc_fp_op(vm_t *vm, const vm_syscall *sc) {
    const fp_field *f = fp_get((fp_id)(sc->arg >> 8));
    const pc_field_op op = (pc_field_op)(sc->arg & 0xff);
    const char *name = sc->name;
    const uint64_t x_ptr = vm_arg(vm, 0), y_ptr = vm_arg(vm, 1);
    const vm_span spans[] = {{"y", y_ptr, f->bytes, VM_PROT_READ}, {"x", x_ptr, f->bytes, VM_PROT_READ | VM_PROT_WRITE}};
    int rc = vm_check_spans(vm, name, spans, 2);
    if (rc) return rc;
    mp_limb_t a[FP_MAX_LIMBS], b[FP_MAX_LIMBS];
    fp_load(f, a, vm_bytes(vm, x_ptr));
    fp_load(f, b, vm_bytes(vm, y_ptr));
    switch (op) {
    case PC_FIELD_ADD: fp_reduce(f, a, a), fp_reduce(f, b, b), fp_add(f, a, a, b); break;
    case PC_FIELD_SUB: fp_reduce(f, a, a), fp_reduce(f, b, b), fp_sub(f, a, a, b); break;
    case PC_FIELD_MUL: fp_import(f, a, a), fp_mul(f, a, a, b); break;  // b may be unreduced: a is below p
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

int pc_fp2_op(vm_t *vm, const vm_syscall *sc) {
    const fp_field *f = fp_get((fp_id)(sc->arg >> 8));
    const pc_field_op op = (pc_field_op)(sc->arg & 0xff);
    const char *name = sc->name;
    const uint64_t x_ptr = vm_arg(vm, 0), y_ptr = vm_arg(vm, 1);
    const vm_span spans[] = {{"y", y_ptr, 2 * f->bytes, VM_PROT_READ}, {"x", x_ptr, 2 * f->bytes, VM_PROT_READ | VM_PROT_WRITE}};
    int rc = vm_check_spans(vm, name, spans, 2);
    if (rc) return rc;
    uint8_t *xm = vm_bytes(vm, x_ptr);
    const uint8_t *ym = vm_bytes(vm, y_ptr);
    mp_limb_t a0[FP_MAX_LIMBS], a1[FP_MAX_LIMBS], b0[FP_MAX_LIMBS], b1[FP_MAX_LIMBS];
    fp_load(f, a0, xm), fp_load(f, a1, xm + f->bytes);
    fp_load(f, b0, ym), fp_load(f, b1, ym + f->bytes);
    if (op == PC_FIELD_SUB && (sub_underflows(f, a0, b0) || sub_underflows(f, a1, b1)))
        return vm_fail(vm, ZKVM_ERR_SYSCALL, "%s: a component of y exceeds x + p (SP1's unsigned subtraction panics)", name);
    mp_limb_t c0[FP_MAX_LIMBS], c1[FP_MAX_LIMBS];
    if (op != PC_FIELD_MUL) fp_reduce(f, a0, a0), fp_reduce(f, a1, a1), fp_reduce(f, b0, b0), fp_reduce(f, b1, b1);
    switch (op) {
    case PC_FIELD_ADD:
        fp_add(f, c0, a0, b0);
        fp_add(f, c1, a1, b1);
        break;
    case PC_FIELD_SUB:
        fp_sub(f, c0, a0, b0);
        fp_sub(f, c1, a1, b1);
        break;
    case PC_FIELD_MUL: fp2_mul_int(f, c0, c1, a0, a1, b0, b1); break;  // b may be unreduced
    }
    fp_store(f, xm, c0);
    fp_store(f, xm + f->bytes, c1);
    return 0;
}
