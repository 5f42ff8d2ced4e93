// The JIT's translator: a program's pre-decoded slots (program->code, already validated, with
// resolved branch targets and block weights) become x86-64 code, one sequence per slot in slot
// order, so that a slot falls through into its successor and every slot can be entered (JALR
// and the driver enter any slot through a table of slot entries). The result is a function with
// the interpreter loop's contract (run.h): the same budget charging as ENTER in interp_loop.h,
// the same window and alignment checks as BAD(), and the same stop codes, slot and budget at
// every stop, so the driver's handling of limits, faults and syscalls is the interpreter's.
//
// Host registers: rbx = the machine (vm_t, whose first member is the register file), r12 = guest
// memory base, r13 = the budget; rax, rcx, rdx are scratch; rsi, rdi, r8-r11, r14, r15 and rbp
// hold nine guest registers (the others live in vm->regs): by a global map the ones the code
// outside loops names most often (code called from loops weighing like the loops), and inside a
// loop region (an innermost-enough loop) by the region's own map, which swaps some of them for
// the loop's busiest registers; the maps convert on the edges between them (choose_pins). They
// are written back at every exit and around vm_ecall. The code and, after it, the table of slot
// entries (host address, weight, the slot's own code in its region's map) sit in one mapping,
// written and then made read-only and executable (never both). A build with ZKVM_JIT_PERFMAP
// (profiling) writes /tmp/perf-PID.map (a symbol per slot) and the code to /tmp/jitcode-PID.bin.

#include "jit.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void jit_destroy(vm_translation *self);

static uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

#if defined(__x86_64__)

#include <errno.h>
#include <sys/mman.h>
#ifdef ZKVM_JIT_PERFMAP
#include <unistd.h>
#endif

#include "x86.h"

enum { R_VM = RBX, R_MEM = R12, R_BUDGET = R13 };
/// Host registers that may hold guest registers, in the order they are handed out.
static const uint8_t pin_pool[] = {RSI, RDI, R8, R9, R10, R11, R14, R15, RBP};
#define PIN_COUNT (sizeof pin_pool / sizeof pin_pool[0])

enum { SEC_HOT, SEC_COLD };

typedef struct label {
    int32_t sec;  ///< -1 until bound
    uint32_t off;
} label;

typedef struct fixup {
    uint8_t sec;
    uint32_t at;  ///< offset of a rel32 (or RIP-relative disp32) that ends the instruction
    uint32_t label;
} fixup;

typedef struct tr {
    const zkvm_program *p;
    const vm_insn *code;
    uint32_t n;  ///< slots before the END sentinel
    bool rv64;
    uint64_t base, text_bytes, lowest, end;
    bool jalr_clears_bit0;
    xbuf sec[2];
    label *labels;
    size_t label_count, label_cap;
    fixup *fixups;
    size_t fixup_count, fixup_cap;
    bool oom;
    int cur;                 ///< the section HOT emits into: SEC_HOT, or SEC_COLD for a slow path
    int8_t host[33];         ///< guest register -> host register, or -1 (of the current map)
    uint32_t *limit_stub;    ///< per target slot: label of its limit stub, or UINT32_MAX
    uint16_t *limit_map;     ///< per target slot: the map its limit stub exits with
    uint32_t l_exit, l_exit_target, l_table, l_jalr_limit;  ///< l_exit*: of the current map
    // Register maps: map 0 is the global one (entry, exits, JALR, the table); loop regions have
    // their own, the global map with some pinned registers swapped for the loop's. Converting
    // between two maps stores the guest registers that leave host registers, then loads the ones
    // that enter.
    uint16_t *region;        ///< per slot: its map
    int8_t (*maps)[33];
    uint32_t *map_exit, *map_exit_target, *map_from_global;  ///< labels per map
    uint32_t *map_head, *map_end;  ///< a region map's slots: [head, end]
    unsigned map_count, map;  ///< maps in use, the current one
} tr;

// MARK: - Labels

static uint32_t label_new(tr *t) {
    if (t->label_count == t->label_cap) {
        size_t cap = t->label_cap ? 2 * t->label_cap : 1024;
        label *l = realloc(t->labels, cap * sizeof *l);
        if (!l) {
            t->oom = true;
            return 0;
        }
        t->labels = l;
        t->label_cap = cap;
    }
    t->labels[t->label_count] = (label){.sec = -1};
    return (uint32_t)t->label_count++;
}

static void label_bind(tr *t, uint32_t l, int sec) {
    if (l < t->label_count) t->labels[l] = (label){.sec = sec, .off = (uint32_t)t->sec[sec].len};
}

/// Records that the rel32 / disp32 at `at` in `sec` refers to label `l`.
static void fix(tr *t, int sec, size_t at, uint32_t l) {
    if (t->fixup_count == t->fixup_cap) {
        size_t cap = t->fixup_cap ? 2 * t->fixup_cap : 4096;
        fixup *f = realloc(t->fixups, cap * sizeof *f);
        if (!f) {
            t->oom = true;
            return;
        }
        t->fixups = f;
        t->fixup_cap = cap;
    }
    t->fixups[t->fixup_count++] = (fixup){.sec = (uint8_t)sec, .at = (uint32_t)at, .label = l};
}

static void jcc_to(tr *t, int sec, unsigned cc, uint32_t l) { fix(t, sec, x_jcc32(&t->sec[sec], cc), l); }
static void jmp_to(tr *t, int sec, uint32_t l) { fix(t, sec, x_jmp32(&t->sec[sec]), l); }

// MARK: - Guest registers

#define HOT (&t->sec[t->cur])
#define COLD (&t->sec[SEC_COLD])

static int32_t reg_disp(const tr *t, unsigned g) {
    return (int32_t)(offsetof(vm_t, regs) + g * (t->rv64 ? 8u : 4u));
}
static xrm reg_mem(const tr *t, unsigned g) { return XM(R_VM, reg_disp(t, g)); }
static bool pinned(const tr *t, unsigned g) { return g < 33 && t->host[g] >= 0; }
static unsigned host_of(const tr *t, unsigned g) { return (unsigned)t->host[g]; }

/// Register dst = guest register g (at width w64; 0 for x0).
static void load_into(tr *t, unsigned dst, unsigned g, bool w64) {
    if (g == 0)
        x_mov_r_imm(HOT, dst, 0);
    else if (pinned(t, g)) {
        if (host_of(t, g) != dst) x_mov_r_rm(HOT, w64, dst, XR(host_of(t, g)));
    } else
        x_mov_r_rm(HOT, w64, dst, reg_mem(t, g));
}

/// A host register holding guest register g: its own if pinned, else `scratch` loaded with it.
static unsigned get(tr *t, unsigned g, unsigned scratch) {
    if (pinned(t, g)) return host_of(t, g);
    load_into(t, scratch, g, t->rv64);
    return scratch;
}

/// Guest register g as a source operand: its host register or its memory slot (x0: `scratch`
/// set to 0).
static xrm operand(tr *t, unsigned g, unsigned scratch) {
    if (pinned(t, g)) return XR(host_of(t, g));
    if (g == 0) {
        x_mov_r_imm(HOT, scratch, 0);
        return XR(scratch);
    }
    return reg_mem(t, g);
}

/// Where to compute a result for guest register g: its host register if pinned, else rax.
static unsigned dest(const tr *t, unsigned g) { return pinned(t, g) ? host_of(t, g) : RAX; }

/// Guest register g = host register src (nothing for the x0 sink).
static void put(tr *t, unsigned g, unsigned src) {
    if (g == VM_REG_SINK) return;
    if (pinned(t, g)) {
        if (host_of(t, g) != src) x_mov_r_rm(HOT, t->rv64, host_of(t, g), XR(src));
    } else
        x_mov_rm_r(HOT, t->rv64, reg_mem(t, g), src);
}

/// Guest register g = a constant (already at the register width).
static void put_const(tr *t, unsigned g, uint64_t v) {
    if (g == VM_REG_SINK) return;
    if (pinned(t, g))
        x_mov_r_imm(HOT, host_of(t, g), v);
    else if (!t->rv64)
        x_mov_rm_imm32(HOT, false, reg_mem(t, g), (int32_t)(uint32_t)v);
    else if (x_fits32((int64_t)v))
        x_mov_rm_imm32(HOT, true, reg_mem(t, g), (int32_t)v);
    else {  // rdx: rax may hold a JALR target
        x_mov_r_imm(HOT, RDX, v);
        x_mov_rm_r(HOT, true, reg_mem(t, g), RDX);
    }
}

