// Execution: the interpreter loops (interp_loop.h, instantiated per register width, guest window
// and mode) and the driver that picks the loops for the program's ABI (or the JIT's translation,
// jit/, in plain mode), sets up the memory image, switches loops around unconstrained blocks,
// takes SP1 v6's traps and untrusted instructions, checks the memory cap between budget chunks
// and turns a stop into a result. Every loop has the contract of run.h.

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "debug.h"
#include "jit/jit.h"
#include "loader.h"
#include "profile.h"
#include "program.h"
#include "run.h"
#include "vm.h"

static inline uint32_t ror32(uint32_t x, unsigned n) { return (x >> n) | (x << (32 - n)); }
static inline uint64_t ror64(uint64_t x, unsigned n) { return (x >> n) | (x << (64 - n)); }
static inline uint64_t load64(const uint8_t *p) {
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}
static inline uint32_t load32(const uint8_t *p) {
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}
static inline uint16_t load16(const uint8_t *p) {
    uint16_t v;
    memcpy(&v, p, 2);
    return v;
}
static inline void store64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }
static inline void store32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static inline void store16(uint8_t *p, uint16_t v) { memcpy(p, &v, 2); }

// Division and high multiplication as RISC-V (and SP1) define them, at each width: no traps;
// x / 0 = all ones, x % 0 = x, MIN / -1 = MIN, MIN % -1 = 0.
#define RV_ARITH(bits, U, S, WS, WU)                                                                  \
    static inline U rv_div##bits(U a, U b) {                                                          \
        if (b == 0) return (U)-1;                                                                     \
        if (a == (U)1 << (bits - 1) && b == (U)-1) return a;                                          \
        return (U)((S)a / (S)b);                                                                      \
    }                                                                                                 \
    static inline U rv_divu##bits(U a, U b) { return b == 0 ? (U)-1 : a / b; }                        \
    static inline U rv_rem##bits(U a, U b) {                                                          \
        if (b == 0) return a;                                                                         \
        if (a == (U)1 << (bits - 1) && b == (U)-1) return 0;                                          \
        return (U)((S)a % (S)b);                                                                      \
    }                                                                                                 \
    static inline U rv_remu##bits(U a, U b) { return b == 0 ? a : a % b; }                            \
    static inline U rv_mulh##bits(U a, U b) { return (U)(((WS)(S)a * (WS)(S)b) >> bits); }            \
    static inline U rv_mulhsu##bits(U a, U b) { return (U)(((WS)(S)a * (WS)(WU)b) >> bits); }         \
    static inline U rv_mulhu##bits(U a, U b) { return (U)(((WU)a * (WU)b) >> bits); }
RV_ARITH(32, uint32_t, int32_t, int64_t, uint64_t)
RV_ARITH(64, uint64_t, int64_t, __int128, unsigned __int128)
#undef RV_ARITH

/// Condition of a branch whose static target is invalid (rare: decoded as OP_BRANCH_BAD_TARGET).
static int branch_taken(uint8_t op, uint64_t a, uint64_t b, unsigned xlen) {
    int64_t sa = xlen == 32 ? (int32_t)a : (int64_t)a, sb = xlen == 32 ? (int32_t)b : (int64_t)b;
    switch (op) {
    case OP_BEQ: return a == b;
    case OP_BNE: return a != b;
    case OP_BLT: return sa < sb;
    case OP_BGE: return sa >= sb;
    case OP_BLTU: return a < b;
    case OP_BGEU: return a >= b;
    case OP_BEQZ: return a == 0;
    case OP_BNEZ: return a != 0;
    case OP_BLTZ: return sa < 0;
    case OP_BGEZ: return sa >= 0;
    default: return 1;  // JAL
    }
}

// MARK: - Loop instances

// Each loop is a set of handler functions, one per op and superinstruction, that tail-call each
// other: a handler ends in its own indirect jump through the dispatch table (so each has its own
// prediction history), and the loop's state (ip, registers, memory, budget, ...) stays in the
// same host registers across handlers, which clang allocates per small function rather than over
// one huge one. `musttail` guarantees the jump at every optimisation level (no stack growth);
// `preserve_none` frees the callee-saved registers for the arguments where clang offers it; the
// handlers are leaf functions, built without a frame (Package.swift: -momit-leaf-frame-pointer).
#define LOOP_CAT2(a, b) a##b
#define LOOP_CAT(a, b) LOOP_CAT2(a, b)
#if defined(__has_attribute) && __has_attribute(musttail)
#define VM_MUSTTAIL __attribute__((musttail))
#else
#error "the interpreter needs guaranteed tail calls (clang's musttail)"
#endif
#if defined(__has_attribute) && __has_attribute(preserve_none) && (defined(__x86_64__) || defined(__aarch64__))
#define VM_HANDLER_CC __attribute__((preserve_none))
#else
#define VM_HANDLER_CC
#endif

/// Outside the handler variants that take an operand from a host register (interp_loop.h),
/// operands come from the register file.
static const int acc_on = 0, dep_on = 0;
static const uint64_t dep_value = 0;

/// What a handler reaches through memory: the rarely used parts of the loop's state.
typedef struct vm_loop_env {
    vm_t *vm;
    vm_run *run;
    const uint8_t *prot;
} vm_loop_env;

