// secp256k1 public-key recovery over libsecp256k1 (see ecrecover.h).

#include "ecrecover.h"

#include <stddef.h>

#include "../../CSecp256k1/shim.h"

bool ecrecover_secp256k1(const uint8_t sig[64], int recid, const uint8_t msg[32], uint8_t pubkey[33]) {
    const secp256k1_context *ctx = secp256k1_context_static;
    secp256k1_ecdsa_recoverable_signature rsig;
    secp256k1_pubkey key;
    if (!secp256k1_ecdsa_recoverable_signature_parse_compact(ctx, &rsig, sig, recid) ||
        !secp256k1_ecdsa_recover(ctx, &key, &rsig, msg))
        return false;
    size_t len = 33;
    secp256k1_ec_pubkey_serialize(ctx, pubkey, &len, &key, SECP256K1_EC_COMPRESSED);
    return true;
}
