/* Startup, halt/panic, I/O and the public-values digest (RISC Zero flavour: the journal's output
 * digest; its input functions are in risc0.c). */
#include "zkvm.h"

int main(void);

/* Running SHA-256 of every byte written to the public-values fd (what SP1 commits at halt, and
 * what RISC Zero's output digest is built on). */
static zkvm_sha256_ctx pv_hasher;

ZKVM_NORETURN void __zkvm_start(void);
ZKVM_NORETURN void __zkvm_start(void) {
    zkvm_sha256_init(&pv_hasher);
    zkvm_halt((uint32_t)main());
}

#ifndef ZKVM_RISC0
ZKVM_NORETURN void zkvm_halt(uint32_t exit_code) {
    uint8_t digest[32];
    zkvm_sha256_final(&pv_hasher, digest);
    /* Same order as sp1-zkvm syscall_halt: digest words (LE), deferred-proof words, HALT. */
    for (uint32_t i = 0; i < 8; i++)
        zkvm_syscall2(ZKVM_SYS_COMMIT, i, zkvm_load_le32(digest + 4 * i));
    for (uint32_t i = 0; i < 8; i++)
        zkvm_syscall2(ZKVM_SYS_COMMIT_DEFERRED_PROOFS, i, 0);
    zkvm_syscall2(ZKVM_SYS_HALT, exit_code, 0);
    __builtin_unreachable();
}

void zkvm_write(uint32_t fd, const void *buf, size_t len) {
    /* Hash before the WRITE: the CPU loads also pull any fresh HINT_READ words into memory,
     * which SP1's WRITE handler reads around (SP1_ABI.md §4.4). */
    if (fd == ZKVM_FD_PUBLIC_VALUES) zkvm_sha256_update(&pv_hasher, buf, len);
    zkvm_syscall3(ZKVM_SYS_WRITE, fd, (uintptr_t)buf, len);
}
#else
/* SHA-256("risc0.Output"), the tag of the output digest. */
static const uint8_t output_tag[32] = {
    0x77, 0xea, 0xfe, 0xb3, 0x66, 0xa7, 0x8b, 0x47, 0x74, 0x7d, 0xe0, 0xd7, 0xbb, 0x17, 0x62, 0x84,
    0x08, 0x5f, 0xf5, 0x56, 0x48, 0x87, 0x00, 0x9a, 0x5b, 0xe6, 0x3d, 0xa3, 0x2d, 0x35, 0x59, 0xd4,
};

/* HALT(halt_type, exit_code & 0xff) with risc0-zkvm's output digest: tagged_struct("risc0.Output",
 * [SHA-256(journal), assumptions = 0]) = SHA-256(tag || journal digest || 0^32 || u16 LE 2). */
static ZKVM_NORETURN void r0_halt(uint32_t halt_type, uint32_t exit_code) {
    uint8_t parts[32 + 32 + 32 + 2] = {0};
    memcpy(parts, output_tag, 32);
    zkvm_sha256_final(&pv_hasher, parts + 32);
    parts[96] = 2;
    static uint32_t output_digest[8];
    zkvm_sha256(parts, sizeof parts, (uint8_t *)output_digest);
    zkvm_r0_ecall5(ZKVM_R0_ECALL_HALT, halt_type | (exit_code & 0xFFu) << 8, (uint32_t)(uintptr_t)output_digest, 0,
                   0, 0);
    __builtin_unreachable();
}

ZKVM_NORETURN void zkvm_halt(uint32_t exit_code) { r0_halt(ZKVM_R0_HALT_TERMINATE, exit_code); }
ZKVM_NORETURN void zkvm_r0_pause(uint32_t exit_code) { r0_halt(ZKVM_R0_HALT_PAUSE, exit_code); }

