#ifndef ZKVM_ABI_SP1_V6_H
#define ZKVM_ABI_SP1_V6_H

// SP1 v6 (v6.4.0, "Hypercube"), RV64IM: its descriptor and syscall table (abi_sp1_v6.c).

#include "abi.h"

extern const vm_abi_desc vm_abi_sp1_v6;

#endif
