// SP1's control and I/O syscalls (SP1_ABI.md §4-§6, SP1_V6_ABI.md §3-§4) at either register
// width; host-callback hooks are in hooks.c, v6's new control syscalls in syscalls_v6.c. The
// syscall tables (abis.c, abi_sp1_v6.c) map codes to these handlers; dispatch.c calls them. Where
// SP1's versions differ, the machine's ABI descriptor (vm->abi->sp1) says how.

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
    const uint32_t code = (uint32_t)vm_arg(vm, 0);  // SP1 v6 keeps the low 32 bits of a0
    vm->exit_code = code;
    if (code != 0 && vm->abi->sp1.exit_code_fails) {
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
        if (vm_charge_bytes(vm, sc, vm->public_values.len) != 0) return -1;
        uint8_t digest[32], committed[32];
        SHA256(vm->public_values.data ? vm->public_values.data : (const uint8_t *)"", vm->public_values.len, digest);
        for (int i = 0; i < 8; i++) memcpy(committed + 4 * i, &vm->committed[i], 4);
        if (memcmp(digest, committed, 32) != 0) {
            char want[65], got[65];
            for (int i = 0; i < 32; i++) {
                snprintf(want + 2 * i, 3, "%02x", digest[i]);
                snprintf(got + 2 * i, 3, "%02x", committed[i]);
            }
            // SP1's executor does not check this (its verifier does): the HALT completes and counts.
            vm_fail(vm, ZKVM_ERR_DIGEST_MISMATCH,
                    "committed public-values digest %s does not match SHA-256 of the %zu public-value bytes (%s)", got,
                    vm->public_values.len, want);
        }
    }
    return VM_HALT;
}

/// Captures up to max_log bytes of a stream; the rest is dropped. The bytes it copies are charged
/// as the row's work.
static int capture_log(vm_t *vm, const vm_syscall *sc, vm_buf *buf, const uint8_t *data, size_t len) {
    size_t room = vm->max_log > buf->len ? vm->max_log - buf->len : 0, n = len < room ? len : room;
    if (vm_charge_bytes(vm, sc, n) != 0) return -1;
    vm_buf_append(buf, data, n);
    return VM_CONTINUE;
}

int sys_write(vm_t *vm, const vm_syscall *sc) {
    const uint64_t fd = vm_arg(vm, 0), ptr = vm_arg(vm, 1), len = vm_arg(vm, 2);
    if (!vm_range_ok(vm, ptr, len)) {
        vm->err_addr = ptr;
        return vm_fail(vm, ZKVM_ERR_SYSCALL, "WRITE: buffer [0x%08llx, +%llu) lies outside guest memory",
                       (unsigned long long)ptr, (unsigned long long)len);
    }
    const uint8_t *buf = vm->mem + ptr;
    const bool legacy = vm->abi->sp1.legacy_fds;
    // Work: the bytes copied (logs up to their cap, public values, hints) at the row's rate; a
    // hook charges its own work too (hooks.c); an ignored fd costs only the call.
    if (fd == 1) {
        // The cycle tracker (cycle_tracker.h), measured in cycles before this ECALL. SP1 v3-v5 parse
        // every write as one command and consume it; SP1 v6's default executor prints the lines
        // (its profiling build parses them per line), so they stay in stdout.
        if (len >= 18) {  // the shortest command, "cycle-tracker-end:"
            if (!vm->abi->sp1.cycle_tracker_consumed)
                vm_tracker_lines(&vm->tracker, buf, len, vm_cycles_before_ecall(vm));
            else if (buf[0] == 'c' && vm_tracker_write(&vm->tracker, buf, len, vm_cycles_before_ecall(vm)))
                return VM_CONTINUE;
        }
        return capture_log(vm, sc, &vm->out, buf, len);
    }
    if (fd == 2) return capture_log(vm, sc, &vm->err, buf, len);
    const uint32_t fd32 = (uint32_t)fd;  // SP1 v6 compares the other fds' low 32 bits
    if (fd32 == 13 || (legacy && fd32 == 3)) {  // public values (SP1 <= v3: fd 3)
        if (vm->public_values.len + len > vm->max_public_values)
            return vm_fail(vm, ZKVM_ERR_OUTPUT_LIMIT, "public values exceed the limit of %zu bytes", vm->max_public_values);
        if (vm_charge_bytes(vm, sc, len) != 0) return -1;
        if (vm_buf_append(&vm->public_values, buf, len) != 0)
            return vm_fail(vm, ZKVM_ERR_HOST, "out of memory for public values");
        return VM_CONTINUE;
    }
    if (fd32 == 14 || (legacy && fd32 == 4)) {  // hint (SP1 <= v3: fd 4)
        if (vm_charge_bytes(vm, sc, len) != 0) return -1;
        return vm->abi->sp1.hints_read_next ? vm_input_push_front(vm, buf, len) : vm_input_push_back(vm, buf, len);
    }
    // 1: not a hook; SP1 ignores unknown fds with a warning.
    return vm_hook_write(vm, sc, fd32, buf, len) < 0 ? -1 : VM_CONTINUE;
}

