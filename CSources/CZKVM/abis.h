#ifndef ZKVM_ABIS_H
#define ZKVM_ABIS_H

// The guest ABIs this engine runs: SP1 v3 and SP1 v4, both RV32IM with one syscall table (abis.c),
// SP1 v6, RV64IM (abi_sp1_v6.c), and RISC Zero 1.x, RV32IM (risc0/descriptor.c). The loader chooses
// among the SP1 ones by the ELF class and, on RV32, the guest's code (vm_abi_detect); RISC Zero only
// when the caller names it; the bare harness runs under the default or an ABI it names.

#include <stdbool.h>

#include "abi.h"
#include "abi_sp1_v6.h"
#include "program.h"

extern const vm_abi_desc vm_abi_sp1_v3;
extern const vm_abi_desc vm_abi_sp1_v4;

/// The ABI the loader validates ELF32 files with, that RV32 programs get when detection finds
/// nothing (our C SDK's guests), and that the bare harness runs under by default: SP1 v4.
extern const vm_abi_desc *const vm_abi_default;

/// The ABI the loader starts from for an ELF of `xlen`-bit class: the default for ELF32, the ABI
/// chosen by class (SP1 v6) for ELF64; NULL for another width.
const vm_abi_desc *vm_abi_for_class(unsigned xlen);

/// The ABI chosen from `program`'s code among the VM_ABI_DETECTED descriptors that share the
/// default's register width and window; sets *detected. Without a match: the default, and false.
/// A program whose ABI the ELF class chose (program->abi set to it) keeps it, detected.
const vm_abi_desc *vm_abi_detect(const zkvm_program *program, bool *detected);

/// The descriptor whose id is `id`, or NULL.
const vm_abi_desc *vm_abi_by_id(zkvm_abi id);

#endif
