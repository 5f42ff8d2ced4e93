#ifndef ZKVM_DEBUG_H
#define ZKVM_DEBUG_H

// The debugger (zkvm_debug_execute): the driver (interp.c) asks it before every pass whether the
// run stops at the current pc (the first instruction, after a single step, a breakpoint) and, if
// so, hands the stopped machine to the host's callback, which reads and writes registers and
// memory, sets breakpoints and says how to go on. While it steps or has breakpoints the driver
// runs one instruction per pass; with neither, whole chunks as a normal run. Only debug runs use
// it; a normal execution never reaches this file.

#include <stdbool.h>
#include <stdint.h>

#include "program.h"
#include "vm.h"

typedef struct vm_debugger {
    zkvm_debug_options options;
    const zkvm_program *program;
    uint8_t *breakpoints;  ///< one flag per text slot
    size_t breakpoint_count;
    bool stepping;  ///< the host asked for one instruction: stop before the next
    bool detached;  ///< the host let go: no more stops
    bool killed;    ///< the host ended the run
    uint64_t next_poll;  ///< cycles at which options.poll is called next
} vm_debugger;

/// The machine as the callback sees it (zkvm_core.h: zkvm_debug_machine).
struct zkvm_debug_machine {
    vm_t *vm;
    vm_debugger *debugger;
    uint64_t pc;      ///< the next instruction (the failing one at ZKVM_DEBUG_FAULT)
    uint64_t cycles;  ///< completed so far
    bool pc_moved;    ///< the host set pc
};

int vm_debugger_init(vm_debugger *d, const zkvm_program *p, const zkvm_debug_options *options);
void vm_debugger_free(vm_debugger *d);
/// The event the run stops for before the instruction at `pc`, `cycles` into the run, or -1 to
/// run on (polling the host when it is due).
int vm_debug_event_at(vm_debugger *d, uint64_t pc, bool first, uint64_t cycles);
/// Hands the stopped machine to the host and records its answer (stepping, detached, killed).
zkvm_debug_action vm_debug_stop(vm_debugger *d, zkvm_debug_machine *m, zkvm_debug_event event);
/// True while the driver must run one instruction per pass.
static inline bool vm_debug_single(const vm_debugger *d) {
    return !d->detached && (d->stepping || d->breakpoint_count);
}

#endif
