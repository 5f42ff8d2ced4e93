#ifndef ZKVM_FIELD_INV_H
#define ZKVM_FIELD_INV_H

// Modular inversion of integers, for field.c's fp_inv.

#include "field.h"

/// r = a^-1 mod p for an integer 0 < a < p (r may alias a). Variable time.
void fp_inverse_int(const fp_field *f, mp_limb_t *r, const mp_limb_t *a);

#endif
