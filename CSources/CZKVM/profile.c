// The profiler (profile.h): attribution of each pass the driver runs in profile mode.
//
// A pass enters the loop at slot E with the budget vm_profile_chunk(E): the loop runs E's block
// and stops at its end (an ECALL entry runs the ECALL, then the block after it). So the slots a
// pass ran are contiguous from E, and the slot that ended it is known: every instruction's own
// cycles (its slot weight minus its successor's) go to the function of its pc, and what the
// driver counted beyond them (a syscall's extra cycles) to the ECALL. The sum over all passes is
// the driver's own count, so the self cycles add up to the run's cycles exactly.

#include "profile.h"

#include <stdlib.h>
#include <string.h>

// MARK: - Index map

static int map_grow(vm_index_map *m) {
    size_t cap = m->cap ? 2 * m->cap : 256;
    uint64_t *keys = calloc(cap, sizeof *keys);
    uint32_t *values = malloc(cap * sizeof *values);
    if (!keys || !values) {
        free(keys), free(values);
        return -1;
    }
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->keys[i]) continue;
        size_t j = (size_t)((m->keys[i] * 0x9E3779B97F4A7C15ull) >> 20) & (cap - 1);
        while (keys[j]) j = (j + 1) & (cap - 1);
        keys[j] = m->keys[i], values[j] = m->values[i];
    }
    free(m->keys), free(m->values);
    m->keys = keys, m->values = values, m->cap = cap;
    return 0;
}

/// The value of `key`, or UINT32_MAX; with `insert` != UINT32_MAX, inserts that value if absent.
static uint32_t map_get(vm_index_map *m, uint64_t key, uint32_t insert) {
    if (m->cap == 0 || (insert != UINT32_MAX && 2 * (m->count + 1) > m->cap)) {
        if (insert == UINT32_MAX && m->cap == 0) return UINT32_MAX;
        if (map_grow(m) != 0) return UINT32_MAX;
    }
    uint64_t k = key + 1;
    size_t j = (size_t)((k * 0x9E3779B97F4A7C15ull) >> 20) & (m->cap - 1);
    while (m->keys[j]) {
        if (m->keys[j] == k) return m->values[j];
        j = (j + 1) & (m->cap - 1);
    }
    if (insert == UINT32_MAX) return UINT32_MAX;
    m->keys[j] = k, m->values[j] = insert, m->count++;
    return insert;
}

static void map_free(vm_index_map *m) {
    free(m->keys), free(m->values);
    memset(m, 0, sizeof *m);
}

static int grow(void **array, size_t *cap, size_t size) {
    size_t n = *cap ? 2 * *cap : 64;
    void *grown = realloc(*array, n * size);
    if (!grown) return -1;
    *array = grown, *cap = n;
    return 0;
}

// MARK: - Functions

/// Index of the last start at or below pc (start_count below the first).
static uint32_t function_at(const vm_profiler *pr, uint64_t pc) {
    size_t lo = 0, hi = pr->start_count;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (pr->starts[mid] <= pc) lo = mid + 1; else hi = mid;
    }
    return lo == 0 ? (uint32_t)pr->start_count : (uint32_t)(lo - 1);
}

int vm_profiler_init(vm_profiler *pr, const zkvm_program *p, const zkvm_profile_options *options) {
    memset(pr, 0, sizeof *pr);
    pr->program = p;
    pr->starts = options ? options->function_starts : NULL;
    pr->start_count = options && options->function_starts ? options->function_count : 0;
    pr->trace_cap = options ? options->trace_tail : 0;
    pr->slot_function = malloc(((size_t)p->text_words + 1) * sizeof *pr->slot_function);
    if (pr->trace_cap) pr->trace = malloc(pr->trace_cap * sizeof *pr->trace);
    if (!pr->slot_function || (pr->trace_cap && !pr->trace)) return -1;
    // One walk over the text with the starts in step.
    size_t s = 0;
    uint32_t current = (uint32_t)pr->start_count;
    for (uint32_t i = 0; i <= p->text_words; i++) {
        uint64_t pc = p->text_base + (uint64_t)i * 4;
        while (s < pr->start_count && pr->starts[s] <= pc) current = (uint32_t)s++;
        pr->slot_function[i] = current;
    }
    return 0;
}

int64_t vm_profile_chunk(const vm_insn *entry) {
    if (entry->kind == OP_ECALL) return entry->weight;
    return entry->weight ? (int64_t)entry->weight - 1 : 0;
}

// MARK: - Frames

