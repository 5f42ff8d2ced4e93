/*
 * hash_map (hashing and scattered memory): an open-addressing hash table (linear probing,
 * murmur3's 32-bit finaliser as the hash, deletion by backward shifting, no tombstones) of
 * 2^k >= 2n slots for n = param keys (at most 2^19, an 8 MiB table). Keys and values come from
 * xorshift32 streams (seeds 0x9B05688C and 0x1F83D9AB): n insertions of keys in [1, 2n] (a key
 * seen before adds to its value), n lookups of keys in [1, 4n], deletion of every third inserted
 * key, then lookups of every inserted key again. Checksum: a fold of the sizes, hits, value sums
 * and deletions — the map's behaviour only, not its layout.
 */
#include "corpus.h"

#define HM_MAX_LOG 20

static uint32_t hm_keys[1u << HM_MAX_LOG], hm_vals[1u << HM_MAX_LOG];
static uint32_t hm_mask, hm_size;

static uint32_t hm_hash(uint32_t k) {
    k ^= k >> 16;
    k *= 0x85EBCA6Bu;
    k ^= k >> 13;
    k *= 0xC2B2AE35u;
    k ^= k >> 16;
    return k;
}

static void hm_insert(uint32_t k, uint32_t v) {
    uint32_t i = hm_hash(k) & hm_mask;
    while (hm_keys[i] != 0 && hm_keys[i] != k) i = (i + 1) & hm_mask;
    if (hm_keys[i] == 0) {
        hm_keys[i] = k;
        hm_vals[i] = v;
        hm_size++;
    } else {
        hm_vals[i] += v;
    }
}

static int hm_lookup(uint32_t k, uint32_t *v) {
    uint32_t i = hm_hash(k) & hm_mask;
    while (hm_keys[i] != 0) {
        if (hm_keys[i] == k) {
            *v = hm_vals[i];
            return 1;
        }
        i = (i + 1) & hm_mask;
    }
    return 0;
}

static int hm_delete(uint32_t k) {
    uint32_t i = hm_hash(k) & hm_mask;
    while (hm_keys[i] != k) {
        if (hm_keys[i] == 0) return 0;
        i = (i + 1) & hm_mask;
    }
    /* Backward shift: move later entries of the probe run into the hole unless their home slot
     * lies cyclically in (hole, j]. */
    uint32_t j = i;
    for (;;) {
        j = (j + 1) & hm_mask;
        if (hm_keys[j] == 0) break;
        uint32_t h = hm_hash(hm_keys[j]) & hm_mask;
        int stays = i <= j ? (i < h && h <= j) : (i < h || h <= j);
        if (!stays) {
            hm_keys[i] = hm_keys[j];
            hm_vals[i] = hm_vals[j];
            i = j;
        }
    }
    hm_keys[i] = 0;
    hm_size--;
    return 1;
}

uint32_t corpus_hash_map(uint32_t param) {
    uint32_t n = param > (1u << (HM_MAX_LOG - 1)) ? 1u << (HM_MAX_LOG - 1) : param;
    uint32_t log = 4;
    while ((1u << log) < 2 * n) log++;
    hm_mask = (1u << log) - 1;
    hm_size = 0;
    for (uint32_t i = 0; i <= hm_mask; i++) hm_keys[i] = 0;

    uint32_t h = CORPUS_FNV_OFFSET, seed, v;
    seed = 0x9B05688Cu;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t k = corpus_xorshift32(&seed) % (2 * n) + 1;
        hm_insert(k, corpus_xorshift32(&seed) & 0xFFFF);
    }
    h = (h ^ hm_size) * CORPUS_FNV_PRIME;

    uint32_t hits = 0, sum = 0, lookup_seed = 0x1F83D9ABu;
    for (uint32_t i = 0; i < n; i++) {
        if (hm_lookup(corpus_xorshift32(&lookup_seed) % (4 * n) + 1, &v)) {
            hits++;
            sum += v;
        }
    }
    h = (h ^ hits) * CORPUS_FNV_PRIME;
    h = (h ^ sum) * CORPUS_FNV_PRIME;

    uint32_t deleted = 0;
    seed = 0x9B05688Cu;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t k = corpus_xorshift32(&seed) % (2 * n) + 1;
        corpus_xorshift32(&seed); /* the value */
        if (i % 3 == 0) deleted += (uint32_t)hm_delete(k);
    }
    h = (h ^ deleted) * CORPUS_FNV_PRIME;
    h = (h ^ hm_size) * CORPUS_FNV_PRIME;

    hits = sum = 0;
    seed = 0x9B05688Cu;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t k = corpus_xorshift32(&seed) % (2 * n) + 1;
        corpus_xorshift32(&seed);
        if (hm_lookup(k, &v)) {
            hits++;
            sum = sum * 31 + v;
        }
    }
    h = (h ^ hits) * CORPUS_FNV_PRIME;
    return (h ^ sum) * CORPUS_FNV_PRIME;
}
