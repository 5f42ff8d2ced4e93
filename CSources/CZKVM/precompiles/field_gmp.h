#ifndef ZKVM_FIELD_GMP_H
#define ZKVM_FIELD_GMP_H

// The GMP mpn field arithmetic that field.c replaced (a division per reduction, mpn_gcdext for
// inverses), kept as the independent reference of the differential test (field_check.c). Works on
// canonical integers (field.h's integers, not Montgomery elements); inputs of fpg_mul and fpg_reduce
// may be any n-limb integers, the others must be reduced. Outputs are reduced.

#include "field.h"

void fpg_reduce(const fp_field *f, mp_limb_t *r, const mp_limb_t *a);
void fpg_add(const fp_field *f, mp_limb_t *r, const mp_limb_t *a, const mp_limb_t *b);
void fpg_sub(const fp_field *f, mp_limb_t *r, const mp_limb_t *a, const mp_limb_t *b);
void fpg_neg(const fp_field *f, mp_limb_t *r, const mp_limb_t *a);
void fpg_mul(const fp_field *f, mp_limb_t *r, const mp_limb_t *a, const mp_limb_t *b);
/// r = a^-1 by the extended gcd, 0 for a = 0.
void fpg_inv(const fp_field *f, mp_limb_t *r, const mp_limb_t *a);
/// r = a^sqrt_exp (mpz_powm); returns whether r^2 == a.
bool fpg_sqrt(const fp_field *f, mp_limb_t *r, const mp_limb_t *a);

#endif