/// Writes the pinned guest registers back to vm->regs / reloads them from there.
static void spill(tr *t, xbuf *b) {
    for (unsigned g = 1; g < 32; g++)
        if (pinned(t, g)) x_mov_rm_r(b, t->rv64, reg_mem(t, g), host_of(t, g));
}
static void reload(tr *t, xbuf *b) {
    for (unsigned g = 1; g < 32; g++)
        if (pinned(t, g)) x_mov_r_rm(b, t->rv64, host_of(t, g), reg_mem(t, g));
}

static bool is_call(const vm_insn *in) {
    return in->kind == OP_JALR || in->kind == OP_ECALL || (in->kind == OP_JAL && in->rd != VM_REG_SINK);
}

/// Loop regions with maps of their own: the longest loop spans of at most REGION_MAX slots that
/// overlap no other chosen span. In each, an unpinned guest register is swapped with the global
/// map's least used pinned one while its uses there (weighted by nesting) exceed the victim's by
/// more than the conversions cost: one at the loop's entry and two per call made in it (a call
/// leaves the map and its return enters it again through the table).
#define REGION_MAX 400
// Testing knobs (scripts/jit_fuzz.c's programs name few registers): fewer registers pinned in the
// global map, a lower price for a conversion, so that loop regions swap registers.
#ifndef JIT_GLOBAL_PINS
#define JIT_GLOBAL_PINS PIN_COUNT
#endif
#ifndef JIT_CONVERT_COST
#define JIT_CONVERT_COST 4
#endif
#define MAP_MAX 1024

typedef struct span {
    uint32_t head, end;  ///< slots [head, end]: a loop's body, end its backward branch or jump
} span;

static int span_longer(const void *a, const void *b) {
    const span *x = a, *y = b;
    uint32_t lx = x->end - x->head, ly = y->end - y->head;
    return lx != ly ? (lx < ly ? 1 : -1) : (x->head > y->head) - (x->head < y->head);
}

/// Pins in map m the registers of the region [head, end] that are worth it (see above).
static bool region_map(tr *t, unsigned m, uint32_t head, uint32_t end, const uint8_t *level) {
    int8_t *host = t->maps[m];
    memcpy(host, t->maps[0], 33);
    uint64_t uses[33] = {0}, calls = 0;
    for (uint32_t k = head; k <= end; k++) {
        const vm_insn *in = &t->code[k];
        uint64_t w = 1ull << (3 * level[k]);
        if (is_call(in)) calls += w;
        if (in->kind >= OP_ECALL) continue;  // raw words, bad-target branches (rd holds an op)
        if (in->rd < 32) uses[in->rd] += w;
        uses[in->rs1] += w;
        uses[in->rs2] += w;
    }
    uses[0] = 0;
    uint64_t entry = 1ull << (3 * (level[head] > 0 ? level[head] - 1 : 0));
    uint64_t cost = JIT_CONVERT_COST * (entry + 2 * calls);
    bool swapped = false;
    for (;;) {
        unsigned in_g = 0, out_g = 0;
        for (unsigned g = 1; g < 32; g++) {
            if (host[g] < 0 && uses[g] > uses[in_g]) in_g = g;
            if (host[g] >= 0 && (out_g == 0 || uses[g] < uses[out_g])) out_g = g;
        }
        if (!in_g || !out_g || uses[in_g] <= uses[out_g] + cost) break;
        host[in_g] = host[out_g];
        host[out_g] = -1;
        swapped = true;
    }
    return swapped;
}

/// Per slot, the weight of its function: a function (from a call target to the next one) weighs
/// 1 plus, per call site, 8 per loop level there times the caller's weight (three rounds, at most
/// 8^4), so that code called from loops counts like the loops' own. NULL if out of memory.
static uint64_t *function_weights(tr *t, const uint8_t *level) {
    uint32_t n = t->n;
    uint32_t *func = calloc((size_t)n + 1, sizeof *func);
    uint64_t *w = malloc(((size_t)n + 1) * sizeof *w);
    if (!func || !w) {
        free(func), free(w);
        return NULL;
    }
    for (uint32_t i = 0; i < n; i++) {
        const vm_insn *in = &t->code[i];
        if (in->kind == OP_JAL && in->rd != VM_REG_SINK) func[in->imm] = 1;  // an entry
    }
    uint32_t count = 0;
    for (uint32_t i = 0; i <= n; i++) {
        if (func[i] || i == 0) count++;
        func[i] = count - 1;
    }
    uint64_t *fw = malloc(2 * (size_t)count * sizeof *fw);
    if (!fw) {
        free(func), free(w);
        return NULL;
    }
    uint64_t *next = fw + count;
    for (uint32_t f = 0; f < count; f++) fw[f] = 1;
    for (int round = 0; round < 3; round++) {
        for (uint32_t f = 0; f < count; f++) next[f] = 1;
        for (uint32_t i = 0; i < n; i++) {
            const vm_insn *in = &t->code[i];
            if (in->kind != OP_JAL || in->rd == VM_REG_SINK) continue;
            uint32_t callee = func[in->imm];
            uint64_t v = (1ull << (3 * level[i])) * fw[func[i]];
            if (v > next[callee]) next[callee] = v > 4096 ? 4096 : v;
        }
        memcpy(fw, next, (size_t)count * sizeof *fw);
    }
    for (uint32_t i = 0; i <= n; i++) w[i] = fw[func[i]];
    free(fw), free(func);
    return w;
}

/// Chooses the registers to pin: the loop regions (the longest loop spans of at most REGION_MAX
/// slots that overlap no longer one), the global map from the names outside them (a name inside a
/// loop counting 8 times per level of nesting, up to 4 levels; one inside a region once), then
/// the regions' maps.
static void choose_pins(tr *t) {
    t->map_count = 1;
    memset(t->maps[0], -1, 33);
    int32_t *diff = calloc((size_t)t->n + 2, sizeof *diff);  // difference array of loop spans
    uint8_t *level = malloc((size_t)t->n + 1);
    span *spans = NULL;
    size_t span_count = 0;
    for (uint32_t i = 0; i < t->n; i++) {
        const vm_insn *in = &t->code[i];
        bool transfer = (in->kind >= OP_BEQ && in->kind <= OP_BGEZ) || (in->kind == OP_JAL && in->rd == VM_REG_SINK);
        if (transfer && (uint32_t)in->imm <= i) span_count++;
    }
    spans = malloc((span_count + 1) * sizeof *spans);
    if (!diff || !level || !spans) {
        free(diff), free(level), free(spans);
        return;  // nothing pinned
    }
    span_count = 0;
    for (uint32_t i = 0; i < t->n; i++) {
        const vm_insn *in = &t->code[i];
        bool transfer = (in->kind >= OP_BEQ && in->kind <= OP_BGEZ) || (in->kind == OP_JAL && in->rd == VM_REG_SINK);
        if (transfer && (uint32_t)in->imm <= i) {
            diff[in->imm]++;
            diff[i + 1]--;
            spans[span_count++] = (span){(uint32_t)in->imm, i};
        }
    }
    int32_t d = 0;
    for (uint32_t i = 0; i <= t->n; i++) {
        d += diff[i];
        level[i] = (uint8_t)(d < 0 ? 0 : d > 4 ? 4 : d);
    }
    // Regions, marked with provisional numbers (1 + index into spans).
    uint32_t *mark = (uint32_t *)diff;  // reused: 0 = no region
    memset(mark, 0, ((size_t)t->n + 2) * sizeof *mark);
    qsort(spans, span_count, sizeof *spans, span_longer);
    size_t regions = 0;
    for (size_t k = 0; k < span_count; k++) {
        span sp = spans[k];
        if (sp.end - sp.head + 1 > REGION_MAX) continue;
        bool taken = false;
        for (uint32_t i = sp.head; i <= sp.end && !taken; i++) taken = mark[i] != 0;
        if (taken) continue;
        spans[regions++] = sp;
        for (uint32_t i = sp.head; i <= sp.end; i++) mark[i] = (uint32_t)regions;
    }
    uint64_t *fweight = function_weights(t, level);
    uint64_t uses[33] = {0};
    for (uint32_t i = 0; i < t->n; i++) {
        const vm_insn *in = &t->code[i];
        if (in->kind >= OP_ECALL) continue;
        uint64_t w = (mark[i] ? 1 : 1ull << (3 * level[i])) * (fweight ? fweight[i] : 1);
        if (in->rd < 32) uses[in->rd] += w;
        uses[in->rs1] += w;
        uses[in->rs2] += w;
    }
    uses[0] = 0;
    int8_t *host = t->maps[0];
    for (unsigned k = 0; k < JIT_GLOBAL_PINS; k++) {
        unsigned best = 0;
        for (unsigned g = 1; g < 32; g++)
            if (host[g] < 0 && uses[g] > uses[best]) best = g;
        if (best == 0) break;
        host[best] = (int8_t)pin_pool[k];
    }
    for (size_t r = 0; r < regions && t->map_count < MAP_MAX; r++) {
        if (!region_map(t, t->map_count, spans[r].head, spans[r].end, level)) continue;
        for (uint32_t i = spans[r].head; i <= spans[r].end; i++) t->region[i] = (uint16_t)t->map_count;
        t->map_head[t->map_count] = spans[r].head;
        t->map_end[t->map_count] = spans[r].end;
        t->map_count++;
    }
    free(diff), free(level), free(spans), free(fweight);
}