// Which loops are compiled. All of them in the product; the benchmark harness (scripts/interp-bench)
// may leave some out to compile faster, and a program whose loops are missing then fails to run.
#ifndef VM_LOOPS_RV32
#define VM_LOOPS_RV32 1
#endif
#ifndef VM_LOOPS_RV64
#define VM_LOOPS_RV64 1
#endif
#ifndef VM_LOOPS_RISC0
#define VM_LOOPS_RISC0 1
#endif
#ifndef VM_LOOPS_JOURNALED
#define VM_LOOPS_JOURNALED 1
#endif
#ifdef ZKVM_PROFILE
const vm_insn *vm_profile_code;
uint64_t *vm_profile_counts;
#endif

// RV32IM on SP1 v3-v5's window; JALR keeps bit 0 of its target (an odd target fails).
#define LOOP_XLEN 32
#define LOOP_USER 0
#define LOOP_JALR_MASK (~(uint64_t)0)
#define LOOP_MEM_LOWEST ZKVM_MEM_LOWEST
#define LOOP_MEM_END ZKVM_MEM_END
#if VM_LOOPS_RV32
#define LOOP_NAME run_rv32
#define LOOP_JOURNAL 0
#include "interp_loop.h"
#if VM_LOOPS_JOURNALED
#define LOOP_NAME run_rv32_journaled
#define LOOP_JOURNAL 1
#include "interp_loop.h"
#else
#define run_rv32_journaled NULL
#endif
#endif
#undef LOOP_XLEN
#undef LOOP_USER
#undef LOOP_JALR_MASK
#undef LOOP_MEM_LOWEST
#undef LOOP_MEM_END

// RV64IM on SP1 v6's window [0, 2^40); JALR clears bit 0; normal and untrusted (page permissions).
#define LOOP_XLEN 64
#define LOOP_JALR_MASK (~(uint64_t)1)
#define LOOP_MEM_LOWEST 0
#define LOOP_MEM_END ZKVM_SP1_V6_MEM_END
#define LOOP_USER 0
#define LOOP_NAME run_rv64
#define LOOP_JOURNAL 0
#include "interp_loop.h"
#define LOOP_NAME run_rv64_journaled
#define LOOP_JOURNAL 1
#include "interp_loop.h"
#undef LOOP_USER
#define LOOP_USER 1
#define LOOP_NAME run_rv64_user
#define LOOP_JOURNAL 0
#include "interp_loop.h"
#define LOOP_NAME run_rv64_user_journaled
#define LOOP_JOURNAL 1
#include "interp_loop.h"
#undef LOOP_XLEN
#undef LOOP_USER
#undef LOOP_JALR_MASK
#undef LOOP_MEM_LOWEST
#undef LOOP_MEM_END

// RV32IM on RISC Zero 1.x's window [0x400, 0x0C000000); JALR clears bit 0. RISC Zero has no
// unconstrained blocks, so no journaling loop.
#define LOOP_XLEN 32
#define LOOP_USER 0
#define LOOP_JALR_MASK (~(uint64_t)1)
#define LOOP_MEM_LOWEST ZKVM_RISC0_GUEST_MIN_MEM
#define LOOP_MEM_END ZKVM_RISC0_GUEST_MAX_MEM
#if VM_LOOPS_RISC0
#define LOOP_NAME run_risc0
#define LOOP_JOURNAL 0
#include "interp_loop.h"
#endif
#undef LOOP_XLEN
#undef LOOP_USER
#undef LOOP_JALR_MASK
#undef LOOP_MEM_LOWEST
#undef LOOP_MEM_END

/// The loops compiled for one register width, guest window and JALR rule: normal and journaling
/// (for unconstrained blocks; NULL for an ABI without them), each in supervisor and (where the ABI
/// has it) untrusted mode. A program runs on the set that matches its ABI.
typedef struct vm_loops {
    unsigned xlen;
    uint64_t mem_lowest, mem_end;
    bool jalr_clears_bit0;
    vm_loop_fn plain, journaled, user, user_journaled;
    /// A jump or taken branch out of the text retires before the next fetch fails (SP1 v6 counts
    /// it); else it is the failing instruction (the engine's rule for SP1 v3-v5 and RISC Zero).
    bool jump_out_retires;
} vm_loops;

static const vm_loops loops[] = {
#if VM_LOOPS_RV32
    {32, ZKVM_MEM_LOWEST, ZKVM_MEM_END, false, run_rv32, run_rv32_journaled, NULL, NULL, false},
#endif
#if VM_LOOPS_RV64
    {64, 0, ZKVM_SP1_V6_MEM_END, true, run_rv64, run_rv64_journaled, run_rv64_user, run_rv64_user_journaled, true},
#endif
#if VM_LOOPS_RISC0
    {32, ZKVM_RISC0_GUEST_MIN_MEM, ZKVM_RISC0_GUEST_MAX_MEM, true, run_risc0, NULL, NULL, NULL, false},
#endif
};

static const vm_loops *loops_for(const vm_abi_desc *abi) {
    for (size_t i = 0; i < sizeof loops / sizeof loops[0]; i++)
        if (loops[i].xlen == abi->xlen && loops[i].mem_lowest == abi->mem_lowest && loops[i].mem_end == abi->mem_end &&
            loops[i].jalr_clears_bit0 == abi->jalr_clears_bit0)
            return &loops[i];
    return NULL;
}

// MARK: - Driver

/// Cycles a loop may run before it returns for the driver's periodic checks (the memory cap): a
/// fraction of a millisecond, so a guest touching fresh pages cannot overshoot the cap by much.
#define VM_CHUNK_CYCLES (1 << 18)
#define DEFAULT_MAX_MEMORY (4ull << 30)

