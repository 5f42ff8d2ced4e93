// Big-integer precompiles (SP1_ABI.md §4.2):
//   UINT256_MUL     x = x * y mod m, with y and m consecutive at a1; m == 0 means mod 2^256.
//   U256XU2048_MUL  lo (a2) = a * b mod 2^2048, hi (a3) = a * b >> 2048 for a (256-bit, a0) and
//                   b (2048-bit, a1).
// All operands are little-endian words, which on a little-endian host are little-endian limbs.

#include <gmp.h>
#include <string.h>

#include "precompiles.h"

int pc_uint256_mul(vm_t *vm, const vm_syscall *sc) {
    const uint32_t x_ptr = vm_arg(vm, 0), y_ptr = vm_arg(vm, 1);
    if (vm_check_words(vm, sc->name, "x", x_ptr, 8) || vm_check_words(vm, sc->name, "y and modulus", y_ptr, 16)) return -1;
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
    const uint32_t a_ptr = vm_arg(vm, 0), b_ptr = vm_arg(vm, 1), lo_ptr = vm_arg(vm, 2), hi_ptr = vm_arg(vm, 3);
    if (vm_check_words(vm, sc->name, "a", a_ptr, 8) || vm_check_words(vm, sc->name, "b", b_ptr, 64) ||
        vm_check_words(vm, sc->name, "lo", lo_ptr, 64) || vm_check_words(vm, sc->name, "hi", hi_ptr, 8))
        return -1;
    mp_limb_t a[4], b[32], prod[36];
    memcpy(a, vm_bytes(vm, a_ptr), 32);
    memcpy(b, vm_bytes(vm, b_ptr), 256);
    mpn_mul(prod, b, 32, a, 4);
    // SP1 writes lo, then hi: if they overlap, hi wins.
    memcpy(vm_bytes(vm, lo_ptr), prod, 256);
    memcpy(vm_bytes(vm, hi_ptr), prod + 32, 32);
    return 0;
}
