#ifndef CKECCAK_H
#define CKECCAK_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Keccak-f[1600] permutation in place. Lane i is state[i] (x + 5*y order), little-endian lanes,
/// exactly the layout SP1's KECCAK_PERMUTE uses (lane i = word[2i] | word[2i+1] << 32).
void ckeccak_f1600(uint64_t state[25]);

/// Keccak-256 (the original Keccak padding 0x01 ... 0x80, as Ethereum uses; not SHA3-256).
void ckeccak256(const void *data, size_t len, uint8_t out[32]);

/// Incremental Keccak-256.
typedef struct ckeccak256_ctx {
    uint64_t state[25];
    uint8_t buf[136];
    size_t buffered;
} ckeccak256_ctx;

void ckeccak256_init(ckeccak256_ctx *ctx);
void ckeccak256_update(ckeccak256_ctx *ctx, const void *data, size_t len);
void ckeccak256_final(ckeccak256_ctx *ctx, uint8_t out[32]);

#ifdef __cplusplus
}
#endif
#endif
