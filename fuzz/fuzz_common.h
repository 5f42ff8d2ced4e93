// Shared by the libFuzzer targets of this folder (see README.md): building a small ELF32 around
// fuzz bytes, and running a program on both tiers with their outcomes compared.
#ifndef ZKVM_FUZZ_COMMON_H
#define ZKVM_FUZZ_COMMON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zkvm_core.h"

enum { FUZZ_TEXT = 0x00200800, FUZZ_DATA = 0x00300000 };

static void put16(uint8_t *p, uint16_t v) { memcpy(p, &v, 2); }
static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }

/// An ELF32 RISC-V executable: `text` (words) at FUZZ_TEXT (R+X, entry), `data` at FUZZ_DATA
/// (R+W, with 64 KiB of memory). The caller frees the result.
static uint8_t *fuzz_elf(const uint32_t *text, size_t words, const uint8_t *data, size_t data_len, size_t *out_len) {
    const size_t eh = 52, ph = 32, off_text = eh + 2 * ph, off_data = off_text + 4 * words;
    *out_len = off_data + data_len;
    uint8_t *e = calloc(1, *out_len);
    if (!e) abort();
    memcpy(e, "\x7f" "ELF", 4);
    e[4] = 1, e[5] = 1, e[6] = 1;                       // ELF32, little-endian, version 1
    put16(e + 16, 2), put16(e + 18, 243), put32(e + 20, 1);  // ET_EXEC, EM_RISCV
    put32(e + 24, FUZZ_TEXT), put32(e + 28, (uint32_t)eh);  // entry, program headers
    put16(e + 40, (uint16_t)eh), put16(e + 42, (uint16_t)ph), put16(e + 44, 2);
    uint8_t *p = e + eh;
    put32(p, 1), put32(p + 4, (uint32_t)off_text), put32(p + 8, FUZZ_TEXT), put32(p + 12, FUZZ_TEXT);
    put32(p + 16, (uint32_t)(4 * words)), put32(p + 20, (uint32_t)(4 * words)), put32(p + 24, 5), put32(p + 28, 4);
    p += ph;
    put32(p, 1), put32(p + 4, (uint32_t)off_data), put32(p + 8, FUZZ_DATA), put32(p + 12, FUZZ_DATA);
    put32(p + 16, (uint32_t)data_len), put32(p + 20, 1 << 16), put32(p + 24, 6), put32(p + 28, 4);
    memcpy(e + off_text, text, 4 * words);
    if (data_len) memcpy(e + off_data, data, data_len);
    return e;
}

/// Runs `p` on the interpreter and on the JIT (where the host has it) with the same inputs and
/// aborts — a finding — if the outcomes differ in status, cycles, pc, address, word, exit code,
/// work, message (except a memory-limit stop's measured size) or public values.
static void fuzz_run_both_tiers(const zkvm_program *p, zkvm_arena *arena, const zkvm_bytes *items, size_t count,
                                uint64_t max_cycles) {
    zkvm_result r[2];
    for (int tier = 0; tier < 2; tier++) {
        zkvm_exec_options o = {.max_cycles = max_cycles, .max_memory_bytes = 64u << 20,
                               .engine = tier == 0 ? ZKVM_ENGINE_INTERPRETER : ZKVM_ENGINE_JIT};
        zkvm_execute(p, arena, items, count, &o, &r[tier]);
    }
    // A memory-limit stop reports what the host measured (page faults of guest and host buffers
    // alike, which depend on the allocator's state); its message is not a guest outcome.
    bool host_measured = r[0].status == ZKVM_ERR_MEMORY_LIMIT && r[1].status == ZKVM_ERR_MEMORY_LIMIT;
    if (r[0].status != r[1].status || r[0].cycles != r[1].cycles || r[0].pc != r[1].pc || r[0].addr != r[1].addr ||
        r[0].word != r[1].word || r[0].exit_code != r[1].exit_code || r[0].work != r[1].work ||
        (!host_measured && strcmp(r[0].message, r[1].message) != 0) ||
        r[0].public_values_len != r[1].public_values_len ||
        (r[0].public_values_len && memcmp(r[0].public_values, r[1].public_values, r[0].public_values_len) != 0)) {
        fprintf(stderr, "tiers differ: status %d/%d cycles %llu/%llu pc %llx/%llx\n  %s\n  %s\n", r[0].status, r[1].status,
                (unsigned long long)r[0].cycles, (unsigned long long)r[1].cycles, (unsigned long long)r[0].pc,
                (unsigned long long)r[1].pc, r[0].message, r[1].message);
        abort();
    }
    zkvm_result_free(&r[0]);
    zkvm_result_free(&r[1]);
}

#endif
