// SP1 syscall dispatch (SP1_ABI.md §4-§6): control and I/O syscalls here, precompiles through
// the registry in precompiles/syscall_table.c, host-callback hooks in hooks.c.

#include <openssl/sha.h>
#include <stdio.h>
#include <string.h>

#include "hooks.h"
#include "precompiles/precompiles.h"
#include "program.h"
#include "vm.h"

enum {
    SYS_HALT = 0x00,
    SYS_WRITE = 0x02,
    SYS_ENTER_UNCONSTRAINED = 0x03,
    SYS_EXIT_UNCONSTRAINED = 0x04,
    SYS_COMMIT = 0x10,
    SYS_COMMIT_DEFERRED_PROOFS = 0x1A,
    SYS_VERIFY_SP1_PROOF = 0x1B,
    SYS_HINT_LEN = 0xF0,
    SYS_HINT_READ = 0xF1,
};

// Every SP1 v3-v5 RV32 syscall code, for messages (whether or not we implement it).
static const struct {
    uint32_t code;
    const char *name;
} syscall_names[] = {
    {0x00000000u, "HALT"},
    {0x00000002u, "WRITE"},
    {0x00000003u, "ENTER_UNCONSTRAINED"},
    {0x00000004u, "EXIT_UNCONSTRAINED"},
    {0x00300105u, "SHA_EXTEND"},
    {0x00010106u, "SHA_COMPRESS"},
    {0x00010107u, "ED_ADD"},
    {0x00000108u, "ED_DECOMPRESS"},
    {0x00010109u, "KECCAK_PERMUTE"},
    {0x0001010Au, "SECP256K1_ADD"},
    {0x0000010Bu, "SECP256K1_DOUBLE"},
    {0x0000010Cu, "SECP256K1_DECOMPRESS"},
    {0x0001010Eu, "BN254_ADD"},
    {0x0000010Fu, "BN254_DOUBLE"},
    {0x00000010u, "COMMIT"},
    {0x0000001Au, "COMMIT_DEFERRED_PROOFS"},
    {0x0000001Bu, "VERIFY_SP1_PROOF"},
    {0x0000011Cu, "BLS12381_DECOMPRESS"},
    {0x000000F0u, "HINT_LEN"},
    {0x000000F1u, "HINT_READ"},
    {0x0001011Du, "UINT256_MUL"},
    {0x0001012Fu, "U256XU2048_MUL"},
    {0x0001011Eu, "BLS12381_ADD"},
    {0x0000011Fu, "BLS12381_DOUBLE"},
    {0x00010120u, "BLS12381_FP_ADD"},
    {0x00010121u, "BLS12381_FP_SUB"},
    {0x00010122u, "BLS12381_FP_MUL"},
    {0x00010123u, "BLS12381_FP2_ADD"},
    {0x00010124u, "BLS12381_FP2_SUB"},
    {0x00010125u, "BLS12381_FP2_MUL"},
    {0x00010126u, "BN254_FP_ADD"},
    {0x00010127u, "BN254_FP_SUB"},
    {0x00010128u, "BN254_FP_MUL"},
    {0x00010129u, "BN254_FP2_ADD"},
    {0x0001012Au, "BN254_FP2_SUB"},
    {0x0001012Bu, "BN254_FP2_MUL"},
    {0x0001012Cu, "SECP256R1_ADD"},
    {0x0000012Du, "SECP256R1_DOUBLE"},
    {0x0000012Eu, "SECP256R1_DECOMPRESS"},
};

const char *zkvm_syscall_name(uint32_t code) {
    for (size_t i = 0; i < sizeof syscall_names / sizeof syscall_names[0]; i++)
        if (syscall_names[i].code == code) return syscall_names[i].name;
    return NULL;
}

/// Up to the last `max` bytes of stderr as printable text, for error messages.
static void stderr_tail(const vm_t *vm, char *dst, size_t cap, size_t max) {
    size_t len = vm->err.len, start = len > max ? len - max : 0, j = 0;
    while (len > start && (vm->err.data[len - 1] == '\n' || vm->err.data[len - 1] == ' ')) len--;
    for (size_t i = start; i < len && j + 1 < cap; i++) {
        uint8_t c = vm->err.data[i];
        dst[j++] = (c == '\n') ? '|' : (c >= 0x20 && c < 0x7F) ? (char)c : '?';
    }
    dst[j] = 0;
}

