/* SHA-256 (FIPS 180-4) on the SHA_EXTEND / SHA_COMPRESS precompiles (RISC Zero flavour: on the
 * SHA ecall, whose state lives in memory in digest byte order). */
#include "zkvm.h"

static const uint32_t sha256_iv[8] = {
    0x6a09e667u, 0xbb67ae85u, 0x3c6ef372u, 0xa54ff53au,
    0x510e527fu, 0x9b05688cu, 0x1f83d9abu, 0x5be0cd19u,
};

#ifndef ZKVM_RISC0
void zkvm_sha256_init(zkvm_sha256_ctx *ctx) {
    for (int i = 0; i < 8; i++) ctx->h[i] = sha256_iv[i];
    ctx->buf_len = 0;
    ctx->total_len = 0;
}

/* One 64-byte block: big-endian words into w[0..16], then the two precompiles. */
static void sha256_block(zkvm_sha256_ctx *ctx, const uint8_t *block) {
    for (int i = 0; i < 16; i++) ctx->w[i] = zkvm_load_be32(block + 4 * i);
    zkvm_syscall2(ZKVM_SYS_SHA_EXTEND, (uintptr_t)ctx->w, 0);
    zkvm_syscall2(ZKVM_SYS_SHA_COMPRESS, (uintptr_t)ctx->w, (uintptr_t)ctx->h);
}
#else
void zkvm_sha256_init(zkvm_sha256_ctx *ctx) {
    for (int i = 0; i < 8; i++) zkvm_store_be32((uint8_t *)&ctx->h[i], sha256_iv[i]);
    ctx->buf_len = 0;
    ctx->total_len = 0;
}

/* `count` consecutive blocks at a 4-aligned `p` (the ecall reads words, aligned down). */
static void sha256_ecall(zkvm_sha256_ctx *ctx, const uint8_t *p, uint32_t count) {
    zkvm_r0_ecall5(ZKVM_R0_ECALL_SHA, (uint32_t)(uintptr_t)ctx->h, (uint32_t)(uintptr_t)ctx->h, (uint32_t)(uintptr_t)p,
                   (uint32_t)(uintptr_t)(p + 32), count);
}

static void sha256_block(zkvm_sha256_ctx *ctx, const uint8_t *block) { sha256_ecall(ctx, block, 1); }

/* Whole blocks straight from the input: up to 1000 per ecall (risc0's sys_sha_buffer cap) when
 * the input is 4-aligned, else one at a time through the context's buffer. */
static size_t sha256_blocks(zkvm_sha256_ctx *ctx, const uint8_t *p, size_t len) {
    if ((uintptr_t)p & 3) {
        memcpy(ctx->buf, p, 64);
        sha256_block(ctx, ctx->buf);
        return 64;
    }
    uint32_t count = len / 64 < 1000 ? (uint32_t)(len / 64) : 1000;
    sha256_ecall(ctx, p, count);
    return 64 * (size_t)count;
}
#endif

void zkvm_sha256_update(zkvm_sha256_ctx *ctx, const void *data, size_t len) {
    const uint8_t *p = data;
    ctx->total_len += len;
    while (len) {
        if (ctx->buf_len == 0 && len >= 64) { /* whole blocks straight from the input */
#ifndef ZKVM_RISC0
            sha256_block(ctx, p);
            p += 64;
            len -= 64;
#else
            size_t done = sha256_blocks(ctx, p, len);
            p += done;
            len -= done;
#endif
            continue;
        }
        size_t take = 64 - ctx->buf_len;
        if (take > len) take = len;
        memcpy(ctx->buf + ctx->buf_len, p, take);
        ctx->buf_len += (uint32_t)take;
        p += take;
        len -= take;
        if (ctx->buf_len == 64) {
            sha256_block(ctx, ctx->buf);
            ctx->buf_len = 0;
        }
    }
}

void zkvm_sha256_final(zkvm_sha256_ctx *ctx, uint8_t out[32]) {
    uint64_t bits = ctx->total_len * 8;
    uint32_t n = ctx->buf_len;
    ctx->buf[n++] = 0x80;
    if (n > 56) {
        memset(ctx->buf + n, 0, 64 - n);
        sha256_block(ctx, ctx->buf);
        n = 0;
    }
    memset(ctx->buf + n, 0, 56 - n);
    zkvm_store_be64(ctx->buf + 56, bits);
    sha256_block(ctx, ctx->buf);
#ifndef ZKVM_RISC0
    for (int i = 0; i < 8; i++) zkvm_store_be32(out + 4 * i, (uint32_t)ctx->h[i]);
#else
    memcpy(out, ctx->h, 32); /* the state is kept in digest byte order */
#endif
    ctx->buf_len = 0;
}

void zkvm_sha256(const void *data, size_t len, uint8_t out[32]) {
    zkvm_sha256_ctx ctx;
    zkvm_sha256_init(&ctx);
    zkvm_sha256_update(&ctx, data, len);
    zkvm_sha256_final(&ctx, out);
}
