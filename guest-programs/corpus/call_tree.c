/*
 * call_tree (call-heavy), per round r of param rounds:
 *   - doubly recursive Fibonacci fib(15 + r % 4);
 *   - a binary tree built recursively from xorshift32 keys (depth 10; a node whose key is odd
 *     gets a right subtree one level shallower), then recursive walks: sum of keys, height,
 *     mirror, and an in-order fold of the keys;
 *   - 1024 calls through a table of eight small functions, each picked by the running value.
 * Every recursive or table function is kept out of line. Checksum: a fold of all of the above.
 */
#include "corpus.h"

#define NOINLINE __attribute__((noinline))

typedef struct {
    uint32_t key;
    int32_t left, right; /* indices into ct_pool, -1 = none */
} ct_node;

static ct_node ct_pool[1024];
static uint32_t ct_used;

static NOINLINE uint32_t fib_rec(uint32_t n) {
    return n < 2 ? n : fib_rec(n - 1) + fib_rec(n - 2);
}

static NOINLINE int32_t build(uint32_t depth, uint32_t *seed) {
    if (depth == 0) return -1;
    int32_t i = (int32_t)ct_used++;
    uint32_t key = corpus_xorshift32(seed) & 0xFFFF;
    ct_pool[i].key = key;
    ct_pool[i].left = build(depth - 1, seed);
    ct_pool[i].right = build((key & 1) ? depth - 2 + (depth == 1) : depth - 1, seed);
    return i;
}

static NOINLINE uint32_t tree_sum(int32_t i) {
    return i < 0 ? 0 : ct_pool[i].key + tree_sum(ct_pool[i].left) + tree_sum(ct_pool[i].right);
}

static NOINLINE uint32_t tree_height(int32_t i) {
    if (i < 0) return 0;
    uint32_t l = tree_height(ct_pool[i].left), r = tree_height(ct_pool[i].right);
    return 1 + (l > r ? l : r);
}

static NOINLINE void tree_mirror(int32_t i) {
    if (i < 0) return;
    int32_t t = ct_pool[i].left;
    ct_pool[i].left = ct_pool[i].right;
    ct_pool[i].right = t;
    tree_mirror(ct_pool[i].left);
    tree_mirror(ct_pool[i].right);
}

static NOINLINE uint32_t tree_inorder(int32_t i, uint32_t h) {
    if (i < 0) return h;
    h = tree_inorder(ct_pool[i].left, h);
    h = (h ^ ct_pool[i].key) * CORPUS_FNV_PRIME;
    return tree_inorder(ct_pool[i].right, h);
}

static NOINLINE uint32_t op_add(uint32_t x, uint32_t y) { return x + y; }
static NOINLINE uint32_t op_sub(uint32_t x, uint32_t y) { return x - y * 3; }
static NOINLINE uint32_t op_xor(uint32_t x, uint32_t y) { return x ^ (y << 9); }
static NOINLINE uint32_t op_rot(uint32_t x, uint32_t y) { return (x << 5 | x >> 27) + y; }
static NOINLINE uint32_t op_mul(uint32_t x, uint32_t y) { return x * 0x9E3779B1u + y; }
static NOINLINE uint32_t op_shr(uint32_t x, uint32_t y) { return (x >> 3) ^ (x + y); }
static NOINLINE uint32_t op_neg(uint32_t x, uint32_t y) { return ~x + (y & 0xFF); }
static NOINLINE uint32_t op_mix(uint32_t x, uint32_t y) { return (x ^ (x >> 16)) * 0x45D9F3Bu ^ y; }

static uint32_t (*const ct_ops[8])(uint32_t, uint32_t) = {
    op_add, op_sub, op_xor, op_rot, op_mul, op_shr, op_neg, op_mix,
};

uint32_t corpus_call_tree(uint32_t param) {
    uint32_t h = CORPUS_FNV_OFFSET, seed = 0x6A09E667u, x = 1;
    for (uint32_t r = 0; r < param; r++) {
        h = (h ^ fib_rec(15 + (r & 3))) * CORPUS_FNV_PRIME;

        ct_used = 0;
        int32_t root = build(10, &seed);
        h = (h ^ ct_used) * CORPUS_FNV_PRIME;
        h = (h ^ tree_sum(root)) * CORPUS_FNV_PRIME;
        h = (h ^ tree_height(root)) * CORPUS_FNV_PRIME;
        tree_mirror(root);
        h = tree_inorder(root, h);

        for (uint32_t j = 0; j < 1024; j++) x = ct_ops[(x >> 7) & 7](x, j);
        h = (h ^ x) * CORPUS_FNV_PRIME;
    }
    return h;
}