/// One execution's driver state.
typedef struct vm_exec {
    vm_t *vm;
    const zkvm_program *p;
    vm_run run;
    uint64_t limit;       ///< max_cycles
    uint64_t done;        ///< instructions completed so far (SP1's global_clk, plus the current block's)
    uint64_t saved_done;  ///< `done` at ENTER_UNCONSTRAINED: what the whole block will have cost
    uint64_t enter_pc;    ///< pc of the active ENTER_UNCONSTRAINED
    vm_insn scratch[2];   ///< an untrusted instruction and its END sentinel (untrusted mode)
    uint64_t max_memory, faults_at_start;
    bool over_limit;      ///< the run needs more than `limit` instructions
    uint64_t failed_pc;   ///< where a transfer failed (its target)
    vm_profiler *prof;    ///< profile mode (zkvm_profile_execute): one block per loop call; else NULL
    uint64_t next_check;  ///< profile and debug modes: `done` at which the periodic host checks run next
    vm_debugger *dbg;     ///< debug mode (zkvm_debug_execute); else NULL
    vm_insn single[2];    ///< debug mode: one text instruction and the END sentinel (debug_single)
} vm_exec;

static uint64_t pc_of(const vm_run *run, const vm_insn *ip) { return run->base + (uint64_t)(ip - run->code) * 4; }

static uint64_t minor_faults(void) {
    struct rusage ru;
    return getrusage(RUSAGE_THREAD, &ru) == 0 ? (uint64_t)ru.ru_minflt : 0;
}

/// Faults since the start of the execution, each one a first touch of a 4 KiB page (the arenas
/// have no huge pages): the memory the execution holds, guest pages and host buffers alike.
static int check_memory(vm_exec *x) {
    uint64_t bytes = (minor_faults() - x->faults_at_start) * VM_PAGE_SIZE;
    if (bytes <= x->max_memory) return 0;
    return vm_fail(x->vm, ZKVM_ERR_MEMORY_LIMIT,
                   "memory limit exceeded: the execution touched %llu MiB (limit %llu MiB)",
                   (unsigned long long)(bytes >> 20), (unsigned long long)(x->max_memory >> 20));
}

/// The periodic host checks (memory cap, interrupt, wall time), due again VM_CHUNK_CYCLES later.
static void host_checks(vm_exec *x) {
    x->next_check = x->done + VM_CHUNK_CYCLES;
    if (check_memory(x) == 0 && (x->vm->interrupt || x->vm->deadline_ns)) vm_check_host_stops(x->vm);
}

/// A stop the host imposed (memory cap, interrupt, wall time), not one of the program's own.
static bool host_stop(zkvm_status status) {
    return status == ZKVM_ERR_MEMORY_LIMIT || status == ZKVM_ERR_INTERRUPTED || status == ZKVM_ERR_TIME_LIMIT;
}

static int fetch_untrusted(vm_exec *x, uint64_t pc);

/// Continues at guest address `target`: in the pre-decoded text (its end included, where the END
/// sentinel stops the loop), else, in untrusted mode, as an instruction fetched from memory.
/// Returns 0, or -1 with an error recorded.
static int transfer(vm_exec *x, uint64_t target) {
    const zkvm_program *p = x->p;
    uint64_t off = target - p->text_base;
    if (!(off & 3) && off <= (uint64_t)p->text_words * 4) {
        x->run.code = p->code;
        x->run.base = p->text_base;
        x->run.text_bytes = (uint64_t)p->text_words * 4;
        x->run.ip = p->code + (off >> 2);
        return 0;
    }
    if (x->vm->prot) return fetch_untrusted(x, target);
    x->failed_pc = target;
    return vm_fail(x->vm, ZKVM_ERR_INVALID_JUMP, "jump to 0x%08llx, which is %s", (unsigned long long)target,
                   (target & 3)                         ? "not 4-byte aligned"
                   : vm_abi_range_ok(p->abi, target, 4) ? "outside the program text"
                                                        : "outside guest memory");
}

/// Writes a u64 to guest memory as the machine does (journaled inside an unconstrained block).
static int store_u64(vm_t *vm, uint64_t addr, uint64_t value) {
    if (vm->unconstrained && vm_journal_page_of(vm, addr) != 0) return -1;
    store64(vm_bytes(vm, addr), value);
    return 0;
}

/// SP1 v6's trap (untrusted mode) of the instruction at `pc`, which completes `done` instructions
/// so far and costs `own` cycles: with a trap context, the instruction counts, and control goes
/// to the handler the context names, which receives the code and the pc; without one the
/// violation ends the run and the instruction does not count.
static int take_trap(vm_exec *x, uint64_t pc, unsigned code, uint64_t own) {
    const zkvm_program *p = x->p;
    vm_t *vm = x->vm;
    const char *kind = code == VM_TRAP_EXEC ? "execute" : code == VM_TRAP_READ ? "read" : "write";
    x->failed_pc = pc;
    if (!p->has_trap_context)
        return vm_fail(vm, ZKVM_ERR_MEMORY_ACCESS,
                       "page permission violation (%s, trap code %u) at pc 0x%08llx, and the program has no "
                       "__SUCCINCT_TRAP_CONTEXT",
                       kind, code, (unsigned long long)pc);
    if ((x->done += own) > x->limit) {
        x->over_limit = true;
        return -1;
    }
    uint64_t ctx = p->trap_context;
    if ((ctx & 7) || !vm_range_ok(vm, ctx, 24))
        return vm_fail(vm, ZKVM_ERR_MEMORY_ACCESS, "trap context 0x%08llx is not an 8-aligned guest address",
                       (unsigned long long)ctx);
    uint64_t handler = load64(vm_bytes(vm, ctx));
    if (store_u64(vm, ctx + 8, code) || store_u64(vm, ctx + 16, pc)) return -1;
    return transfer(x, handler);
}

