// RISC Zero v1 hashing (R0_V1_ABI.md §2.3, §3.1 step 4): the compression-only page hash, the
// tagged-struct digest and the journal output digest.
//
// The compression is OpenSSL's SHA-256 block function (SHA-NI / AVX2 where available), reached
// through SHA256_Update: with no buffered bytes and whole blocks it compresses every block straight
// into the context's chaining state h[] and buffers nothing. That API is deprecated in OpenSSL 3
// but present in every 3.x release; the project's own SHA-256 rounds (precompiles/sha256.c) work on
// a guest-supplied schedule in guest memory and cannot be called from here.

#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <string.h>

#include "risc0.h"

_Static_assert(sizeof(((SHA256_CTX *)0)->h) == 8 * sizeof(uint32_t), "SHA256_CTX chaining state is 8 words");

void r0_sha256_iv(uint32_t state[8]) {
    static const uint32_t iv[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                   0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    memcpy(state, iv, sizeof iv);
}

void r0_sha256_compress(uint32_t state[8], const uint8_t *data, size_t blocks) {
    if (blocks == 0) return;
    SHA256_CTX ctx;
    SHA256_Init(&ctx);
    memcpy(ctx.h, state, sizeof ctx.h);
    SHA256_Update(&ctx, data, blocks * R0_BLOCK_BYTES);
    memcpy(state, ctx.h, sizeof ctx.h);
}

void r0_state_bytes(const uint32_t state[8], uint8_t out[32]) {
    for (int i = 0; i < 8; i++) {
        out[4 * i] = (uint8_t)(state[i] >> 24);
        out[4 * i + 1] = (uint8_t)(state[i] >> 16);
        out[4 * i + 2] = (uint8_t)(state[i] >> 8);
        out[4 * i + 3] = (uint8_t)state[i];
    }
}

int zkvm_risc0_page_hash(const uint8_t *bytes, size_t len, uint8_t out[32]) {
    if (len % R0_BLOCK_BYTES) return -1;
    uint32_t state[8];
    r0_sha256_iv(state);
    r0_sha256_compress(state, bytes, len / R0_BLOCK_BYTES);
    r0_state_bytes(state, out);
    return 0;
}

int zkvm_risc0_tagged_struct(const char *tag, const uint8_t *digests, size_t digest_count, const uint32_t *words,
                             size_t word_count, uint8_t out[32]) {
    if (digest_count > UINT16_MAX) return -1;
    uint8_t tag_digest[32];
    SHA256((const uint8_t *)tag, strlen(tag), tag_digest);
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    int ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) && EVP_DigestUpdate(ctx, tag_digest, 32) &&
             (digest_count == 0 || EVP_DigestUpdate(ctx, digests, digest_count * R0_DIGEST_BYTES));
    for (size_t i = 0; ok && i < word_count; i++) {
        uint8_t le[4] = {(uint8_t)words[i], (uint8_t)(words[i] >> 8), (uint8_t)(words[i] >> 16),
                         (uint8_t)(words[i] >> 24)};
        ok = EVP_DigestUpdate(ctx, le, 4);
    }
    uint8_t count[2] = {(uint8_t)digest_count, (uint8_t)(digest_count >> 8)};
    unsigned int n = 32;
    ok = ok && EVP_DigestUpdate(ctx, count, 2) && EVP_DigestFinal_ex(ctx, out, &n);
    EVP_MD_CTX_free(ctx);
    return ok ? 0 : -1;
}

int zkvm_risc0_output_digest(const uint8_t *journal, size_t len, uint8_t out[32]) {
    uint8_t down[2 * R0_DIGEST_BYTES] = {0};  // [SHA-256(journal), assumptions = zero digest]
    SHA256(len ? journal : (const uint8_t *)"", len, down);
    return zkvm_risc0_tagged_struct("risc0.Output", down, 2, NULL, 0, out);
}
