/*
 * OpenSSL's equivalents of the curve and field precompiles, for the engine benchmark's
 * "Precompile throughput" rows (Benchmarks/Engine/Engine.swift): the same operation on the same
 * curve or field in a native library, measured in the same run.
 *
 * Curves: OpenSSL's secp256k1 and P-256, and BN254 (alt_bn128, y^2 = x^3 + 3) and BLS12-381 G1
 * (y^2 = x^3 + 4) built with EC_GROUP_new_curve_GFp, all on OpenSSL's generic prime-field methods
 * (Montgomery BIGNUM arithmetic, Jacobian coordinates). Ed25519 has no EC_POINT interface in OpenSSL
 * and libsecp256k1 exports no point addition, so neither appears.
 */
#ifndef NATIVE_EC_H
#define NATIVE_EC_H

#include <stdint.h>

typedef enum native_ec_curve {
    NATIVE_EC_SECP256K1,
    NATIVE_EC_SECP256R1,
    NATIVE_EC_BN254,
    NATIVE_EC_BLS12381,
} native_ec_curve;

typedef enum native_ec_op {
    /// EC_POINT_add(P, P, Q): Jacobian, no inversion (P starts as 2G, Q = G).
    NATIVE_EC_ADD,
    /// EC_POINT_dbl(P, P).
    NATIVE_EC_DBL,
    /// EC_POINT_add then EC_POINT_get_affine_coordinates: the affine result the syscalls return
    /// (one field inversion per call, as theirs).
    NATIVE_EC_ADD_AFFINE,
    NATIVE_EC_DBL_AFFINE,
    /// BN_mod_mul_montgomery(a, a, b) in the curve's base field (the FP_MUL syscalls' operation).
    NATIVE_EC_FIELD_MUL,
    /// BN_mod_add_quick(a, a, b, p) (the FP_ADD syscalls' operation).
    NATIVE_EC_FIELD_ADD,
    /// BN_mod_inverse(a, a, p) in the base field (what every affine ADD / DOUBLE does once).
    NATIVE_EC_FIELD_INV,
    /// EC_POINT_set_compressed_coordinates of the generator's x: a square root (the DECOMPRESS
    /// syscalls' operation).
    NATIVE_EC_DECOMPRESS,
} native_ec_op;

typedef struct native_ec native_ec;

/// NULL if OpenSSL lacks the curve or the built-in generator is not on it.
native_ec *native_ec_create(native_ec_curve curve);
void native_ec_free(native_ec *ctx);
/// Runs `calls` operations, each on the previous one's result; returns 0, or -1 if OpenSSL failed.
int native_ec_run(native_ec *ctx, native_ec_op op, uint32_t calls);

#endif