/// Untrusted mode: the instruction at `pc`, outside the pre-decoded text, is fetched from guest
/// memory (its page must be readable and executable, else an execute or read trap), decoded and
/// run alone in the scratch slots.
static int fetch_untrusted(vm_exec *x, uint64_t pc) {
    vm_t *vm = x->vm;
    unsigned code = vm_range_ok(vm, pc & ~7ull, 8) ? vm_prot_violation(vm, pc & ~7ull, 8, VM_PROT_READ | VM_PROT_EXEC)
                                                    : VM_TRAP_EXEC;  // outside the window: default R+W pages
    if (code) return take_trap(x, pc, code, 1);  // the fetch counts as the trapping instruction
    x->failed_pc = pc;
    if (pc & 3) return vm_fail(vm, ZKVM_ERR_INVALID_JUMP, "jump to 0x%08llx, which is not 4-byte aligned", (unsigned long long)pc);
    uint32_t word = load32(vm_bytes(vm, pc));
    vm_insn insn = vm_decode_word(word, pc, x->p->abi->xlen);
    if (insn.kind == OP_ILLEGAL) {
        vm->err_word = word;
        return vm_fail(vm, ZKVM_ERR_ILLEGAL_INSTRUCTION, "untrusted instruction 0x%08x at 0x%08llx does not decode",
                       word, (unsigned long long)pc);
    }
    x->scratch[0] = insn;
    vm_resolve_and_weigh(x->scratch, 1, x->p->abi->op_cycles);
    x->run.code = x->scratch;
    x->run.base = pc;
    x->run.text_bytes = 4;
    x->run.ip = x->scratch;
    return 0;
}

/// The loop for the machine's current mode: in plain mode the JIT's translation when there is
/// one (`jit`), else the interpreter loop.
static vm_loop_fn loop_of(const vm_loops *l, const vm_t *vm, const vm_run *run, vm_loop_fn jit) {
    if (vm->prot) return vm->unconstrained ? l->user_journaled : l->user;
    if (vm->unconstrained) return l->journaled;
    return jit && run->code == vm->program->code ? jit : l->plain;
}

/// An auto run of an untranslated program switches to the JIT once it has run VM_CHUNK_CYCLES
/// cycles and 64 per instruction of the text: a translation costs about as much as interpreting
/// that many cycles, so a short run of a big program does not pay for one (later runs of the
/// program use it from their first instruction).
static uint64_t auto_jit_threshold(const zkvm_program *p) {
    uint64_t per_text = 64ull * p->text_words;
    return per_text > VM_CHUNK_CYCLES ? per_text : VM_CHUNK_CYCLES;
}

/// The translation to run, translating now if needed, or NULL (the reason in res->engine_note).
/// The host memory a translation touches is not the guest's: it does not count against the run's
/// memory cap.
static vm_loop_fn jit_loop(vm_exec *x, zkvm_result *res) {
    const zkvm_program *p = x->p;
    bool made = vm_jit_of(p) == NULL;
    uint64_t faults = made ? minor_faults() : 0;
    const vm_jit *j = vm_jit_prepare(p);
    if (made) x->faults_at_start += minor_faults() - faults;
    if (made && j) res->jit_translate_ns += j->translate_ns;
    if (j && j->loop) return j->loop;
    snprintf(res->engine_note, sizeof res->engine_note, "JIT unavailable, the interpreter ran: %s",
             j ? j->reason : "out of memory");
    return NULL;
}

/// A memory fault in untrusted mode is a trap when the page denies the access (SP1 checks the
/// permission before the address): returns its code, or 0.
static unsigned fault_trap_code(const vm_exec *x, const vm_insn *ip, uint64_t addr) {
    bool store;
    if (!x->vm->prot || !vm_op_access(ip->kind, &store) || !vm_range_ok(x->vm, addr & ~7ull, 8)) return 0;
    return vm_prot_violation(x->vm, addr & ~7ull, 1, store ? VM_PROT_WRITE : VM_PROT_READ);
}

/// Describes a memory fault at run->target by the faulting slot's access.
static void memory_fault(vm_exec *x, const vm_insn *ip, zkvm_result *res) {
    bool store;
    unsigned size = vm_op_access(ip->kind, &store);
    const char *kind = size == 8 ? "doubleword" : size == 4 ? "word" : size == 2 ? "halfword" : "byte";
    uint64_t a = x->run.target;
    bool misaligned = size > 1 && (a & (size - 1));
    vm_t *vm = x->vm;
    vm_fail(vm, ZKVM_ERR_MEMORY_ACCESS, "%s %s %s at address 0x%08llx", misaligned ? "misaligned" : "invalid", kind,
            store ? "store" : "load", (unsigned long long)a);
    if (!misaligned)
        snprintf(vm->message + strlen(vm->message), sizeof vm->message - strlen(vm->message),
                 " (outside guest memory [0x%08llx, 0x%08llx))", (unsigned long long)x->p->abi->mem_lowest,
                 (unsigned long long)x->p->abi->mem_end);
    res->addr = a;
}

// MARK: - Debug mode

