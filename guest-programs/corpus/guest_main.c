/*
 * The guest of one corpus workload (compiled with -DCORPUS_NAME=<name>, linked with
 * corpus/<name>.c and the SDK; guest-programs/Makefile builds one ELF per workload, ISA and
 * optimisation level: bin/corpus/<name>-O2.elf, -Os.elf and bin/rv64/corpus/...).
 * Input:  stdin item 1 = param as a little-endian u32 (the workload's default when empty or absent).
 * Output: param (u32 LE) || checksum (u32 LE).
 */
#include "zkvm.h"
#include "corpus.h"

#define CORPUS_CAT_(a, b) a##b
#define CORPUS_CAT(a, b) CORPUS_CAT_(a, b)

int main(void) {
    uint32_t param = zkvm_read_u32_or(CORPUS_CAT(CORPUS_DEFAULT_, CORPUS_NAME));
    uint32_t checksum = CORPUS_CAT(corpus_, CORPUS_NAME)(param);
    zkvm_commit_u32(param);
    zkvm_commit_u32(checksum);
    return 0;
}
