/* Keccak-f[1600] and Keccak-256 in portable C: the interpreter benchmark with no precompile. */
#include "workloads.h"

static const uint64_t round_constants[24] = {
    0x0000000000000001ull, 0x0000000000008082ull, 0x800000000000808aull, 0x8000000080008000ull,
    0x000000000000808bull, 0x0000000080000001ull, 0x8000000080008081ull, 0x8000000000008009ull,
    0x000000000000008aull, 0x0000000000000088ull, 0x0000000080008009ull, 0x000000008000000aull,
    0x000000008000808bull, 0x800000000000008bull, 0x8000000000008089ull, 0x8000000000008003ull,
    0x8000000000008002ull, 0x8000000000000080ull, 0x000000000000800aull, 0x800000008000000aull,
    0x8000000080008081ull, 0x8000000000008080ull, 0x0000000080000001ull, 0x8000000080008008ull,
};

#define ROTL(v, n) (((v) << (n)) | ((v) >> (64 - (n))))

/*
 * One permutation, written out lane by lane (lane x + 5y is a[x + 5y]):
 *   theta: c[x] = xor of column x, d[x] = c[x-1] ^ rotl(c[x+1], 1), every lane ^= d[x]
 *   rho+pi: lane (x, y) rotated by its rho offset moves to (y, 2x + 3y mod 5)
 *   chi:   a[x] = b[x] ^ (~b[x+1] & b[x+2]) along each row; iota: a[0] ^= RC[round]
 */
static void keccak_f1600(uint64_t a[25]) {
    for (int round = 0; round < 24; round++) {
        uint64_t c0 = a[0] ^ a[5] ^ a[10] ^ a[15] ^ a[20];
        uint64_t c1 = a[1] ^ a[6] ^ a[11] ^ a[16] ^ a[21];
        uint64_t c2 = a[2] ^ a[7] ^ a[12] ^ a[17] ^ a[22];
        uint64_t c3 = a[3] ^ a[8] ^ a[13] ^ a[18] ^ a[23];
        uint64_t c4 = a[4] ^ a[9] ^ a[14] ^ a[19] ^ a[24];
        uint64_t d0 = c4 ^ ROTL(c1, 1);
        uint64_t d1 = c0 ^ ROTL(c2, 1);
        uint64_t d2 = c1 ^ ROTL(c3, 1);
        uint64_t d3 = c2 ^ ROTL(c4, 1);
        uint64_t d4 = c3 ^ ROTL(c0, 1);
        uint64_t b0 = a[0] ^ d0;
        uint64_t b1 = ROTL(a[6] ^ d1, 44);
        uint64_t b2 = ROTL(a[12] ^ d2, 43);
        uint64_t b3 = ROTL(a[18] ^ d3, 21);
        uint64_t b4 = ROTL(a[24] ^ d4, 14);
        uint64_t b5 = ROTL(a[3] ^ d3, 28);
        uint64_t b6 = ROTL(a[9] ^ d4, 20);
        uint64_t b7 = ROTL(a[10] ^ d0, 3);
        uint64_t b8 = ROTL(a[16] ^ d1, 45);
        uint64_t b9 = ROTL(a[22] ^ d2, 61);
        uint64_t b10 = ROTL(a[1] ^ d1, 1);
        uint64_t b11 = ROTL(a[7] ^ d2, 6);
        uint64_t b12 = ROTL(a[13] ^ d3, 25);
        uint64_t b13 = ROTL(a[19] ^ d4, 8);
        uint64_t b14 = ROTL(a[20] ^ d0, 18);
        uint64_t b15 = ROTL(a[4] ^ d4, 27);
        uint64_t b16 = ROTL(a[5] ^ d0, 36);
        uint64_t b17 = ROTL(a[11] ^ d1, 10);
        uint64_t b18 = ROTL(a[17] ^ d2, 15);
        uint64_t b19 = ROTL(a[23] ^ d3, 56);
        uint64_t b20 = ROTL(a[2] ^ d2, 62);
        uint64_t b21 = ROTL(a[8] ^ d3, 55);
        uint64_t b22 = ROTL(a[14] ^ d4, 39);
        uint64_t b23 = ROTL(a[15] ^ d0, 41);
        uint64_t b24 = ROTL(a[21] ^ d1, 2);
        a[0] = b0 ^ (~b1 & b2);
        a[1] = b1 ^ (~b2 & b3);
        a[2] = b2 ^ (~b3 & b4);
        a[3] = b3 ^ (~b4 & b0);
        a[4] = b4 ^ (~b0 & b1);
        a[5] = b5 ^ (~b6 & b7);
        a[6] = b6 ^ (~b7 & b8);
        a[7] = b7 ^ (~b8 & b9);
        a[8] = b8 ^ (~b9 & b5);
        a[9] = b9 ^ (~b5 & b6);
        a[10] = b10 ^ (~b11 & b12);
        a[11] = b11 ^ (~b12 & b13);
        a[12] = b12 ^ (~b13 & b14);
        a[13] = b13 ^ (~b14 & b10);
        a[14] = b14 ^ (~b10 & b11);
        a[15] = b15 ^ (~b16 & b17);
        a[16] = b16 ^ (~b17 & b18);
        a[17] = b17 ^ (~b18 & b19);
        a[18] = b18 ^ (~b19 & b15);
        a[19] = b19 ^ (~b15 & b16);
        a[20] = b20 ^ (~b21 & b22);
        a[21] = b21 ^ (~b22 & b23);
        a[22] = b22 ^ (~b23 & b24);
        a[23] = b23 ^ (~b24 & b20);
        a[24] = b24 ^ (~b20 & b21);
        a[0] ^= round_constants[round];
    }
}

void wl_keccak256(const uint8_t *data, uint32_t len, uint8_t out[32]) {
    uint64_t st[25] = {0};
    uint32_t pos = 0;
    /* Absorb byte-wise into little-endian lanes (rate 136 bytes), independent of host endianness. */
    for (uint32_t i = 0; i < len; i++) {
        st[pos / 8] ^= (uint64_t)data[i] << (8 * (pos % 8));
        if (++pos == 136) {
            keccak_f1600(st);
            pos = 0;
        }
    }
    st[pos / 8] ^= (uint64_t)0x01 << (8 * (pos % 8));
    st[135 / 8] ^= (uint64_t)0x80 << (8 * (135 % 8));
    keccak_f1600(st);
    for (int i = 0; i < 32; i++) out[i] = (uint8_t)(st[i / 8] >> (8 * (i % 8)));
}

uint64_t wl_keccak_soft(uint32_t n) {
    /* A 32-byte message fits one block, so chain on lanes directly: no byte shuffling. */
    uint64_t h[4] = {0, 0, 0, 0};
    for (uint32_t i = 0; i < n; i++) {
        uint64_t st[25] = {0};
        st[0] = h[0]; st[1] = h[1]; st[2] = h[2]; st[3] = h[3];
        st[4] = 0x01;                          /* pad byte 32 */
        st[16] = 0x8000000000000000ull;        /* pad byte 135 */
        keccak_f1600(st);
        h[0] = st[0]; h[1] = st[1]; h[2] = st[2]; h[3] = st[3];
    }
    return h[0];
}
