/*
 * byte_scan (byte-oriented): param KiB (at most 1 MiB) of generated text — words from a
 * 16-word dictionary picked by xorshift32 (seed 0x1F83D9AB), separated by a space, or a newline
 * when the next draw's low four bits are zero — then, byte by byte:
 *   - CRC-32 (IEEE, reflected 0xEDB88320) computed bitwise, no table;
 *   - naive search counting the (overlapping) occurrences of four patterns;
 *   - byte histogram (distinct bytes, most frequent byte), word count, longest word;
 *   - ASCII to-upper in place, then FNV-1a of the result.
 * Checksum: a fold of all of the above.
 */
#include "corpus.h"

#define BS_MAX_BYTES (1u << 20)

static uint8_t bs_text[BS_MAX_BYTES];

static const char *const bs_words[16] = {
    "the", "quick", "brown", "fox", "jumps", "over", "lazy", "dog",
    "information", "station", "ing", "and", "an", "nation", "tea", "ant",
};

static const char *const bs_patterns[4] = {"an", "ion ", "the q", "tat"};

static uint32_t crc32_bitwise(const uint8_t *p, uint32_t n) {
    uint32_t crc = 0xFFFFFFFFu;
    for (uint32_t i = 0; i < n; i++) {
        crc ^= p[i];
        for (int k = 0; k < 8; k++) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1)));
    }
    return ~crc;
}

static uint32_t count_pattern(const uint8_t *p, uint32_t n, const char *pat) {
    uint32_t m = 0;
    while (pat[m]) m++;
    uint32_t count = 0;
    for (uint32_t i = 0; i + m <= n; i++) {
        uint32_t j = 0;
        while (j < m && p[i + j] == (uint8_t)pat[j]) j++;
        count += j == m;
    }
    return count;
}

uint32_t corpus_byte_scan(uint32_t param) {
    uint32_t n = param > BS_MAX_BYTES / 1024 ? BS_MAX_BYTES : param * 1024u;
    uint32_t seed = 0x1F83D9ABu, len = 0;
    while (len < n) {
        const char *w = bs_words[corpus_xorshift32(&seed) >> 28];
        while (*w && len < n) bs_text[len++] = (uint8_t)*w++;
        if (len < n) bs_text[len++] = (corpus_xorshift32(&seed) & 15) == 0 ? '\n' : ' ';
    }

    uint32_t h = (CORPUS_FNV_OFFSET ^ crc32_bitwise(bs_text, n)) * CORPUS_FNV_PRIME;
    for (int k = 0; k < 4; k++) h = (h ^ count_pattern(bs_text, n, bs_patterns[k])) * CORPUS_FNV_PRIME;

    uint32_t hist[256];
    for (int b = 0; b < 256; b++) hist[b] = 0;
    uint32_t words = 0, longest = 0, run = 0;
    for (uint32_t i = 0; i < n; i++) {
        uint8_t c = bs_text[i];
        hist[c]++;
        if (c >= 'a' && c <= 'z') {
            if (run == 0) words++;
            run++;
            if (run > longest) longest = run;
        } else {
            run = 0;
        }
    }
    uint32_t distinct = 0, top = 0;
    for (uint32_t b = 0; b < 256; b++) {
        distinct += hist[b] != 0;
        if (hist[b] > hist[top]) top = b;
    }
    h = (h ^ distinct) * CORPUS_FNV_PRIME;
    h = (h ^ top) * CORPUS_FNV_PRIME;
    h = (h ^ hist[top]) * CORPUS_FNV_PRIME;
    h = (h ^ words) * CORPUS_FNV_PRIME;
    h = (h ^ longest) * CORPUS_FNV_PRIME;

    uint32_t f = CORPUS_FNV_OFFSET;
    for (uint32_t i = 0; i < n; i++) {
        uint8_t c = bs_text[i];
        if (c >= 'a' && c <= 'z') c = (uint8_t)(c - 32);
        bs_text[i] = c;
        f = (f ^ c) * CORPUS_FNV_PRIME;
    }
    return (h ^ f) * CORPUS_FNV_PRIME;
}