/// Emits the conversion from map `a` to map `b` (registers only: no flags or scratch touched).
static void convert(tr *t, xbuf *x, unsigned a, unsigned b) {
    const int8_t *ha = t->maps[a], *hb = t->maps[b];
    for (unsigned g = 1; g < 32; g++)
        if (ha[g] != hb[g] && ha[g] >= 0) x_mov_rm_r(x, t->rv64, reg_mem(t, g), (unsigned)ha[g]);
    for (unsigned g = 1; g < 32; g++)
        if (ha[g] != hb[g] && hb[g] >= 0) x_mov_r_rm(x, t->rv64, (unsigned)hb[g], reg_mem(t, g));
}

/// Makes map m the current one.
static void set_map(tr *t, unsigned m) {
    t->map = m;
    memcpy(t->host, t->maps[m], 33);
    t->l_exit = t->map_exit[m];
    t->l_exit_target = t->map_exit_target[m];
}

// MARK: - Stops and transfers

static uint64_t pc_of(const tr *t, uint32_t slot) {
    uint64_t pc = t->base + 4ull * slot;
    return t->rv64 ? pc : (uint32_t)pc;
}

/// Cold code that stops the loop at `slot` with `stop` (through the exit that also stores rax as
/// run->target when `with_target`). Returns its label.
static uint32_t stop_stub(tr *t, uint32_t slot, vm_stop stop, bool with_target) {
    uint32_t l = label_new(t);
    label_bind(t, l, SEC_COLD);
    x_mov_r_imm(COLD, RDX, slot);
    x_mov_r_imm(COLD, RCX, (uint64_t)stop);
    jmp_to(t, SEC_COLD, with_target ? t->l_exit_target : t->l_exit);
    return l;
}

/// The stop at a transfer to `target` when the budget is negative: the target's block is charged
/// and has not run (ENTER's limit path). One stub per target.
static uint32_t limit_stub(tr *t, uint32_t target) {
    if (t->limit_stub[target] != UINT32_MAX && t->limit_map[target] == t->map) return t->limit_stub[target];
    uint32_t l = label_new(t);
    label_bind(t, l, SEC_COLD);
    uint32_t w = t->code[target].weight;
    if (w) x_alu_rm_imm(COLD, ALU_SUB, true, XR(R_BUDGET), (int32_t)w);
    x_mov_r_imm(COLD, RDX, target);
    x_mov_r_imm(COLD, RCX, VM_STOP_LIMIT);
    jmp_to(t, SEC_COLD, t->l_exit);
    t->limit_map[target] = (uint16_t)t->map;
    return t->limit_stub[target] = l;
}

/// Where a jump from the current map to slot `target` goes: the slot, or a cold stub converting
/// to the target's map first.
static uint32_t transfer_label(tr *t, uint32_t target) {
    unsigned m = t->region[target];
    if (m == t->map) return target;
    uint32_t stub = label_new(t);
    label_bind(t, stub, SEC_COLD);
    convert(t, COLD, t->map, m);
    jmp_to(t, SEC_COLD, target);
    return stub;
}

/// ENTER(target): stop if the budget is negative, else charge the target's block and continue
/// there (by a jump, or by falling through when the target is the next slot in the layout).
static void enter(tr *t, uint32_t target, bool falls_through) {
    x_test_rm_r(HOT, true, XR(R_BUDGET), R_BUDGET);
    jcc_to(t, SEC_HOT, CC_S, limit_stub(t, target));
    uint32_t w = t->code[target].weight;
    if (w) x_alu_rm_imm(HOT, ALU_SUB, true, XR(R_BUDGET), (int32_t)w);
    if (!falls_through) jmp_to(t, SEC_HOT, transfer_label(t, target));
    // (falling through, a change of map is made before the next slot's label)
}

// MARK: - Memory

/// rax = rs1 + imm at the register width (a load / store address or a JALR target).
static void address(tr *t, const vm_insn *in) {
    bool w = t->rv64;
    if (in->rs1 == 0) {
        uint64_t v = w ? (uint64_t)(int64_t)in->imm : (uint32_t)in->imm;
        x_mov_r_imm(HOT, RAX, v);
    } else if (pinned(t, in->rs1)) {
        x_lea(HOT, w, RAX, XM(host_of(t, in->rs1), in->imm));
    } else {
        x_mov_r_rm(HOT, w, RAX, reg_mem(t, in->rs1));
        if (in->imm) x_alu_rm_imm(HOT, ALU_ADD, w, XR(RAX), in->imm);
    }
}

/// BAD(rax, log2) of interp_loop.h: outside the window or misaligned -> jump to `fault` (a
/// VM_STOP_MEMORY_FAULT stub, made before: stubs must not land inside a cold sequence).
static void check(tr *t, unsigned log2, uint32_t fault) {
    bool w = t->rv64;
    uint64_t mask = w ? UINT64_MAX : UINT32_MAX;
    uint64_t limit = ((t->end - (1u << log2) - t->lowest) & mask) >> log2;
    uint64_t lowest = t->lowest & mask;
    if (lowest == 0)
        x_mov_r_rm(HOT, w, RCX, XR(RAX));
    else if (x_fits32(-(int64_t)lowest))
        x_lea(HOT, w, RCX, XM(RAX, (int32_t)-(int64_t)lowest));
    else {
        x_mov_r_rm(HOT, w, RCX, XR(RAX));
        x_mov_r_imm(HOT, RDX, lowest);
        x_alu_r_rm(HOT, ALU_SUB, w, RCX, XR(RDX));
    }
    if (log2) x_shift_imm(HOT, SH_ROR, w, XR(RCX), log2);
    unsigned cc = CC_A;
    if (!w || limit <= INT32_MAX) {
        x_alu_rm_imm(HOT, ALU_CMP, w, XR(RCX), (int32_t)(uint32_t)limit);
    } else if ((limit & (limit + 1)) == 0) {  // 2^k - 1: above it iff anything is left after >> k
        unsigned k = 0;
        while (k < 64 && (limit >> k)) k++;
        x_shift_imm(HOT, SH_SHR, true, XR(RCX), k);
        cc = CC_NE;
    } else {
        x_mov_r_imm(HOT, RDX, limit);
        x_alu_r_rm(HOT, ALU_CMP, true, RCX, XR(RDX));
    }
    jcc_to(t, t->cur, cc, fault);
}

static unsigned access_log2(unsigned kind) {
    switch (kind) {
    case OP_LB: case OP_LBU: case OP_SB: return 0;
    case OP_LH: case OP_LHU: case OP_SH: return 1;
    case OP_LD: case OP_SD: return 3;
    default: return 2;
    }
}