/// The node for `function` under `parent` (created on first use), or UINT32_MAX when out of memory.
static uint32_t node_of(vm_profiler *pr, int32_t parent, uint32_t function) {
    uint64_t key = ((uint64_t)(uint32_t)(parent + 1) << 32) | function;
    uint32_t found = map_get(&pr->children, key, UINT32_MAX);
    if (found != UINT32_MAX) return found;
    if (pr->node_count == pr->node_cap && grow((void **)&pr->nodes, &pr->node_cap, sizeof *pr->nodes) != 0)
        return UINT32_MAX;
    uint32_t index = (uint32_t)pr->node_count;
    if (map_get(&pr->children, key, index) != index) return UINT32_MAX;
    pr->nodes[pr->node_count++] = (zkvm_profile_node){.parent = parent, .function = function};
    return index;
}

static int push(vm_profiler *pr, uint32_t node) {
    if (pr->depth == pr->stack_cap && grow((void **)&pr->stack, &pr->stack_cap, sizeof *pr->stack) != 0) return -1;
    pr->stack[pr->depth++] = node;
    return 0;
}

/// The frame an instruction of `function` runs in: a pending call opens a new one; running in
/// another function than the current frame's (a tail call, or a jump into another symbol)
/// replaces the frame by that function's under the same parent.
static uint32_t frame_for(vm_profiler *pr, uint32_t function) {
    if (pr->depth == 0 || pr->pending_call) {
        int32_t parent = pr->depth ? (int32_t)pr->stack[pr->depth - 1] : -1;
        uint32_t node = node_of(pr, parent, function);
        if (node == UINT32_MAX || push(pr, node) != 0) {
            pr->failed = true;
            pr->pending_call = false;
            return pr->depth ? pr->stack[pr->depth - 1] : UINT32_MAX;
        }
        if (pr->pending_call) pr->nodes[node].calls++;
        pr->pending_call = false;
        return node;
    }
    uint32_t top = pr->stack[pr->depth - 1];
    if (pr->nodes[top].function == function) return top;
    uint32_t node = node_of(pr, pr->nodes[top].parent, function);
    if (node == UINT32_MAX) {
        pr->failed = true;
        return top;
    }
    pr->stack[pr->depth - 1] = node;
    return node;
}

static void trace_pc(vm_profiler *pr, uint64_t pc) {
    if (!pr->trace_cap) return;
    pr->trace[pr->trace_count % pr->trace_cap] = pc;
    pr->trace_count++;
}

static void count_syscall(vm_profiler *pr, uint32_t node, uint32_t code, uint64_t cycles) {
    uint64_t key = ((uint64_t)node << 32) | code;
    uint32_t i = map_get(&pr->syscall_index, key, UINT32_MAX);
    if (i == UINT32_MAX) {
        if (pr->syscall_count == pr->syscall_cap &&
            grow((void **)&pr->syscalls, &pr->syscall_cap, sizeof *pr->syscalls) != 0) {
            pr->failed = true;
            return;
        }
        i = (uint32_t)pr->syscall_count;
        if (map_get(&pr->syscall_index, key, i) != i) {
            pr->failed = true;
            return;
        }
        pr->syscalls[pr->syscall_count++] = (zkvm_profile_syscall){.code = code, .node = node};
    }
    pr->syscalls[i].calls++;
    pr->syscalls[i].cycles += cycles;
}

// MARK: - Passes

static bool is_link_call(const vm_insn *s) { return (s->kind == OP_JAL || s->kind == OP_JALR) && s->rd == 1; }
static bool is_return(const vm_insn *s) {
    return s->kind == OP_JALR && s->rd == VM_REG_SINK && s->rs1 == 1 && s->imm == 0;
}

