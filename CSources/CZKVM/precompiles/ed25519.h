#ifndef ZKVM_ED25519_H
#define ZKVM_ED25519_H

// Ed25519 field helpers shared by ED_DECOMPRESS (edwards.c) and the ed-decompress hooks (hooks.c).
// Values are FP_ED25519 elements (field.h, Montgomery form) unless a function says otherwise.

#include "field.h"

/// The curve constant d = -121665/121666.
const mp_limb_t *ed25519_d(void);

/// SP1's `ed25519_sqrt`: a root of `a` whose canonical integer is even, or false if `a` is not a
/// square.
bool ed25519_sqrt(mp_limb_t *r, const mp_limb_t *a);

/// x = the even square root of (y^2 - 1) / (d y^2 + 1) for the integer y (any y < 2^256, taken
/// mod p), or false if there is none (y is not on the curve). SP1's `decompress` before the sign is
/// applied.
bool ed25519_decompress_x(mp_limb_t *x, const mp_limb_t *y);

#endif
