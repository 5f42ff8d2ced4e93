// OpenSSL's curve and field operations for the precompile benchmark (see native_ec.h).

#include "native_ec.h"

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/obj_mac.h>
#include <stdlib.h>

struct native_ec {
    EC_GROUP *group;
    EC_POINT *p, *q;
    EC_POINT *dec;  ///< DECOMPRESS's output (apart from p: a point -G there would send p + G to infinity)
    BN_CTX *bn;
    BN_MONT_CTX *mont;
    BIGNUM *prime, *a, *b;  ///< a, b: field elements (Montgomery form for the product)
    BIGNUM *x, *y;          ///< affine coordinates out
    BIGNUM *gx;             ///< the generator's x (DECOMPRESS)
};

/// Curves OpenSSL does not name: prime, b and a generator (a = 0), big-endian hex.
static const struct {
    const char *p, *b, *gx, *gy;
} custom[] = {
    [NATIVE_EC_BN254] = {"30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd47", "3", "1", "2"},
    [NATIVE_EC_BLS12381] = {"1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaab", "4",
                            "17f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb",
                            "08b3f481e3aaa0f1a09e30ed741d8ae4fcf5e095d5d00af600db18cb2c04b3edd03cc744a2888ae40caa232946c5e7e1"},
};

static EC_GROUP *make_group(native_ec_curve curve, BN_CTX *bn, EC_POINT **g) {
    if (curve == NATIVE_EC_SECP256K1 || curve == NATIVE_EC_SECP256R1) {
        EC_GROUP *group = EC_GROUP_new_by_curve_name(curve == NATIVE_EC_SECP256K1 ? NID_secp256k1 : NID_X9_62_prime256v1);
        if (group) *g = EC_POINT_dup(EC_GROUP_get0_generator(group), group);
        return group;
    }
    BIGNUM *p = NULL, *a = BN_new(), *b = NULL, *x = NULL, *y = NULL;
    BN_hex2bn(&p, custom[curve].p), BN_hex2bn(&b, custom[curve].b);
    BN_hex2bn(&x, custom[curve].gx), BN_hex2bn(&y, custom[curve].gy);
    EC_GROUP *group = EC_GROUP_new_curve_GFp(p, a, b, bn);
    if (group) {
        *g = EC_POINT_new(group);
        if (!EC_POINT_set_affine_coordinates(group, *g, x, y, bn) || EC_POINT_is_on_curve(group, *g, bn) != 1) {
            EC_POINT_free(*g), *g = NULL;
        }
    }
    BN_free(p), BN_free(a), BN_free(b), BN_free(x), BN_free(y);
    return group;
}

native_ec *native_ec_create(native_ec_curve curve) {
    native_ec *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    c->bn = BN_CTX_new();
    EC_POINT *g = NULL;
    c->group = c->bn ? make_group(curve, c->bn, &g) : NULL;
    if (!c->group || !g) goto fail;
    c->q = g;
    c->p = EC_POINT_new(c->group);
    c->dec = EC_POINT_new(c->group);
    c->prime = BN_new(), c->a = BN_new(), c->b = BN_new(), c->x = BN_new(), c->y = BN_new(), c->gx = BN_new();
    c->mont = BN_MONT_CTX_new();
    if (!c->p || !c->dec || !c->prime || !c->a || !c->b || !c->x || !c->y || !c->gx || !c->mont || !EC_POINT_dbl(c->group, c->p, g, c->bn) ||
        !EC_GROUP_get_curve(c->group, c->prime, NULL, NULL, c->bn) || !BN_MONT_CTX_set(c->mont, c->prime, c->bn))
        goto fail;
    // Field operands: the generator's coordinates, in Montgomery form.
    BIGNUM *x = BN_new(), *y = BN_new();
    int ok = x && y && EC_POINT_get_affine_coordinates(c->group, g, x, y, c->bn) && BN_copy(c->gx, x) && BN_to_montgomery(c->a, x, c->mont, c->bn) &&
             BN_to_montgomery(c->b, y, c->mont, c->bn);
    BN_free(x), BN_free(y);
    if (ok) return c;
fail:
    if (g && !c->q) EC_POINT_free(g);
    native_ec_free(c);
    return NULL;
}

void native_ec_free(native_ec *c) {
    if (!c) return;
    EC_POINT_free(c->p), EC_POINT_free(c->q), EC_POINT_free(c->dec);
    EC_GROUP_free(c->group);
    BN_free(c->prime), BN_free(c->a), BN_free(c->b), BN_free(c->x), BN_free(c->y), BN_free(c->gx);
    BN_MONT_CTX_free(c->mont);
    BN_CTX_free(c->bn);
    free(c);
}

int native_ec_run(native_ec *c, native_ec_op op, uint32_t calls) {
    for (uint32_t i = 0; i < calls; i++) {
        int ok = 1;
        switch (op) {
        case NATIVE_EC_ADD: ok = EC_POINT_add(c->group, c->p, c->p, c->q, c->bn); break;
        case NATIVE_EC_DBL: ok = EC_POINT_dbl(c->group, c->p, c->p, c->bn); break;
        case NATIVE_EC_ADD_AFFINE:
            ok = EC_POINT_add(c->group, c->p, c->p, c->q, c->bn) &&
                 EC_POINT_get_affine_coordinates(c->group, c->p, c->x, c->y, c->bn);
            break;
        case NATIVE_EC_DBL_AFFINE:
            ok = EC_POINT_dbl(c->group, c->p, c->p, c->bn) && EC_POINT_get_affine_coordinates(c->group, c->p, c->x, c->y, c->bn);
            break;
        case NATIVE_EC_FIELD_MUL: ok = BN_mod_mul_montgomery(c->a, c->a, c->b, c->mont, c->bn); break;
        case NATIVE_EC_FIELD_ADD: ok = BN_mod_add_quick(c->a, c->a, c->b, c->prime); break;
        case NATIVE_EC_FIELD_INV:
            // a -> a^-1 + b keeps the chain away from a fixed point (a = 1).
            ok = BN_mod_inverse(c->a, c->a, c->prime, c->bn) != NULL && BN_mod_add_quick(c->a, c->a, c->b, c->prime);
            break;
        case NATIVE_EC_DECOMPRESS: ok = EC_POINT_set_compressed_coordinates(c->group, c->dec, c->gx, 0, c->bn); break;
        }
        if (!ok) return -1;
    }
    return 0;
}