void vm_profiler_pass(vm_profiler *pr, const vm_profile_pass *pass, vm_stop stop, const vm_insn *ip, int64_t cycles,
                      bool now_unconstrained) {
    const vm_insn *e = pass->entry, *code = pass->code;
    const bool text = code == pr->program->code;
    // The slots that ran: [e, last]; `ender` transferred control at the end of the pass (NULL if
    // the pass ended otherwise); `failed` is the slot that stopped the run without running.
    const vm_insn *last = NULL, *ender = NULL, *failed = NULL;
    if (stop == VM_STOP_LIMIT) {
        const vm_insn *s = e;
        if (s->kind == OP_ECALL) s++;  // it ran; the block after it ran too
        while (s->kind < OP_BEQ) s++;  // to the end of the block
        if (s->kind == OP_ECALL && s != e) {
            last = s - 1;  // the ECALL ending this block did not run
        } else if (s->kind == OP_ECALL || (s->kind >= OP_BEQ && s->kind <= OP_JALR) || s->kind == OP_BRANCH_BAD_TARGET) {
            last = ender = s;
        } else {
            last = s - 1;  // defensive: a stopping slot does not end a pass with LIMIT
        }
        if (cycles == 0) last = NULL;  // nothing ran: the limit stopped the pass at its entry
    } else {
        // The stop slot: an ECALL that ran (its action), a jump that left the text, or a fault.
        last = ip;
        if (stop == VM_STOP_BAD_JUMP || stop == VM_STOP_JUMP) ender = ip;
        bool ran = stop == VM_STOP_HALT || stop == VM_STOP_ENTER_UNCONSTRAINED || stop == VM_STOP_EXIT_UNCONSTRAINED ||
                   stop == VM_STOP_JUMP || stop == VM_STOP_BAD_JUMP || stop == VM_STOP_TRAP;
        if (!ran) failed = ip;
    }

    // The trace keeps every slot that ran and the one that failed, in unconstrained blocks too.
    if (pr->trace_cap && last)
        for (const vm_insn *s = e; s <= last; s++) trace_pc(pr, pass->base + (uint64_t)(s - code) * 4);

    if (!pass->unconstrained) {
        int64_t left = cycles;
        uint32_t node = UINT32_MAX, first_node = UINT32_MAX;
        const vm_insn *end = last ? last + 1 : e;
        for (const vm_insn *s = e; s < end; s++) {
            uint64_t pc = pass->base + (uint64_t)(s - code) * 4;
            uint32_t f = text ? pr->slot_function[s - code] : function_at(pr, pc);
            node = frame_for(pr, f);
            if (s == e) first_node = node;
            // Own cycles: the slot's weight minus its successor's inside a block; a slot that
            // failed did not run and costs nothing of its own.
            int64_t own = s == failed ? 0 : (int64_t)s->weight - (s->kind < OP_BEQ ? (int64_t)s[1].weight : 0);
            if (own > left) own = left;
            if (node != UINT32_MAX) pr->nodes[node].self_cycles += (uint64_t)own;
            left -= own;
        }
        // What the driver counted beyond the instructions' own cycles: the extra cycles of the
        // ECALL that opened the pass (it runs in the pass's first frame).
        const bool ecall_ran = e->kind == OP_ECALL && last && e != failed;
        uint32_t extra_node = ecall_ran ? first_node : node;
        if (extra_node == UINT32_MAX && left != 0) {
            uint64_t pc = pass->base + (uint64_t)(e - code) * 4;
            extra_node = frame_for(pr, text ? pr->slot_function[e - code] : function_at(pr, pc));
        }
        if (extra_node != UINT32_MAX) pr->nodes[extra_node].self_cycles += (uint64_t)left;
        pr->total += (uint64_t)cycles;
        if (ecall_ran && first_node != UINT32_MAX)
            count_syscall(pr, first_node, pass->ecall_code, e->weight + (uint64_t)left);
    }
    if (ender && !pass->unconstrained) {
        if (is_link_call(ender)) pr->pending_call = true;
        else if (is_return(ender) && pr->depth > 1) pr->depth--;
    }
    // Unconstrained blocks: the stack is what it was at ENTER_UNCONSTRAINED once the block ends.
    if (!pass->unconstrained && now_unconstrained) pr->unconstrained_depth = pr->depth;
    if (pass->unconstrained && !now_unconstrained) pr->depth = pr->unconstrained_depth, pr->pending_call = false;
}

void vm_profiler_finish(vm_profiler *pr, zkvm_profile *out) {
    memset(out, 0, sizeof *out);
    out->nodes = pr->nodes, out->node_count = pr->node_count;
    out->syscalls = pr->syscalls, out->syscall_count = pr->syscall_count;
    out->total_cycles = pr->total;
    out->incomplete = pr->failed;
    if (pr->trace_cap && pr->trace_count) {
        size_t n = pr->trace_count < pr->trace_cap ? pr->trace_count : pr->trace_cap;
        out->trace = malloc(n * sizeof *out->trace);
        if (out->trace) {
            size_t first = pr->trace_count - n;
            for (size_t i = 0; i < n; i++) out->trace[i] = pr->trace[(first + i) % pr->trace_cap];
            out->trace_count = n;
        }
    }
    free(pr->trace);
    free(pr->slot_function);
    free(pr->stack);
    map_free(&pr->children);
    map_free(&pr->syscall_index);
    memset(pr, 0, sizeof *pr);
}

void zkvm_profile_free(zkvm_profile *profile) {
    free(profile->nodes);
    free(profile->syscalls);
    free(profile->trace);
    memset(profile, 0, sizeof *profile);
}
