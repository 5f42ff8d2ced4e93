// RISC Zero 1.x HALT, INPUT, SHA and BIGINT ecalls (R0_V1_ABI.md §2.1), with the argument order,
// pointer checks and results of risc0-circuit-rv32im 1.0.5's executor. Where its host panics
// (BIGINT with modulus 0 overflowing), the run fails with a message instead.

#include "ecalls.h"

#include <gmp.h>
#include <string.h>

#include "risc0.h"

#define GUEST_MIN ZKVM_RISC0_GUEST_MIN_MEM
#define GUEST_MAX ZKVM_RISC0_GUEST_MAX_MEM
#define HALT_TERMINATE 0u
#define HALT_PAUSE 1u
#define SHA_BLOCK_CYCLES 68u  ///< per block, on top of the row's 5 (SHA_LOAD + SHA_MAIN_MIX + SHA_MAIN_FINI)
#define BIGINT_WORDS 8u

bool r0_is_guest(uint64_t addr) { return addr >= GUEST_MIN && addr < GUEST_MAX; }

int r0_check_addr(vm_t *vm, const char *call, const char *what, uint64_t addr) {
    if (r0_is_guest(addr)) return 0;
    vm->err_addr = (uint32_t)addr;
    return vm_fail(vm, ZKVM_ERR_SYSCALL, "%s: %s 0x%08llx is an invalid guest address (guest memory is [0x%08x, 0x%08x))",
                   call, what, (unsigned long long)addr, GUEST_MIN, GUEST_MAX);
}

int r0_check_bytes(vm_t *vm, const char *call, const char *what, uint32_t addr, uint64_t len) {
    if (len == 0 || (r0_is_guest(addr) && r0_is_guest((uint64_t)addr + len - 1))) return 0;
    vm->err_addr = addr;
    return vm_fail(vm, ZKVM_ERR_SYSCALL, "%s: %s [0x%08x, +%llu) is not inside guest memory [0x%08x, 0x%08x)", call,
                   what, addr, (unsigned long long)len, GUEST_MIN, GUEST_MAX);
}

/// A 32-byte array at `addr`: RISC Zero checks its first byte and the byte just past it.
static int check_array(vm_t *vm, const char *call, const char *what, uint32_t addr) {
    if (r0_check_addr(vm, call, what, addr)) return -1;
    if (r0_is_guest((uint64_t)addr + 32)) return 0;
    vm->err_addr = addr;
    return vm_fail(vm, ZKVM_ERR_SYSCALL, "%s: %s 0x%08x: its end 0x%08llx is an invalid guest address", call, what, addr,
                   (unsigned long long)addr + 32);
}

/// The aligned word holding `addr`, once `addr` is checked.
static int load_word(vm_t *vm, const char *call, const char *what, uint64_t addr, uint32_t *out) {
    if (r0_check_addr(vm, call, what, addr)) return -1;
    memcpy(out, vm->mem + (addr & ~3ull), 4);
    return 0;
}

// MARK: - HALT and INPUT

int r0_halt(vm_t *vm, const vm_syscall *sc) {
    const uint32_t a0 = vm_arg(vm, 0), digest = vm_arg(vm, 1);
    if (check_array(vm, sc->name, "output digest", digest)) return -1;
    const uint32_t type = a0 & 0xFF, user_exit = (a0 >> 8) & 0xFF;
    if (type != HALT_TERMINATE && type != HALT_PAUSE)
        return vm_fail(vm, ZKVM_ERR_SYSCALL,
                       "HALT: Illegal halt type: %u (a0 = 0x%08x; 0 = terminate, 1 = pause, and 2 = split is not a "
                       "guest's to use)",
                       type, a0);
    memcpy(vm->r0.output_digest, vm->mem + digest, 32);
    vm->r0.paused = type == HALT_PAUSE;
    vm->exit_code = user_exit;
    return VM_HALT;
}

int r0_input(vm_t *vm, const vm_syscall *sc) {
    const uint32_t index = vm_arg(vm, 0);
    if (index >= 8)
        return vm_fail(vm, ZKVM_ERR_SYSCALL, "%s: sys_input index out of range: %u (the input digest has 8 words)",
                       sc->name, index);
    vm_set_reg(vm, VM_REG_A0, 0);  // a word of the session's input digest, which InfinityVM never sets
    return VM_CONTINUE;
}

// MARK: - SHA

/// Reads the 8 words at `ptr` (each checked, then aligned down) into `dst` as memory bytes.
static int load_half_block(vm_t *vm, const char *call, const char *what, uint64_t ptr, uint8_t dst[32]) {
    for (unsigned i = 0; i < 8; i++) {
        uint32_t w;
        if (load_word(vm, call, what, ptr + 4 * i, &w)) return -1;
        memcpy(dst + 4 * i, &w, 4);
    }
    return 0;
}

