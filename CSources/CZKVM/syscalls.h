#ifndef ZKVM_SYSCALLS_H
#define ZKVM_SYSCALLS_H

// SP1's control and I/O syscalls (SP1_ABI.md §4-§6, SP1_V6_ABI.md §3-§4) at either register
// width, as handlers for the syscall tables (abis.c, abi_sp1_v6.c). Version differences come from
// the machine's ABI descriptor (vm->abi->sp1).

#include "vm.h"

int sys_halt(vm_t *vm, const vm_syscall *sc);                ///< HALT: a0 = exit code
int sys_write(vm_t *vm, const vm_syscall *sc);               ///< WRITE: a0 = fd, a1 = buffer, a2 = length
int sys_enter_unconstrained(vm_t *vm, const vm_syscall *sc);  ///< t0 = 1
int sys_exit_unconstrained(vm_t *vm, const vm_syscall *sc);   ///< t0 = 0; undoes the block
/// COMMIT (arg 1: the word is part of the public-values digest) and COMMIT_DEFERRED_PROOFS (arg
/// 0): a0 = word index 0..7, a1 = word (< 2^32).
int sys_commit(vm_t *vm, const vm_syscall *sc);
/// Rows the executor accepts and ignores: VERIFY_SP1_PROOF (SP1_ABI.md §5.3); on v6 also
/// COMMIT_DEFERRED_PROOFS, HINT_MPROTECT_FLUSH and the debug calls (SP1_V6_ABI.md §3.2).
int sys_noop(vm_t *vm, const vm_syscall *sc);
int sys_hint_len(vm_t *vm, const vm_syscall *sc);   ///< t0 = length of the next input item
int sys_hint_read(vm_t *vm, const vm_syscall *sc);  ///< a0 = destination, a1 = length

// syscalls_v6.c: SP1 v6's new control syscalls, and its deprecated ones.
/// MPROTECT: a0 = page-aligned address in [heap_start, heap_end), a1 = NONE, R, R+W or R+X.
int sys_mprotect(vm_t *vm, const vm_syscall *sc);
/// SIG_RETURN: a0 = context (pc, then x1..x31 as u64): restores x1..x31, and in untrusted mode
/// continues at the saved pc.
int sys_sig_return(vm_t *vm, const vm_syscall *sc);
/// A syscall SP1 v6.4.0 still numbers but whose executor panics ("This method should be
/// deprecated"): the Weierstrass decompressions and U256XU2048_MUL.
int sys_deprecated(vm_t *vm, const vm_syscall *sc);

#endif
