// libFuzzer target: the fuzz bytes are the text of a program (a whole number of 32-bit words, a
// HALT appended) with 256 bytes of data, loaded as SP1 and as RISC Zero and run on both tiers
// for at most 20,000 cycles; any difference between the tiers aborts. Covers the decoder, both
// execution tiers, every stop and fault, and syscalls reached with whatever the code leaves in
// t0 and a0-a3 (coverage-guided comparisons find the syscall codes).
#include "fuzz_common.h"

static zkvm_arena *arena;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (!arena) arena = zkvm_arena_create();
    if (!arena || size < 4 || size > 16384) return 0;
    size_t words = size / 4;
    uint32_t *text = calloc(words + 3, 4);
    memcpy(text, data, 4 * words);
    text[words] = 0x00000293;      // li t0, 0 (HALT)
    text[words + 1] = 0x00000513;  // li a0, 0
    text[words + 2] = 0x00000073;  // ecall
    uint8_t bytes[256];
    for (size_t i = 0; i < sizeof bytes; i++) bytes[i] = data[i % size];
    size_t len;
    uint8_t *elf = fuzz_elf(text, words + 3, bytes, sizeof bytes, &len);
    uint8_t item[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    zkvm_bytes stdin_items[2] = {{item, sizeof item}, {data, size < 64 ? size : 64}};
    for (int vm = 0; vm < 2; vm++) {
        zkvm_load_options opt = {.vm = (zkvm_vm)vm};
        zkvm_program *p = NULL;
        zkvm_load_error err;
        if (zkvm_program_load(elf, len, &opt, &p, &err) == ZKVM_LOAD_OK) {
            fuzz_run_both_tiers(p, arena, stdin_items, 2, 20000);
            zkvm_program_free(p);
        }
    }
    free(elf);
    free(text);
    return 0;
}
