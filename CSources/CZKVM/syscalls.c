// SP1's control and I/O syscalls (SP1_ABI.md §4-§6); host-callback hooks are in hooks.c. The
// syscall table (abis.c) maps codes to these handlers; dispatch.c calls them.

#include "syscalls.h"

#include <openssl/sha.h>
#include <stdio.h>
#include <string.h>

#include "hooks.h"

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

int sys_halt(vm_t *vm, const vm_syscall *sc) {
    (void)sc;
    const uint32_t code = vm_arg(vm, 0);
    vm->exit_code = code;
    if (code != 0) {
        char tail[320];
        stderr_tail(vm, tail, sizeof tail, 300);
        if (vm->stdin_probe_failed)
            return vm_fail(vm, ZKVM_ERR_STDIN_EXHAUSTED,
                           "guest read past the end of stdin (it asked for another item after all were consumed) and "
                           "exited with code %u; stderr: %s",
                           code, tail[0] ? tail : "(empty)");
        return vm_fail(vm, ZKVM_ERR_EXIT_CODE, "guest exited with code %u; stderr: %s", code, tail[0] ? tail : "(empty)");
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
            return vm_fail(vm, ZKVM_ERR_DIGEST_MISMATCH,
                           "committed public-values digest %s does not match SHA-256 of the %zu public-value bytes (%s)",
                           got, vm->public_values.len, want);
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

int sys_write(vm_t *vm, const vm_syscall *sc) {
    (void)sc;
    const uint32_t fd = vm_arg(vm, 0), ptr = vm_arg(vm, 1), len = vm_arg(vm, 2);
    if (!vm_range_ok(vm, ptr, len)) {
        vm->err_addr = ptr;
        return vm_fail(vm, ZKVM_ERR_SYSCALL, "WRITE: buffer [0x%08x, +%u) lies outside guest memory", ptr, len);
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
        if (vm->public_values.len + len > vm->max_public_values)
            return vm_fail(vm, ZKVM_ERR_OUTPUT_LIMIT, "public values exceed the limit of %zu bytes", vm->max_public_values);
        if (vm_buf_append(&vm->public_values, buf, len) != 0)
            return vm_fail(vm, ZKVM_ERR_HOST, "out of memory for public values");
        return VM_CONTINUE;
    case 4:   // hint, SP1 <= v3
    case 14:  // hint, SP1 >= v4
        return vm->abi->sp1.hints_read_next ? vm_input_push_front(vm, buf, len) : vm_input_push_back(vm, buf, len);
    default:
        // 1: not a hook; SP1 ignores unknown fds with a warning.
        return vm_hook_write(vm, fd, buf, len) < 0 ? -1 : VM_CONTINUE;
    }
}

int sys_hint_len(vm_t *vm, const vm_syscall *sc) {
    (void)sc;
    vm_item *item = vm_input_front(vm);
    if (item) {
        vm->regs[VM_REG_T0] = (uint32_t)item->len;
        return VM_CONTINUE;
    }
    if (vm->abi->sp1.hint_len_exhausted_fails)  // v3 panics on the host; v4 tells the guest with 0xFFFFFFFF
        return vm_fail(vm, ZKVM_ERR_STDIN_EXHAUSTED, "HINT_LEN: stdin exhausted (no input item left to read)");
    vm->stdin_probe_failed = true;
    vm->regs[VM_REG_T0] = 0xFFFFFFFFu;
    return VM_CONTINUE;
}

int sys_hint_read(vm_t *vm, const vm_syscall *sc) {
    (void)sc;
    const uint32_t ptr = vm_arg(vm, 0), len = vm_arg(vm, 1);
    vm_item *item = vm_input_front(vm);
    if (!item) return vm_fail(vm, ZKVM_ERR_STDIN_EXHAUSTED, "HINT_READ: stdin exhausted (no input item left to read)");
    if (item->len != len)
        return vm_fail(vm, ZKVM_ERR_SYSCALL, "HINT_READ: guest asked for %u bytes but the next input item has %zu", len,
                       item->len);
    if (ptr & 3) return vm_fail(vm, ZKVM_ERR_SYSCALL, "HINT_READ: destination 0x%08x is not 4-byte aligned", ptr);
    uint64_t padded = ((uint64_t)len + 3) & ~3ull;
    if (!vm_range_ok(vm, ptr, padded)) {
        vm->err_addr = ptr;
        return vm_fail(vm, ZKVM_ERR_SYSCALL, "HINT_READ: destination [0x%08x, +%u) lies outside guest memory", ptr, len);
    }
    memcpy(vm->mem + ptr, item->data, len);
    memset(vm->mem + ptr + len, 0, padded - len);  // SP1 zero-pads the last word
    vm_input_pop_front(vm);
    return VM_CONTINUE;
}

int sys_commit(vm_t *vm, const vm_syscall *sc) {
    const uint32_t index = vm_arg(vm, 0), word = vm_arg(vm, 1);
    if (index >= 8) return vm_fail(vm, ZKVM_ERR_SYSCALL, "%s: word index %u is out of range 0..7", sc->name, index);
    if (sc->arg) {  // deferred-proof digests are not checked: proofs are not verified
        vm->committed[index] = word;
        vm->committed_mask |= 1u << index;
    }
    return VM_CONTINUE;
}

int sys_verify_sp1_proof(vm_t *vm, const vm_syscall *sc) {
    (void)vm, (void)sc;
    return VM_CONTINUE;  // deferred proof verification is off on InfinityVM's path (SP1_ABI.md §5.3)
}

int sys_enter_unconstrained(vm_t *vm, const vm_syscall *sc) {
    (void)sc;
    memcpy(vm->saved_regs, vm->regs, sizeof vm->regs);
    vm->unconstrained = true;
    vm->journal_len = 0;
    vm->regs[VM_REG_T0] = 1;
    return VM_ENTER_UNCONSTRAINED;
}

int sys_exit_unconstrained(vm_t *vm, const vm_syscall *sc) {
    (void)sc;
    if (!vm->unconstrained) {
        vm->regs[VM_REG_T0] = 0;
        return VM_CONTINUE;
    }
    // Roll back every page the block stored to, then the registers.
    vm_journal_rollback(vm);
    memcpy(vm->regs, vm->saved_regs, sizeof vm->regs);
    vm->unconstrained = false;
    vm->regs[VM_REG_T0] = 0;
    return VM_EXIT_UNCONSTRAINED;
}
