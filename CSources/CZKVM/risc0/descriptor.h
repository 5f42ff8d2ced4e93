#ifndef ZKVM_RISC0_DESCRIPTOR_H
#define ZKVM_RISC0_DESCRIPTOR_H

// The RISC Zero 1.x guest ABI as its 1.0.5 executor runs it (descriptor.c): one of the engine's
// ABIs (abi.h), chosen only when the caller names it (VM_ABI_NAMED, ZKVM_VM_RISC0).

#include "../abi.h"

extern const vm_abi_desc vm_abi_risc0_v1;

#endif
