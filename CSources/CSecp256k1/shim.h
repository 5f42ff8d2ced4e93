#ifndef CSECP256K1_SHIM_H
#define CSECP256K1_SHIM_H
// Debian's libsecp256k1 with the recovery module (eth-style recoverable signatures).
#include <secp256k1.h>
#include <secp256k1_recovery.h>
#endif
