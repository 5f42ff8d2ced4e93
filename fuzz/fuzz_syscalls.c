// libFuzzer target: one syscall with hostile arguments. The input picks the code (an index into
// the known SP1 codes, or a raw value), a0-a3 (each either raw or a pointer into, or just around,
// the 64 KiB data segment) and the data segment's first bytes; the program sets the registers,
// makes the ECALL and halts. Run under SP1 and RISC Zero rules on both tiers (any difference
// aborts). Handlers must fail cleanly on any pointer, length and contents.
#include "fuzz_common.h"

static zkvm_arena *arena;

/// li rd, v (LUI + ADDI).
static size_t li(uint32_t *w, unsigned rd, uint32_t v) {
    uint32_t hi = (v + 0x800) & 0xFFFFF000u, lo = v - hi;
    w[0] = hi | rd << 7 | 0x37;
    w[1] = (lo & 0xFFF) << 20 | rd << 15 | rd << 7 | 0x13;
    return 2;
}

static uint32_t rd32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (!arena) arena = zkvm_arena_create();
    if (!arena || size < 21) return 0;
    // Codes of SP1's table (zkvm_syscall_name knows them): the input's first word picks one by
    // index when its top bit is clear, else it is the code itself.
    static uint32_t codes[512];
    static size_t code_count;
    if (!code_count) {
        for (uint32_t hi = 0; hi < 4; hi++)
            for (uint32_t lo = 0; lo < 0x200 && code_count < 512; lo++)
                if (zkvm_syscall_name(hi << 16 | lo)) codes[code_count++] = hi << 16 | lo;
        for (uint32_t lo = 0; lo < 0x200 && code_count < 512; lo++)  // v6-style codes with other high bits
            if (zkvm_syscall_name(0x00010000u | 0x1000u | lo)) codes[code_count++] = 0x00010000u | 0x1000u | lo;
    }
    uint32_t pick = rd32(data);
    uint32_t code = (pick & 0x80000000u) || !code_count ? pick & 0x7FFFFFFFu : codes[pick % code_count];
    uint32_t text[32];
    size_t n = 0;
    n += li(text + n, 5, code);  // t0
    for (unsigned k = 0; k < 4; k++) {
        uint32_t v = rd32(data + 4 + 4 * k);
        // Low two bits 00: a pointer at FUZZ_DATA + (v >> 2) mod 64 KiB + a little, around the edges.
        if ((v & 3) == 0) v = FUZZ_DATA + ((v >> 2) % ((1u << 16) + 64)) - 32;
        n += li(text + n, 10 + k, v);  // a0-a3
    }
    text[n++] = 0x00000073;  // ecall
    n += li(text + n, 5, 0);
    n += li(text + n, 10, 0);
    text[n++] = 0x00000073;  // HALT(0)
    size_t len;
    uint8_t *elf = fuzz_elf(text, n, data + 20, size - 20 > 4096 ? 4096 : size - 20, &len);
    zkvm_bytes stdin_items[2] = {{data + 20, size - 20}, {data, 20}};
    for (int vm = 0; vm < 2; vm++) {
        zkvm_load_options opt = {.vm = (zkvm_vm)vm};
        zkvm_program *p = NULL;
        zkvm_load_error err;
        if (zkvm_program_load(elf, len, &opt, &p, &err) == ZKVM_LOAD_OK) {
            fuzz_run_both_tiers(p, arena, stdin_items, 2, 100000);
            zkvm_program_free(p);
        }
    }
    free(elf);
    return 0;
}