/// The access itself, at `m` (the address checked): a load into rd, or a store of rs2.
static void mem_op(tr *t, const vm_insn *in, xrm m) {
    bool store;
    vm_op_access(in->kind, &store);
    unsigned log2 = access_log2(in->kind);
    if (store) {
        if (in->rs2 == 0) {
            switch (log2) {
            case 0: x_mov8_rm_imm(HOT, m, 0); break;
            case 1: x_mov16_rm_imm(HOT, m, 0); break;
            default: x_mov_rm_imm32(HOT, log2 == 3, m, 0); break;
            }
            return;
        }
        unsigned v = get(t, in->rs2, RCX);
        switch (log2) {
        case 0: x_mov8_rm_r(HOT, m, v); break;
        case 1: x_mov16_rm_r(HOT, m, v); break;
        default: x_mov_rm_r(HOT, log2 == 3, m, v); break;
        }
        return;
    }
    if (in->rd == VM_REG_SINK) return;
    unsigned d = dest(t, in->rd);
    switch (in->kind) {
    case OP_LB: x_movsx8(HOT, t->rv64, d, m); break;
    case OP_LBU: x_movzx8(HOT, d, m); break;
    case OP_LH: x_movsx16(HOT, t->rv64, d, m); break;
    case OP_LHU: x_movzx16(HOT, d, m); break;
    case OP_LW:
        if (t->rv64) x_movsxd(HOT, d, m);
        else x_mov_r_rm(HOT, false, d, m);
        break;
    case OP_LWU: x_mov_r_rm(HOT, false, d, m); break;
    default: x_mov_r_rm(HOT, true, d, m); break;  // LD
    }
    put(t, in->rd, d);
}

/// A load or store. With its base in a host register h, the fast path checks h + imm as a 64-bit
/// sum and accesses [mem + h + imm] without forming the address in rax. At RV64 that check is
/// BAD() exactly; at RV32 it also fails when h + imm carries past 2^32 (the guest address wraps),
/// so the cold path redoes BAD() on the 32-bit address and, if that passes, accesses it there.
static void emit_access(tr *t, uint32_t slot, const vm_insn *in) {
    unsigned log2 = access_log2(in->kind);
    int64_t disp = (int64_t)in->imm - (int64_t)t->lowest;
    uint64_t limit = ((t->end - (1u << log2) - t->lowest) & (t->rv64 ? UINT64_MAX : UINT32_MAX)) >> log2;
    bool fast = pinned(t, in->rs1) && x_fits32(disp) && limit <= INT32_MAX;
    if (t->rv64 && !fast && pinned(t, in->rs1) && x_fits32(disp) && (limit & (limit + 1)) == 0) fast = true;
    uint32_t fault = stop_stub(t, slot, VM_STOP_MEMORY_FAULT, true);
    if (!fast) {
        address(t, in);
        check(t, log2, fault);
        mem_op(t, in, XMI(R_MEM, RAX, 1, 0));
        return;
    }
    unsigned h = host_of(t, in->rs1);
    x_lea(HOT, true, RCX, XM(h, (int32_t)disp));
    if (log2) x_shift_imm(HOT, SH_ROR, true, XR(RCX), log2);
    uint32_t slow = label_new(t), back = label_new(t);
    if (limit <= INT32_MAX) {
        x_alu_rm_imm(HOT, ALU_CMP, true, XR(RCX), (int32_t)limit);
        jcc_to(t, SEC_HOT, CC_A, slow);
    } else {  // 2^k - 1 (RV64's window)
        unsigned k = 0;
        while (k < 64 && (limit >> k)) k++;
        x_shift_imm(HOT, SH_SHR, true, XR(RCX), k);
        jcc_to(t, SEC_HOT, CC_NE, slow);
    }
    mem_op(t, in, XMI(R_MEM, h, 1, in->imm));
    label_bind(t, back, SEC_HOT);
    // The cold path: the address in rax, BAD() at the register width, then (RV32: a wrapped
    // address that is valid) the access and back.
    t->cur = SEC_COLD;
    label_bind(t, slow, SEC_COLD);
    address(t, in);
    check(t, log2, fault);
    if (!t->rv64) {
        mem_op(t, in, XMI(R_MEM, RAX, 1, 0));
        jmp_to(t, SEC_COLD, back);
    } else {
        jmp_to(t, SEC_COLD, t->l_exit);  // not reached: the fast check is exact at RV64
    }
    t->cur = SEC_HOT;
}

// MARK: - Arithmetic

/// rd = rs1 OP rs2 for the ALU group (ADD, SUB, AND, OR, XOR) and, with `imul`, MUL; at 32 bits
/// sign-extended when `word` (RV64's *W ops).
static void emit_alu(tr *t, const vm_insn *in, unsigned op, bool imul, bool word) {
    if (in->rd == VM_REG_SINK) return;
    bool w = t->rv64 && !word;
    unsigned d = dest(t, in->rd);
    if (op == ALU_ADD && !imul && pinned(t, in->rs1) && pinned(t, in->rs2)) {  // one lea, no copy
        x_lea(HOT, w, d, XMI(host_of(t, in->rs1), host_of(t, in->rs2), 1, 0));
        if (word) x_movsxd(HOT, d, XR(d));
        put(t, in->rd, d);
        return;
    }
    if (pinned(t, in->rs2) && host_of(t, in->rs2) == d && in->rs2 != in->rs1) d = RAX;
    load_into(t, d, in->rs1, w);
    xrm src = operand(t, in->rs2, RCX);
    if (imul) x_imul_r_rm(HOT, w, d, src);
    else x_alu_r_rm(HOT, op, w, d, src);
    if (word) x_movsxd(HOT, d, XR(d));
    put(t, in->rd, d);
}

/// rd = rs1 OP imm (ADDI, XORI, ORI, ANDI, ADDIW).
static void emit_alu_imm(tr *t, const vm_insn *in, unsigned op, bool word) {
    if (in->rd == VM_REG_SINK) return;
    bool w = t->rv64 && !word;
    unsigned d = dest(t, in->rd);
    if (op == ALU_ADD && pinned(t, in->rs1)) {
        x_lea(HOT, w, d, XM(host_of(t, in->rs1), in->imm));
    } else {
        load_into(t, d, in->rs1, w);
        x_alu_rm_imm(HOT, op, w, XR(d), in->imm);
    }
    if (word) x_movsxd(HOT, d, XR(d));
    put(t, in->rd, d);
}

/// Shifts by a register (the count masked to the operand width, as x86 does) or an immediate.
static void emit_shift(tr *t, const vm_insn *in, unsigned op, bool by_reg, bool word) {
    if (in->rd == VM_REG_SINK) return;
    bool w = t->rv64 && !word;
    if (by_reg) load_into(t, RCX, in->rs2, false);
    unsigned d = dest(t, in->rd);
    load_into(t, d, in->rs1, w);
    if (by_reg) x_shift_cl(HOT, op, w, XR(d));
    else x_shift_imm(HOT, op, w, XR(d), (unsigned)in->imm);
    if (word) x_movsxd(HOT, d, XR(d));
    put(t, in->rd, d);
}

/// rd = (rs1 <cc> rs2 or imm) ? 1 : 0.
static void emit_set(tr *t, const vm_insn *in, unsigned cc, bool imm) {
    if (in->rd == VM_REG_SINK) return;
    unsigned a = get(t, in->rs1, RAX);
    if (imm) x_alu_rm_imm(HOT, ALU_CMP, t->rv64, XR(a), in->imm);
    else x_alu_r_rm(HOT, ALU_CMP, t->rv64, a, operand(t, in->rs2, RCX));
    x_setcc(HOT, cc, RAX);
    unsigned d = dest(t, in->rd);
    x_movzx8(HOT, d, XR(RAX));
    put(t, in->rd, d);
}

