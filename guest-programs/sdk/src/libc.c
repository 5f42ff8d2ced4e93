/*
 * The libc subset the compiler may emit calls to, plus the 64-bit division helpers RV32IM
 * lacks. Built with -fno-builtin so the copy loops below are never turned back into calls
 * to themselves.
 */
#include "zkvm.h"

typedef uint32_t __attribute__((may_alias, aligned(4))) word_t;

void *memcpy(void *restrict dst, const void *restrict src, size_t n) {
    uint8_t *d = dst;
    const uint8_t *s = src;
    if ((((uintptr_t)d ^ (uintptr_t)s) & 3) == 0) {
        while (n && ((uintptr_t)d & 3)) { *d++ = *s++; n--; }
        word_t *dw = (word_t *)d;
        const word_t *sw = (const word_t *)s;
        for (; n >= 16; n -= 16, dw += 4, sw += 4) {
            dw[0] = sw[0]; dw[1] = sw[1]; dw[2] = sw[2]; dw[3] = sw[3];
        }
        for (; n >= 4; n -= 4) *dw++ = *sw++;
        d = (uint8_t *)dw;
        s = (const uint8_t *)sw;
    }
    while (n--) *d++ = *s++;
    return dst;
}

void *memmove(void *dst, const void *src, size_t n) {
    uint8_t *d = dst;
    const uint8_t *s = src;
    if (d == s || n == 0) return dst;
    if ((uintptr_t)d - (uintptr_t)s >= n) return memcpy(dst, src, n); /* no harmful overlap */
    /* dst overlaps the tail of src: copy backwards. */
    d += n;
    s += n;
    if ((((uintptr_t)d ^ (uintptr_t)s) & 3) == 0) {
        while (n && ((uintptr_t)d & 3)) { *--d = *--s; n--; }
        word_t *dw = (word_t *)d;
        const word_t *sw = (const word_t *)s;
        for (; n >= 4; n -= 4) *--dw = *--sw;
        d = (uint8_t *)dw;
        s = (const uint8_t *)sw;
    }
    while (n--) *--d = *--s;
    return dst;
}

void *memset(void *dst, int c, size_t n) {
    uint8_t *d = dst;
    uint8_t b = (uint8_t)c;
    while (n && ((uintptr_t)d & 3)) { *d++ = b; n--; }
    uint32_t w = 0x01010101u * b;
    word_t *dw = (word_t *)d;
    for (; n >= 16; n -= 16, dw += 4) { dw[0] = w; dw[1] = w; dw[2] = w; dw[3] = w; }
    for (; n >= 4; n -= 4) *dw++ = w;
    d = (uint8_t *)dw;
    while (n--) *d++ = b;
    return dst;
}

int memcmp(const void *a, const void *b, size_t n) {
    const uint8_t *p = a, *q = b;
    for (; n; n--, p++, q++)
        if (*p != *q) return (int)*p - (int)*q;
    return 0;
}

size_t strlen(const char *s) {
    const char *p = s;
    while (*p) p++;
    return (size_t)(p - s);
}

/* ---- 64-bit division (compiler-rt names; RV32M only divides 32-bit values) ---- */

static unsigned clz64(uint64_t x) {
    unsigned n = 0;
    if (!(x >> 32)) { n += 32; x <<= 32; }
    if (!(x >> 48)) { n += 16; x <<= 16; }
    if (!(x >> 56)) { n += 8; x <<= 8; }
    if (!(x >> 60)) { n += 4; x <<= 4; }
    if (!(x >> 62)) { n += 2; x <<= 2; }
    if (!(x >> 63)) { n += 1; }
    return n;
}

/* Division by zero follows RISC-V DIVU/REMU: quotient all ones, remainder = dividend. */
static uint64_t udivmod64(uint64_t n, uint64_t d, uint64_t *rem) {
    if (d == 0) { *rem = n; return ~(uint64_t)0; }
    if (d > n) { *rem = n; return 0; }
    if ((n >> 32) == 0) {
        uint32_t n32 = (uint32_t)n, d32 = (uint32_t)d;
        *rem = n32 % d32;
        return n32 / d32;
    }
    /* Shift-subtract, starting with the divisor aligned under the dividend's top bit. */
    unsigned shift = clz64(d) - clz64(n);
    d <<= shift;
    uint64_t q = 0;
    for (unsigned i = 0; i <= shift; i++) {
        q <<= 1;
        if (n >= d) { n -= d; q |= 1; }
        d >>= 1;
    }
    *rem = n;
    return q;
}

uint64_t __udivdi3(uint64_t a, uint64_t b);
uint64_t __umoddi3(uint64_t a, uint64_t b);
int64_t __divdi3(int64_t a, int64_t b);
int64_t __moddi3(int64_t a, int64_t b);

uint64_t __udivdi3(uint64_t a, uint64_t b) { uint64_t r; return udivmod64(a, b, &r); }
uint64_t __umoddi3(uint64_t a, uint64_t b) { uint64_t r; udivmod64(a, b, &r); return r; }

int64_t __divdi3(int64_t a, int64_t b) {
    uint64_t ua = a < 0 ? 0 - (uint64_t)a : (uint64_t)a;
    uint64_t ub = b < 0 ? 0 - (uint64_t)b : (uint64_t)b;
    uint64_t r, q = udivmod64(ua, ub, &r);
    return (int64_t)(((a < 0) != (b < 0)) ? 0 - q : q);
}

int64_t __moddi3(int64_t a, int64_t b) {
    uint64_t ua = a < 0 ? 0 - (uint64_t)a : (uint64_t)a;
    uint64_t ub = b < 0 ? 0 - (uint64_t)b : (uint64_t)b;
    uint64_t r;
    udivmod64(ua, ub, &r);
    return (int64_t)(a < 0 ? 0 - r : r);
}