/// Debug mode: the text instruction at run->ip runs alone, in x->single followed by the END
/// sentinel, so that the loop returns after it: falling through stops at END, and its jump or
/// taken branch (a target outside these slots, as BRANCH_BAD_TARGET; text_bytes 0 for JALR)
/// stops with VM_STOP_BAD_JUMP and the target (single_done carries on from both). The slot is
/// the pre-decoded one without its superinstruction, so it runs, and costs, as in the text.
static void debug_single(vm_exec *x) {
    vm_run *run = &x->run;
    const vm_insn *ip = run->ip;
    vm_insn insn = *ip;
    if ((insn.kind >= OP_BEQ && insn.kind <= OP_BGEZ) || insn.kind == OP_JAL) {
        insn.imm = (int32_t)(((int64_t)insn.imm - (ip - x->p->code)) * 4);  // slot index -> byte offset
        if (insn.kind == OP_JAL) insn.rs2 = insn.rd;
        insn.rd = insn.kind;
        insn.kind = OP_BRANCH_BAD_TARGET;
    }
    insn.op = insn.kind;
    x->single[0] = insn;
    vm_resolve_and_weigh(x->single, 1, x->p->abi->op_cycles);
    run->base = pc_of(run, ip);
    run->code = x->single;
    run->text_bytes = 0;
    run->ip = x->single;
}

/// Debug mode, after a pass of debug_single that stopped at END or BAD_JUMP: when the instruction
/// completed and control stays in the text (the END after it, or a target in the text), counts it,
/// moves on and returns true; a jump out of the text or the text's own END fails as in a normal
/// run (false).
static bool single_done(vm_exec *x, const vm_insn *ip, uint64_t charged) {
    const zkvm_program *p = x->p;
    uint64_t next = x->run.stop == VM_STOP_END ? x->run.base + 4 : x->run.target;
    if (x->run.stop == VM_STOP_END ? ip != x->single + 1 : ((next - p->text_base) & 3) || next - p->text_base >= (uint64_t)p->text_words * 4)
        return false;
    x->done += charged;
    transfer(x, next);
    // A normal run's loop checks the budget at each jump and taken branch (ENTER; the loop itself
    // checked a branch not taken).
    if (x->run.stop == VM_STOP_BAD_JUMP && x->done > x->limit) x->over_limit = true;
    return true;
}

/// Debug mode, before a pass: stops for the debugger where it asks to (vm_debug_event_at) and,
/// while it steps or has breakpoints, sets the pass up to run one instruction (debug_single).
/// Returns 0, or -1 with an error recorded (the debugger ended the run).
static int debug_pass(vm_exec *x, bool *first) {
    vm_debugger *d = x->dbg;
    vm_run *run = &x->run;
    uint64_t pc = pc_of(run, run->ip);
    int event = vm_debug_event_at(d, pc, *first, x->done);
    *first = false;
    if (event >= 0) {
        zkvm_debug_machine m = {.vm = x->vm, .debugger = d, .pc = pc, .cycles = x->done};
        if (vm_debug_stop(d, &m, (zkvm_debug_event)event) == ZKVM_DEBUG_KILL) {
            x->failed_pc = pc;
            return vm_fail(x->vm, ZKVM_ERR_INTERRUPTED, "the debugger ended the run at pc 0x%08llx", (unsigned long long)pc);
        }
        if (m.pc_moved && transfer(x, m.pc) != 0) return -1;
    }
    if (vm_debug_single(d) && run->code == x->p->code) {
        if (x->done >= x->next_check) host_checks(x);
        if (x->vm->status != ZKVM_OK) return -1;
        debug_single(x);
    }
    return 0;
}

