// Big-integer precompiles (SP1_ABI.md §4.2, SP1_V6_ABI.md §3.2):
//   UINT256_MUL        x = x * y mod m, with y and m consecutive at a1; m == 0 means mod 2^256.
//   U256XU2048_MUL     lo (a2) = a * b mod 2^2048, hi (a3) = a * b >> 2048 for a (256-bit, a0) and
//                      b (2048-bit, a1). (SP1 v3-v5; v6 deprecated it.)
//   UINT256_ADD_CARRY  (SP1 v6) d (a3) = low and e (a4) = high 256 bits of a + b + c (a0, a1, a2).
//   UINT256_MUL_CARRY  (SP1 v6) the same for a * b + c.
// All operands are little-endian words, which on a little-endian host are little-endian limbs.

#include <gmp.h>
#include <string.h>

#include "precompiles.h"

int pc_uint256_mul(vm_t *vm, const vm_syscall *sc) {
    const uint64_t x_ptr = vm_arg(vm, 0), y_ptr = vm_arg(vm, 1);
    const vm_span spans[] = {{"y and modulus", y_ptr, 64, VM_PROT_READ}, {"x", x_ptr, 32, VM_PROT_READ | VM_PROT_WRITE}};
    int rc = vm_check_spans(vm, sc->name, spans, 2);
    if (rc) return rc;
    mp_limb_t x[4], y[4], m[4], prod[8];
    memcpy(x, vm_bytes(vm, x_ptr), 32);
    memcpy(y, vm_bytes(vm, y_ptr), 32);
    memcpy(m, vm_bytes(vm, y_ptr + 32), 32);
    mpn_mul_n(prod, x, y, 4);

    mp_size_t mn = 4;
    while (mn > 0 && m[mn - 1] == 0) mn--;
    mp_limb_t r[4] = {0};
    if (mn == 0) {
        memcpy(r, prod, 32);  // modulus 0: mod 2^256, the low half
    } else {
        mp_limb_t q[8];
        mpn_tdiv_qr(q, r, 0, prod, 8, m, mn);
    }
    memcpy(vm_bytes(vm, x_ptr), r, 32);
    return 0;
}

int pc_u256x2048_mul(vm_t *vm, const vm_syscall *sc) {
    const uint64_t a_ptr = vm_arg(vm, 0), b_ptr = vm_arg(vm, 1), lo_ptr = vm_arg(vm, 2), hi_ptr = vm_arg(vm, 3);
    const vm_span spans[] = {{"a", a_ptr, 32, 0}, {"b", b_ptr, 256, 0}, {"lo", lo_ptr, 256, 0}, {"hi", hi_ptr, 32, 0}};
    int rc = vm_check_spans(vm, sc->name, spans, 4);
    if (rc) return rc;
    mp_limb_t a[4], b[32], prod[36];
    memcpy(a, vm_bytes(vm, a_ptr), 32);
    memcpy(b, vm_bytes(vm, b_ptr), 256);
    mpn_mul(prod, b, 32, a, 4);
    // SP1 writes lo, then hi: if they overlap, hi wins.
    memcpy(vm_bytes(vm, lo_ptr), prod, 256);
    memcpy(vm_bytes(vm, hi_ptr), prod + 32, 32);
    return 0;
}

int pc_uint256_carry(vm_t *vm, const vm_syscall *sc) {
    const uint64_t a_ptr = vm_arg(vm, 0), b_ptr = vm_arg(vm, 1), c_ptr = vm_arg(vm, 2), d_ptr = vm_arg(vm, 3),
                   e_ptr = vm_arg(vm, 4);
    const vm_span spans[] = {{"a", a_ptr, 32, VM_PROT_READ}, {"b", b_ptr, 32, VM_PROT_READ}, {"c", c_ptr, 32, VM_PROT_READ},
                             {"d", d_ptr, 32, VM_PROT_WRITE}, {"e", e_ptr, 32, VM_PROT_WRITE}};
    int rc = vm_check_spans(vm, sc->name, spans, 5);
    if (rc) return rc;
    mp_limb_t a[4], b[4], c[4], r[8] = {0};
    memcpy(a, vm_bytes(vm, a_ptr), 32);
    memcpy(b, vm_bytes(vm, b_ptr), 32);
    memcpy(c, vm_bytes(vm, c_ptr), 32);
    if (sc->arg) {
        mpn_mul_n(r, a, b, 4);              // < 2^512 - 2^257 + 1, so adding c < 2^256 cannot carry out
        mpn_add(r, r, 8, c, 4);
    } else {
        r[4] = mpn_add_n(r, a, b, 4);
        r[4] += mpn_add_n(r, r, c, 4);      // a + b + c < 3 * 2^256: the high half is 0, 1 or 2
    }
    // SP1 writes d, then e: if they overlap, e wins.
    memcpy(vm_bytes(vm, d_ptr), r, 32);
    memcpy(vm_bytes(vm, e_ptr), r + 4, 32);
    return 0;
}