int sys_hint_len(vm_t *vm, const vm_syscall *sc) {
    (void)sc;
    vm_item *item = vm_input_front(vm);
    if (item) {
        vm_set_reg(vm, VM_REG_T0, item->len);
        return VM_CONTINUE;
    }
    // v3 panics on the host; v4 tells the guest with 0xFFFFFFFF, v6 with u64::MAX.
    if (vm->abi->sp1.hint_len_exhausted_fails)
        return vm_fail(vm, ZKVM_ERR_STDIN_EXHAUSTED, "HINT_LEN: stdin exhausted (no input item left to read)");
    vm->stdin_probe_failed = true;
    vm_set_reg(vm, VM_REG_T0, UINT64_MAX);
    return VM_CONTINUE;
}

int sys_hint_read(vm_t *vm, const vm_syscall *sc) {
    const uint64_t ptr = vm_arg(vm, 0), len = vm_arg(vm, 1);
    const unsigned word = vm_abi_word_bytes(vm->abi);
    vm_item *item = vm_input_front(vm);
    if (!item) return vm_fail(vm, ZKVM_ERR_STDIN_EXHAUSTED, "HINT_READ: stdin exhausted (no input item left to read)");
    if (item->len != len)
        return vm_fail(vm, ZKVM_ERR_SYSCALL, "HINT_READ: guest asked for %llu bytes but the next input item has %zu",
                       (unsigned long long)len, item->len);
    if (ptr & (word - 1))
        return vm_fail(vm, ZKVM_ERR_SYSCALL, "HINT_READ: destination 0x%08llx is not %u-byte aligned",
                       (unsigned long long)ptr, word);
    // SP1 writes whole words, the last one zero-padded; v6 always writes one word more than
    // len / 8 (all zeros when len is a multiple of 8).
    uint64_t padded = vm->abi->sp1.hint_read_extra_word ? (len / word + 1) * word : (len + word - 1) / word * word;
    if (!vm_range_ok(vm, ptr, padded)) {
        vm->err_addr = ptr;
        return vm_fail(vm, ZKVM_ERR_SYSCALL, "HINT_READ: destination [0x%08llx, +%llu) lies outside guest memory",
                       (unsigned long long)ptr, (unsigned long long)len);
    }
    if (vm_charge_bytes(vm, sc, padded) != 0) return -1;
    memcpy(vm->mem + ptr, item->data, len);
    memset(vm->mem + ptr + len, 0, padded - len);
    vm_input_pop_front(vm);
    return VM_CONTINUE;
}

int sys_commit(vm_t *vm, const vm_syscall *sc) {
    const uint64_t index = vm_arg(vm, 0), word = vm_arg(vm, 1);
    if (index >= 8)
        return vm_fail(vm, ZKVM_ERR_SYSCALL, "%s: word index %llu is out of range 0..7", sc->name, (unsigned long long)index);
    if (word > UINT32_MAX)  // RV64 only
        return vm_fail(vm, ZKVM_ERR_SYSCALL, "%s: digest word 0x%llx does not fit in 32 bits", sc->name,
                       (unsigned long long)word);
    if (sc->arg) {  // deferred-proof digests are not checked: proofs are not verified
        vm->committed[index] = (uint32_t)word;
        vm->committed_mask |= 1u << index;
    }
    return VM_CONTINUE;
}

int sys_noop(vm_t *vm, const vm_syscall *sc) {
    (void)vm, (void)sc;
    return VM_CONTINUE;
}

int sys_enter_unconstrained(vm_t *vm, const vm_syscall *sc) {
    (void)sc;
    vm->unconstrained_from = vm_cycles_before_ecall(vm);
    vm->saved_regs = vm->regs;
    vm->unconstrained = true;
    vm->journal_len = 0;
    vm_set_reg(vm, VM_REG_T0, 1);
    return VM_ENTER_UNCONSTRAINED;
}

int sys_exit_unconstrained(vm_t *vm, const vm_syscall *sc) {
    if (!vm->unconstrained) {
        vm_set_reg(vm, VM_REG_T0, 0);
        return VM_CONTINUE;
    }
    // The block's instructions ran but count no cycles: their work is charged here, one unit each
    // (an interpreted instruction is the unit; blocks always run on the interpreter), with the
    // pages its stores saved and that are restored now at the row's rate. A failure here leaves
    // the run inside the block (its cycles are those at ENTER_UNCONSTRAINED).
    const uint64_t ran = vm_cycles_before_ecall(vm) - vm->unconstrained_from;
    const uint64_t units = ran + vm_work_of_bytes((uint64_t)vm->journal_len << VM_PAGE_SHIFT, sc->work_per_kib);
    if (vm_charge_work(vm, units < ran ? UINT64_MAX : units, sc->name) != 0) return -1;
    // Roll back every page the block stored to, then the registers.
    vm_journal_rollback(vm);
    vm->regs = vm->saved_regs;
    vm->unconstrained = false;
    vm_set_reg(vm, VM_REG_T0, 0);
    return VM_EXIT_UNCONSTRAINED;
}