static vm_action halt(vm_t *vm, uint32_t code) {
    vm->exit_code = code;
    if (code != 0) {
        char tail[320];
        stderr_tail(vm, tail, sizeof tail, 300);
        if (vm->stdin_probe_failed)
            vm_fail(vm, ZKVM_ERR_STDIN_EXHAUSTED,
                    "guest read past the end of stdin (it asked for another item after all were consumed) and exited "
                    "with code %u; stderr: %s",
                    code, tail[0] ? tail : "(empty)");
        else
            vm_fail(vm, ZKVM_ERR_EXIT_CODE, "guest exited with code %u; stderr: %s", code, tail[0] ? tail : "(empty)");
        return VM_ERROR;
    }
    if (vm->committed_mask) {
        // SP1 guests commit SHA-256(public values) word by word before halting; check it.
        uint8_t digest[32], committed[32];
        SHA256(vm->public_values.data ? vm->public_values.data : (const uint8_t *)"", vm->public_values.len, digest);
        for (int i = 0; i < 8; i++) memcpy(committed + 4 * i, &vm->committed[i], 4);
        if (memcmp(digest, committed, 32) != 0) {
            char want[65], got[65];
            for (int i = 0; i < 32; i++) {
                snprintf(want + 2 * i, 3, "%02x", digest[i]);
                snprintf(got + 2 * i, 3, "%02x", committed[i]);
            }
            vm_fail(vm, ZKVM_ERR_DIGEST_MISMATCH,
                    "committed public-values digest %s does not match SHA-256 of the %zu public-value bytes (%s)", got,
                    vm->public_values.len, want);
            return VM_ERROR;
        }
    }
    return VM_HALT;
}

/// Captures up to max_log bytes of a stream; the rest is dropped.
static void capture_log(vm_t *vm, vm_buf *buf, const uint8_t *data, size_t len) {
    size_t room = vm->max_log > buf->len ? vm->max_log - buf->len : 0;
    vm_buf_append(buf, data, len < room ? len : room);
}

static bool has_prefix(const uint8_t *data, size_t len, const char *prefix) {
    size_t n = strlen(prefix);
    return len >= n && memcmp(data, prefix, n) == 0;
}

static vm_action write_fd(vm_t *vm, uint32_t fd, uint32_t ptr, uint32_t len) {
    if (!vm_range_ok(ptr, len)) {
        vm->err_addr = ptr;
        vm_fail(vm, ZKVM_ERR_SYSCALL, "WRITE: buffer [0x%08x, +%u) lies outside guest memory", ptr, len);
        return VM_ERROR;
    }
    const uint8_t *buf = vm->mem + ptr;
    switch (fd) {
    case 1:
        // SP1's cycle tracker consumes these markers instead of printing them.
        if (!has_prefix(buf, len, "cycle-tracker-")) capture_log(vm, &vm->out, buf, len);
        return VM_CONTINUE;
    case 2:
        capture_log(vm, &vm->err, buf, len);
        return VM_CONTINUE;
    case 3:   // public values, SP1 <= v3
    case 13:  // public values, SP1 >= v4
        if (vm->public_values.len + len > vm->max_public_values) {
            vm_fail(vm, ZKVM_ERR_OUTPUT_LIMIT, "public values exceed the limit of %zu bytes", vm->max_public_values);
            return VM_ERROR;
        }
        if (vm_buf_append(&vm->public_values, buf, len) != 0) {
            vm_fail(vm, ZKVM_ERR_HOST, "out of memory for public values");
            return VM_ERROR;
        }
        return VM_CONTINUE;
    case 4:   // hint, SP1 <= v3: appended after the pending items
    case 14:  // hint, SP1 >= v4: becomes the next item
        if (vm->abi == ZKVM_ABI_V3 ? vm_input_push_back(vm, buf, len) : vm_input_push_front(vm, buf, len)) return VM_ERROR;
        return VM_CONTINUE;
    default: {
        int r = vm_hook_write(vm, fd, buf, len);
        if (r < 0) return VM_ERROR;
        return VM_CONTINUE;  // r == 1: not a hook; SP1 ignores unknown fds with a warning
    }
    }
}