int r0_sha(vm_t *vm, const vm_syscall *sc) {
    const uint32_t out = vm_arg(vm, 0), in = vm_arg(vm, 1), count = vm_arg(vm, 4);
    if (r0_check_addr(vm, sc->name, "out-state pointer", out) || r0_check_addr(vm, sc->name, "in-state pointer", in) ||
        check_array(vm, sc->name, "in-state", in))
        return -1;
    // The state in memory is the digest byte order: big-endian words.
    uint32_t state[8];
    for (unsigned i = 0; i < 8; i++) {
        const uint8_t *b = vm->mem + in + 4 * i;
        state[i] = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
    }
    if (count > 0) {
        const uint32_t b1 = vm_arg(vm, 2), b2 = vm_arg(vm, 3);
        if (r0_check_addr(vm, sc->name, "block pointer", b1) || r0_check_addr(vm, sc->name, "block pointer", b2))
            return -1;
        if (vm_charge_bytes(vm, sc, (uint64_t)count * 64) != 0) return -1;
        const uint64_t span = (uint64_t)count * 64;
        if (b2 == b1 + 32 && !(b1 & 3) && (uint64_t)b1 + span <= GUEST_MAX) {
            // The usual call (sys_sha_buffer): `count` consecutive aligned blocks, all in guest memory.
            r0_sha256_compress(state, vm->mem + b1, count);
        } else {
            uint8_t block[64];
            for (uint64_t n = 0; n < count; n++) {
                if (load_half_block(vm, sc->name, "block word", b1 + 64 * n, block) ||
                    load_half_block(vm, sc->name, "block word", b2 + 64 * n, block + 32))
                    return -1;
                r0_sha256_compress(state, block, 1);
            }
        }
    }
    if (check_array(vm, sc->name, "out-state", out)) return -1;
    r0_state_bytes(state, vm->mem + out);
    vm->syscall_cycles += SHA_BLOCK_CYCLES * count;  // count <= 4 GiB of guest memory / 64: no overflow
    return VM_CONTINUE;
}

// MARK: - BIGINT

/// The 256-bit little-endian integer at `ptr` (word by word) as 64-bit limbs.
static int load_bigint(vm_t *vm, const char *call, const char *what, uint32_t ptr, mp_limb_t limbs[4]) {
    uint32_t words[BIGINT_WORDS];
    for (unsigned i = 0; i < BIGINT_WORDS; i++)
        if (load_word(vm, call, what, (uint64_t)ptr + 4 * i, &words[i])) return -1;
    memcpy(limbs, words, sizeof words);  // little-endian host: words in order are limbs in order
    return 0;
}

int r0_bigint(vm_t *vm, const vm_syscall *sc) {
    _Static_assert(sizeof(mp_limb_t) == 8, "64-bit GMP limbs");
    const uint32_t z = vm_arg(vm, 0), op = vm_arg(vm, 1), x = vm_arg(vm, 2), y = vm_arg(vm, 3), n = vm_arg(vm, 4);
    if (r0_check_addr(vm, sc->name, "z pointer", z) || r0_check_addr(vm, sc->name, "x pointer", x) ||
        r0_check_addr(vm, sc->name, "y pointer", y) || r0_check_addr(vm, sc->name, "modulus pointer", n))
        return -1;
    if (op != 0) return vm_fail(vm, ZKVM_ERR_SYSCALL, "%s: op must be set to 0 (multiply), got %u", sc->name, op);
    mp_limb_t xs[4], ys[4], ns[4], prod[8], r[4] = {0};
    if (load_bigint(vm, sc->name, "x word", x, xs) || load_bigint(vm, sc->name, "y word", y, ys) ||
        load_bigint(vm, sc->name, "modulus word", n, ns))
        return -1;
    mpn_mul_n(prod, xs, ys, 4);
    mp_size_t nn = 4;
    while (nn > 0 && ns[nn - 1] == 0) nn--;
    if (nn == 0) {
        // Modulus 0: plain multiplication, which RISC Zero 1.0.5 requires to fit (its host panics).
        if (prod[4] | prod[5] | prod[6] | prod[7])
            return vm_fail(vm, ZKVM_ERR_SYSCALL,
                           "%s: with modulus 0 the product x * y must fit in 256 bits, and it does not (RISC Zero "
                           "1.0.5's host panics here)",
                           sc->name);
        memcpy(r, prod, sizeof r);
    } else {
        mp_limb_t q[8];
        mpn_tdiv_qr(q, r, 0, prod, 8, ns, nn);
    }
    const uint32_t *rw = (const uint32_t *)r;
    for (unsigned i = 0; i < BIGINT_WORDS; i++) {
        const uint64_t addr = (uint64_t)z + 4 * i;
        if (r0_check_addr(vm, sc->name, "z word", addr)) return -1;
        memcpy(vm->mem + (addr & ~3ull), &rw[i], 4);
    }
    return VM_CONTINUE;
}
