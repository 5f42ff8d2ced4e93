#ifndef ZKVM_BIGINT_H
#define ZKVM_BIGINT_H

// Arbitrary-size integers (GMP mpz) for the paths that are rare enough to favour clarity over
// speed: the hooks (hooks.c) and the exact replay of unreduced curve coordinates
// (weierstrass.c). The fixed-size, allocation-free field arithmetic is in field.h.

#include <gmp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "field.h"

/// r = the unsigned integer held in `len` big-endian / little-endian bytes.
void bn_from_be(mpz_t r, const uint8_t *p, size_t len);
void bn_from_le(mpz_t r, const uint8_t *p, size_t len);

/// |v| as exactly `len` bytes, big- or little-endian, keeping the low `len` bytes if it is longer
/// (SP1's `resize`, which truncates).
void bn_to_bytes(const mpz_t v, uint8_t *dst, size_t len, bool big_endian);

/// r = the `n`-limb little-endian value `a`; `out` = |v| as `n` limbs (v must fit).
void bn_from_limbs(mpz_t r, const mp_limb_t *a, mp_size_t n);
void bn_to_limbs(mp_limb_t *out, mp_size_t n, const mpz_t v);

/// r = the modulus of field `id`.
void bn_field_modulus(mpz_t r, fp_id id);

/// r = a^((p+1)/4) mod p, the candidate root for p = 3 mod 4; returns whether r^2 mod p == a.
bool bn_sqrt_3mod4(mpz_t r, const mpz_t a, const mpz_t p);

/// SP1's `sqrt_fp` for a modulus m and a non-residue nqr: the (p+1)/4 root, checked, when
/// m = 3 mod 4, else Tonelli-Shanks. Returns 1 with r set, 0 where SP1 returns None, and -1 where
/// SP1 would panic or never terminate (a = 0 in Tonelli-Shanks, an even modulus). Tonelli-Shanks'
/// loop, up to s(2s + 3) modular multiplications for m - 1 = 2^s q, adds the multiplications it
/// makes to *mulmods and stops, returning -2, once that count passes max_mulmods (the caller's
/// work budget; its four exponentiations are not counted).
int bn_sqrt_mod(mpz_t r, const mpz_t a, const mpz_t m, const mpz_t nqr, uint64_t *mulmods, uint64_t max_mulmods);

#endif
