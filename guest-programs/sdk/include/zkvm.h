/*
 * zkvm.h — C guest SDK for zkVM guests, built from the same sources in three flavours:
 *   RV32IM: SP1 v3-v5 guests (SP1 v4 I/O numbering),
 *   RV64IM: SP1 v6 guests (riscv64im, 8-byte words, SP1_V6_ABI.md; selected by __riscv_xlen), and
 *   RV32IM with -DZKVM_RISC0: RISC Zero 1.x guests (the "RISC Zero flavour": same API, RISC Zero's
 *   ecalls; see the end of this comment and guest-programs/README.md).
 *
 * A guest is an ordinary freestanding C program with `int main(void)`. The SDK supplies
 * `_start` (sets gp and sp, calls main, then halts with main's return value), the linker
 * script (RV32: text at 0x00200800, stack below 0x00200400, heap from `_end` up to
 * 0x78000000; RV64: text at 0x78000000, stack below it, heap from `_end` up to
 * 0x1C00000000, where SP1 v6 puts its input region), a bump allocator,
 * memcpy/memset/memmove/memcmp/strlen, the 64-bit division helpers the compiler calls on RV32,
 * and the public-values digest SP1 guests commit at halt (the SP1 flavours):
 *
 *   every byte written to the public-values fd is fed to an incremental SHA-256; at halt the
 *   guest issues COMMIT(i, LE word i of the digest) for i = 0..7, COMMIT_DEFERRED_PROOFS(i, 0)
 *   for i = 0..7, then HALT(exit code) — exactly the sequence sp1-zkvm's `syscall_halt` emits.
 *
 * Syscall convention: t0 = code, a0/a1/a2 = arguments, `ecall`; results come back in t0.
 *
 * Input: the host pushes a FIFO of byte items (for coprocessor jobs: onchain_input,
 * offchain_input, state — always all three, possibly empty). Each item is read whole by
 * `zkvm_read_vec`.
 *
 * RISC Zero flavour (-DZKVM_RISC0): guest memory is [0x400, 0x0C000000) (heap up to
 * 0x0C000000); output goes to the journal (fd 3) through the SOFTWARE ecall's SYS_WRITE; input
 * is stdin read with SYS_READ, where an item is `LE32(len) || bytes` (what risc0's
 * `env::read::<u32>()` + `read_slice` consume, and what the seed's node wrote for a job); SHA-256
 * uses the SHA ecall; Keccak-f runs in software (RISC Zero 1.0 has no Keccak accelerator); at
 * halt the guest passes the output digest tagged_struct("risc0.Output", [SHA-256(journal), 0])
 * with HALT(TERMINATE, exit code & 0xff); a panic is SYS_PANIC ("Guest panicked: <msg>").
 */
#ifndef ZKVM_H
#define ZKVM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(ZKVM_RISC0) && __riscv_xlen != 32
#error "the RISC Zero flavour (ZKVM_RISC0) is RV32IM only"
#endif

#ifndef ZKVM_RISC0
/* ---- syscall codes (SP1 v4.1.2 crates/zkvm/entrypoint/src/syscalls/mod.rs) ---- */
#define ZKVM_SYS_HALT                   0x00000000u
#define ZKVM_SYS_WRITE                  0x00000002u
#define ZKVM_SYS_COMMIT                 0x00000010u
#define ZKVM_SYS_COMMIT_DEFERRED_PROOFS 0x0000001Au
#define ZKVM_SYS_HINT_LEN               0x000000F0u
#define ZKVM_SYS_HINT_READ              0x000000F1u
#define ZKVM_SYS_SHA_EXTEND             0x00300105u
#define ZKVM_SYS_SHA_COMPRESS           0x00010106u
#define ZKVM_SYS_KECCAK_PERMUTE         0x00010109u

/* ---- file descriptors for WRITE (SP1 >= v4.0) ---- */
#define ZKVM_FD_STDOUT        1u
#define ZKVM_FD_STDERR        2u
#define ZKVM_FD_PUBLIC_VALUES 13u
#define ZKVM_FD_HINT          14u

