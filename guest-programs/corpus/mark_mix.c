/*
 * mark_mix (CoreMark-like, written for this corpus): per iteration, from xorshift32 seeded with
 * 0x6A09E667 ^ iteration * 0x9E3779B9 ^ the running CRC:
 *   - list: 128 nodes inserted one by one into a sorted singly linked list (after equal keys),
 *     16 searches (position of the first node with a key), removal of every node whose data is a
 *     multiple of 3, reversal, and a CRC over the remaining nodes;
 *   - matrix: 16 x 16 int16 matrices multiplied into int32, a constant added to one of them, a
 *     matrix-vector product, CRC over the results;
 *   - state machine: a 256-character string over "abcxyz_0123456789+-*" "/ ()=;" split into
 *     identifier / number / operator / error / punctuation tokens, counting tokens and state
 *     changes;
 *   - CRC-16/CCITT (0x1021, MSB first, bitwise) folds all three into the running CRC.
 * Checksum: running CRC << 16 | (list CRC ^ matrix CRC ^ state CRC) of the last iteration.
 */
#include "corpus.h"

typedef struct {
    uint16_t key, data;
    int16_t next;
} mm_node;

static mm_node mm_nodes[128];

static uint16_t crc16_u8(uint16_t crc, uint8_t b) {
    crc ^= (uint16_t)(b << 8);
    for (int k = 0; k < 8; k++) crc = (uint16_t)((crc & 0x8000) ? (crc << 1) ^ 0x1021 : crc << 1);
    return crc;
}

static uint16_t crc16_u16(uint16_t crc, uint16_t v) { return crc16_u8(crc16_u8(crc, (uint8_t)v), (uint8_t)(v >> 8)); }

static uint16_t mm_list(uint32_t *seed) {
    int16_t head = -1;
    for (int i = 0; i < 128; i++) {
        uint16_t key = (uint16_t)(corpus_xorshift32(seed) >> 20);
        mm_nodes[i].key = key;
        mm_nodes[i].data = (uint16_t)i;
        int16_t prev = -1, cur = head;
        while (cur >= 0 && mm_nodes[cur].key <= key) {
            prev = cur;
            cur = mm_nodes[cur].next;
        }
        mm_nodes[i].next = cur;
        if (prev < 0) head = (int16_t)i;
        else mm_nodes[prev].next = (int16_t)i;
    }
    uint16_t crc = 0xFFFF;
    for (int q = 0; q < 16; q++) {
        uint16_t target = (uint16_t)(mm_nodes[(corpus_xorshift32(seed) >> 8) % 128].key ^ (q & 1));
        uint16_t pos = 0, found = 0xFFFF;
        for (int16_t cur = head; cur >= 0; cur = mm_nodes[cur].next, pos++) {
            if (mm_nodes[cur].key == target) {
                found = pos;
                break;
            }
        }
        crc = crc16_u16(crc, found);
    }
    int16_t prev = -1;
    for (int16_t cur = head; cur >= 0; cur = mm_nodes[cur].next) {
        if (mm_nodes[cur].data % 3 == 0) {
            if (prev < 0) head = mm_nodes[cur].next;
            else mm_nodes[prev].next = mm_nodes[cur].next;
        } else {
            prev = cur;
        }
    }
    int16_t rev = -1;
    while (head >= 0) {
        int16_t next = mm_nodes[head].next;
        mm_nodes[head].next = rev;
        rev = head;
        head = next;
    }
    for (int16_t cur = rev; cur >= 0; cur = mm_nodes[cur].next) {
        crc = crc16_u16(crc, mm_nodes[cur].key);
        crc = crc16_u16(crc, mm_nodes[cur].data);
    }
    return crc;
}

