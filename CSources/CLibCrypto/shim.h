#ifndef CLIBCRYPTO_SHIM_H
#define CLIBCRYPTO_SHIM_H
// OpenSSL's libcrypto (Debian libssl-dev, pkg-config libcrypto): SHA-256 for program IDs and the
// public-values digest check.
#include <openssl/evp.h>
#include <openssl/sha.h>
#endif
