/*
 * A CoreMark-style integer workload (written for this project; not CoreMark): each iteration
 * runs linked-list, matrix and state-machine kernels on data derived from an LCG whose seed
 * depends on the previous iteration's CRC, so no iteration can be skipped or reordered.
 * Everything is unsigned 32-bit (or narrower) arithmetic, so results are identical on every
 * platform; scripts/gen_guest_vectors.py re-implements it in Python for the expected values.
 */
#include "workloads.h"

#define LIST_N 64
#define MAT_N 12
#define TEXT_N 128
#define FINDS 8

/* ---- helpers ---- */

static uint32_t lcg_next(uint32_t *s) {
    *s = *s * 1664525u + 1013904223u;
    return *s;
}

/* CRC-16/ARC (reflected polynomial 0xA001), bit at a time. */
static uint16_t crc16_u8(uint16_t crc, uint8_t b) {
    crc ^= b;
    for (int i = 0; i < 8; i++) crc = (crc & 1) ? (uint16_t)((crc >> 1) ^ 0xA001u) : (uint16_t)(crc >> 1);
    return crc;
}
static uint16_t crc16_u16(uint16_t crc, uint16_t v) { return crc16_u8(crc16_u8(crc, (uint8_t)v), (uint8_t)(v >> 8)); }
static uint16_t crc16_u32(uint16_t crc, uint32_t v) { return crc16_u16(crc16_u16(crc, (uint16_t)v), (uint16_t)(v >> 16)); }

/* ---- linked list ---- */

typedef struct node {
    struct node *next;
    uint16_t value;
    uint16_t idx;
} node;

static node list_arena[LIST_N];

/* Stable merge of two value- (or idx-) sorted lists. */
static node *merge(node *a, node *b, int by_idx) {
    node head, *tail = &head;
    while (a && b) {
        uint16_t ka = by_idx ? a->idx : a->value, kb = by_idx ? b->idx : b->value;
        if (kb < ka) { tail->next = b; b = b->next; }
        else { tail->next = a; a = a->next; } /* ties take from the left: stable */
        tail = tail->next;
    }
    tail->next = a ? a : b;
    return head.next;
}

static node *merge_sort(node *list, int by_idx) {
    if (!list || !list->next) return list;
    node *slow = list, *fast = list->next;
    while (fast && fast->next) {
        slow = slow->next;
        fast = fast->next->next;
    }
    node *second = slow->next;
    slow->next = 0;
    return merge(merge_sort(list, by_idx), merge_sort(second, by_idx), by_idx);
}

static uint16_t list_kernel(uint32_t *seed) {
    for (uint32_t i = 0; i < LIST_N; i++) {
        list_arena[i].value = (uint16_t)(lcg_next(seed) >> 16);
        list_arena[i].idx = (uint16_t)i;
        list_arena[i].next = i + 1 < LIST_N ? &list_arena[i + 1] : 0;
    }
    node *list = &list_arena[0];
    uint16_t crc = 0;

    /* find: targets alternate between present values and (probably) absent ones */
    for (uint32_t k = 0; k < FINDS; k++) {
        uint32_t r = lcg_next(seed);
        uint16_t target = list_arena[(r >> 8) % LIST_N].value;
        if (k & 1) target ^= 1;
        uint32_t pos = 0;
        node *p = list;
        while (p && p->value != target) { p = p->next; pos++; }
        crc = crc16_u16(crc, (uint16_t)pos);
    }

    /* reverse in place */
    node *prev = 0;
    while (list) {
        node *next = list->next;
        list->next = prev;
        prev = list;
        list = next;
    }
    list = prev;
    for (node *p = list; p; p = p->next) crc = crc16_u16(crc, p->idx);

    /* sort by value, fold (value, idx), then restore index order */
    list = merge_sort(list, 0);
    for (node *p = list; p; p = p->next) crc = crc16_u32(crc, (uint32_t)p->value | ((uint32_t)p->idx << 16));
    list = merge_sort(list, 1);
    uint32_t acc = 0;
    for (node *p = list; p; p = p->next) acc = acc * 31u + p->value;
    return crc16_u32(crc, acc);
}

/* ---- matrix ---- */

static uint32_t mat_a[MAT_N][MAT_N], mat_b[MAT_N][MAT_N], mat_c[MAT_N][MAT_N], vec_v[MAT_N];