/// MULH, MULHSU, MULHU: the high half of the double-width product.
static void emit_mulh(tr *t, const vm_insn *in) {
    if (in->rd == VM_REG_SINK) return;
    if (in->rs1 == 0 || in->rs2 == 0) {
        put_const(t, in->rd, 0);
        return;
    }
    bool a_signed = in->kind != OP_MULHU, b_signed = in->kind == OP_MULH;
    if (!t->rv64) {
        // 32 x 32 -> 64 bits in one 64-bit multiply of the extended operands.
        xrm a = pinned(t, in->rs1) ? XR(host_of(t, in->rs1)) : reg_mem(t, in->rs1);
        xrm b = pinned(t, in->rs2) ? XR(host_of(t, in->rs2)) : reg_mem(t, in->rs2);
        if (a_signed) x_movsxd(HOT, RAX, a);
        else x_mov_r_rm(HOT, false, RAX, a);
        if (b_signed) x_movsxd(HOT, RCX, b);
        else x_mov_r_rm(HOT, false, RCX, b);
        x_imul_r_rm(HOT, true, RAX, XR(RCX));
        x_shift_imm(HOT, SH_SHR, true, XR(RAX), 32);
        put(t, in->rd, RAX);
        return;
    }
    xrm b = pinned(t, in->rs2) ? XR(host_of(t, in->rs2)) : reg_mem(t, in->rs2);
    load_into(t, RCX, in->rs1, true);
    x_mov_r_rm(HOT, true, RAX, XR(RCX));
    x_group3(HOT, b_signed ? G3_IMUL : G3_MUL, true, b);  // rdx:rax = rax * b
    if (a_signed && !b_signed) {
        // MULHSU: the unsigned high half minus b when a is negative.
        x_shift_imm(HOT, SH_SAR, true, XR(RCX), 63);
        x_alu_r_rm(HOT, ALU_AND, true, RCX, b);
        x_alu_r_rm(HOT, ALU_SUB, true, RDX, XR(RCX));
    }
    put(t, in->rd, RDX);
}

/// DIV, DIVU, REM, REMU and the *W forms, as RISC-V defines them: x / 0 = all ones, x % 0 = x,
/// MIN / -1 = MIN (= -MIN), MIN % -1 = 0; no trap.
static void emit_div(tr *t, const vm_insn *in, bool is_signed, bool rem, bool word) {
    if (in->rd == VM_REG_SINK) return;
    bool w = t->rv64 && !word;
    load_into(t, RCX, in->rs2, w);
    load_into(t, RAX, in->rs1, w);
    x_test_rm_r(HOT, w, XR(RCX), RCX);
    size_t to_zero = x_jcc8(HOT, CC_E);
    size_t to_done1 = 0, to_do = 0;
    if (is_signed) {
        x_alu_rm_imm(HOT, ALU_CMP, w, XR(RCX), -1);
        to_do = x_jcc8(HOT, CC_NE);
        if (rem) x_mov_r_imm(HOT, RAX, 0);
        else x_group3(HOT, G3_NEG, w, XR(RAX));
        to_done1 = x_jmp8(HOT);
        x_here8(HOT, to_do);
        x_cdq(HOT, w);
        x_group3(HOT, G3_IDIV, w, XR(RCX));
    } else {
        x_mov_r_imm(HOT, RDX, 0);
        x_group3(HOT, G3_DIV, w, XR(RCX));
    }
    if (rem) x_mov_r_rm(HOT, w, RAX, XR(RDX));
    size_t to_done2 = x_jmp8(HOT);
    x_here8(HOT, to_zero);
    if (!rem) x_mov_rm_imm32(HOT, w, XR(RAX), -1);  // x / 0: all ones; x % 0 = x (in rax)
    x_here8(HOT, to_done2);
    if (is_signed) x_here8(HOT, to_done1);
    if (word) x_movsxd(HOT, RAX, XR(RAX));
    put(t, in->rd, RAX);
}

// MARK: - Control transfers

/// Sets the flags for branch `op` on rs1, rs2 and returns the condition under which it is taken.
static unsigned compare(tr *t, unsigned op, unsigned rs1, unsigned rs2) {
    bool w = t->rv64;
    if (op >= OP_BEQZ && op <= OP_BGEZ) {
        unsigned a = get(t, rs1, RAX);
        x_test_rm_r(HOT, w, XR(a), a);
    } else {
        unsigned a = get(t, rs1, RAX);
        x_alu_r_rm(HOT, ALU_CMP, w, a, operand(t, rs2, RCX));
    }
    switch (op) {
    case OP_BEQ: case OP_BEQZ: return CC_E;
    case OP_BNE: case OP_BNEZ: return CC_NE;
    case OP_BLT: case OP_BLTZ: return CC_L;
    case OP_BGE: case OP_BGEZ: return CC_GE;
    case OP_BLTU: return CC_B;
    default: return CC_AE;  // BGEU
    }
}

/// A conditional branch. Both ways check the same budget, so one check comes first (negative: a
/// cold copy of the compare picks the limit stop); then the taken way's weight is charged with
/// a flag-less LEA, the compare jumps straight to the target, and the way on corrects the charge.
static void emit_branch(tr *t, uint32_t slot, const vm_insn *in) {
    uint32_t target = (uint32_t)in->imm;
    uint32_t wt = t->code[target].weight, wn = t->code[slot + 1].weight;
    if (wt <= INT32_MAX / 2 && wn <= INT32_MAX / 2) {
        // Stubs first: none may land inside the cold sequence below.
        uint32_t limit_taken = limit_stub(t, target), limit_on = limit_stub(t, slot + 1);
        uint32_t dest = transfer_label(t, target), stop = label_new(t);
        x_test_rm_r(HOT, true, XR(R_BUDGET), R_BUDGET);
        jcc_to(t, SEC_HOT, CC_S, stop);
        if (wt) x_lea(HOT, true, R_BUDGET, XM(R_BUDGET, -(int32_t)wt));
        unsigned cc = compare(t, in->kind, in->rs1, in->rs2);
        jcc_to(t, SEC_HOT, cc, dest);
        if (wt != wn) x_lea(HOT, true, R_BUDGET, XM(R_BUDGET, (int32_t)wt - (int32_t)wn));
        t->cur = SEC_COLD;
        label_bind(t, stop, SEC_COLD);
        jcc_to(t, SEC_COLD, compare(t, in->kind, in->rs1, in->rs2), limit_taken);
        jmp_to(t, SEC_COLD, limit_on);
        t->cur = SEC_HOT;
        return;
    }
    unsigned cc = compare(t, in->kind, in->rs1, in->rs2);
    size_t not_taken = x_jcc8(HOT, cc ^ 1);
    size_t start = HOT->len;
    enter(t, (uint32_t)in->imm, false);
    if (HOT->len - start > 127) t->oom = true;  // cannot happen: the taken path is ~20 bytes
    x_here8(HOT, not_taken);
    enter(t, slot + 1, true);
}

/// A branch or JAL whose static target is outside the text: taken, it stops with
/// VM_STOP_BAD_JUMP (a JAL's link written first); not taken, it enters the next block.
static void emit_bad_target(tr *t, uint32_t slot, const vm_insn *in) {
    uint64_t target = pc_of(t, slot) + (uint64_t)(int64_t)in->imm;
    if (!t->rv64) target = (uint32_t)target;
    if (in->rd == OP_JAL) {
        put_const(t, in->rs2, pc_of(t, slot) + 4);
        x_mov_r_imm(HOT, RAX, target);
        x_mov_r_imm(HOT, RDX, slot);
        x_mov_r_imm(HOT, RCX, VM_STOP_BAD_JUMP);
        jmp_to(t, SEC_HOT, t->l_exit_target);
        return;
    }
    unsigned cc = compare(t, in->rd, in->rs1, in->rs2);
    uint32_t taken = label_new(t);
    jcc_to(t, SEC_HOT, cc, taken);
    label_bind(t, taken, SEC_COLD);
    x_mov_r_imm(COLD, RAX, target);
    x_mov_r_imm(COLD, RDX, slot);
    x_mov_r_imm(COLD, RCX, VM_STOP_BAD_JUMP);
    jmp_to(t, SEC_COLD, t->l_exit_target);
    enter(t, slot + 1, true);
}