static vm_action hint_read(vm_t *vm, uint32_t ptr, uint32_t len) {
    vm_item *item = vm_input_front(vm);
    if (!item) {
        vm_fail(vm, ZKVM_ERR_STDIN_EXHAUSTED, "HINT_READ: stdin exhausted (no input item left to read)");
        return VM_ERROR;
    }
    if (item->len != len) {
        vm_fail(vm, ZKVM_ERR_SYSCALL, "HINT_READ: guest asked for %u bytes but the next input item has %zu", len,
                item->len);
        return VM_ERROR;
    }
    if (ptr & 3) {
        vm_fail(vm, ZKVM_ERR_SYSCALL, "HINT_READ: destination 0x%08x is not 4-byte aligned", ptr);
        return VM_ERROR;
    }
    uint64_t padded = ((uint64_t)len + 3) & ~3ull;
    if (!vm_range_ok(ptr, padded)) {
        vm->err_addr = ptr;
        vm_fail(vm, ZKVM_ERR_SYSCALL, "HINT_READ: destination [0x%08x, +%u) lies outside guest memory", ptr, len);
        return VM_ERROR;
    }
    memcpy(vm->mem + ptr, item->data, len);
    memset(vm->mem + ptr + len, 0, padded - len);  // SP1 zero-pads the last word
    vm_input_pop_front(vm);
    return VM_CONTINUE;
}

vm_action vm_syscall(vm_t *vm) {
    uint32_t *r = vm->regs;
    uint32_t code = r[VM_REG_T0], a0 = r[VM_REG_A0], a1 = r[VM_REG_A1];

    if (vm->unconstrained && code != SYS_WRITE && code != SYS_EXIT_UNCONSTRAINED) {
        const char *name = zkvm_syscall_name(code);
        vm->err_word = code;
        vm_fail(vm, ZKVM_ERR_INVALID_SYSCALL_USAGE,
                "syscall 0x%08x (%s) is not allowed in an unconstrained block (only WRITE and EXIT_UNCONSTRAINED)", code,
                name ? name : "unknown");
        return VM_ERROR;
    }

    switch (code) {
    case SYS_HALT:
        return halt(vm, a0);
    case SYS_WRITE:
        return write_fd(vm, a0, a1, r[VM_REG_A2]);
    case SYS_HINT_LEN: {
        vm_item *item = vm_input_front(vm);
        if (item) {
            r[VM_REG_T0] = (uint32_t)item->len;
            return VM_CONTINUE;
        }
        if (vm->abi == ZKVM_ABI_V3) {  // v3 panics on the host; v4 tells the guest with 0xFFFFFFFF
            vm_fail(vm, ZKVM_ERR_STDIN_EXHAUSTED, "HINT_LEN: stdin exhausted (no input item left to read)");
            return VM_ERROR;
        }
        vm->stdin_probe_failed = true;
        r[VM_REG_T0] = 0xFFFFFFFFu;
        return VM_CONTINUE;
    }
    case SYS_HINT_READ:
        return hint_read(vm, a0, a1);
    case SYS_COMMIT:
    case SYS_COMMIT_DEFERRED_PROOFS:
        if (a0 >= 8) {
            vm_fail(vm, ZKVM_ERR_SYSCALL, "%s: word index %u is out of range 0..7",
                    code == SYS_COMMIT ? "COMMIT" : "COMMIT_DEFERRED_PROOFS", a0);
            return VM_ERROR;
        }
        if (code == SYS_COMMIT) {  // deferred-proof digests are not checked: proofs are not verified
            vm->committed[a0] = a1;
            vm->committed_mask |= 1u << a0;
        }
        return VM_CONTINUE;
    case SYS_VERIFY_SP1_PROOF:
        return VM_CONTINUE;  // deferred proof verification is off on InfinityVM's path (SP1_ABI.md §5.3)
    case SYS_ENTER_UNCONSTRAINED:
        memcpy(vm->saved_regs, vm->regs, sizeof vm->regs);
        vm->unconstrained = true;
        vm->journal_len = 0;
        r[VM_REG_T0] = 1;
        return VM_ENTER_UNCONSTRAINED;
    case SYS_EXIT_UNCONSTRAINED:
        if (!vm->unconstrained) {
            r[VM_REG_T0] = 0;
            return VM_CONTINUE;
        }
        // Roll back every page the block stored to, then the registers.
        vm_journal_rollback(vm);
        memcpy(vm->regs, vm->saved_regs, sizeof vm->regs);
        vm->unconstrained = false;
        r[VM_REG_T0] = 0;
        return VM_EXIT_UNCONSTRAINED;
    default: {
        const vm_precompile *pc_entry = vm_precompile_lookup(code);
        if (pc_entry) return pc_entry->fn(vm, a0, a1) == 0 ? VM_CONTINUE : VM_ERROR;
        const char *name = zkvm_syscall_name(code);
        vm->err_word = code;
        if (name)
            vm_fail(vm, ZKVM_ERR_UNSUPPORTED_SYSCALL, "unsupported syscall 0x%08x (%s)", code, name);
        else
            vm_fail(vm, ZKVM_ERR_UNSUPPORTED_SYSCALL, "unsupported syscall 0x%08x", code);
        return VM_ERROR;
    }
    }
}