static uint16_t mm_matrix(uint32_t *seed, uint32_t it) {
    int16_t a[16][16], b[16][16];
    int32_t c[16][16], v[16];
    for (int i = 0; i < 16; i++)
        for (int j = 0; j < 16; j++) {
            a[i][j] = (int16_t)((int32_t)((corpus_xorshift32(seed) >> 16) & 0x1FF) - 256);
            b[i][j] = (int16_t)((int32_t)((corpus_xorshift32(seed) >> 16) & 0x1FF) - 256);
        }
    for (int i = 0; i < 16; i++)
        for (int j = 0; j < 16; j++) {
            int32_t s = 0;
            for (int k = 0; k < 16; k++) s += (int32_t)a[i][k] * b[k][j];
            c[i][j] = s;
        }
    for (int i = 0; i < 16; i++)
        for (int j = 0; j < 16; j++) a[i][j] = (int16_t)(a[i][j] + (int16_t)(it & 15));
    for (int i = 0; i < 16; i++) {
        int32_t s = 0;
        for (int j = 0; j < 16; j++) s += (int32_t)a[i][j] * b[j][i];
        v[i] = s;
    }
    uint16_t crc = 0xFFFF;
    for (int i = 0; i < 16; i++)
        for (int j = 0; j < 16; j++) crc = crc16_u16(crc, (uint16_t)((uint32_t)c[i][j] >> 2));
    for (int i = 0; i < 16; i++) {
        crc = crc16_u16(crc, (uint16_t)(uint32_t)v[i]);
        crc = crc16_u16(crc, (uint16_t)((uint32_t)v[i] >> 16));
    }
    return crc;
}

enum { ST_START, ST_IDENT, ST_NUMBER, ST_OP, ST_ERROR };
enum { CL_ALPHA, CL_DIGIT, CL_OP, CL_SPACE, CL_PUNCT };

static int mm_class(char c) {
    if ((c >= 'a' && c <= 'z') || c == '_') return CL_ALPHA;
    if (c >= '0' && c <= '9') return CL_DIGIT;
    if (c == '+' || c == '-' || c == '*' || c == '/' || c == '=') return CL_OP;
    if (c == ' ') return CL_SPACE;
    return CL_PUNCT;
}

static uint16_t mm_state(uint32_t *seed) {
    static const char alphabet[] = "abcxyz_0123456789+-*/ ()=;";
    char text[256];
    for (int i = 0; i < 256; i++) text[i] = alphabet[(corpus_xorshift32(seed) >> 16) % 26];
    uint32_t tokens[6], changes = 0;
    for (int k = 0; k < 6; k++) tokens[k] = 0;
    int s = ST_START;
    for (int i = 0; i < 256; i++) {
        int cl = mm_class(text[i]), ns = s;
        switch (cl) {
        case CL_SPACE:
        case CL_PUNCT:
            if (s != ST_START) tokens[s]++;
            if (cl == CL_PUNCT) tokens[5]++;
            ns = ST_START;
            break;
        case CL_ALPHA:
            switch (s) {
            case ST_START: ns = ST_IDENT; break;
            case ST_NUMBER: ns = ST_ERROR; break;
            case ST_OP: tokens[ST_OP]++; ns = ST_IDENT; break;
            default: break; /* ident stays ident, error stays error */
            }
            break;
        case CL_DIGIT:
            switch (s) {
            case ST_START: ns = ST_NUMBER; break;
            case ST_OP: tokens[ST_OP]++; ns = ST_NUMBER; break;
            default: break; /* ident, number and error stay */
            }
            break;
        default: /* CL_OP */
            switch (s) {
            case ST_START: ns = ST_OP; break;
            case ST_IDENT: case ST_NUMBER: case ST_ERROR: tokens[s]++; ns = ST_OP; break;
            default: break; /* multi-character operator */
            }
        }
        changes += ns != s;
        s = ns;
    }
    if (s != ST_START) tokens[s]++;
    uint16_t crc = 0xFFFF;
    for (int k = 0; k < 6; k++) crc = crc16_u16(crc, (uint16_t)tokens[k]);
    return crc16_u16(crc, (uint16_t)changes);
}

uint32_t corpus_mark_mix(uint32_t param) {
    uint16_t crc = 0, cl = 0, cm = 0, cs = 0;
    for (uint32_t it = 0; it < param; it++) {
        uint32_t seed = 0x6A09E667u ^ (it * 0x9E3779B9u) ^ crc;
        if (seed == 0) seed = 1;
        cl = mm_list(&seed);
        cm = mm_matrix(&seed, it);
        cs = mm_state(&seed);
        crc = crc16_u16(crc, cl);
        crc = crc16_u16(crc, cm);
        crc = crc16_u16(crc, cs);
    }
    return (uint32_t)crc << 16 | (uint16_t)(cl ^ cm ^ cs);
}
