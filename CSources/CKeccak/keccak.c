// Keccak-f[1600] and Keccak-256, written from FIPS 202 (sections 3.2 and 3.3) and the Keccak
// reference (padding pad10*1 with the original 0x01 domain byte, as Ethereum uses).
//
// Speed comes from four things, all portable C:
//   * the 25 lanes live in local variables (a00..a44 and e00..e44, named a<x><y>), so the
//     compiler can keep as many as possible in registers instead of indexing an array;
//   * every round is fully unrolled, and rho/pi are folded into the chi inputs, so no
//     intermediate state array exists;
//   * two rounds per loop iteration ping-pong between the a* and e* sets, so no copy back;
//   * lane complementing (the Keccak team's implementation notes): keeping a fixed set of
//     lanes complemented lets chi use AND/OR with 5 NOTs per round instead of 25, which matters
//     on x86-64 without BMI1's ANDN (SwiftPM builds for the baseline ISA).
// With lane i = state[x + 5*y].

#include "ckeccak.h"

#include <string.h>

#define KECCAK_RATE_256 136  // 1600 - 2*256 bits, in bytes
#define KECCAK_LANES_PER_BLOCK (KECCAK_RATE_256 / 8)

static const uint64_t round_constants[24] = {
    0x0000000000000001ULL, 0x0000000000008082ULL, 0x800000000000808aULL, 0x8000000080008000ULL,
    0x000000000000808bULL, 0x0000000080000001ULL, 0x8000000080008081ULL, 0x8000000000008009ULL,
    0x000000000000008aULL, 0x0000000000000088ULL, 0x0000000080008009ULL, 0x000000008000000aULL,
    0x000000008000808bULL, 0x800000000000008bULL, 0x8000000000008089ULL, 0x8000000000008003ULL,
    0x8000000000008002ULL, 0x8000000000000080ULL, 0x000000000000800aULL, 0x800000008000000aULL,
    0x8000000080008081ULL, 0x8000000000008080ULL, 0x0000000080000001ULL, 0x8000000080008008ULL,
};

// n is always a constant in 1..63 here, so this compiles to a single rotate instruction.
#define ROL64(v, n) (((v) << (n)) | ((v) >> (64 - (n))))

