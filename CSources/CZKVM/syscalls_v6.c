// SP1 v6's new control syscalls (SP1_V6_ABI.md §1.7, §3.2): MPROTECT and SIG_RETURN of
// untrusted-program mode, and the failure of the syscalls v6 deprecated. HINT_MPROTECT_FLUSH and
// the debug calls are no-ops (sys_noop).

#include <string.h>

#include "program.h"
#include "syscalls.h"

#define PAGE_MASK ((uint64_t)VM_PAGE_SIZE - 1)

int sys_mprotect(vm_t *vm, const vm_syscall *sc) {
    const uint64_t addr = vm_arg(vm, 0), prot = vm_arg(vm, 1);
    const char *name = sc->name;
    if (prot > 0xFF) return vm_fail(vm, ZKVM_ERR_SYSCALL, "%s: prot 0x%llx must fit in 8 bits", name, (unsigned long long)prot);
    if (addr & PAGE_MASK)
        return vm_fail(vm, ZKVM_ERR_SYSCALL, "%s: address 0x%08llx is not page aligned", name, (unsigned long long)addr);
    if (!vm_range_ok(vm, addr, VM_PAGE_SIZE))
        return vm_fail(vm, ZKVM_ERR_SYSCALL, "%s: address 0x%08llx lies outside guest memory", name, (unsigned long long)addr);
    if (prot != 0 && prot != VM_PROT_READ && prot != (VM_PROT_READ | VM_PROT_WRITE) && prot != (VM_PROT_READ | VM_PROT_EXEC))
        return vm_fail(vm, ZKVM_ERR_SYSCALL, "%s: prot %llu is not NONE, R, R+W or R+X", name, (unsigned long long)prot);
    const zkvm_program *p = vm->program;
    if (!p || !p->untrusted || !vm->prot)
        return vm_fail(vm, ZKVM_ERR_SYSCALL, "%s: the program does not run in untrusted mode (no SUCCINCT note)", name);
    if (addr < p->heap_start || addr >= p->heap_end)
        return vm_fail(vm, ZKVM_ERR_SYSCALL, "%s: page 0x%08llx lies outside the untrusted region [0x%08llx, 0x%08llx)",
                       name, (unsigned long long)addr, (unsigned long long)p->heap_start,
                       (unsigned long long)p->heap_end);
    vm_prot_set(vm, addr, (unsigned)prot);
    return VM_CONTINUE;
}

int sys_sig_return(vm_t *vm, const vm_syscall *sc) {
    const uint64_t ctx = vm_arg(vm, 0);
    // The context: the pc to return to, then x1..x31 (u64 each). SP1 reads the pc only in untrusted
    // mode; elsewhere execution continues after the ECALL.
    const bool jump = vm->prot != NULL;
    const uint64_t first = jump ? ctx : ctx + 8, bytes = jump ? 32 * 8 : 31 * 8;
    if ((ctx & 7) || !vm_range_ok(vm, first, bytes)) {
        vm->err_addr = ctx;
        return vm_fail(vm, ZKVM_ERR_SYSCALL, "%s: context 0x%08llx is not an 8-aligned guest buffer of %llu bytes",
                       sc->name, (unsigned long long)ctx, (unsigned long long)bytes);
    }
    uint64_t saved[32] = {0};
    memcpy(saved + (jump ? 0 : 1), vm_bytes(vm, first), bytes);  // little-endian host, like the guest
    for (unsigned i = 1; i < 32; i++) vm_set_reg(vm, i, saved[i]);  // t0 gets the restored x5
    if (!jump) return VM_CONTINUE;
    vm->jump_target = saved[0];
    return VM_JUMP;
}

int sys_deprecated(vm_t *vm, const vm_syscall *sc) {
    vm->err_word = sc->code;
    return vm_fail(vm, ZKVM_ERR_UNSUPPORTED_SYSCALL,
                   "syscall 0x%08x (%s) is deprecated in SP1 v6: its executor panics (\"This method should be deprecated\")",
                   sc->code, sc->name);
}
