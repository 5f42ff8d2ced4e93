#ifndef ZKVM_RISC0_ECALLS_H
#define ZKVM_RISC0_ECALLS_H

// RISC Zero 1.x ecalls (R0_V1_ABI.md §2.1-§2.2) as handlers for its ecall table
// (descriptor.c): HALT, INPUT, SHA and BIGINT in ecalls.c, SOFTWARE and its named syscalls in
// software.c. They read a0..a7 of the machine and charge their data-dependent cycles by adding to
// vm->syscall_cycles.
//
// Pointer rules are those of the 1.0.5 executor: an address "is guest memory" when
// 0x400 <= a < 0x0C000000; a 32-byte array at p needs p and p + 32 to be guest memory; a word
// load or store checks the address it is given and then uses the aligned word that holds it; a
// byte region is checked byte by byte.

#include <stdbool.h>

#include "../vm.h"

int r0_halt(vm_t *vm, const vm_syscall *sc);      ///< a0 = halt type | user exit << 8, a1 = output digest
int r0_input(vm_t *vm, const vm_syscall *sc);     ///< a0 = word index of the input digest (< 8)
int r0_software(vm_t *vm, const vm_syscall *sc);  ///< a0/a1 = host-to-guest words, a2 = syscall name
int r0_sha(vm_t *vm, const vm_syscall *sc);       ///< a0 = out state, a1 = in state, a2/a3 = blocks, a4 = count
int r0_bigint(vm_t *vm, const vm_syscall *sc);    ///< a0 = z, a1 = op (0), a2 = x, a3 = y, a4 = modulus

/// True iff `addr` is RISC Zero guest memory.
bool r0_is_guest(uint64_t addr);

/// 0 if `addr` is guest memory, else records a ZKVM_ERR_SYSCALL naming `call` and `what`.
int r0_check_addr(vm_t *vm, const char *call, const char *what, uint64_t addr);

/// 0 if every byte of [addr, addr + len) is guest memory (len 0: always), else records an error.
int r0_check_bytes(vm_t *vm, const char *call, const char *what, uint32_t addr, uint64_t len);

#endif