// One full round from lane set A into lane set E, on lane-complemented state (see below).
// pi moves lane (x, y) to (y, 2x + 3y), so output plane Y takes, at position X, the input lane
// (x, y) = ((X + 3Y) mod 5, X), rotated by that lane's rho offset r[x][y]:
//   r[x][y] for y = 0..4 (rows), x = 0..4 (columns):
//     y=0:  0  1 62 28 27
//     y=1: 36 44  6 55 20
//     y=2:  3 10 43 25 39
//     y=3: 41 45 15 21  8
//     y=4: 18  2 61 56 14
// chi is e[X] = b[X] ^ (~b[X+1] & b[X+2]). Because six lanes are kept complemented (the set
// COMPLEMENTED_LANES), each b arrives either true or complemented, and each output must leave in
// its own fixed polarity. For every output the AND/OR/NOT form below was picked by checking all
// eight input combinations of a truth table, so that one NOT per plane (nb) suffices instead of
// five; a plain implementation costs 25 NOTs per round. scripts/keccak_lane_complementing.py
// performs that derivation and prints exactly the plane bodies below.
#define KECCAK_ROUND(A, E, rc)                                                      \
    do {                                                                            \
        const uint64_t c0 = A##00 ^ A##01 ^ A##02 ^ A##03 ^ A##04;                  \
        const uint64_t c1 = A##10 ^ A##11 ^ A##12 ^ A##13 ^ A##14;                  \
        const uint64_t c2 = A##20 ^ A##21 ^ A##22 ^ A##23 ^ A##24;                  \
        const uint64_t c3 = A##30 ^ A##31 ^ A##32 ^ A##33 ^ A##34;                  \
        const uint64_t c4 = A##40 ^ A##41 ^ A##42 ^ A##43 ^ A##44;                  \
        const uint64_t d0 = c4 ^ ROL64(c1, 1);                                      \
        const uint64_t d1 = c0 ^ ROL64(c2, 1);                                      \
        const uint64_t d2 = c1 ^ ROL64(c3, 1);                                      \
        const uint64_t d3 = c2 ^ ROL64(c4, 1);                                      \
        const uint64_t d4 = c3 ^ ROL64(c0, 1);                                      \
        uint64_t b0, b1, b2, b3, b4, nb;                                            \
        /* Y = 0: sources (0,0) (1,1) (2,2) (3,3) (4,4) */                          \
        b0 = A##00 ^ d0;                                                            \
        b1 = ROL64(A##11 ^ d1, 44);                                                 \
        b2 = ROL64(A##22 ^ d2, 43);                                                 \
        b3 = ROL64(A##33 ^ d3, 21);                                                 \
        b4 = ROL64(A##44 ^ d4, 14);                                                 \
        nb = ~b2;                                                                   \
        E##0##0 = b0 ^ (b1 | b2);                                                   \
        E##1##0 = b1 ^ (nb | b3);                                                   \
        E##2##0 = b2 ^ (b3 & b4);                                                   \
        E##3##0 = b3 ^ (b4 | b0);                                                   \
        E##4##0 = b4 ^ (b0 & b1);                                                   \
        E##00 ^= (rc);                                                              \
        /* Y = 1: sources (3,0) (4,1) (0,2) (1,3) (2,4) */                          \
        b0 = ROL64(A##30 ^ d3, 28);                                                 \
        b1 = ROL64(A##41 ^ d4, 20);                                                 \
        b2 = ROL64(A##02 ^ d0, 3);                                                  \
        b3 = ROL64(A##13 ^ d1, 45);                                                 \
        b4 = ROL64(A##24 ^ d2, 61);                                                 \
        nb = ~b4;                                                                   \
        E##0##1 = b0 ^ (b1 | b2);                                                   \
        E##1##1 = b1 ^ (b2 & b3);                                                   \
        E##2##1 = b2 ^ (b3 | nb);                                                   \
        E##3##1 = b3 ^ (b4 | b0);                                                   \
        E##4##1 = b4 ^ (b0 & b1);                                                   \
        /* Y = 2: sources (1,0) (2,1) (3,2) (4,3) (0,4) */                          \
        b0 = ROL64(A##10 ^ d1, 1);                                                  \
        b1 = ROL64(A##21 ^ d2, 6);                                                  \
        b2 = ROL64(A##32 ^ d3, 25);                                                 \
        b3 = ROL64(A##43 ^ d4, 8);                                                  \
        b4 = ROL64(A##04 ^ d0, 18);                                                 \
        nb = ~b3;                                                                   \
        E##0##2 = b0 ^ (b1 | b2);                                                   \
        E##1##2 = b1 ^ (b2 & b3);                                                   \
        E##2##2 = b2 ^ (nb & b4);                                                   \
        E##3##2 = nb ^ (b4 | b0);                                                   \
        E##4##2 = b4 ^ (b0 & b1);                                                   \
        /* Y = 3: sources (4,0) (0,1) (1,2) (2,3) (3,4) */                          \
        b0 = ROL64(A##40 ^ d4, 27);                                                 \
        b1 = ROL64(A##01 ^ d0, 36);                                                 \
        b2 = ROL64(A##12 ^ d1, 10);                                                 \
        b3 = ROL64(A##23 ^ d2, 15);                                                 \
        b4 = ROL64(A##34 ^ d3, 56);                                                 \
        nb = ~b3;                                                                   \
        E##0##3 = b0 ^ (b1 & b2);                                                   \
        E##1##3 = b1 ^ (b2 | b3);                                                   \
        E##2##3 = b2 ^ (nb | b4);                                                   \
        E##3##3 = nb ^ (b4 & b0);                                                   \
        E##4##3 = b4 ^ (b0 | b1);                                                   \
        /* Y = 4: sources (2,0) (3,1) (4,2) (0,3) (1,4) */                          \
        b0 = ROL64(A##20 ^ d2, 62);                                                 \
        b1 = ROL64(A##31 ^ d3, 55);                                                 \
        b2 = ROL64(A##42 ^ d4, 39);                                                 \
        b3 = ROL64(A##03 ^ d0, 41);                                                 \
        b4 = ROL64(A##14 ^ d1, 2);                                                  \
        nb = ~b1;                                                                   \
        E##0##4 = b0 ^ (nb & b2);                                                   \
        E##1##4 = nb ^ (b2 | b3);                                                   \
        E##2##4 = b2 ^ (b3 & b4);                                                   \
        E##3##4 = b3 ^ (b4 | b0);                                                   \
        E##4##4 = b4 ^ (b0 & b1);                                                   \
    } while (0)

// state[x + 5*y] <-> lane variable <prefix><x><y>
#define FOR_EACH_LANE(M)                                                            \
    M(00, 0) M(10, 1) M(20, 2) M(30, 3) M(40, 4)                                    \
    M(01, 5) M(11, 6) M(21, 7) M(31, 8) M(41, 9)                                    \
    M(02, 10) M(12, 11) M(22, 12) M(32, 13) M(42, 14)                               \
    M(03, 15) M(13, 16) M(23, 17) M(33, 18) M(43, 19)                               \
    M(04, 20) M(14, 21) M(24, 22) M(34, 23) M(44, 24)

// Lanes (1,0) (2,0) (3,1) (2,2) (2,3) (0,4) are held complemented inside the permutation. This set
// is a fixed point of a round (theta, rho, pi, chi as written above map it onto itself), so the
// complement is applied once on entry and removed once on exit.
#define COMPLEMENT_IN_PLACE(lane) (lane) = ~(lane)
#define COMPLEMENTED_LANES(M) M(a10); M(a20); M(a31); M(a22); M(a23); M(a04)

void ckeccak_f1600(uint64_t state[25]) {
#define DECLARE_LANE(xy, i) uint64_t a##xy = state[i], e##xy;
    FOR_EACH_LANE(DECLARE_LANE)
#undef DECLARE_LANE
    COMPLEMENTED_LANES(COMPLEMENT_IN_PLACE);

    for (int round = 0; round < 24; round += 2) {
        KECCAK_ROUND(a, e, round_constants[round]);
        KECCAK_ROUND(e, a, round_constants[round + 1]);
    }

    COMPLEMENTED_LANES(COMPLEMENT_IN_PLACE);
#define STORE_LANE(xy, i) state[i] = a##xy;
    FOR_EACH_LANE(STORE_LANE)
#undef STORE_LANE
}

// Lanes are little-endian byte strings (FIPS 202 section B.1).
static inline uint64_t load_lane_le(const uint8_t *p) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    uint64_t v;
    memcpy(&v, p, 8);  // an unaligned load on little-endian hosts
    return v;
#else
    return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 | (uint64_t)p[3] << 24 |
           (uint64_t)p[4] << 32 | (uint64_t)p[5] << 40 | (uint64_t)p[6] << 48 | (uint64_t)p[7] << 56;
#endif
}

static inline void store_lane_le(uint8_t *p, uint64_t v) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    memcpy(p, &v, 8);
#else
    for (int i = 0; i < 8; i++) p[i] = (uint8_t)(v >> (8 * i));
#endif
}

static inline void absorb_block(uint64_t state[25], const uint8_t *block) {
    for (int i = 0; i < KECCAK_LANES_PER_BLOCK; i++) state[i] ^= load_lane_le(block + 8 * i);
    ckeccak_f1600(state);
}

void ckeccak256_init(ckeccak256_ctx *ctx) {
    memset(ctx, 0, sizeof *ctx);
}

void ckeccak256_update(ckeccak256_ctx *ctx, const void *data, size_t len) {
    const uint8_t *p = (const uint8_t *)data;
    if (len == 0) return;  // also makes data == NULL with len == 0 safe

    // Top up a partially filled block first.
    if (ctx->buffered > 0) {
        size_t take = KECCAK_RATE_256 - ctx->buffered;
        if (take > len) take = len;
        memcpy(ctx->buf + ctx->buffered, p, take);
        ctx->buffered += take;
        p += take;
        len -= take;
        if (ctx->buffered < KECCAK_RATE_256) return;
        absorb_block(ctx->state, ctx->buf);
        ctx->buffered = 0;
    }
    // Whole blocks straight from the caller's memory.
    while (len >= KECCAK_RATE_256) {
        absorb_block(ctx->state, p);
        p += KECCAK_RATE_256;
        len -= KECCAK_RATE_256;
    }
    if (len > 0) {
        memcpy(ctx->buf, p, len);
        ctx->buffered = len;
    }
}

// The context is consumed: call ckeccak256_init again before reusing it.
void ckeccak256_final(ckeccak256_ctx *ctx, uint8_t out[32]) {
    // pad10*1 with Keccak's domain byte 0x01 (SHA3-256 would use 0x06). When only one byte of
    // the block is left, both markers land in it: 0x01 ^ 0x80 = 0x81.
    memset(ctx->buf + ctx->buffered, 0, KECCAK_RATE_256 - ctx->buffered);
    ctx->buf[ctx->buffered] ^= 0x01;
    ctx->buf[KECCAK_RATE_256 - 1] ^= 0x80;
    absorb_block(ctx->state, ctx->buf);
    for (int i = 0; i < 4; i++) store_lane_le(out + 8 * i, ctx->state[i]);
}

void ckeccak256(const void *data, size_t len, uint8_t out[32]) {
    ckeccak256_ctx ctx;
    ckeccak256_init(&ctx);
    ckeccak256_update(&ctx, data, len);
    ckeccak256_final(&ctx, out);
}
