/*
 * The Linux-user (qemu-riscv32 / qemu-riscv64) build of one corpus workload, for timing qemu on
 * the same workload object the SP1 guest links (compiled with -DCORPUS_NAME=<name>; no libc).
 *   usage: <binary> [PARAM]     (PARAM decimal; default: the workload's default)
 * prints one line with the Linux write syscall, then exits 0:
 *   param=N checksum=0xXXXXXXXX public_values=HEX
 * where public_values is what the guest commits: param (u32 LE) || checksum (u32 LE).
 */
#include "corpus.h"

#define CORPUS_CAT_(a, b) a##b
#define CORPUS_CAT(a, b) CORPUS_CAT_(a, b)

static long linux_write(long fd, const void *buf, long len) {
    register long a0 __asm__("a0") = fd;
    register long a1 __asm__("a1") = (long)buf;
    register long a2 __asm__("a2") = len;
    register long a7 __asm__("a7") = 64; /* write */
    __asm__ volatile("ecall" : "+r"(a0) : "r"(a1), "r"(a2), "r"(a7) : "memory");
    return a0;
}

static char *put_str(char *p, const char *s) {
    while (*s) *p++ = *s++;
    return p;
}

static char *put_u32(char *p, uint32_t v) {
    char tmp[10];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n) *p++ = tmp[--n];
    return p;
}

static char *put_hex_byte(char *p, uint32_t b) {
    static const char hex[] = "0123456789abcdef";
    *p++ = hex[(b >> 4) & 15];
    *p++ = hex[b & 15];
    return p;
}

/* Called by linux_start.S with the initial stack pointer (argc, argv[0], argv[1], ...). */
long corpus_linux_main(long *sp) {
    long argc = sp[0];
    char **argv = (char **)(sp + 1);
    uint32_t param = CORPUS_CAT(CORPUS_DEFAULT_, CORPUS_NAME);
    if (argc > 1) {
        param = 0;
        for (const char *s = argv[1]; *s; s++) {
            if (*s < '0' || *s > '9') return 2;
            param = param * 10 + (uint32_t)(*s - '0');
        }
    }
    uint32_t checksum = CORPUS_CAT(corpus_, CORPUS_NAME)(param);

    char line[96], *p = line;
    p = put_str(p, "param=");
    p = put_u32(p, param);
    p = put_str(p, " checksum=0x");
    for (int sh = 24; sh >= 0; sh -= 8) p = put_hex_byte(p, checksum >> sh);
    p = put_str(p, " public_values=");
    for (int k = 0; k < 4; k++) p = put_hex_byte(p, param >> (8 * k));
    for (int k = 0; k < 4; k++) p = put_hex_byte(p, checksum >> (8 * k));
    *p++ = '\n';
    return linux_write(1, line, p - line) == p - line ? 0 : 1;
}