/// A run that could not start for a reason of the host's: `res` says so (status ZKVM_ERR_HOST).
static zkvm_status host_failure(zkvm_result *res, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static zkvm_status host_failure(zkvm_result *res, const char *fmt, ...) {
    memset(res, 0, sizeof *res);
    res->status = ZKVM_ERR_HOST;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(res->message, sizeof res->message, fmt, ap);
    va_end(ap);
    return res->status;
}

/// zkvm_execute, or with `prof` the profile mode: on the interpreter, one basic block per loop
/// call (vm_profile_chunk), each pass handed to the profiler. The chunks differ, nothing else: the
/// loops count exactly whatever their budgets, and a chunk that is the whole allowance behaves as
/// in a normal run. With `dbg`, the debug mode: on the interpreter, stopping for the debugger
/// (debug_pass), one instruction per loop call while it steps or has breakpoints.
static zkvm_status execute(const zkvm_program *p, zkvm_arena *arena, const zkvm_bytes *stdin_items, size_t stdin_count,
                           const zkvm_exec_options *options, zkvm_result *res, vm_profiler *prof, vm_debugger *dbg) {
    memset(res, 0, sizeof *res);
    const vm_loops *loop = loops_for(p->abi);
    if (!loop || vm_arena_prepare(arena, p->abi) != 0)
        return host_failure(res, "%s for %s (RV%u, guest window [0x%08llx, 0x%08llx))",
                            loop ? "could not reserve guest memory" : "no interpreter loop", p->abi->name,
                            p->abi->xlen, (unsigned long long)p->abi->mem_lowest, (unsigned long long)p->abi->mem_end);
    zkvm_exec_options opt = options ? *options : (zkvm_exec_options){.max_cycles = UINT64_MAX};

    vm_t vm;
    vm_init(&vm, arena->mem, p, p->abi);
    if (opt.max_public_values_bytes) vm.max_public_values = opt.max_public_values_bytes;
    if (opt.max_log_bytes) vm.max_log = opt.max_log_bytes;
    if (opt.max_hint_bytes) vm.max_hint = opt.max_hint_bytes;
    vm.interrupt = opt.interrupt;
    if (opt.max_wall_ns) {
        vm.wall_limit_ns = opt.max_wall_ns;
        vm.deadline_ns = vm_now_ns() + opt.max_wall_ns;
        if (vm.deadline_ns < opt.max_wall_ns) vm.deadline_ns = UINT64_MAX;  // no wrap-around
    }
    if (opt.max_work) {
        vm.work_limit = opt.max_work;
    } else {
        vm.work_limit = zkvm_default_max_work(opt.max_cycles);
        vm.work_max_cycles = opt.max_cycles;
        vm.work_derived = true;
    }
    memcpy(vm.r0.random_seed, opt.random_seed, sizeof vm.r0.random_seed);
    vm_exec x = {.vm = &vm, .p = p, .limit = opt.max_cycles,
                 .max_memory = opt.max_memory_bytes ? opt.max_memory_bytes : DEFAULT_MAX_MEMORY,
                 .faults_at_start = minor_faults(), .prof = prof, .next_check = VM_CHUNK_CYCLES, .dbg = dbg};
    for (size_t i = 0; i < stdin_count; i++)
        if (vm_input_push_borrowed(&vm, stdin_items[i].data, stdin_items[i].len) != 0) break;

    for (size_t i = 0; i < p->segment_count; i++)
        if (p->segments[i].filesz) memcpy(arena->mem + p->segments[i].vaddr, p->segments[i].bytes, p->segments[i].filesz);
    if (p->untrusted) vm_prot_init(&vm);

    vm_run *run = &x.run;
    uint64_t pc = p->entry;
    if (vm.status == ZKVM_OK) transfer(&x, p->entry);

    // The JIT: from the start when asked for or when the program is already translated; an auto
    // run of an untranslated program switches once it has proved long (auto_jit_threshold).
    vm_loop_fn jit = NULL;
    bool jit_ran = false, may_switch = false;
    if (prof || dbg) {
        // The interpreter only.
    } else if (opt.engine == ZKVM_ENGINE_JIT) {
        jit = jit_loop(&x, res);
    } else if (opt.engine != ZKVM_ENGINE_INTERPRETER) {
        const vm_jit *j = vm_jit_of(p);
        jit = j ? j->loop : NULL;
        may_switch = !j;
    }
    const uint64_t switch_at = auto_jit_threshold(p);

    // Each pass runs the loop for the current mode on at most VM_CHUNK_CYCLES cycles and acts on
    // why it stopped; `done` counts the completed instructions exactly at every stop.
    vm_profile_pass pass = {0};
    uint64_t pass_done = 0;
    bool pass_open = false;
    vm_stop pass_stop = VM_STOP_CONTINUE;
    const vm_insn *pass_ip = NULL;
    bool first = true;
    while (vm.status == ZKVM_OK && !x.over_limit) {
        if (pass_open) {  // the previous pass, now that the driver has acted on its stop
            vm_profiler_pass(prof, &pass, pass_stop, pass_ip, (int64_t)(x.done - pass_done), vm.unconstrained);
            pass_open = false;
        }
        if (dbg && debug_pass(&x, &first) != 0) break;
        uint64_t allowance = x.limit - x.done;  // x.done <= x.limit here, but in debug mode (below)
        int64_t chunk = allowance > VM_CHUNK_CYCLES ? VM_CHUNK_CYCLES : (int64_t)allowance;
        // Debug mode counts a block's instructions one at a time, so it may be past the limit
        // inside a block: the budget is then negative, as the loop's own would be there, and the
        // block's end stops the run as in a normal one (its ECALL or branch, or single_done).
        if (x.done > x.limit) chunk = (int64_t)allowance;
        if (prof) {
            int64_t one = vm_profile_chunk(run->ip);
            if (one < chunk) chunk = one;
            pass = (vm_profile_pass){.entry = run->ip, .code = run->code, .base = run->base,
                                     .ecall_code = (uint32_t)vm_reg(&vm, VM_REG_T0), .unconstrained = vm.unconstrained};
            pass_done = x.done;
            pass_open = true;
        }
        run->budget = chunk;
        vm.budget_end = (int64_t)(x.done + (uint64_t)chunk);
        if (may_switch && x.done >= switch_at) {
            may_switch = false;
            jit = jit_loop(&x, res);
        }
        vm_loop_fn f = loop_of(loop, &vm, run, jit);
        jit_ran |= f == jit;
        f(&vm, run);
        const vm_insn *ip = run->ip;
        pass_stop = run->stop, pass_ip = ip;
        const uint64_t charged = (uint64_t)(chunk - run->budget);  // through the end of ip's block
        const uint64_t before = x.done + charged - ip->weight;     // completed before ip
        const uint64_t own = ip->weight - (ip->kind < OP_BEQ ? ip[1].weight : 0);  // ip's own cycles
        pc = pc_of(run, ip);
        unsigned trap;
        switch (run->stop) {
        case VM_STOP_LIMIT:  // ip has not run
            x.done = before;
            if ((uint64_t)chunk == allowance) {
                x.over_limit = true;
            } else if (!prof || x.done >= x.next_check) {  // profile mode: every VM_CHUNK_CYCLES
                host_checks(&x);
            }
            continue;
        case VM_STOP_ENTER_UNCONSTRAINED:
            // SP1 snapshots the clock here; the block (and its EXIT) will cost nothing.
            x.done += charged;
            x.saved_done = x.done;
            x.enter_pc = pc;
            if (run->code == x.single) transfer(&x, pc + 4);
            else run->ip = ip + 1;
            continue;
        case VM_STOP_EXIT_UNCONSTRAINED:
            x.done = x.saved_done;
            transfer(&x, x.enter_pc + 4);
            continue;
        case VM_STOP_JUMP:
            x.done += charged;
            transfer(&x, vm.jump_target);
            continue;
        case VM_STOP_TRAP:
            x.done = before;
            take_trap(&x, pc, ip->kind == OP_ECALL ? vm.trap_code : run->trap_code, own);
            continue;
        case VM_STOP_MEMORY_FAULT:
            x.done = before;
            if ((trap = fault_trap_code(&x, ip, run->target)) != 0) {
                take_trap(&x, pc, trap, own);
                continue;
            }
            break;
        case VM_STOP_BAD_JUMP:
        case VM_STOP_END:
            if (run->code == x.single && single_done(&x, ip, charged)) {
                pc = pc_of(run, run->ip);
                continue;
            }
            x.done = run->stop == VM_STOP_BAD_JUMP && loop->jump_out_retires ? x.done + charged : before;
            if (vm.prot) {  // untrusted mode: code outside the pre-decoded text runs from memory
                transfer(&x, run->stop == VM_STOP_BAD_JUMP ? run->target : pc);
                continue;
            }
            break;
        case VM_STOP_HALT:
            x.done += charged;
            break;
        default:  // a fault or a failing syscall: ip is not counted
            x.done = before;
            break;
        }
        break;
    }

    if (pass_open) vm_profiler_pass(prof, &pass, pass_stop, pass_ip, (int64_t)(x.done - pass_done), vm.unconstrained);
    // The last chunk too: a short run that touched too much memory fails as a long one would.
    if (vm.status == ZKVM_OK && !x.over_limit) check_memory(&x);
    res->pc = vm.status != ZKVM_OK && x.failed_pc ? x.failed_pc : pc;
    uint64_t cycles = x.done;
    if (vm.unconstrained && !x.over_limit) {
        // Unconstrained instructions cost nothing: the count is the one at ENTER_UNCONSTRAINED.
        cycles = x.saved_done;
        if (vm.status == ZKVM_OK &&
            (run->stop == VM_STOP_BAD_JUMP || run->stop == VM_STOP_END || run->stop == VM_STOP_NOT_TEXT)) {
            // SP1 ends the run when pc leaves the text; inside an unconstrained block that is an error.
            vm_fail(&vm, ZKVM_ERR_END_IN_UNCONSTRAINED, "program left its text at 0x%08llx inside an unconstrained block",
                    (unsigned long long)(run->stop == VM_STOP_BAD_JUMP ? run->target : pc));
        }
    } else if (!x.over_limit && run->stop != VM_STOP_HALT && !host_stop(vm.status) && cycles >= x.limit) {
        x.over_limit = true;  // the failing instruction lies past the limit: the limit was reached first
    }
    res->cycles = cycles;
    if (x.over_limit) {
        vm.status = ZKVM_OK;
        vm_fail(&vm, ZKVM_ERR_CYCLE_LIMIT, "cycle limit exceeded: %llu %s executed (max_cycles = %llu)",
                (unsigned long long)x.limit, p->abi->cycle_unit, (unsigned long long)x.limit);
        res->cycles = x.limit;
    } else if (vm.status == ZKVM_OK) {
        const vm_insn *ip = run->ip;
        switch (run->stop) {
        case VM_STOP_HALT: break;
        case VM_STOP_ERROR:
            // A syscall failed; like SP1's global_clk, the failing ECALL (e.g. HALT(1)) is not counted.
            vm_fail(&vm, ZKVM_ERR_HOST, "syscall failed without a reason");
            break;
        case VM_STOP_MEMORY_FAULT: memory_fault(&x, ip, res); break;
        case VM_STOP_BAD_JUMP:
            vm_fail(&vm, ZKVM_ERR_INVALID_JUMP, "jump to 0x%08llx, which is %s", (unsigned long long)run->target,
                    (run->target & 3) ? "not 4-byte aligned" : "outside the program text");
            res->addr = run->target;
            break;
        case VM_STOP_BREAKPOINT:
            vm_fail(&vm, ZKVM_ERR_BREAKPOINT, "EBREAK");
            res->word = (uint32_t)ip->imm;
            break;
        case VM_STOP_UNIMPLEMENTED:
            vm_fail(&vm, ZKVM_ERR_UNIMPLEMENTED, "unimplemented instruction 0x%08x (CSR, FENCE, MRET, WFI or UNIMP)", (uint32_t)ip->imm);
            res->word = (uint32_t)ip->imm;
            break;
        case VM_STOP_ILLEGAL:
            vm_fail(&vm, ZKVM_ERR_ILLEGAL_INSTRUCTION, "illegal instruction 0x%08x (not RV%uIM)", (uint32_t)ip->imm,
                    p->abi->xlen);
            res->word = (uint32_t)ip->imm;
            break;
        case VM_STOP_NOT_TEXT:
            vm_fail(&vm, ZKVM_ERR_INVALID_JUMP, "execution reached 0x%08llx, which is %s", (unsigned long long)pc,
                    vm_abi_range_ok(p->abi, pc, 4) ? "not in an executable segment" : "outside guest memory");
            res->addr = pc;
            break;
        case VM_STOP_END:
            vm_fail(&vm, ZKVM_ERR_INVALID_JUMP, "execution ran past the end of the program text at 0x%08llx",
                    (unsigned long long)pc);
            res->addr = pc;
            break;
        default: vm_fail(&vm, ZKVM_ERR_HOST, "the interpreter stopped for no reason (%d)", (int)run->stop); break;
        }
    }

    if (dbg && dbg->options.callback && !dbg->detached && !dbg->killed && vm.status != ZKVM_OK) {
        // The failed machine, for the debugger to inspect before it is gone.
        zkvm_debug_machine m = {.vm = &vm, .debugger = dbg, .pc = x.failed_pc ? x.failed_pc : pc, .cycles = res->cycles};
        vm_debug_stop(dbg, &m, ZKVM_DEBUG_FAULT);
    }
    if (opt.final_regs)
        for (unsigned i = 0; i < 32; i++) opt.final_regs[i] = vm_reg(&vm, i);
    if (opt.snapshot && opt.snapshot_len && vm_abi_range_ok(p->abi, opt.snapshot_addr, opt.snapshot_len))
        memcpy(opt.snapshot, arena->mem + opt.snapshot_addr, opt.snapshot_len);
    res->engine = jit_ran ? ZKVM_ENGINE_JIT : ZKVM_ENGINE_INTERPRETER;
    res->status = vm.status;
    res->work = vm.work;
    res->exit_code = vm.exit_code;
    res->exit_kind = vm.r0.paused ? ZKVM_EXIT_PAUSED : ZKVM_EXIT_HALTED;
    memcpy(res->output_digest, vm.r0.output_digest, sizeof res->output_digest);
    if (p->abi->id == ZKVM_ABI_RISC0_V1) {
        // RISC Zero's session journal: the fd-3 bytes if the guest halted with a non-zero output
        // digest, else none.
        static const uint8_t zero[32];
        if (memcmp(vm.r0.output_digest, zero, sizeof zero) == 0) vm.public_values.len = 0;
    }
    if (vm.status != ZKVM_OK) {
        snprintf(res->message, sizeof res->message, "%s", vm.message);
        if (!res->addr) res->addr = vm.err_addr;
        if (!res->word) res->word = vm.err_word;
    }
    res->digest_committed = vm.committed_mask == 0xFF && vm.status == ZKVM_OK;
    // Hand the output buffers to the result.
    res->public_values = vm.public_values.data, res->public_values_len = vm.public_values.len;
    res->stdout_data = vm.out.data, res->stdout_len = vm.out.len;
    res->stderr_data = vm.err.data, res->stderr_len = vm.err.len;
    vm.public_values = (vm_buf){0}, vm.out = (vm_buf){0}, vm.err = (vm_buf){0};
    res->region_count = vm_tracker_export(&vm.tracker, &res->regions);
    res->regions_truncated = vm.tracker.truncated;
    vm_destroy(&vm);
    vm_arena_reset(arena);
    return res->status;
}

zkvm_status zkvm_execute(const zkvm_program *p, zkvm_arena *arena, const zkvm_bytes *stdin_items, size_t stdin_count,
                         const zkvm_exec_options *options, zkvm_result *res) {
    return execute(p, arena, stdin_items, stdin_count, options, res, NULL, NULL);
}

zkvm_status zkvm_profile_execute(const zkvm_program *p, zkvm_arena *arena, const zkvm_bytes *stdin_items,
                                 size_t stdin_count, const zkvm_exec_options *options,
                                 const zkvm_profile_options *profile_options, zkvm_result *res, zkvm_profile *out) {
    vm_profiler prof;
    memset(out, 0, sizeof *out);
    if (vm_profiler_init(&prof, p, profile_options) != 0) {
        vm_profiler_finish(&prof, out);
        return host_failure(res, "out of memory for the profiler");
    }
    zkvm_status status = execute(p, arena, stdin_items, stdin_count, options, res, &prof, NULL);
    vm_profiler_finish(&prof, out);
    return status;
}

zkvm_status zkvm_debug_execute(const zkvm_program *p, zkvm_arena *arena, const zkvm_bytes *stdin_items,
                               size_t stdin_count, const zkvm_exec_options *options,
                               const zkvm_debug_options *debug_options, zkvm_result *res) {
    vm_debugger dbg;
    if (vm_debugger_init(&dbg, p, debug_options) != 0) {
        vm_debugger_free(&dbg);
        return host_failure(res, "out of memory for the debugger");
    }
    zkvm_status status = execute(p, arena, stdin_items, stdin_count, options, res, NULL, &dbg);
    vm_debugger_free(&dbg);
    return status;
}

void zkvm_result_free(zkvm_result *res) {
    free(res->public_values);
    free(res->stdout_data);
    free(res->stderr_data);
    res->public_values = res->stdout_data = res->stderr_data = NULL;
    for (size_t i = 0; i < res->region_count; i++) free((char *)res->regions[i].name);
    free(res->regions);
    res->regions = NULL;
    res->region_count = 0;
}

// MARK: - The JIT's state

static zkvm_jit_info jit_info(const vm_jit *j) {
    zkvm_jit_info info = {.state = ZKVM_JIT_NOT_TRANSLATED};
    if (!j) return info;
    info.state = j->loop ? ZKVM_JIT_READY : ZKVM_JIT_UNAVAILABLE;
    info.translate_ns = j->translate_ns;
    info.code_bytes = j->code_bytes;
    info.pinned_registers = j->pinned;
    snprintf(info.reason, sizeof info.reason, "%s", j->reason);
    return info;
}

zkvm_jit_info zkvm_program_jit_info(const zkvm_program *p) { return jit_info(vm_jit_of(p)); }

zkvm_jit_info zkvm_program_jit_prepare(const zkvm_program *p) {
    const vm_jit *j = vm_jit_prepare(p);
    zkvm_jit_info info = jit_info(j);
    if (!j) {
        info.state = ZKVM_JIT_UNAVAILABLE;
        snprintf(info.reason, sizeof info.reason, "out of memory");
    }
    return info;
}
