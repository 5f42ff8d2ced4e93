/*
 * Native harness for the benchmark workloads: runs the same portable core as the guest
 * (guest-programs/workloads/) with the same parameter and prints the same 12 output bytes,
 * so interpreter and native runs can be timed in one session and compared for equality.
 *
 * usage: bench-native WORKLOAD [PARAM] [REPEAT]
 *   WORKLOAD  fibonacci | keccak-soft | sort-bench | coremark-like, or a corpus workload
 *             (corpus/corpus.h: bytecode_vm, pointer_chase, ...)
 *   PARAM     the value the guest reads from stdin item 1 (default: the guest's default)
 *   REPEAT    run the workload this many times for timing (default 1)
 * prints one line:
 *   workload=NAME param=N checksum=0x%016x public_values=HEX repeat=R seconds_per_run=S
 * where public_values is exactly what the guest commits: param (u32 LE) || checksum (u64 LE);
 * for a corpus workload checksum is 32 bits and public_values param (u32 LE) || checksum (u32 LE).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "workloads.h"
#include "corpus.h"

static double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static const struct {
    const char *name;
    uint32_t (*run)(uint32_t);
    uint32_t dflt;
} corpus[] = {
#define CORPUS_ENTRY(n) {#n, corpus_##n, CORPUS_DEFAULT_##n},
    CORPUS_ENTRY(bytecode_vm) CORPUS_ENTRY(pointer_chase) CORPUS_ENTRY(mul_div) CORPUS_ENTRY(call_tree)
    CORPUS_ENTRY(byte_scan) CORPUS_ENTRY(aes_table) CORPUS_ENTRY(bigint_modexp) CORPUS_ENTRY(json_parse)
    CORPUS_ENTRY(lz_compress) CORPUS_ENTRY(mark_mix) CORPUS_ENTRY(soft_float)
    CORPUS_ENTRY(hash_map)
#undef CORPUS_ENTRY
};

static int run_corpus(int i, int argc, char **argv) {
    uint32_t param = argc >= 3 ? (uint32_t)strtoul(argv[2], NULL, 0) : corpus[i].dflt;
    unsigned long repeat = argc >= 4 ? strtoul(argv[3], NULL, 0) : 1;
    if (repeat == 0) repeat = 1;
    uint32_t checksum = 0;
    double start = now_seconds();
    for (unsigned long r = 0; r < repeat; r++) checksum = corpus[i].run(param);
    double elapsed = now_seconds() - start;
    printf("workload=%s param=%u checksum=0x%08x public_values=", corpus[i].name, (unsigned)param, (unsigned)checksum);
    for (int k = 0; k < 4; k++) printf("%02x", (unsigned)(param >> (8 * k)) & 0xFF);
    for (int k = 0; k < 4; k++) printf("%02x", (unsigned)(checksum >> (8 * k)) & 0xFF);
    printf(" repeat=%lu seconds_per_run=%.9f\n", repeat, elapsed / (double)repeat);
    return 0;
}

int main(int argc, char **argv) {
    if (argc < 2 || argc > 4) {
        fprintf(stderr, "usage: %s fibonacci|keccak-soft|sort-bench|coremark-like [PARAM] [REPEAT]\n", argv[0]);
        return 2;
    }
    const char *name = argv[1];
    int which;
    uint32_t param;
    if (!strcmp(name, "fibonacci")) { which = 0; param = WL_FIB_DEFAULT_N; }
    else if (!strcmp(name, "keccak-soft")) { which = 1; param = WL_KECCAK_DEFAULT_N; }
    else if (!strcmp(name, "sort-bench")) { which = 2; param = WL_SORT_DEFAULT_N; }
    else if (!strcmp(name, "coremark-like")) { which = 3; param = WL_COREMARK_DEFAULT_N; }
    else {
        for (int i = 0; i < (int)(sizeof corpus / sizeof corpus[0]); i++)
            if (!strcmp(name, corpus[i].name)) return run_corpus(i, argc, argv);
        fprintf(stderr, "unknown workload: %s\n", name);
        return 2;
    }
    if (argc >= 3) param = (uint32_t)strtoul(argv[2], NULL, 0);
    unsigned long repeat = argc >= 4 ? strtoul(argv[3], NULL, 0) : 1;
    if (repeat == 0) repeat = 1;

    uint32_t *scratch = NULL;
    if (which == 2) {
        scratch = malloc((size_t)param * 4 + 4);
        if (!scratch) { fprintf(stderr, "out of memory\n"); return 1; }
    }

    uint64_t checksum = 0;
    double start = now_seconds();
    for (unsigned long r = 0; r < repeat; r++) {
        switch (which) {
        case 0: checksum = wl_fib(param); break;
        case 1: checksum = wl_keccak_soft(param); break;
        case 2: checksum = wl_sort(param, scratch); break;
        default: checksum = wl_coremark_like(param); break;
        }
    }
    double elapsed = now_seconds() - start;

    uint8_t pv[12];
    for (int i = 0; i < 4; i++) pv[i] = (uint8_t)(param >> (8 * i));
    for (int i = 0; i < 8; i++) pv[4 + i] = (uint8_t)(checksum >> (8 * i));
    printf("workload=%s param=%u checksum=0x%016llx public_values=", name, (unsigned)param,
           (unsigned long long)checksum);
    for (int i = 0; i < 12; i++) printf("%02x", pv[i]);
    printf(" repeat=%lu seconds_per_run=%.9f\n", repeat, elapsed / (double)repeat);
    free(scratch);
    return 0;
}