void zkvm_write(uint32_t fd, const void *buf, size_t len) {
    if (fd == ZKVM_FD_PUBLIC_VALUES) zkvm_sha256_update(&pv_hasher, buf, len);
    /* SYS_WRITE in chunks of at most 4 KiB, as risc0-zkvm-platform's sys_write. */
    const uint8_t *p = buf;
    for (size_t n; len; p += n, len -= n) {
        n = len < 4096 ? len : 4096;
        zkvm_r0_software(ZKVM_R0_NR("SYS_WRITE"), 0, 0, fd, (uint32_t)(uintptr_t)p, (uint32_t)n);
    }
}
#endif

void zkvm_print(const char *s) { zkvm_write(ZKVM_FD_STDOUT, s, strlen(s)); }
void zkvm_eprint(const char *s) { zkvm_write(ZKVM_FD_STDERR, s, strlen(s)); }

#ifndef ZKVM_RISC0
ZKVM_NORETURN void zkvm_panic(const char *msg) {
    zkvm_eprint("panicked: ");
    zkvm_eprint(msg);
    zkvm_eprint("\n");
    zkvm_halt(1);
}
#else
ZKVM_NORETURN void zkvm_panic(const char *msg) {
    zkvm_r0_software(ZKVM_R0_NR("SYS_PANIC"), 0, 0, (uint32_t)(uintptr_t)msg, (uint32_t)strlen(msg), 0);
    /* A host that returns anyway: trap, as risc0-zkvm-platform's sys_panic does. */
    __asm__ volatile("sw x0, 1(x0)");
    __builtin_unreachable();
}
#endif

void zkvm_commit_slice(const void *data, size_t len) { zkvm_write(ZKVM_FD_PUBLIC_VALUES, data, len); }

void zkvm_commit_u32(uint32_t v) {
    uint8_t b[4];
    zkvm_store_le32(b, v);
    zkvm_commit_slice(b, 4);
}

void zkvm_commit_u64(uint64_t v) {
    uint8_t b[8];
    zkvm_store_le32(b, (uint32_t)v);
    zkvm_store_le32(b + 4, (uint32_t)(v >> 32));
    zkvm_commit_slice(b, 8);
}

#ifndef ZKVM_RISC0
zkvm_word_t zkvm_hint_len(void) { return zkvm_syscall2(ZKVM_SYS_HINT_LEN, 0, 0); }

uint8_t *zkvm_read_vec(uint32_t *len_out) {
    zkvm_word_t hint = zkvm_hint_len();
    if (hint == ZKVM_HINT_EMPTY) zkvm_panic("Tried to read from the input stream, but it was empty");
    if (hint > ZKVM_MAX_MEMORY || hint > 0xFFFFFFFFu) zkvm_panic("input item larger than memory");
    uint32_t len = (uint32_t)hint;
#if __riscv_xlen == 64
    /* SP1 v6's HINT_READ writes len / 8 + 1 whole u64 words to an 8-aligned destination. */
    uint8_t *p = zkvm_alloc((size_t)(len / 8 + 1) * 8, 8);
    zkvm_syscall2(ZKVM_SYS_HINT_READ, (uintptr_t)p, len);
#else
    uint32_t cap = (len + 3u) & ~3u;
    /* Fresh bump memory: HINT_READ needs a 4-aligned, never-touched destination. */
    uint8_t *p = zkvm_alloc(cap, 4);
    zkvm_syscall2(ZKVM_SYS_HINT_READ, (uintptr_t)p, len);
    /* SP1 v4 keeps HINT_READ data in an overlay that only a CPU load moves into memory; a byte
     * store or a WRITE that reaches a word first would see zeros (SP1_ABI.md §4.4). One load
     * per word makes the buffer behave like ordinary memory for any C code. */
    for (uint32_t i = 0; i < cap; i += 4) (void)*(volatile const uint32_t *)(p + i);
#endif
    if (len_out) *len_out = len;
    return p;
}
#endif

uint32_t zkvm_read_u32_or(uint32_t dflt) {
    if (zkvm_hint_len() == ZKVM_HINT_EMPTY) return dflt;
    uint32_t len;
    uint8_t *p = zkvm_read_vec(&len);
    if (len == 0) return dflt;
    if (len < 4) zkvm_panic("parameter item must hold a little-endian u32 (4 bytes)");
    return zkvm_load_le32(p);
}
