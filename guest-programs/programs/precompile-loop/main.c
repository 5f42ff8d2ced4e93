/*
 * precompile-loop — n calls of one expensive syscall, each costing one cycle (SP1) whatever its
 * host work: the poison job of the work meter's tests (README "Work metering"). With a small n it
 * halts with the final state; with a large one the engine stops it with its work limit.
 * Input:  stdin item 1 = mode (u32 LE; empty or absent: 0, which panics), item 2 = n (u32 LE;
 *         empty or absent: 1).
 * Modes:  1  SECP256K1_DECOMPRESS of the secp256k1 generator's x, even y (SP1 v3-v5 only: v6
 *            deprecated it, so the RV64 build panics)
 *         2  BLS12381_FP2_MUL: x = x * y with x = 3 + 5u, y = 7 + 11u to start (SP1)
 *         3  the ecrecover hook (WRITE to fd 15: curve 1, r = the generator's x, alpha = its y^2)
 *            and the three items it pushes read back (HINT_LEN / HINT_READ) (SP1 v4-v6)
 *         4  KECCAK_PERMUTE of a state starting at zero (SP1; about 500 units of work a call, the
 *            cheap end of the precompiles)
 *         5  SYS_RANDOM of 1024 words (RISC Zero flavour only: it costs 256 user cycles and a
 *            SHA-256 per 32 bytes)
 *         Any other mode, or a mode the flavour has not, panics.
 * Output: mode (u32 LE) || n (u32 LE) || the final state: mode 1 y (32 bytes LE), 2 x (c0 || c1,
 *         48 bytes LE each), 3 the hook's last three items (1 + 32 + 32 bytes), 4 the first 32
 *         bytes of the state, 5 the last 32 random bytes; with n = 0 the starting state (zeros,
 *         or 3 + 5u for mode 2).
 */
#include "zkvm.h"

#define ALIGNED __attribute__((aligned(8)))

#ifndef ZKVM_RISC0
#define SYS_SECP256K1_DECOMPRESS 0x0000010Cu
#define SYS_BLS12381_FP2_MUL 0x00010125u
#define FD_ECRECOVER_HOOK 15u

/* The secp256k1 generator's x, little-endian (mode 1, RV32 only), and the hook's input: curve 1
 * (even y), r = x and alpha = y^2 mod p, big-endian. */
#if __riscv_xlen == 32
static uint8_t buf[64] ALIGNED;
static const uint8_t GX_LE[32] = {0x98, 0x17, 0xf8, 0x16, 0x5b, 0x81, 0xf2, 0x59, 0xd9, 0x28, 0xce,
                                  0x2d, 0xdb, 0xfc, 0x9b, 0x02, 0x07, 0x0b, 0x87, 0xce, 0x95, 0x62,
                                  0xa0, 0x55, 0xac, 0xbb, 0xdc, 0xf9, 0x7e, 0x66, 0xbe, 0x79};
#endif
static const uint8_t HOOK_INPUT[65] = {
    0x01, 0x79, 0xbe, 0x66, 0x7e, 0xf9, 0xdc, 0xbb, 0xac, 0x55, 0xa0, 0x62, 0x95, 0xce, 0x87, 0x0b, 0x07,
    0x02, 0x9b, 0xfc, 0xdb, 0x2d, 0xce, 0x28, 0xd9, 0x59, 0xf2, 0x81, 0x5b, 0x16, 0xf8, 0x17, 0x98, 0x48,
    0x66, 0xd6, 0xa5, 0xab, 0x41, 0xab, 0x2c, 0x6b, 0xcc, 0x57, 0xcc, 0xd3, 0x73, 0x5d, 0xa5, 0xf1, 0x6f,
    0x80, 0xa5, 0x48, 0xe5, 0xe2, 0x0a, 0x44, 0xe4, 0xe9, 0xb8, 0x11, 0x8c, 0x26, 0xf2};

static uint8_t x2[96] ALIGNED, y2[96] ALIGNED, out[96];
static uint64_t keccak[25];

/* Reads the next hint item, which must be `len` bytes, into fresh heap (HINT_LEN, HINT_READ: SP1
 * v4 ignores a HINT_READ into memory the guest touched before, as the SDK's zkvm_read_vec knows). */
static inline uint8_t *read_item(zkvm_word_t len) {
    if (zkvm_syscall2(ZKVM_SYS_HINT_LEN, 0, 0) != len) zkvm_panic("precompile-loop: unexpected hook result length");
    uint8_t *dst = zkvm_alloc(len / 8 * 8 + 8, 8);
    zkvm_syscall2(ZKVM_SYS_HINT_READ, (uintptr_t)dst, len);
    return dst;
}

/* Copies with ordinary loads (HINT_READ data reaches WRITE through the CPU, as SP1 v4 needs). */
static void copy(uint8_t *dst, const uint8_t *src, size_t len) {
    for (size_t i = 0; i < len; i++) dst[i] = src[i];
}
#else
static uint32_t random_words[1024];
static uint8_t out[32];
#endif

int main(void) {
    uint32_t mode = zkvm_read_u32_or(0), n = zkvm_read_u32_or(1);
    size_t out_len = 0;
#ifndef ZKVM_RISC0
    if (mode == 1) {
#if __riscv_xlen == 64
        zkvm_panic("precompile-loop: mode 1 (SECP256K1_DECOMPRESS) is deprecated in SP1 v6");
#else
        memcpy(buf + 32, GX_LE, 32);  // x; each call writes y below it
        for (uint32_t i = 0; i < n; i++) zkvm_syscall2(SYS_SECP256K1_DECOMPRESS, (uintptr_t)buf, 0);
        memcpy(out, buf, 32);
        out_len = 32;
#endif
    } else if (mode == 2) {
        x2[0] = 3, x2[48] = 5, y2[0] = 7, y2[48] = 11;
        for (uint32_t i = 0; i < n; i++) zkvm_syscall2(SYS_BLS12381_FP2_MUL, (uintptr_t)x2, (uintptr_t)y2);
        memcpy(out, x2, 96);
        out_len = 96;
    } else if (mode == 3) {
        const uint8_t *status = out, *y = out, *r_inv = out;  // zeros for n = 0
        for (uint32_t i = 0; i < n; i++) {
            zkvm_syscall3(ZKVM_SYS_WRITE, FD_ECRECOVER_HOOK, (uintptr_t)HOOK_INPUT, sizeof HOOK_INPUT);
            status = read_item(1);
            y = read_item(32);
            r_inv = read_item(32);
        }
        copy(out + 33, r_inv, 32), copy(out + 1, y, 32), copy(out, status, 1);
        out_len = 65;
    } else if (mode == 4) {
        for (uint32_t i = 0; i < n; i++) zkvm_keccak_permute(keccak);
        memcpy(out, keccak, 32);
        out_len = 32;
    } else {
        zkvm_panic("precompile-loop: no such mode in the SP1 flavour (1-4)");
    }
#else
    if (mode != 5) zkvm_panic("precompile-loop: no such mode in the RISC Zero flavour (5)");
    for (uint32_t i = 0; i < n; i++) zkvm_r0_random(random_words, 1024);
    if (n) memcpy(out, (const uint8_t *)random_words + 4096 - 32, 32);
    out_len = 32;
#endif
    zkvm_commit_u32(mode);
    zkvm_commit_u32(n);
    zkvm_commit_slice(out, out_len);
    return 0;
}
