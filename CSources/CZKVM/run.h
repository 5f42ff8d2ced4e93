#ifndef ZKVM_RUN_H
#define ZKVM_RUN_H

// The contract of a loop function: what the driver (interp.c) hands a loop and what the loop
// hands back. The interpreter loops (interp_loop.h) and the JIT's translated code (jit/) both
// implement it, so the driver treats them alike: it enters a loop at run->ip with run->budget
// cycles and acts on why the loop stopped.

#include <stdint.h>

#include "program.h"
#include "vm.h"

/// Why a loop returned. The first values mirror vm_action.
typedef enum vm_stop {
    VM_STOP_CONTINUE = VM_CONTINUE,
    VM_STOP_HALT = VM_HALT,
    VM_STOP_ERROR = VM_ERROR,  ///< a syscall recorded an error in vm->status
    VM_STOP_ENTER_UNCONSTRAINED = VM_ENTER_UNCONSTRAINED,
    VM_STOP_EXIT_UNCONSTRAINED = VM_EXIT_UNCONSTRAINED,
    VM_STOP_TRAP = VM_TRAP,  ///< a page-permission failure (run->trap_code, or vm->trap_code from a syscall)
    VM_STOP_JUMP = VM_JUMP,  ///< a syscall moved the pc (vm->jump_target)
    VM_STOP_LIMIT,
    VM_STOP_MEMORY_FAULT,
    VM_STOP_BAD_JUMP,
    VM_STOP_BREAKPOINT,
    VM_STOP_UNIMPLEMENTED,
    VM_STOP_ILLEGAL,
    VM_STOP_NOT_TEXT,
    VM_STOP_END,
} vm_stop;

/// One call of a loop. On entry the loop charges ip's weight (ip enters its block) and runs
/// from ip; at each control transfer it checks `budget >= 0` and charges the target block's
/// weight (interp_loop.h, ENTER). It returns with ip at the slot that stopped it:
///   VM_STOP_LIMIT          the block at ip is charged and has not run (budget was negative)
///   VM_STOP_MEMORY_FAULT   ip's access failed; target = the address
///   VM_STOP_BAD_JUMP       ip jumped outside the text (its rd is written); target = where
///   VM_STOP_HALT ... JUMP  ip is an ECALL; vm_ecall returned that action (its extra cycles are
///                          charged unless it is VM_ERROR)
///   the others             ip is the slot of that kind (EBREAK, UNIMP, ...)
/// Registers and memory are those after every instruction before ip (and, as said, ip's own
/// effects for BAD_JUMP and ECALL).
typedef struct vm_run {
    const vm_insn *code;  ///< the slots the loop runs: the program's text, or one untrusted instruction
    uint64_t base;        ///< guest address of code[0]
    uint64_t text_bytes;  ///< 4 * the number of slots before the END sentinel
    const vm_insn *ip;    ///< in: block to enter; out: slot that stopped the loop
    int64_t budget;       ///< cycles the loop may still charge; it charges a block on entering it
    vm_stop stop;
    uint64_t target;  ///< faulting address or jump target
    unsigned trap_code;
} vm_run;

typedef void (*vm_loop_fn)(vm_t *vm, vm_run *run);

#endif
