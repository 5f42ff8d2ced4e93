/*
 * The unseen corpus natively: the workload sources of guest-programs/corpus (symlinked here, not
 * copied), compiled -O2 for the host like the rest of this target, behind an index so the Engine
 * benchmark can enumerate them.
 */
#include "corpus.h"
#include "native_workloads.h"

static const struct {
    const char *name;
    uint32_t (*run)(uint32_t);
    uint32_t dflt;
} corpus_table[] = {
#define CORPUS_ENTRY(n) {#n, corpus_##n, CORPUS_DEFAULT_##n},
    CORPUS_ENTRY(bytecode_vm) CORPUS_ENTRY(pointer_chase) CORPUS_ENTRY(mul_div) CORPUS_ENTRY(call_tree)
    CORPUS_ENTRY(byte_scan) CORPUS_ENTRY(aes_table) CORPUS_ENTRY(bigint_modexp) CORPUS_ENTRY(json_parse)
    CORPUS_ENTRY(lz_compress) CORPUS_ENTRY(mark_mix) CORPUS_ENTRY(soft_float)
    CORPUS_ENTRY(hash_map)
#undef CORPUS_ENTRY
};

uint32_t native_corpus_count(void) { return (uint32_t)(sizeof corpus_table / sizeof corpus_table[0]); }

const char *native_corpus_name(uint32_t i) { return i < native_corpus_count() ? corpus_table[i].name : ""; }

uint32_t native_corpus_default(uint32_t i) { return i < native_corpus_count() ? corpus_table[i].dflt : 0; }

uint32_t native_corpus_run(uint32_t i, uint32_t param, uint32_t repeat) {
    uint32_t checksum = 0;
    if (i >= native_corpus_count()) return 0;
    for (uint32_t r = 0; r < (repeat ? repeat : 1); r++) checksum = corpus_table[i].run(param);
    return checksum;
}
