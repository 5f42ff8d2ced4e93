// ECALL dispatch through the machine's ABI table (abi.h). The table, not this file, knows which
// syscalls exist and who runs them.

#include <stdio.h>

#include "vm.h"

const vm_syscall *vm_syscall_find(const vm_abi_desc *abi, uint32_t code) {
    const vm_syscall *sc = &abi->syscalls[code & 0xffu];
    return sc->name && sc->code == code ? sc : NULL;
}

/// The names of the rows allowed in an unconstrained block, as "A", "A and B" or "A, B and C".
static void unconstrained_names(const vm_abi_desc *abi, char *dst, size_t cap) {
    const char *names[VM_SYSCALL_SLOTS];
    size_t n = 0, used = 0;
    for (size_t i = 0; i < VM_SYSCALL_SLOTS; i++)
        if (abi->syscalls[i].name && (abi->syscalls[i].flags & VM_SYSCALL_UNCONSTRAINED)) names[n++] = abi->syscalls[i].name;
    dst[0] = 0;
    for (size_t i = 0; i < n && used < cap; i++) {
        const char *sep = i == 0 ? "" : i + 1 == n ? " and " : ", ";
        used += (size_t)snprintf(dst + used, cap - used, "%s%s", sep, names[i]);
    }
}

vm_action vm_ecall(vm_t *vm) {
    // SP1 looks at the low 32 bits of t0 only (RV64: SP1_V6_ABI.md §3.1).
    const uint64_t t0 = vm_reg(vm, VM_REG_T0);
    const uint32_t code = (uint32_t)t0;
    const vm_syscall *sc = vm_syscall_find(vm->abi, code);
    if (vm->unconstrained && !(sc && (sc->flags & VM_SYSCALL_UNCONSTRAINED))) {
        char allowed[160];
        unconstrained_names(vm->abi, allowed, sizeof allowed);
        vm->err_word = code;
        vm_fail(vm, ZKVM_ERR_INVALID_SYSCALL_USAGE, "syscall 0x%08x (%s) is not allowed in an unconstrained block (only %s)",
                code, sc ? sc->name : "unknown", allowed);
        return VM_ERROR;
    }
    if (!sc || !sc->handler) {
        vm->err_word = code;
        if (sc)
            vm_fail(vm, ZKVM_ERR_UNSUPPORTED_SYSCALL, "unsupported syscall 0x%08x (%s)", code, sc->name);
        else
            vm_fail(vm, ZKVM_ERR_UNSUPPORTED_SYSCALL, "unsupported syscall 0x%08x", code);
        return VM_ERROR;
    }
    // A precompile may do much host work for its one cycle: the work meter charges the row's
    // weight before the handler runs (the same on every machine and tier), and the host-side
    // stops are checked every VM_ECALLS_PER_CHECK syscalls too, not only between the driver's
    // chunks.
    if (vm_charge_work(vm, sc->work, sc->name) != 0) {
        vm->err_word = code;
        return VM_ERROR;
    }
    if (--vm->ecalls_to_check == 0 && (vm->interrupt || vm->deadline_ns) && vm_check_host_stops(vm) != 0) return VM_ERROR;
    vm->syscall_cycles = sc->extra_cycles;
    // After the ECALL t0 holds the code, unless the handler returns a value there; a trap leaves t0
    // as it was.
    vm_set_reg(vm, VM_REG_T0, code);
    int r = sc->handler(vm, sc);
    if (r == VM_TRAP) vm_set_reg(vm, VM_REG_T0, t0);
    if (r < 0 && vm->status == ZKVM_ERR_WORK_LIMIT) vm->err_word = code;  // a handler's length-dependent charge
    return r < 0 ? VM_ERROR : (vm_action)r;
}
