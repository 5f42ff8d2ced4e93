#ifndef ZKVM_PROFILE_H
#define ZKVM_PROFILE_H

// The profiler (zkvm_profile_execute): the driver (interp.c) runs the interpreter one basic block
// per loop call and hands each pass here, which attributes the pass's cycles, exactly, to the
// guest function of every instruction that ran, keeps a shadow call stack (a call is a JAL/JALR
// writing ra, a return is `jalr x0, 0(ra)`) as a calling-context tree, the syscalls by caller,
// and a ring of the last instructions' pcs (zkvm run --trace-tail). Only profile runs use it; a
// normal execution never reaches this file.

#include <stdbool.h>
#include <stdint.h>

#include "program.h"
#include "run.h"
#include "vm.h"

/// An open-addressing map from 64-bit keys to indices.
typedef struct vm_index_map {
    uint64_t *keys;    ///< key + 1 (0 = empty)
    uint32_t *values;
    size_t cap, count;  ///< cap is a power of two
} vm_index_map;

typedef struct vm_profiler {
    // Function of each text slot (program order), from the caller's sorted starts.
    const uint64_t *starts;
    size_t start_count;
    uint32_t *slot_function;
    const zkvm_program *program;
    // The calling-context tree and the shadow stack (node indices, innermost last).
    zkvm_profile_node *nodes;
    size_t node_count, node_cap;
    vm_index_map children;  ///< (parent + 1) << 32 | function -> node
    uint32_t *stack;
    size_t depth, stack_cap;
    bool pending_call;       ///< the last pass ended with a call: the next instruction opens a frame
    size_t unconstrained_depth;  ///< stack depth at ENTER_UNCONSTRAINED
    // Syscalls by (calling node, code).
    zkvm_profile_syscall *syscalls;
    size_t syscall_count, syscall_cap;
    vm_index_map syscall_index;
    // The last pcs (a ring of trace_cap).
    uint64_t *trace;
    size_t trace_cap, trace_count;
    uint64_t total;
    bool failed;  ///< out of memory: the profile is incomplete
} vm_profiler;

/// What the driver remembers of a pass before running it.
typedef struct vm_profile_pass {
    const vm_insn *entry;  ///< the slot the pass entered
    const vm_insn *code;   ///< the slots it ran in (program text or an untrusted scratch slot)
    uint64_t base;         ///< guest address of code[0]
    uint32_t ecall_code;   ///< t0 when `entry` is an ECALL
    bool unconstrained;    ///< inside an unconstrained block (its cycles are discarded)
} vm_profile_pass;

int vm_profiler_init(vm_profiler *pr, const zkvm_program *p, const zkvm_profile_options *options);
/// The cycles a profile pass entering `entry` may charge so that the loop returns after one block
/// (an ECALL entry runs the ECALL and the block after it).
int64_t vm_profile_chunk(const vm_insn *entry);
/// Attributes a finished pass: `stop` and `ip` as the loop returned them, `cycles` the change of
/// the driver's count, `now_unconstrained` the machine's mode after the driver acted on the stop.
void vm_profiler_pass(vm_profiler *pr, const vm_profile_pass *pass, vm_stop stop, const vm_insn *ip, int64_t cycles,
                      bool now_unconstrained);
/// Moves the results into `out` and frees the profiler.
void vm_profiler_finish(vm_profiler *pr, zkvm_profile *out);

#endif
