/*
 * Native runner for the benchmark workloads, plus portable-C equivalents of the two guests that
 * have no shared workload source (intensity-test, mock-consumer). Compiled with -O2 like the
 * guest-programs native harness; nothing here calls into a crypto library, so every native
 * figure is "the same C, compiled for the host".
 */
#include <stdlib.h>
#include <string.h>

#include "native_workloads.h"
#include "workloads.h"

/* ---- SHA-256 (FIPS 180-4), portable C: the guest does the same through SHA_EXTEND/COMPRESS ---- */

static const uint32_t K256[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

#define ROR32(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void sha256_block(uint32_t h[8], const uint8_t block[64]) {
    uint32_t w[64];
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)block[4 * i] << 24 | (uint32_t)block[4 * i + 1] << 16 | (uint32_t)block[4 * i + 2] << 8 |
               block[4 * i + 3];
    for (int i = 16; i < 64; i++) {
        uint32_t s0 = ROR32(w[i - 15], 7) ^ ROR32(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = ROR32(w[i - 2], 17) ^ ROR32(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
    for (int i = 0; i < 64; i++) {
        uint32_t t1 = hh + (ROR32(e, 6) ^ ROR32(e, 11) ^ ROR32(e, 25)) + ((e & f) ^ (~e & g)) + K256[i] + w[i];
        uint32_t t2 = (ROR32(a, 2) ^ ROR32(a, 13) ^ ROR32(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
        hh = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
    }
    h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
}

/* SHA-256 of exactly 32 bytes: one padded block. */
static void sha256_32(const uint8_t in[32], uint8_t out[32]) {
    uint32_t h[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    uint8_t block[64] = {0};
    memcpy(block, in, 32);
    block[32] = 0x80;
    block[62] = 0x01; /* bit length 256 = 0x100, big-endian in the last 8 bytes */
    sha256_block(h, block);
    for (int i = 0; i < 8; i++) {
        out[4 * i] = (uint8_t)(h[i] >> 24); out[4 * i + 1] = (uint8_t)(h[i] >> 16);
        out[4 * i + 2] = (uint8_t)(h[i] >> 8); out[4 * i + 3] = (uint8_t)h[i];
    }
}

/* intensity-test: result = 0; each round result += uint256_be(sha256(result)) mod 2^256. */
static void intensity(uint32_t rounds, uint8_t result[32]) {
    uint8_t hash[32];
    memset(result, 0, 32);
    for (uint32_t r = 0; r < rounds; r++) {
        sha256_32(result, hash);
        uint32_t carry = 0;
        for (int i = 31; i >= 0; i--) {
            uint32_t s = (uint32_t)result[i] + hash[i] + carry;
            result[i] = (uint8_t)s;
            carry = s >> 8;
        }
    }
}

/* mock-consumer: abi.encode(address, uint256(address) / (2^64 - 1)), 64 bytes. Long division of
 * the 160-bit address by a 64-bit divisor in 32-bit limbs with 128-bit intermediates. */
static int mock_consumer(const uint8_t *input, uint32_t len, uint8_t out[64]) {
    if (len != 32) return -1;
    memset(out, 0, 64);
    memcpy(out + 12, input + 12, 20);
    const unsigned __int128 d = 0xFFFFFFFFFFFFFFFFull;
    unsigned __int128 rem = 0;
    for (int limb = 0; limb < 8; limb++) { /* most significant 32-bit limb first */
        const uint8_t *p = out + 4 * limb; /* the address word, big-endian */
        uint32_t v = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
        rem = rem << 32 | v;
        uint32_t q = (uint32_t)(rem / d);
        rem %= d;
        uint8_t *o = out + 32 + 4 * limb;
        o[0] = (uint8_t)(q >> 24); o[1] = (uint8_t)(q >> 16); o[2] = (uint8_t)(q >> 8); o[3] = (uint8_t)q;
    }
    return 64;
}

static int bench_output(uint32_t param, uint64_t checksum, uint8_t *out, uint32_t cap) {
    if (cap < 12) return -1;
    for (int i = 0; i < 4; i++) out[i] = (uint8_t)(param >> (8 * i));
    for (int i = 0; i < 8; i++) out[4 + i] = (uint8_t)(checksum >> (8 * i));
    return 12;
}

int native_run(int which, uint32_t param, const uint8_t *input, uint32_t input_len, uint32_t repeat,
               uint8_t *out, uint32_t out_cap) {
    if (repeat == 0) repeat = 1;
    uint64_t checksum = 0;
    switch (which) {
    case NATIVE_FIB:
        for (uint32_t r = 0; r < repeat; r++) checksum = wl_fib(param);
        return bench_output(param, checksum, out, out_cap);
    case NATIVE_KECCAK_SOFT:
        for (uint32_t r = 0; r < repeat; r++) checksum = wl_keccak_soft(param);
        return bench_output(param, checksum, out, out_cap);
    case NATIVE_SORT: {
        uint32_t *scratch = malloc((size_t)param * 4 + 4);
        if (!scratch) return -1;
        for (uint32_t r = 0; r < repeat; r++) checksum = wl_sort(param, scratch);
        free(scratch);
        return bench_output(param, checksum, out, out_cap);
    }
    case NATIVE_COREMARK_LIKE:
        for (uint32_t r = 0; r < repeat; r++) checksum = wl_coremark_like(param);
        return bench_output(param, checksum, out, out_cap);
    case NATIVE_INTENSITY:
        if (out_cap < 32) return -1;
        for (uint32_t r = 0; r < repeat; r++) {
            intensity(param, out);
            __asm__ volatile("" ::: "memory"); /* keep every repetition */
        }
        return 32;
    case NATIVE_MOCK_CONSUMER: {
        if (out_cap < 64) return -1;
        int n = -1;
        for (uint32_t r = 0; r < repeat; r++) {
            n = mock_consumer(input, input_len, out);
            __asm__ volatile("" ::: "memory"); /* keep every repetition */
        }
        return n;
    }
    default:
        return -1;
    }
}
