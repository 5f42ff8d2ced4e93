/* Keccak-f[1600] in software for the RISC Zero flavour (RISC Zero 1.0 has no Keccak accelerator;
 * the SP1 flavour calls KECCAK_PERMUTE). Written from FIPS 202: the step mappings in loops, the
 * rho offsets and pi positions walked from (x, y) = (1, 0), the round constants from the rc LFSR. */
#include "zkvm.h"

#ifdef ZKVM_RISC0
static uint64_t rotl64(uint64_t v, unsigned n) { return n ? (v << n) | (v >> (64 - n)) : v; }

void zkvm_keccak_permute(uint64_t a[25]) {
    /* Filled on the first call: round constants, and for lane i its rho offset, its column and
     * where pi moves it. */
    static uint64_t round_constant[24];
    static uint8_t rho[25], column[25], pi[25];
    if (!round_constant[0]) {
        /* rc(t) of FIPS 202 §3.2.5, t = 0, 1, ...: the LFSR x^8 + x^6 + x^5 + x^4 + 1, stepped once. */
        unsigned lfsr = 1;
        for (unsigned round = 0; round < 24; round++)
            for (unsigned j = 0; j < 7; j++) {
                if (lfsr & 1) round_constant[round] |= 1ull << ((1u << j) - 1);
                lfsr <<= 1;
                if (lfsr & 0x100) lfsr ^= 0x171;
            }
        unsigned x = 1, y = 0;
        for (unsigned t = 0; t < 24; t++) {
            rho[x + 5 * y] = (uint8_t)(((t + 1) * (t + 2) / 2) % 64);
            unsigned nx = y, ny = (2 * x + 3 * y) % 5;
            x = nx, y = ny;
        }
        for (unsigned i = 0; i < 25; i++) {
            column[i] = (uint8_t)(i % 5);
            pi[i] = (uint8_t)(i / 5 + 5 * ((2 * (i % 5) + 3 * (i / 5)) % 5));
        }
    }
    for (unsigned round = 0; round < 24; round++) {
        uint64_t c[5], d[5], b[25];
        for (unsigned x = 0; x < 5; x++) c[x] = a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20];
        d[0] = c[4] ^ rotl64(c[1], 1);
        d[1] = c[0] ^ rotl64(c[2], 1);
        d[2] = c[1] ^ rotl64(c[3], 1);
        d[3] = c[2] ^ rotl64(c[4], 1);
        d[4] = c[3] ^ rotl64(c[0], 1);
        for (unsigned i = 0; i < 25; i++) b[pi[i]] = rotl64(a[i] ^ d[column[i]], rho[i]);
        for (unsigned row = 0; row < 25; row += 5) {
            const uint64_t *r = b + row;
            a[row] = r[0] ^ (~r[1] & r[2]);
            a[row + 1] = r[1] ^ (~r[2] & r[3]);
            a[row + 2] = r[2] ^ (~r[3] & r[4]);
            a[row + 3] = r[3] ^ (~r[4] & r[0]);
            a[row + 4] = r[4] ^ (~r[0] & r[1]);
        }
        a[0] ^= round_constant[round];
    }
}
#endif