/* ---- memory layout (must agree with the linker script and start.S) ---- */
#if __riscv_xlen == 64
#define ZKVM_STACK_TOP  0x78000000u
#define ZKVM_TEXT_START 0x78000000u
#define ZKVM_MAX_MEMORY 0x1C00000000ull  /* heap end: SP1 v6's input region starts here */
#define ZKVM_MAX_MEMORY_STR "0x1c00000000"
#else
#define ZKVM_STACK_TOP  0x00200400u
#define ZKVM_TEXT_START 0x00200800u
#define ZKVM_MAX_MEMORY 0x78000000u
#define ZKVM_MAX_MEMORY_STR "0x78000000"
#endif
#else
/* ---- RISC Zero 1.x ecalls (t0) and halt types (risc0-zkvm-platform 1.0.5 syscall.rs) ---- */
#define ZKVM_R0_ECALL_HALT     0u
#define ZKVM_R0_ECALL_INPUT    1u
#define ZKVM_R0_ECALL_SOFTWARE 2u
#define ZKVM_R0_ECALL_SHA      3u
#define ZKVM_R0_ECALL_BIGINT   4u
#define ZKVM_R0_HALT_TERMINATE 0u
#define ZKVM_R0_HALT_PAUSE     1u
/* The full name of a named syscall, e.g. ZKVM_R0_NR("SYS_READ"). */
#define ZKVM_R0_NR(name) ("risc0_zkvm_platform::syscall::nr::" name)

/* ---- file descriptors (RISC Zero: the journal is fd 3, stdin fd 0) ---- */
#define ZKVM_FD_STDIN         0u
#define ZKVM_FD_STDOUT        1u
#define ZKVM_FD_STDERR        2u
#define ZKVM_FD_PUBLIC_VALUES 3u /* the journal */

/* ---- memory layout (RISC Zero 1.x: STACK_TOP, TEXT_START, GUEST_MAX_MEM) ---- */
#define ZKVM_STACK_TOP  0x00200400u
#define ZKVM_TEXT_START 0x00200800u
#define ZKVM_MAX_MEMORY 0x0C000000u
#define ZKVM_MAX_MEMORY_STR "0x0C000000"
#endif

/* A register: u32 on RV32 (SP1 v3-v5, RISC Zero), u64 on RV64 (syscall arguments and results,
 * SHA-256 word slots). */
typedef uintptr_t zkvm_word_t;

/* HINT_LEN's answer when the input stream is empty (u32::MAX on SP1 v4 and for the RISC Zero
 * flavour, u64::MAX on SP1 v6). */
#define ZKVM_HINT_EMPTY ((zkvm_word_t)-1)

#define ZKVM_NORETURN __attribute__((noreturn))

#ifndef ZKVM_RISC0
/* ---- raw syscalls ---- */
static inline zkvm_word_t zkvm_syscall2(zkvm_word_t code, zkvm_word_t a0, zkvm_word_t a1) {
    register zkvm_word_t t0 __asm__("t0") = code;
    register zkvm_word_t r0 __asm__("a0") = a0;
    register zkvm_word_t r1 __asm__("a1") = a1;
    /* "memory": precompiles read and write guest memory behind the compiler's back. */
    __asm__ volatile("ecall" : "+r"(t0) : "r"(r0), "r"(r1) : "memory");
    return t0;
}

static inline zkvm_word_t zkvm_syscall3(zkvm_word_t code, zkvm_word_t a0, zkvm_word_t a1, zkvm_word_t a2) {
    register zkvm_word_t t0 __asm__("t0") = code;
    register zkvm_word_t r0 __asm__("a0") = a0;
    register zkvm_word_t r1 __asm__("a1") = a1;
    register zkvm_word_t r2 __asm__("a2") = a2;
    __asm__ volatile("ecall" : "+r"(t0) : "r"(r0), "r"(r1), "r"(r2) : "memory");
    return t0;
}
#else
/* ---- raw RISC Zero ecalls ---- */
/* The two registers a SOFTWARE syscall returns. */
typedef struct zkvm_r0_return {
    uint32_t a0, a1;
} zkvm_r0_return;

/* SOFTWARE ecall: `name` = ZKVM_R0_NR("SYS_..."), `words` host-to-guest words at `buf` (NULL
 * for none), arguments in a3..a5. */
