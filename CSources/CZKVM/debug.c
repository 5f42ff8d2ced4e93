// The debugger (debug.h): breakpoints, stops and the callback's view of the stopped machine
// (registers, pc, guest memory), for zkvm_debug_execute (interp.c) and the `zkvm debug` GDB server.

#include "debug.h"

#include <stdlib.h>
#include <string.h>

int vm_debugger_init(vm_debugger *d, const zkvm_program *p, const zkvm_debug_options *options) {
    memset(d, 0, sizeof *d);
    d->program = p;
    if (options) d->options = *options;
    d->breakpoints = calloc((size_t)p->text_words + 1, 1);
    return d->breakpoints ? 0 : -1;
}

void vm_debugger_free(vm_debugger *d) {
    free(d->breakpoints);
    d->breakpoints = NULL;
}

/// The text slot of `pc`, or -1 when pc is not an instruction of the pre-decoded text.
static int64_t slot_of(const zkvm_program *p, uint64_t pc) {
    uint64_t off = pc - p->text_base;
    if ((off & 3) || off >= (uint64_t)p->text_words * 4) return -1;
    return (int64_t)(off >> 2);
}

int vm_debug_event_at(vm_debugger *d, uint64_t pc, bool first, uint64_t cycles) {
    if (d->detached || !d->options.callback) return -1;
    if (first) return ZKVM_DEBUG_ENTRY;
    if (d->stepping) return ZKVM_DEBUG_STEPPED;
    int64_t slot = slot_of(d->program, pc);
    if (slot >= 0 && d->breakpoints[slot]) return ZKVM_DEBUG_BREAKPOINT;
    if (d->options.poll && cycles >= d->next_poll) {
        d->next_poll = cycles + ZKVM_DEBUG_POLL_CYCLES;
        if (d->options.poll(d->options.context)) return ZKVM_DEBUG_INTERRUPTED;
    }
    return -1;
}

zkvm_debug_action vm_debug_stop(vm_debugger *d, zkvm_debug_machine *m, zkvm_debug_event event) {
    zkvm_debug_action action = d->options.callback(d->options.context, event, m);
    d->stepping = action == ZKVM_DEBUG_STEP;
    d->detached = action == ZKVM_DEBUG_DETACH;
    d->killed = action == ZKVM_DEBUG_KILL;
    return action;
}

// MARK: - The callback's view

unsigned zkvm_debug_xlen(const zkvm_debug_machine *m) { return m->vm->abi->xlen; }

uint64_t zkvm_debug_pc(const zkvm_debug_machine *m) { return m->pc; }

int zkvm_debug_set_pc(zkvm_debug_machine *m, uint64_t pc) {
    if (slot_of(m->debugger->program, pc) < 0) return -1;
    m->pc_moved |= pc != m->pc;
    m->pc = pc;
    return 0;
}

uint64_t zkvm_debug_cycles(const zkvm_debug_machine *m) { return m->cycles; }

zkvm_status zkvm_debug_status(const zkvm_debug_machine *m, const char **message) {
    if (message) *message = m->vm->message;
    return m->vm->status;
}

uint64_t zkvm_debug_reg(const zkvm_debug_machine *m, unsigned i) { return i < 32 ? vm_reg(m->vm, i) : 0; }

void zkvm_debug_set_reg(zkvm_debug_machine *m, unsigned i, uint64_t value) { vm_set_reg(m->vm, i, value); }

int zkvm_debug_read(const zkvm_debug_machine *m, uint64_t addr, void *out, size_t len) {
    if (!vm_range_ok(m->vm, addr, len)) return -1;
    if (len) memcpy(out, m->vm->mem + addr, len);
    return 0;
}

int zkvm_debug_write(zkvm_debug_machine *m, uint64_t addr, const void *in, size_t len) {
    vm_t *vm = m->vm;
    if (!vm_range_ok(vm, addr, len)) return -1;
    if (vm->unconstrained)  // the block's journal must be able to undo the write
        for (uint64_t page = addr >> VM_PAGE_SHIFT; len && page <= (addr + len - 1) >> VM_PAGE_SHIFT; page++)
            if (vm_journal_page_of(vm, page << VM_PAGE_SHIFT) != 0) return -1;
    if (len) memcpy(vm->mem + addr, in, len);
    return 0;
}

int zkvm_debug_set_breakpoint(zkvm_debug_machine *m, uint64_t addr, int on) {
    vm_debugger *d = m->debugger;
    int64_t slot = slot_of(d->program, addr);
    if (slot < 0) return -1;
    bool was = d->breakpoints[slot] != 0;
    d->breakpoints[slot] = on != 0;
    d->breakpoint_count += (size_t)(on != 0) - (size_t)was;
    return 0;
}
