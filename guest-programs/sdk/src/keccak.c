/* Keccak-256 (original Keccak padding 0x01 .. 0x80, as Ethereum uses) on KECCAK_PERMUTE. */
#include "zkvm.h"

#define KECCAK256_RATE 136u /* bytes: 1600 - 2 * 256 bits */

typedef uint32_t __attribute__((may_alias, aligned(4))) word_t;

void zkvm_keccak256_init(zkvm_keccak256_ctx *ctx) {
    for (int i = 0; i < 25; i++) ctx->state[i] = 0;
    ctx->pos = 0;
}

void zkvm_keccak256_update(zkvm_keccak256_ctx *ctx, const void *data, size_t len) {
    const uint8_t *p = data;
    /* RV32 is little-endian, so the byte view of the lanes is the sponge's byte order. */
    uint8_t *st = (uint8_t *)ctx->state;
    uint32_t pos = ctx->pos;
    while (len) {
        if ((pos & 3) == 0 && len >= 4) {
            /* Word-at-a-time absorb up to the end of the block. */
            word_t *sw = (word_t *)(st + pos);
            uint32_t words = (KECCAK256_RATE - pos) / 4;
            if (words > len / 4) words = (uint32_t)(len / 4);
            if (((uintptr_t)p & 3) == 0) {
                const word_t *pw = (const word_t *)p;
                for (uint32_t i = 0; i < words; i++) sw[i] ^= pw[i];
            } else {
                for (uint32_t i = 0; i < words; i++) sw[i] ^= zkvm_load_le32(p + 4 * i);
            }
            pos += 4 * words;
            p += 4 * words;
            len -= 4 * words;
        } else {
            st[pos++] ^= *p++;
            len--;
        }
        if (pos == KECCAK256_RATE) {
            zkvm_keccak_permute(ctx->state);
            pos = 0;
        }
    }
    ctx->pos = pos;
}

void zkvm_keccak256_final(zkvm_keccak256_ctx *ctx, uint8_t out[32]) {
    uint8_t *st = (uint8_t *)ctx->state;
    st[ctx->pos] ^= 0x01;
    st[KECCAK256_RATE - 1] ^= 0x80;
    zkvm_keccak_permute(ctx->state);
    for (int i = 0; i < 32; i++) out[i] = st[i];
    ctx->pos = 0;
}

void zkvm_keccak256(const void *data, size_t len, uint8_t out[32]) {
    zkvm_keccak256_ctx ctx;
    zkvm_keccak256_init(&ctx);
    zkvm_keccak256_update(&ctx, data, len);
    zkvm_keccak256_final(&ctx, out);
}