static inline zkvm_r0_return zkvm_r0_software(const char *name, uint32_t *buf, uint32_t words, uint32_t a3,
                                              uint32_t a4, uint32_t a5) {
    register uint32_t t0 __asm__("t0") = ZKVM_R0_ECALL_SOFTWARE;
    register uint32_t r0 __asm__("a0") = (uint32_t)(uintptr_t)buf;
    register uint32_t r1 __asm__("a1") = words;
    register uint32_t r2 __asm__("a2") = (uint32_t)(uintptr_t)name;
    register uint32_t r3 __asm__("a3") = a3;
    register uint32_t r4 __asm__("a4") = a4;
    register uint32_t r5 __asm__("a5") = a5;
    __asm__ volatile("ecall" : "+r"(r0), "+r"(r1) : "r"(t0), "r"(r2), "r"(r3), "r"(r4), "r"(r5) : "memory");
    return (zkvm_r0_return){r0, r1};
}

/* t0 = code, a0..a4, no result (HALT, SHA, BIGINT). */
static inline void zkvm_r0_ecall5(uint32_t code, uint32_t a0, uint32_t a1, uint32_t a2, uint32_t a3, uint32_t a4) {
    register uint32_t t0 __asm__("t0") = code;
    register uint32_t r0 __asm__("a0") = a0;
    register uint32_t r1 __asm__("a1") = a1;
    register uint32_t r2 __asm__("a2") = a2;
    register uint32_t r3 __asm__("a3") = a3;
    register uint32_t r4 __asm__("a4") = a4;
    __asm__ volatile("ecall" : : "r"(t0), "r"(r0), "r"(r1), "r"(r2), "r"(r3), "r"(r4) : "memory");
}

/* The user cycles before this call (SYS_CYCLE_COUNT). */
uint64_t zkvm_r0_cycle_count(void);
/* "R0VM[<cycles>] <msg>" on the host's stdout (SYS_LOG). */
void zkvm_r0_log(const char *msg);
/* Fills `words` words with the host's random bytes (SYS_RANDOM; deterministic per job here). */
void zkvm_r0_random(uint32_t *buf, uint32_t words);
/* z = x * y mod n on 256-bit little-endian words (BIGINT ecall); n = 0: x * y, which must fit. */
void zkvm_r0_bigint_mulmod(uint32_t z[8], const uint32_t x[8], const uint32_t y[8], const uint32_t n[8]);
/* Commits the output digest, then HALT(PAUSE, exit_code & 0xff): Paused(exit_code). */
ZKVM_NORETURN void zkvm_r0_pause(uint32_t exit_code);
#endif

/* ---- exit ---- */
/* Commits the public-values digest, then HALT(exit_code). Non-zero = failure (no output).
 * RISC Zero: HALT(TERMINATE) with the output digest; Halted(exit_code & 0xff) is a success
 * whatever the code (the journal is the output). */
ZKVM_NORETURN void zkvm_halt(uint32_t exit_code);
/* Writes "panicked: <msg>\n" to stderr (fd 2), then zkvm_halt(1). RISC Zero: SYS_PANIC(msg),
 * which fails the run with "Guest panicked: <msg>". */
ZKVM_NORETURN void zkvm_panic(const char *msg);