static uint16_t matrix_kernel(uint32_t *seed, uint32_t iteration) {
    for (uint32_t i = 0; i < MAT_N; i++)
        for (uint32_t j = 0; j < MAT_N; j++) {
            mat_a[i][j] = lcg_next(seed) >> 20;
            mat_b[i][j] = lcg_next(seed) >> 20;
        }
    /* C = A * B */
    for (uint32_t i = 0; i < MAT_N; i++)
        for (uint32_t j = 0; j < MAT_N; j++) {
            uint32_t s = 0;
            for (uint32_t k = 0; k < MAT_N; k++) s += mat_a[i][k] * mat_b[k][j];
            mat_c[i][j] = s;
        }
    /* A += constant, then v = A * (column 0 of B) */
    uint32_t add = iteration & 0xFFu;
    for (uint32_t i = 0; i < MAT_N; i++)
        for (uint32_t j = 0; j < MAT_N; j++) mat_a[i][j] += add;
    for (uint32_t i = 0; i < MAT_N; i++) {
        uint32_t s = 0;
        for (uint32_t j = 0; j < MAT_N; j++) s += mat_a[i][j] * mat_b[j][0];
        vec_v[i] = s;
    }
    /* fold: bit fields of C, the maximum of C, and v */
    uint16_t crc = 0;
    uint32_t max = 0;
    for (uint32_t i = 0; i < MAT_N; i++)
        for (uint32_t j = 0; j < MAT_N; j++) {
            uint32_t c = mat_c[i][j];
            if (c > max) max = c;
            crc = crc16_u16(crc, (uint16_t)(((c >> 2) & 0xFFu) | ((c >> 12) & 0xFF00u)));
        }
    crc = crc16_u32(crc, max);
    for (uint32_t i = 0; i < MAT_N; i++) crc = crc16_u32(crc, vec_v[i]);
    return crc;
}

/* ---- state machine: classify comma/space separated number tokens ---- */

enum { S_START, S_SIGN, S_INT, S_DOT, S_FLOAT, S_EXP, S_EXPSIGN, S_SCI, S_INVALID, S_COUNT };
enum { C_DIGIT, C_SIGN, C_DOT, C_EXP, C_SEP, C_OTHER };

static const char alphabet[] = "0123456789012345+-.eE, ,x"; /* 25 characters */
#define ALPHABET_N 25

static char text[TEXT_N];

static int char_class(char ch) {
    if (ch >= '0' && ch <= '9') return C_DIGIT;
    if (ch == '+' || ch == '-') return C_SIGN;
    if (ch == '.') return C_DOT;
    if (ch == 'e' || ch == 'E') return C_EXP;
    if (ch == ',' || ch == ' ') return C_SEP;
    return C_OTHER;
}

static int next_state(int s, int c) {
    switch (s) {
    case S_START: return c == C_DIGIT ? S_INT : c == C_SIGN ? S_SIGN : c == C_DOT ? S_DOT : S_INVALID;
    case S_SIGN: return c == C_DIGIT ? S_INT : c == C_DOT ? S_DOT : S_INVALID;
    case S_INT: return c == C_DIGIT ? S_INT : c == C_DOT ? S_FLOAT : c == C_EXP ? S_EXP : S_INVALID;
    case S_DOT: return c == C_DIGIT ? S_FLOAT : S_INVALID;
    case S_FLOAT: return c == C_DIGIT ? S_FLOAT : c == C_EXP ? S_EXP : S_INVALID;
    case S_EXP: return c == C_DIGIT ? S_SCI : c == C_SIGN ? S_EXPSIGN : S_INVALID;
    case S_EXPSIGN: return c == C_DIGIT ? S_SCI : S_INVALID;
    case S_SCI: return c == C_DIGIT ? S_SCI : S_INVALID;
    default: return S_INVALID;
    }
}

static uint16_t state_kernel(uint32_t *seed) {
    for (uint32_t i = 0; i < TEXT_N; i++) text[i] = alphabet[(lcg_next(seed) >> 16) % ALPHABET_N];
    uint32_t finals[S_COUNT] = {0};
    uint32_t transitions = 0;
    int s = S_START;
    for (uint32_t i = 0; i < TEXT_N; i++) {
        int c = char_class(text[i]);
        if (c == C_SEP) {
            if (s != S_START) finals[s]++;
            s = S_START;
            continue;
        }
        int n = next_state(s, c);
        if (n != s) transitions++;
        s = n;
    }
    if (s != S_START) finals[s]++;
    uint16_t crc = 0;
    for (int i = 0; i < S_COUNT; i++) crc = crc16_u16(crc, (uint16_t)finals[i]);
    return crc16_u32(crc, transitions);
}

/* ---- driver ---- */

uint64_t wl_coremark_like(uint32_t iterations) {
    uint16_t crc = 0, c_list = 0, c_mat = 0, c_state = 0;
    for (uint32_t it = 0; it < iterations; it++) {
        uint32_t seed = 0x3C6EF372u ^ (it * 0x9E3779B9u) ^ crc;
        c_list = list_kernel(&seed);
        c_mat = matrix_kernel(&seed, it);
        c_state = state_kernel(&seed);
        crc = crc16_u16(crc, c_list);
        crc = crc16_u16(crc, c_mat);
        crc = crc16_u16(crc, c_state);
    }
    return ((uint64_t)c_list << 48) | ((uint64_t)c_mat << 32) | ((uint64_t)c_state << 16) | crc;
}
