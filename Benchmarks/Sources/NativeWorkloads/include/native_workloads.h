/*
 * Native counterparts of the benchmark guests, for interpreter/native ratios measured in one run.
 * fib, keccak-soft, sort and coremark-like are the guests' own workload sources (symlinked from
 * guest-programs/workloads); intensity-test and mock-consumer have no shared workload source, so
 * native_extra.c re-states their computation in portable C (same output bytes, checked at setup).
 */
#ifndef NATIVE_WORKLOADS_H
#define NATIVE_WORKLOADS_H

#include <stdint.h>

enum native_workload {
    NATIVE_FIB = 0,
    NATIVE_KECCAK_SOFT = 1, /* also the native side of keccak-bench: same output for the same n */
    NATIVE_SORT = 2,
    NATIVE_COREMARK_LIKE = 3,
    NATIVE_INTENSITY = 4,     /* param = hash rounds */
    NATIVE_MOCK_CONSUMER = 5, /* input = abi.encode(address), 32 bytes */
};

/*
 * Runs one workload `repeat` times and writes the public values the guest would commit (from the
 * last run) into out. Returns the number of bytes written, or -1 on bad arguments.
 */
int native_run(int which, uint32_t param, const uint8_t *input, uint32_t input_len, uint32_t repeat,
               uint8_t *out, uint32_t out_cap);

/*
 * The unseen corpus (guest-programs/corpus, symlinked): workload i of native_corpus_count(), its
 * name (as in the ELF names bin/corpus/<name>-O2.elf), its default parameter, and its checksum for
 * `param` (the last of `repeat` runs). The guest commits param (u32 LE) || checksum (u32 LE).
 */
uint32_t native_corpus_count(void);
const char *native_corpus_name(uint32_t i);
uint32_t native_corpus_default(uint32_t i);
uint32_t native_corpus_run(uint32_t i, uint32_t param, uint32_t repeat);

#endif