#define ZKVM_STR_(x) #x
#define ZKVM_STR(x) ZKVM_STR_(x)
/* Panics with "file:line: assertion failed: cond" unless cond holds. */
#define ZKVM_ASSERT(cond)                                                                   \
    do {                                                                                    \
        if (!(cond)) zkvm_panic(__FILE__ ":" ZKVM_STR(__LINE__) ": assertion failed: " #cond); \
    } while (0)

/* ---- output ---- */
/* WRITE(fd, buf, len). fd 1/2 must carry UTF-8 text (SP1 panics otherwise). */
void zkvm_write(uint32_t fd, const void *buf, size_t len);
/* Writes a NUL-terminated string to stdout / stderr. */
void zkvm_print(const char *s);
void zkvm_eprint(const char *s);
/* Appends bytes to the public values (and to the running public-values digest). */
void zkvm_commit_slice(const void *data, size_t len);
/* Same as commit_slice: C has no serde, so "commit" takes raw bytes too. */
static inline void zkvm_commit(const void *data, size_t len) { zkvm_commit_slice(data, len); }
/* Commits a little-endian u32 / u64 (the bytes bincode would produce for `commit(&x)`). */
void zkvm_commit_u32(uint32_t v);
void zkvm_commit_u64(uint64_t v);

/* ---- cycle tracker (SP1's `cycle-tracker-start: NAME` lines on stdout) ----
 * ZKVM_CYCLE_START("name") ... ZKVM_CYCLE_END("name") marks a region; the engine reports its
 * cycles (zkvm run, Execution.cycleRegions): regions started inside another nest under it, and
 * repeated hits of a region add up with a hit count. ZKVM_CYCLE_REPORT_START / _END also count
 * the region in SP1's report totals (Execution.cycleTrackerReport). NAME is a string literal
 * without quotes or backslashes. Each marker is one asm statement of a fixed length (its WRITE
 * with the string's address and length), so a region's count is exactly the cycles of the code
 * between the two markers plus ZKVM_CYCLE_OVERHEAD: the start marker's ECALL and the end
 * marker's instructions before its ECALL — 1 + 5 instructions on SP1, 2 + 9 user cycles on RISC
 * Zero (the SOFTWARE ecall's extra cycle). SP1 v3-v5 consume the lines; SP1 v6 and RISC Zero
 * print them on stdout. */
#ifndef ZKVM_RISC0
#define ZKVM_CYCLE_OVERHEAD 6u
#define ZKVM_CYCLE_MARK_(line)                                                                      \
    __asm__ volatile(".pushsection .rodata.zkvm_cycle_tracker,\"a\"\n"                               \
                     "1: .ascii \"" line "\\n\"\n"                                                 \
                     ".popsection\n"                                                                \
                     "li t0, %0\n"                                                                  \
                     "li a0, 1\n"                                                                   \
                     ".option push\n.option norelax\n"                                              \
                     "lla a1, 1b\n"                                                                 \
                     ".option pop\n"                                                                \
                     "li a2, %1\n"                                                                  \
                     "ecall"                                                                        \
                     :                                                                              \
                     : "i"(ZKVM_SYS_WRITE), "i"(sizeof(line "\n") - 1)                              \
                     : "t0", "a0", "a1", "a2", "memory")
#else
#define ZKVM_CYCLE_OVERHEAD 11u
#define ZKVM_CYCLE_MARK_(line)                                                                      \
    __asm__ volatile(".pushsection .rodata.zkvm_cycle_tracker,\"a\"\n"                               \
                     "1: .ascii \"" line "\\n\"\n"                                                 \
                     "2: .asciz \"risc0_zkvm_platform::syscall::nr::SYS_WRITE\"\n"                   \
                     ".popsection\n"                                                                \
                     "li t0, %0\n"                                                                  \
                     "li a0, 0\n"                                                                   \
                     "li a1, 0\n"                                                                   \
                     ".option push\n.option norelax\n"                                              \
                     "lla a2, 2b\n"                                                                 \
                     "li a3, 1\n"                                                                   \
                     "lla a4, 1b\n"                                                                 \
                     ".option pop\n"                                                                \
                     "li a5, %1\n"                                                                  \
                     "ecall"                                                                        \
                     :                                                                              \
                     : "i"(ZKVM_R0_ECALL_SOFTWARE), "i"(sizeof(line "\n") - 1)                      \
                     : "t0", "a0", "a1", "a2", "a3", "a4", "a5", "memory")
#endif
#define ZKVM_CYCLE_START(name) ZKVM_CYCLE_MARK_("cycle-tracker-start: " name)
#define ZKVM_CYCLE_END(name) ZKVM_CYCLE_MARK_("cycle-tracker-end: " name)
#define ZKVM_CYCLE_REPORT_START(name) ZKVM_CYCLE_MARK_("cycle-tracker-report-start: " name)
#define ZKVM_CYCLE_REPORT_END(name) ZKVM_CYCLE_MARK_("cycle-tracker-report-end: " name)

/* ---- input ---- */
/* Length of the next input item, or ZKVM_HINT_EMPTY if no item is left. RISC Zero: reads the
 * item's LE32 length word from stdin (once) and returns it; empty stdin is ZKVM_HINT_EMPTY. */
zkvm_word_t zkvm_hint_len(void);
/* Reads the next input item whole into fresh heap memory (word-aligned) and returns it; stores
 * its length in *len (len may be NULL). Panics if the input stream is empty. An empty item
 * returns a valid, non-NULL pointer with *len = 0. */
uint8_t *zkvm_read_vec(uint32_t *len);
/* Reads the next item as a little-endian u32 parameter (the first 4 bytes; longer items are
 * allowed, as with borsh). Returns `dflt` if the item is empty or no item is left; panics on
 * 1..3 bytes. */
uint32_t zkvm_read_u32_or(uint32_t dflt);

/* ---- heap (bump allocator over [_end, ZKVM_MAX_MEMORY); memory is never freed) ---- */
/* Returns `size` bytes aligned to `align` (a power of two). Fresh memory reads as zero.
 * Panics "Memory limit exceeded (<ZKVM_MAX_MEMORY>)" when the heap is exhausted. */
void *zkvm_alloc(size_t size, size_t align);
void *malloc(size_t size);            /* 16-aligned zkvm_alloc */
void *calloc(size_t n, size_t size);  /* zero memory (bump memory is always fresh) */
void free(void *p);                   /* no-op */

/* ---- libc subset the compiler may call ---- */
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);

