#ifndef ZKVM_ABIS_H
#define ZKVM_ABIS_H

// The guest ABIs this engine runs (abis.c): SP1 v3 and SP1 v4, both RV32IM with one syscall
// table. The loader chooses among them (vm_abi_detect); the bare harness runs under the default.

#include <stdbool.h>

#include "abi.h"
#include "program.h"

extern const vm_abi_desc vm_abi_sp1_v3;
extern const vm_abi_desc vm_abi_sp1_v4;

/// The ABI the loader validates ELFs with, that programs get when detection finds nothing (our C
/// SDK's guests), and that the bare harness runs under: SP1 v4.
extern const vm_abi_desc *const vm_abi_default;

/// The ABI chosen from `program`'s code among the VM_ABI_DETECTED descriptors that share the
/// default's register width and window; sets *detected. Without a match: the default, and false.
const vm_abi_desc *vm_abi_detect(const zkvm_program *program, bool *detected);

#endif
