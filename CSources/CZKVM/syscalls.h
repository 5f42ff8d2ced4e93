#ifndef ZKVM_SYSCALLS_H
#define ZKVM_SYSCALLS_H

// SP1's control and I/O syscalls on RV32 (SP1_ABI.md §4-§6), as handlers for the syscall table
// (abis.c). Version differences come from the machine's ABI descriptor (vm->abi->sp1).

#include "vm.h"

int sys_halt(vm_t *vm, const vm_syscall *sc);                ///< HALT: a0 = exit code
int sys_write(vm_t *vm, const vm_syscall *sc);               ///< WRITE: a0 = fd, a1 = buffer, a2 = length
int sys_enter_unconstrained(vm_t *vm, const vm_syscall *sc);  ///< t0 = 1
int sys_exit_unconstrained(vm_t *vm, const vm_syscall *sc);   ///< t0 = 0; undoes the block
/// COMMIT (arg 1: the word is part of the public-values digest) and COMMIT_DEFERRED_PROOFS (arg
/// 0): a0 = word index 0..7, a1 = word.
int sys_commit(vm_t *vm, const vm_syscall *sc);
int sys_verify_sp1_proof(vm_t *vm, const vm_syscall *sc);  ///< no-op (SP1_ABI.md §5.3)
int sys_hint_len(vm_t *vm, const vm_syscall *sc);          ///< t0 = length of the next input item
int sys_hint_read(vm_t *vm, const vm_syscall *sc);         ///< a0 = destination, a1 = length

#endif