/* ---- SHA-256 on the SHA_EXTEND / SHA_COMPRESS precompiles (RISC Zero: the SHA ecall) ---- */
/* The precompiles keep one SHA-256 word per guest word: a u32 on RV32, the low half of a u64 on
 * RV64 (SP1 v6's layout). */
typedef struct zkvm_sha256_ctx {
    zkvm_word_t w[64];  /* message schedule (precompile operand; unused by RISC Zero) */
    zkvm_word_t h[8];   /* chaining state (precompile operand; RISC Zero: in digest byte order) */
    uint8_t buf[64];    /* partial block */
    uint32_t buf_len;
    uint64_t total_len; /* bytes absorbed */
} zkvm_sha256_ctx;

void zkvm_sha256_init(zkvm_sha256_ctx *ctx);
void zkvm_sha256_update(zkvm_sha256_ctx *ctx, const void *data, size_t len);
void zkvm_sha256_final(zkvm_sha256_ctx *ctx, uint8_t out[32]);
void zkvm_sha256(const void *data, size_t len, uint8_t out[32]);

/* ---- Keccak-256 (Ethereum's, pad 0x01) on the KECCAK_PERMUTE precompile ---- */
typedef struct zkvm_keccak256_ctx {
    uint64_t state[25]; /* 25 lanes, little-endian, 8-aligned: the precompile's 200 bytes */
    uint32_t pos;       /* bytes absorbed into the current 136-byte block */
} zkvm_keccak256_ctx;

#ifndef ZKVM_RISC0
/* Keccak-f[1600] in place via the precompile. */
static inline void zkvm_keccak_permute(uint64_t state[25]) {
    zkvm_syscall2(ZKVM_SYS_KECCAK_PERMUTE, (uintptr_t)state, 0);
}
#else
/* Keccak-f[1600] in place, in software (sdk/src/keccak_f.c). */
void zkvm_keccak_permute(uint64_t state[25]);
#endif
void zkvm_keccak256_init(zkvm_keccak256_ctx *ctx);
void zkvm_keccak256_update(zkvm_keccak256_ctx *ctx, const void *data, size_t len);
void zkvm_keccak256_final(zkvm_keccak256_ctx *ctx, uint8_t out[32]);
void zkvm_keccak256(const void *data, size_t len, uint8_t out[32]);

/* ---- byte-order helpers ---- */
static inline uint32_t zkvm_load_le32(const uint8_t *p) {
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}
static inline uint32_t zkvm_load_be32(const uint8_t *p) {
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | (uint32_t)p[3];
}
static inline uint64_t zkvm_load_be64(const uint8_t *p) {
    return ((uint64_t)zkvm_load_be32(p) << 32) | zkvm_load_be32(p + 4);
}
static inline void zkvm_store_le32(uint8_t *p, uint32_t v) {
    p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); p[2] = (uint8_t)(v >> 16); p[3] = (uint8_t)(v >> 24);
}
static inline void zkvm_store_be32(uint8_t *p, uint32_t v) {
    p[0] = (uint8_t)(v >> 24); p[1] = (uint8_t)(v >> 16); p[2] = (uint8_t)(v >> 8); p[3] = (uint8_t)v;
}
static inline void zkvm_store_be64(uint8_t *p, uint64_t v) {
    zkvm_store_be32(p, (uint32_t)(v >> 32));
    zkvm_store_be32(p + 4, (uint32_t)v);
}

#ifdef __cplusplus
}
#endif
#endif /* ZKVM_H */
