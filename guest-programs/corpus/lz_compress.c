/*
 * lz_compress (compressor): param KiB (at most 1 MiB) of generated data — runs of letters drawn
 * from xorshift32 (seed 0x5BE0CD19) mixed with copies of earlier stretches, as text has — is
 * compressed by greedy LZ77 (4-byte hash of 15 bits, hash chains over a 32 KiB window, at most
 * 32 candidates, matches of 4-131 bytes), in a byte format of literal runs (control byte
 * 0x00-0x7F: 1-128 literals follow) and matches (0x80 | length - 4, then a 16-bit little-endian
 * distance); then decompressed and compared with the input. Checksum: a fold of the compressed
 * size, its FNV-1a, the number of matches and the comparison (0 if the round trip fails).
 */
#include "corpus.h"

#define LZ_MAX_IN (1u << 20)
#define LZ_WINDOW (1u << 15)
#define LZ_HASH_BITS 15
#define LZ_MIN_MATCH 4u
#define LZ_MAX_MATCH 131u
#define LZ_MAX_CHAIN 32u

static uint8_t lz_in[LZ_MAX_IN];
static uint8_t lz_out[LZ_MAX_IN + LZ_MAX_IN / 128 + 64];
static uint8_t lz_back[LZ_MAX_IN];
static int32_t lz_head[1u << LZ_HASH_BITS];
static int32_t lz_prev[LZ_WINDOW];

static uint32_t lz_hash(const uint8_t *p) {
    uint32_t v = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
    return (v * 2654435761u) >> (32 - LZ_HASH_BITS);
}

static void lz_insert(uint32_t i) {
    uint32_t h = lz_hash(lz_in + i);
    lz_prev[i & (LZ_WINDOW - 1)] = lz_head[h];
    lz_head[h] = (int32_t)i;
}

static uint32_t lz_generate(uint32_t n) {
    uint32_t seed = 0x5BE0CD19u, len = 0;
    while (len < n) {
        uint32_t r = corpus_xorshift32(&seed);
        if ((r & 3) != 0 && len >= 64) { /* a copy of an earlier stretch */
            uint32_t span = len < 4096 ? len : 4096;
            uint32_t dist = 1 + corpus_xorshift32(&seed) % span;
            uint32_t count = 4 + (r >> 2) % 60;
            for (uint32_t k = 0; k < count && len < n; k++, len++) lz_in[len] = lz_in[len - dist];
        } else { /* fresh letters */
            uint32_t count = 1 + (r >> 2) % 24;
            for (uint32_t k = 0; k < count && len < n; k++, len++)
                lz_in[len] = (uint8_t)('a' + (corpus_xorshift32(&seed) >> 24) % 26);
        }
    }
    return len;
}

static uint32_t lz_flush(uint32_t o, uint32_t lit_start, uint32_t lit_end) {
    while (lit_start < lit_end) {
        uint32_t run = lit_end - lit_start > 128 ? 128 : lit_end - lit_start;
        lz_out[o++] = (uint8_t)(run - 1);
        for (uint32_t k = 0; k < run; k++) lz_out[o++] = lz_in[lit_start + k];
        lit_start += run;
    }
    return o;
}

uint32_t corpus_lz_compress(uint32_t param) {
    uint32_t n = param > LZ_MAX_IN / 1024 ? LZ_MAX_IN : param * 1024u;
    lz_generate(n);
    for (uint32_t i = 0; i < (1u << LZ_HASH_BITS); i++) lz_head[i] = -1;

    uint32_t pos = 0, o = 0, lit = 0, matches = 0;
    while (pos < n) {
        uint32_t best_len = 0, best_dist = 0;
        if (pos + LZ_MIN_MATCH <= n) {
            uint32_t limit = n - pos < LZ_MAX_MATCH ? n - pos : LZ_MAX_MATCH;
            int32_t cand = lz_head[lz_hash(lz_in + pos)];
            for (uint32_t chain = 0; cand >= 0 && chain < LZ_MAX_CHAIN; chain++) {
                uint32_t dist = pos - (uint32_t)cand;
                if (dist >= LZ_WINDOW) break;
                uint32_t len = 0;
                while (len < limit && lz_in[cand + len] == lz_in[pos + len]) len++;
                if (len > best_len) {
                    best_len = len;
                    best_dist = dist;
                    if (len == limit) break;
                }
                cand = lz_prev[(uint32_t)cand & (LZ_WINDOW - 1)];
            }
        }
        if (best_len >= LZ_MIN_MATCH) {
            o = lz_flush(o, lit, pos);
            lz_out[o++] = (uint8_t)(0x80 | (best_len - LZ_MIN_MATCH));
            lz_out[o++] = (uint8_t)best_dist;
            lz_out[o++] = (uint8_t)(best_dist >> 8);
            matches++;
            for (uint32_t k = 0; k < best_len; k++, pos++)
                if (pos + LZ_MIN_MATCH <= n) lz_insert(pos);
            lit = pos;
        } else {
            if (pos + LZ_MIN_MATCH <= n) lz_insert(pos);
            pos++;
        }
    }
    o = lz_flush(o, lit, n);

    /* decompress and compare */
    uint32_t i = 0, b = 0, ok = 1;
    while (i < o && ok) {
        uint32_t c = lz_out[i++];
        if (c < 0x80) {
            for (uint32_t k = 0; k <= c; k++) lz_back[b++] = lz_out[i++];
        } else {
            uint32_t len = (c & 0x7F) + LZ_MIN_MATCH;
            uint32_t dist = (uint32_t)lz_out[i] | (uint32_t)lz_out[i + 1] << 8;
            i += 2;
            if (dist == 0 || dist > b || b + len > n) ok = 0;
            else
                for (uint32_t k = 0; k < len; k++, b++) lz_back[b] = lz_back[b - dist];
        }
    }
    if (b != n) ok = 0;
    for (uint32_t k = 0; ok && k < n; k++)
        if (lz_back[k] != lz_in[k]) ok = 0;
    if (!ok) return 0;

    uint32_t f = CORPUS_FNV_OFFSET;
    for (uint32_t k = 0; k < o; k++) f = (f ^ lz_out[k]) * CORPUS_FNV_PRIME;
    uint32_t h = (CORPUS_FNV_OFFSET ^ o) * CORPUS_FNV_PRIME;
    h = (h ^ f) * CORPUS_FNV_PRIME;
    return (h ^ matches) * CORPUS_FNV_PRIME;
}