static void emit_jalr(tr *t, uint32_t slot, const vm_insn *in) {
    bool w = t->rv64;
    address(t, in);
    if (t->jalr_clears_bit0) x_alu_rm_imm(HOT, ALU_AND, w, XR(RAX), -2);
    put_const(t, in->rd, pc_of(t, slot) + 4);
    unsigned own_map = t->map;
    // rcx = target - base, which must be 4-aligned and inside the text
    uint64_t base = w ? t->base : (uint32_t)t->base;
    if (x_fits32(-(int64_t)base)) {
        x_lea(HOT, w, RCX, XM(RAX, (int32_t)-(int64_t)base));
    } else {
        x_mov_r_rm(HOT, w, RCX, XR(RAX));
        x_mov_r_imm(HOT, RDX, base);
        x_alu_r_rm(HOT, ALU_SUB, w, RCX, XR(RDX));
    }
    uint32_t bad = stop_stub(t, slot, VM_STOP_BAD_JUMP, true);
    x_test8_rm_imm(HOT, XR(RCX), 3);
    jcc_to(t, SEC_HOT, CC_NE, bad);
    x_alu_rm_imm(HOT, ALU_CMP, w, XR(RCX), (int32_t)t->text_bytes);
    jcc_to(t, SEC_HOT, CC_AE, bad);
    // Entry (address, weight, address in its region's map) of slot rcx / 4 is 32 bytes at
    // table + 8 * rcx.
    fix(t, SEC_HOT, x_op(HOT, true, false, false, (const uint8_t[]){0x8D}, 1, RDX, XRIP()), t->l_table);
    if (own_map) {
        // A target inside the same region keeps the map (a limit stop takes the way below).
        uint32_t outside = label_new(t);
        uint32_t head = t->map_head[own_map], len = t->map_end[own_map] - head + 1;
        x_lea(HOT, false, RAX, XM(RCX, -(int32_t)(4 * head)));
        x_alu_rm_imm(HOT, ALU_CMP, false, XR(RAX), (int32_t)(4 * len));
        jcc_to(t, SEC_HOT, CC_AE, outside);
        x_test_rm_r(HOT, true, XR(R_BUDGET), R_BUDGET);
        jcc_to(t, SEC_HOT, CC_S, outside);
        x_alu_r_rm(HOT, ALU_SUB, true, R_BUDGET, XMI(RDX, RCX, 8, 8));
        x_jmp_rm(HOT, XMI(RDX, RCX, 8, 16));
        label_bind(t, outside, SEC_HOT);
        convert(t, HOT, own_map, 0);  // the table's entries expect the global map
        set_map(t, 0);
    }
    x_test_rm_r(HOT, true, XR(R_BUDGET), R_BUDGET);
    jcc_to(t, SEC_HOT, CC_S, t->l_jalr_limit);
    x_alu_r_rm(HOT, ALU_SUB, true, R_BUDGET, XMI(RDX, RCX, 8, 8));
    x_jmp_rm(HOT, XMI(RDX, RCX, 8, 0));
    if (own_map) set_map(t, own_map);
}

/// ECALL: as L_ECALL, with the pinned registers written back for the handler and reloaded.
static void emit_ecall(tr *t, uint32_t slot) {
    x_test_rm_r(HOT, true, XR(R_BUDGET), R_BUDGET);
    jcc_to(t, SEC_HOT, CC_S, stop_stub(t, slot, VM_STOP_LIMIT, false));
    x_mov_rm_r(HOT, true, XM(R_VM, (int32_t)offsetof(vm_t, ecall_budget)), R_BUDGET);
    spill(t, HOT);
    x_mov_r_rm(HOT, true, RDI, XR(R_VM));
    x_mov_r_imm(HOT, RAX, (uint64_t)(uintptr_t)&vm_ecall);
    x_call_rm(HOT, XR(RAX));
    reload(t, HOT);
    // Not VM_CONTINUE: charge the extra cycles unless the syscall failed, and stop.
    uint32_t stop = label_new(t);
    x_test_rm_r(HOT, false, XR(RAX), RAX);
    jcc_to(t, SEC_HOT, CC_NE, stop);
    label_bind(t, stop, SEC_COLD);
    x_alu_rm_imm(COLD, ALU_CMP, false, XR(RAX), VM_ERROR);
    size_t failed = x_jcc8(COLD, CC_E);
    x_mov_r_rm(COLD, false, RCX, XM(R_VM, (int32_t)offsetof(vm_t, syscall_cycles)));
    x_alu_r_rm(COLD, ALU_SUB, true, R_BUDGET, XR(RCX));
    x_here8(COLD, failed);
    x_mov_r_rm(COLD, false, RCX, XR(RAX));
    x_mov_r_imm(COLD, RDX, slot);
    jmp_to(t, SEC_COLD, t->l_exit);
    // VM_CONTINUE: the extra cycles, then the next block (no budget check, as the interpreter).
    x_mov_r_rm(HOT, false, RCX, XM(R_VM, (int32_t)offsetof(vm_t, syscall_cycles)));
    x_alu_r_rm(HOT, ALU_SUB, true, R_BUDGET, XR(RCX));
    uint32_t w = t->code[slot + 1].weight;
    if (w) x_alu_rm_imm(HOT, ALU_SUB, true, XR(R_BUDGET), (int32_t)w);
}

/// A slot that stops the loop where it is (EBREAK, UNIMP, ILLEGAL, NOT_TEXT, END).
static void emit_stop(tr *t, uint32_t slot, vm_stop stop) {
    x_mov_r_imm(HOT, RDX, slot);
    x_mov_r_imm(HOT, RCX, (uint64_t)stop);
    jmp_to(t, SEC_HOT, t->l_exit);
}

/// Returns false for an op the JIT does not translate (none should reach it).
static bool emit_slot(tr *t, uint32_t i) {
    const vm_insn *in = &t->code[i];
    bool w = t->rv64;
    switch (in->kind) {
    case OP_ADD: emit_alu(t, in, ALU_ADD, false, false); break;
    case OP_SUB: emit_alu(t, in, ALU_SUB, false, false); break;
    case OP_XOR: emit_alu(t, in, ALU_XOR, false, false); break;
    case OP_OR: emit_alu(t, in, ALU_OR, false, false); break;
    case OP_AND: emit_alu(t, in, ALU_AND, false, false); break;
    case OP_MUL: emit_alu(t, in, 0, true, false); break;
    case OP_SLL: emit_shift(t, in, SH_SHL, true, false); break;
    case OP_SRL: emit_shift(t, in, SH_SHR, true, false); break;
    case OP_SRA: emit_shift(t, in, SH_SAR, true, false); break;
    case OP_SLT: emit_set(t, in, CC_L, false); break;
    case OP_SLTU: emit_set(t, in, CC_B, false); break;
    case OP_MULH: case OP_MULHSU: case OP_MULHU: emit_mulh(t, in); break;
    case OP_DIV: emit_div(t, in, true, false, false); break;
    case OP_DIVU: emit_div(t, in, false, false, false); break;
    case OP_REM: emit_div(t, in, true, true, false); break;
    case OP_REMU: emit_div(t, in, false, true, false); break;
    case OP_ADDI: emit_alu_imm(t, in, ALU_ADD, false); break;
    case OP_XORI: emit_alu_imm(t, in, ALU_XOR, false); break;
    case OP_ORI: emit_alu_imm(t, in, ALU_OR, false); break;
    case OP_ANDI: emit_alu_imm(t, in, ALU_AND, false); break;
    case OP_SLLI: emit_shift(t, in, SH_SHL, false, false); break;
    case OP_SRLI: emit_shift(t, in, SH_SHR, false, false); break;
    case OP_SRAI: emit_shift(t, in, SH_SAR, false, false); break;
    case OP_SLTI: emit_set(t, in, CC_L, true); break;
    case OP_SLTIU: emit_set(t, in, CC_B, true); break;
    case OP_LI: put_const(t, in->rd, w ? (uint64_t)(int64_t)in->imm : (uint32_t)in->imm); break;
    case OP_MV:
        if (in->rd == VM_REG_SINK) break;
        if (pinned(t, in->rd)) load_into(t, host_of(t, in->rd), in->rs1, w);
        else put(t, in->rd, get(t, in->rs1, RAX));
        break;
    case OP_LB: case OP_LH: case OP_LW: case OP_LBU: case OP_LHU: case OP_LWU: case OP_LD:
    case OP_SB: case OP_SH: case OP_SW: case OP_SD:
        emit_access(t, i, in);
        break;
    case OP_ADDW: emit_alu(t, in, ALU_ADD, false, true); break;
    case OP_SUBW: emit_alu(t, in, ALU_SUB, false, true); break;
    case OP_SLLW: emit_shift(t, in, SH_SHL, true, true); break;
    case OP_SRLW: emit_shift(t, in, SH_SHR, true, true); break;
    case OP_SRAW: emit_shift(t, in, SH_SAR, true, true); break;
    case OP_MULW: emit_alu(t, in, 0, true, true); break;
    case OP_DIVW: emit_div(t, in, true, false, true); break;
    case OP_DIVUW: emit_div(t, in, false, false, true); break;
    case OP_REMW: emit_div(t, in, true, true, true); break;
    case OP_REMUW: emit_div(t, in, false, true, true); break;
    case OP_ADDIW: emit_alu_imm(t, in, ALU_ADD, true); break;
    case OP_SLLIW: emit_shift(t, in, SH_SHL, false, true); break;
    case OP_SRLIW: emit_shift(t, in, SH_SHR, false, true); break;
    case OP_SRAIW: emit_shift(t, in, SH_SAR, false, true); break;
    case OP_AUIPC: put_const(t, in->rd, pc_of(t, i) + (uint64_t)(int64_t)in->imm); break;
    case OP_BEQ: case OP_BNE: case OP_BLT: case OP_BGE: case OP_BLTU: case OP_BGEU:
    case OP_BEQZ: case OP_BNEZ: case OP_BLTZ: case OP_BGEZ:
        emit_branch(t, i, in);
        break;
    case OP_JAL:
        put_const(t, in->rd, pc_of(t, i) + 4);
        enter(t, (uint32_t)in->imm, false);
        break;
    case OP_JALR: emit_jalr(t, i, in); break;
    case OP_ECALL: emit_ecall(t, i); break;
    case OP_BRANCH_BAD_TARGET: emit_bad_target(t, i, in); break;
    case OP_EBREAK: emit_stop(t, i, VM_STOP_BREAKPOINT); break;
    case OP_UNIMP: emit_stop(t, i, VM_STOP_UNIMPLEMENTED); break;
    case OP_ILLEGAL: emit_stop(t, i, VM_STOP_ILLEGAL); break;
    case OP_NOT_TEXT: emit_stop(t, i, VM_STOP_NOT_TEXT); break;
    case OP_END: emit_stop(t, i, VM_STOP_END); break;
    default: return false;
    }
    return true;
}

