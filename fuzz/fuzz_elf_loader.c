// libFuzzer target: arbitrary bytes as an ELF, loaded by every loader (SP1 ELF32/ELF64 and RISC
// Zero v1, plus the RISC Zero image ID). Nothing may crash, leak or read out of bounds; a program
// that loads gets its ID computed and, when small, one short run.
#include "fuzz_common.h"

static zkvm_arena *arena;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (!arena) arena = zkvm_arena_create();
    for (int vm = 0; vm < 2; vm++) {
        zkvm_load_options opt = {.max_image_bytes = 64u << 20, .max_text_bytes = 1u << 20, .vm = (zkvm_vm)vm};
        zkvm_program *p = NULL;
        zkvm_load_error err;
        if (zkvm_program_load(data, size, &opt, &p, &err) == ZKVM_LOAD_OK) {
            uint8_t id[32];
            zkvm_program_id(p, id);
            if (arena) fuzz_run_both_tiers(p, arena, NULL, 0, 10000);
            zkvm_program_free(p);
        }
    }
    zkvm_risc0_image image;
    zkvm_load_error err;
    (void)zkvm_risc0_image_id(data, size, &image, &err);
    return 0;
}
