/* RISC Zero flavour: reading the input stream and the RISC Zero-only calls (zkvm.h). stdin is one
 * byte stream read with SYS_READ; an item is LE32(len) || bytes, as risc0's env::read::<u32>() and
 * read_slice consume it and as the seed's node framed a job's inputs. */
#include "zkvm.h"

#ifdef ZKVM_RISC0
/* Reads up to `n` bytes of stdin into 4-aligned `dst`, in chunks of at most 4 KiB (risc0's
 * MAX_BUF_BYTES); returns how many it got (fewer only at the end of the stream). Each SYS_READ
 * fills whole words at dst and returns a partial last word in a1. */
static uint32_t read_stdin(uint8_t *dst, uint32_t n) {
    uint32_t got = 0;
    while (got < n) {
        uint32_t chunk = n - got < 4096 ? n - got : 4096, words = chunk / 4;
        zkvm_r0_return r = zkvm_r0_software(ZKVM_R0_NR("SYS_READ"), (uint32_t *)(dst + got), words, ZKVM_FD_STDIN,
                                            chunk, 0);
        if (r.a0 > 4 * words) { /* the main words were all read; the rest came back in a1 */
            uint32_t tail = r.a1;
            for (uint32_t i = 4 * words; i < r.a0; i++, tail >>= 8) dst[got + i] = (uint8_t)tail;
        }
        got += r.a0;
        if (r.a0 < chunk) break;
    }
    return got;
}

/* The next item's length, once read from the stream and not yet consumed by zkvm_read_vec. */
static uint32_t pending_len;
static int have_pending;

uint32_t zkvm_hint_len(void) {
    if (!have_pending) {
        uint32_t word;
        uint32_t n = read_stdin((uint8_t *)&word, 4);
        if (n == 0) return ZKVM_HINT_EMPTY;
        if (n < 4) zkvm_panic("the input stream ends inside an item's length word");
        pending_len = word;
        have_pending = 1;
    }
    return pending_len;
}

uint8_t *zkvm_read_vec(uint32_t *len_out) {
    uint32_t len = zkvm_hint_len();
    if (len == ZKVM_HINT_EMPTY) zkvm_panic("Tried to read from the input stream, but it was empty");
    if (len > ZKVM_MAX_MEMORY) zkvm_panic("input item larger than memory");
    have_pending = 0;
    uint8_t *p = zkvm_alloc((len + 3u) & ~3u, 4);
    if (read_stdin(p, len) != len) zkvm_panic("the input stream ends inside an item");
    if (len_out) *len_out = len;
    return p;
}

uint64_t zkvm_r0_cycle_count(void) {
    zkvm_r0_return r = zkvm_r0_software(ZKVM_R0_NR("SYS_CYCLE_COUNT"), 0, 0, 0, 0, 0);
    return (uint64_t)r.a0 << 32 | r.a1;
}

void zkvm_r0_log(const char *msg) {
    zkvm_r0_software(ZKVM_R0_NR("SYS_LOG"), 0, 0, (uint32_t)(uintptr_t)msg, (uint32_t)strlen(msg), 0);
}

void zkvm_r0_random(uint32_t *buf, uint32_t words) { zkvm_r0_software(ZKVM_R0_NR("SYS_RANDOM"), buf, words, 0, 0, 0); }

void zkvm_r0_bigint_mulmod(uint32_t z[8], const uint32_t x[8], const uint32_t y[8], const uint32_t n[8]) {
    zkvm_r0_ecall5(ZKVM_R0_ECALL_BIGINT, (uint32_t)(uintptr_t)z, 0, (uint32_t)(uintptr_t)x, (uint32_t)(uintptr_t)y,
                   (uint32_t)(uintptr_t)n);
}
#endif