// MARK: - Entry and exit

static const uint8_t saved[] = {RBP, RBX, R12, R13, R14, R15};

/// void entry(vm_t *vm /* rdi */, vm_run *run /* rsi */): enters run->ip's block.
static void emit_entry(tr *t) {
    for (size_t k = 0; k < sizeof saved; k++) x_push(HOT, saved[k]);
    x_alu_rm_imm(HOT, ALU_SUB, true, XR(RSP), 8);  // 7 pushes in all: rsp is 16-aligned at calls
    x_mov_rm_r(HOT, true, XM(RSP, 0), RSI);        // the run, for the exit
    x_mov_r_rm(HOT, true, R_VM, XR(RDI));
    x_mov_r_rm(HOT, true, R_MEM, XM(RDI, (int32_t)offsetof(vm_t, mem)));
    x_mov_r_rm(HOT, true, R_BUDGET, XM(RSI, (int32_t)offsetof(vm_run, budget)));
    x_mov_r_rm(HOT, true, RCX, XM(RSI, (int32_t)offsetof(vm_run, ip)));
    x_alu_r_rm(HOT, ALU_SUB, true, RCX, XM(RSI, (int32_t)offsetof(vm_run, code)));  // 16 * slot
    x_shift_imm(HOT, SH_SHR, true, XR(RCX), 2);  // 4 * slot, as at a JALR
    reload(t, HOT);
    fix(t, SEC_HOT, x_op(HOT, true, false, false, (const uint8_t[]){0x8D}, 1, RDX, XRIP()), t->l_table);
    x_alu_r_rm(HOT, ALU_SUB, true, R_BUDGET, XMI(RDX, RCX, 8, 8));
    x_jmp_rm(HOT, XMI(RDX, RCX, 8, 0));
}

/// The exits: ecx = vm_stop, edx = slot (and, at l_exit_target, rax = run->target).
static void emit_exits(tr *t) {
    uint32_t tail = label_new(t), tail_target = label_new(t);
    for (unsigned m = 1; m < t->map_count; m++) {  // the exits of the loop regions' maps
        set_map(t, m);
        label_bind(t, t->l_exit_target, SEC_COLD);
        spill(t, COLD);
        jmp_to(t, SEC_COLD, tail_target);
        label_bind(t, t->l_exit, SEC_COLD);
        spill(t, COLD);
        jmp_to(t, SEC_COLD, tail);
        // The table entry of map m's slots: rdx = the table, rcx = 4 * the slot (as at a JALR
        // and at the entry); continues at the slot's own code.
        label_bind(t, t->map_from_global[m], SEC_COLD);
        convert(t, COLD, 0, m);
        x_jmp_rm(COLD, XMI(RDX, RCX, 8, 16));
    }
    set_map(t, 0);
    label_bind(t, t->l_exit_target, SEC_HOT);
    spill(t, HOT);
    label_bind(t, tail_target, SEC_HOT);
    x_mov_r_rm(HOT, true, RSI, XM(RSP, 0));
    x_mov_rm_r(HOT, true, XM(RSI, (int32_t)offsetof(vm_run, target)), RAX);
    size_t to_tail = x_jmp8(HOT);
    label_bind(t, t->l_exit, SEC_HOT);
    spill(t, HOT);
    label_bind(t, tail, SEC_HOT);
    x_mov_r_rm(HOT, true, RSI, XM(RSP, 0));
    x_here8(HOT, to_tail);
    x_mov_rm_r(HOT, false, XM(RSI, (int32_t)offsetof(vm_run, stop)), RCX);
    x_mov_rm_r(HOT, true, XM(RSI, (int32_t)offsetof(vm_run, budget)), R_BUDGET);
    x_shift_imm(HOT, SH_SHL, true, XR(RDX), 4);  // sizeof(vm_insn)
    x_alu_r_rm(HOT, ALU_ADD, true, RDX, XM(RSI, (int32_t)offsetof(vm_run, code)));
    x_mov_rm_r(HOT, true, XM(RSI, (int32_t)offsetof(vm_run, ip)), RDX);
    x_alu_rm_imm(HOT, ALU_ADD, true, XR(RSP), 8);
    for (size_t k = sizeof saved; k-- > 0;) x_pop(HOT, saved[k]);
    x_ret(HOT);

    // The limit stop of a JALR: rdx = table, rcx = 4 * target slot.
    label_bind(t, t->l_jalr_limit, SEC_COLD);
    x_alu_r_rm(COLD, ALU_SUB, true, R_BUDGET, XMI(RDX, RCX, 8, 8));
    x_shift_imm(COLD, SH_SHR, true, XR(RCX), 2);
    x_mov_r_rm(COLD, false, RDX, XR(RCX));
    x_mov_r_imm(COLD, RCX, VM_STOP_LIMIT);
    jmp_to(t, SEC_COLD, t->l_exit);
}

_Static_assert(sizeof(vm_insn) == 16, "the exit computes ip as code + 16 * slot, the entry the reverse");

static void tr_free(tr *t) {
    free(t->sec[0].p);
    free(t->sec[1].p);
    free(t->labels);
    free(t->fixups);
    free(t->limit_stub);
    free(t->limit_map);
    free(t->region);
    free(t->maps);
    free(t->map_exit);
    free(t->map_exit_target);
    free(t->map_from_global);
    free(t->map_head);
    free(t->map_end);
}

