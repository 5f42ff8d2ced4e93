#ifndef ZKVM_ECRECOVER_H
#define ZKVM_ECRECOVER_H

// secp256k1 ECDSA public-key recovery. libsecp256k1 is reached only through this function, whose
// implementation includes the library through the project's shim (CSources/CSecp256k1/shim.h).

#include <stdbool.h>
#include <stdint.h>

/// Recovers the public key that signed the 32-byte `msg` with the compact signature r ‖ s and
/// recovery id 0..3, as k256's `recover_from_prehash`; writes it SEC1-compressed (33 bytes).
/// False if the signature does not parse or no key recovers.
bool ecrecover_secp256k1(const uint8_t sig[64], int recid, const uint8_t msg[32], uint8_t pubkey[33]);

#endif