/// Translates into `j`; on failure sets j->reason.
static void translate(const zkvm_program *p, vm_jit *j) {
    const vm_abi_desc *abi = p->abi;
    if (abi->xlen != 32 && abi->xlen != 64) {
        snprintf(j->reason, sizeof j->reason, "no JIT for RV%u", abi->xlen);
        return;
    }
    if ((uint64_t)p->text_words * 4 > INT32_MAX) {
        snprintf(j->reason, sizeof j->reason, "text too large for the JIT");
        return;
    }
    tr t = {.p = p, .code = p->code, .n = p->text_words, .rv64 = abi->xlen == 64, .base = p->text_base,
            .text_bytes = (uint64_t)p->text_words * 4, .lowest = abi->mem_lowest, .end = abi->mem_end,
            .jalr_clears_bit0 = abi->jalr_clears_bit0};
    t.limit_stub = malloc(((size_t)t.n + 1) * sizeof *t.limit_stub);
    t.limit_map = calloc((size_t)t.n + 1, sizeof *t.limit_map);
    t.region = calloc((size_t)t.n + 1, sizeof *t.region);
    t.maps = calloc(MAP_MAX, sizeof *t.maps);
    t.map_exit = calloc(MAP_MAX, sizeof *t.map_exit);
    t.map_exit_target = calloc(MAP_MAX, sizeof *t.map_exit_target);
    t.map_from_global = calloc(MAP_MAX, sizeof *t.map_from_global);
    t.map_head = calloc(MAP_MAX, sizeof *t.map_head);
    t.map_end = calloc(MAP_MAX, sizeof *t.map_end);
    if (!t.limit_stub || !t.limit_map || !t.region || !t.maps || !t.map_exit || !t.map_exit_target ||
        !t.map_from_global || !t.map_head || !t.map_end) {
        tr_free(&t);
        snprintf(j->reason, sizeof j->reason, "out of memory");
        return;
    }
    memset(t.limit_stub, 0xFF, ((size_t)t.n + 1) * sizeof *t.limit_stub);
    choose_pins(&t);
    set_map(&t, 0);
    for (unsigned g = 1; g < 32; g++) j->pinned += pinned(&t, g);
    // Room for the typical output (~32 hot and ~16 cold bytes, 2 labels and 3 fixups a slot).
    xb_reserve(&t.sec[SEC_HOT], 40 * (size_t)t.n + 4096);
    xb_reserve(&t.sec[SEC_COLD], 20 * (size_t)t.n + 4096);
    t.labels = malloc((t.label_cap = 2 * (size_t)t.n + 64) * sizeof *t.labels);
    t.fixups = malloc((t.fixup_cap = 3 * (size_t)t.n + 64) * sizeof *t.fixups);
    if (!t.labels || !t.fixups) t.label_cap = t.fixup_cap = 0;  // grown on demand instead
    for (uint32_t i = 0; i <= t.n; i++) label_new(&t);  // label i = slot i
    for (unsigned m = 0; m < t.map_count; m++) {
        t.map_exit[m] = label_new(&t);
        t.map_exit_target[m] = label_new(&t);
        t.map_from_global[m] = label_new(&t);
    }
    set_map(&t, 0);
    t.l_table = label_new(&t);
    t.l_jalr_limit = label_new(&t);

    emit_entry(&t);
    emit_exits(&t);
    // Table entries: a slot's code, or for a slot of a loop region a stub entering its map.
    uint32_t *entry_label = malloc(((size_t)t.n + 1) * sizeof *entry_label);
    if (!entry_label) t.oom = true;
    for (uint32_t i = 0; i <= t.n && !t.oom; i++) {
        unsigned m = t.region[i];
        if (m != t.map) {  // the previous slot's fall-through enters this map
            convert(&t, &t.sec[SEC_HOT], t.map, m);
            set_map(&t, m);
        }
        label_bind(&t, i, SEC_HOT);
        entry_label[i] = m ? t.map_from_global[m] : i;
        if (!emit_slot(&t, i)) {
            free(entry_label);
            snprintf(j->reason, sizeof j->reason, "op %u at slot %u has no translation", t.code[i].kind, i);
            tr_free(&t);
            return;
        }
    }
    if (t.oom || t.sec[0].oom || t.sec[1].oom) {
        snprintf(j->reason, sizeof j->reason, "out of memory while translating");
        free(entry_label);
        tr_free(&t);
        return;
    }

    // Layout: hot code, cold code, the table of slot entries (16-byte aligned).
    size_t hot = t.sec[0].len, cold = t.sec[1].len;
    size_t table_off = (hot + cold + 15) & ~(size_t)15;
    size_t table_bytes = ((size_t)t.n + 1) * 32;
    size_t page = 4096, size = (table_off + table_bytes + page - 1) & ~(page - 1);
    uint8_t *map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (map == MAP_FAILED) {
        snprintf(j->reason, sizeof j->reason, "mmap of %zu bytes for the JIT's code failed: %s", size, strerror(errno));
        free(entry_label);
        tr_free(&t);
        return;
    }
    memcpy(map, t.sec[0].p, hot);
    memcpy(map + hot, t.sec[1].p, cold);
    size_t sec_base[2] = {0, hot};
    label_bind(&t, t.l_table, SEC_HOT);
    t.labels[t.l_table] = (label){.sec = SEC_HOT, .off = (uint32_t)table_off};
    bool unbound = false;
    for (size_t k = 0; k < t.fixup_count; k++) {
        const fixup *f = &t.fixups[k];
        const label *l = &t.labels[f->label];
        if (l->sec < 0) {
            unbound = true;
            break;
        }
        int64_t from = (int64_t)(sec_base[f->sec] + f->at + 4);
        int64_t to = (int64_t)(sec_base[l->sec] + l->off);
        int32_t rel = (int32_t)(to - from);
        memcpy(map + sec_base[f->sec] + f->at, &rel, 4);
    }
    uint8_t *table = map + table_off;
    for (uint32_t i = 0; i <= t.n; i++) {
        const label *l = &t.labels[entry_label[i]];
        const label *own = &t.labels[i];
        uint64_t entry[4] = {(uint64_t)(uintptr_t)(map + sec_base[l->sec] + l->off), (uint64_t)t.code[i].weight,
                             (uint64_t)(uintptr_t)(map + sec_base[own->sec] + own->off), 0};
        memcpy(table + 32 * (size_t)i, entry, 32);
    }
#ifdef ZKVM_JIT_PERFMAP
    {
        char path[64];
        snprintf(path, sizeof path, "/tmp/perf-%d.map", (int)getpid());
        FILE *f = fopen(path, "a");
        if (f) {
            for (uint32_t i = 0; i < t.n; i++) {
                uint64_t a = (uint64_t)(uintptr_t)map + t.labels[i].off, b = (uint64_t)(uintptr_t)map + t.labels[i + 1].off;
                if (b > a && b - a < 4096) fprintf(f, "%llx %llx s%u_k%u\n", (unsigned long long)a, (unsigned long long)(b - a), i, t.code[i].kind);
            }
            fprintf(f, "%llx %zx cold\n", (unsigned long long)(uintptr_t)(map + hot), cold);
            fclose(f);
        }
        snprintf(path, sizeof path, "/tmp/jitcode-%d.bin", (int)getpid());
        f = fopen(path, "wb");
        if (f) { fwrite(map, 1, hot + cold, f); fclose(f); }
        fprintf(stderr, "jit map %p hot %zu cold %zu\n", (void *)map, hot, cold);
    }
#endif
    free(entry_label);
    tr_free(&t);
    if (unbound) {
        munmap(map, size);
        snprintf(j->reason, sizeof j->reason, "internal error: a jump to an unplaced label");
        return;
    }
    if (mprotect(map, size, PROT_READ | PROT_EXEC) != 0) {
        snprintf(j->reason, sizeof j->reason, "mprotect(PROT_READ | PROT_EXEC) of the JIT's code failed: %s",
                 strerror(errno));
        munmap(map, size);
        return;
    }
    j->code_bytes = hot + cold;
    j->map_bytes = size;
    j->map = map;
    j->loop = (vm_loop_fn)(void *)map;  // the entry is the first code of the mapping
}

static void unmap(vm_jit *j) {
    if (j->map) munmap(j->map, j->map_bytes);
}

#else  // not x86-64

static void translate(const zkvm_program *p, vm_jit *j) {
    (void)p;
    snprintf(j->reason, sizeof j->reason, "the JIT translates to x86-64 only; this host runs the interpreter");
}

static void unmap(vm_jit *j) { (void)j; }

#endif

static void jit_destroy(vm_translation *self) {
    vm_jit *j = (vm_jit *)self;
    unmap(j);
    free(j);
}

const vm_jit *vm_jit_of(const zkvm_program *p) {
    return (const vm_jit *)__atomic_load_n(&p->translation, __ATOMIC_ACQUIRE);
}

const vm_jit *vm_jit_prepare(const zkvm_program *p) {
    const vm_jit *have = vm_jit_of(p);
    if (have) return have;
    vm_jit *j = calloc(1, sizeof *j);
    if (!j) return NULL;
    j->base.destroy = jit_destroy;
    uint64_t start = now_ns();
    translate(p, j);
    j->translate_ns = now_ns() - start;
    // The program is shared and otherwise immutable; its translation is a cache set once.
    vm_translation *expected = NULL;
    vm_translation **slot = &((zkvm_program *)p)->translation;
    if (!__atomic_compare_exchange_n(slot, &expected, &j->base, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
        jit_destroy(&j->base);  // another thread was first
        return (const vm_jit *)expected;
    }
    return j;
}
