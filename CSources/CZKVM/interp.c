// RV32IM execution: the interpreter loops (interp_loop.h) and the driver that picks the loops for
// the program's ABI, sets up the memory image, switches loops around unconstrained blocks and
// turns a stop into a result.

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "program.h"
#include "vm.h"

/// Why a loop returned. The first five values mirror vm_action.
typedef enum vm_stop {
    VM_STOP_CONTINUE = VM_CONTINUE,
    VM_STOP_HALT = VM_HALT,
    VM_STOP_ERROR = VM_ERROR,  ///< a syscall recorded an error in vm->status
    VM_STOP_ENTER_UNCONSTRAINED = VM_ENTER_UNCONSTRAINED,
    VM_STOP_EXIT_UNCONSTRAINED = VM_EXIT_UNCONSTRAINED,
    VM_STOP_LIMIT,
    VM_STOP_MEMORY_FAULT,
    VM_STOP_BAD_JUMP,
    VM_STOP_BREAKPOINT,
    VM_STOP_UNIMPLEMENTED,
    VM_STOP_ILLEGAL,
    VM_STOP_NOT_TEXT,
    VM_STOP_END,
} vm_stop;

typedef struct vm_run {
    const vm_insn *ip;  ///< in: block to enter; out: slot that stopped the loop
    int64_t budget;     ///< max_cycles - cycles, where cycles include the current block's weight
    vm_stop stop;
    uint32_t target;  ///< faulting address or jump target
} vm_run;

static inline uint32_t ror32(uint32_t x, unsigned n) { return (x >> n) | (x << (32 - n)); }
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
static inline void store32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static inline void store16(uint8_t *p, uint16_t v) { memcpy(p, &v, 2); }

// Division as RISC-V (and SP1) define it: no traps.
static inline uint32_t rv_div(uint32_t a, uint32_t b) {
    if (b == 0) return 0xFFFFFFFFu;
    if (a == 0x80000000u && b == 0xFFFFFFFFu) return a;
    return (uint32_t)((int32_t)a / (int32_t)b);
}
static inline uint32_t rv_divu(uint32_t a, uint32_t b) { return b == 0 ? 0xFFFFFFFFu : a / b; }
static inline uint32_t rv_rem(uint32_t a, uint32_t b) {
    if (b == 0) return a;
    if (a == 0x80000000u && b == 0xFFFFFFFFu) return 0;
    return (uint32_t)((int32_t)a % (int32_t)b);
}
static inline uint32_t rv_remu(uint32_t a, uint32_t b) { return b == 0 ? a : a % b; }

/// Condition of a branch whose static target is invalid (rare: decoded as OP_BRANCH_BAD_TARGET).
static int branch_taken(uint8_t op, uint32_t a, uint32_t b) {
    switch (op) {
    case OP_BEQ: return a == b;
    case OP_BNE: return a != b;
    case OP_BLT: return (int32_t)a < (int32_t)b;
    case OP_BGE: return (int32_t)a >= (int32_t)b;
    case OP_BLTU: return a < b;
    case OP_BGEU: return a >= b;
    case OP_BEQZ: return a == 0;
    case OP_BNEZ: return a != 0;
    case OP_BLTZ: return (int32_t)a < 0;
    case OP_BGEZ: return (int32_t)a >= 0;
    default: return 1;  // JAL
    }
}

// The loops for SP1's window; JALR keeps bit 0 of its target.
#define LOOP_MEM_LOWEST ZKVM_MEM_LOWEST
#define LOOP_MEM_END ZKVM_MEM_END
#define LOOP_JALR_MASK 0xFFFFFFFFu

#define LOOP_NAME run_fast
#define LOOP_JOURNAL 0
#include "interp_loop.h"
#undef LOOP_NAME
#undef LOOP_JOURNAL

#define LOOP_NAME run_journaled
#define LOOP_JOURNAL 1
#include "interp_loop.h"
#undef LOOP_NAME
#undef LOOP_JOURNAL

#undef LOOP_MEM_LOWEST
#undef LOOP_MEM_END
#undef LOOP_JALR_MASK

// The loop for RISC Zero 1.x's window [0x400, 0x0C000000); JALR clears bit 0. It has no
// unconstrained blocks, so no journaling loop.
#define LOOP_MEM_LOWEST ZKVM_RISC0_GUEST_MIN_MEM
#define LOOP_MEM_END ZKVM_RISC0_GUEST_MAX_MEM
#define LOOP_JALR_MASK 0xFFFFFFFEu
#define LOOP_NAME run_risc0
#define LOOP_JOURNAL 0
#include "interp_loop.h"
#undef LOOP_NAME
#undef LOOP_JOURNAL
#undef LOOP_MEM_LOWEST
#undef LOOP_MEM_END
#undef LOOP_JALR_MASK

typedef void (*vm_loop_fn)(vm_t *restrict vm, vm_run *restrict run);

/// The loops compiled for one register width, guest window and JALR rule: the plain one and the
/// journaling one for unconstrained blocks (NULL for an ABI without them). A program runs on the
/// pair that matches its ABI.
typedef struct vm_loops {
    unsigned xlen;
    uint64_t mem_lowest, mem_end;
    bool jalr_clears_bit0;
    vm_loop_fn plain, journaled;
} vm_loops;

static const vm_loops loops[] = {
    {32, ZKVM_MEM_LOWEST, ZKVM_MEM_END, false, run_fast, run_journaled},
    {32, ZKVM_RISC0_GUEST_MIN_MEM, ZKVM_RISC0_GUEST_MAX_MEM, true, run_risc0, NULL},
};

static const vm_loops *loops_for(const vm_abi_desc *abi) {
    for (size_t i = 0; i < sizeof loops / sizeof loops[0]; i++)
        if (loops[i].xlen == abi->xlen && loops[i].mem_lowest == abi->mem_lowest && loops[i].mem_end == abi->mem_end &&
            loops[i].jalr_clears_bit0 == abi->jalr_clears_bit0)
            return &loops[i];
    return NULL;
}

zkvm_status zkvm_execute(const zkvm_program *p, zkvm_arena *arena, const zkvm_bytes *stdin_items, size_t stdin_count,
                         const zkvm_exec_options *options, zkvm_result *res) {
    memset(res, 0, sizeof *res);
    const vm_loops *loop = loops_for(p->abi);
    if (!loop) {
        res->status = ZKVM_ERR_HOST;
        snprintf(res->message, sizeof res->message, "no interpreter loop for %s (RV%u, guest window [0x%08llx, 0x%08llx))",
                 p->abi->name, p->abi->xlen, (unsigned long long)p->abi->mem_lowest, (unsigned long long)p->abi->mem_end);
        return res->status;
    }
    zkvm_exec_options opt = options ? *options : (zkvm_exec_options){.max_cycles = UINT64_MAX};

    vm_t vm;
    vm_init(&vm, arena->mem, p, p->abi);
    if (opt.max_public_values_bytes) vm.max_public_values = opt.max_public_values_bytes;
    if (opt.max_log_bytes) vm.max_log = opt.max_log_bytes;
    if (opt.max_hint_bytes) vm.max_hint = opt.max_hint_bytes;
    memcpy(vm.r0.random_seed, opt.random_seed, sizeof vm.r0.random_seed);
    for (size_t i = 0; i < stdin_count; i++)
        if (vm_input_push_borrowed(&vm, stdin_items[i].data, stdin_items[i].len) != 0) break;

    for (size_t i = 0; i < p->segment_count; i++)
        if (p->segments[i].filesz) memcpy(arena->mem + p->segments[i].vaddr, p->segments[i].bytes, p->segments[i].filesz);

    const int64_t max = opt.max_cycles > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)opt.max_cycles;
    vm.max_cycles = max;
    // The loader guarantees an SP1 entry inside the text; a RISC Zero one may lie outside it.
    const bool entry_in_text = p->entry >= p->text_base && (p->entry - p->text_base) / 4 < p->text_words;
    vm_run run = {.ip = p->code + (entry_in_text ? (p->entry - p->text_base) / 4 : p->text_words), .budget = max,
                  .stop = VM_STOP_NOT_TEXT};
    const vm_insn *enter_ip = NULL;  // the ENTER_UNCONSTRAINED ecall while a block is active

    while (entry_in_text && vm.status == ZKVM_OK) {
        if (vm.unconstrained)
            loop->journaled(&vm, &run);
        else
            loop->plain(&vm, &run);
        if (run.stop == VM_STOP_ENTER_UNCONSTRAINED) {
            // SP1 snapshots the clock here; the block (and its EXIT) will cost nothing.
            vm.saved_budget = run.budget;
            enter_ip = run.ip;
            run.ip++;
            continue;
        }
        if (run.stop == VM_STOP_EXIT_UNCONSTRAINED) {
            run.budget = vm.saved_budget;
            run.ip = enter_ip + 1;
            enter_ip = NULL;
            continue;
        }
        break;
    }

    const vm_insn *ip = run.ip;
    uint32_t pc = entry_in_text ? p->text_base + (uint32_t)(ip - p->code) * 4 : p->entry;
    uint64_t through_block = (uint64_t)(max - run.budget);  // cycles if the whole block ran
    uint64_t before = through_block - ip->weight;           // cycles completed before `ip`
    if (vm.unconstrained && run.stop != VM_STOP_LIMIT) {
        // Unconstrained instructions cost nothing: the count is the one at ENTER_UNCONSTRAINED.
        before = (uint64_t)(max - vm.saved_budget);
    } else if (run.stop != VM_STOP_LIMIT && run.stop != VM_STOP_HALT && before >= (uint64_t)max) {
        // The fault lies past the limit: the limit was reached first.
        run.stop = VM_STOP_LIMIT;
    }
    res->pc = pc;
    res->cycles = before;
    if (vm.unconstrained && (run.stop == VM_STOP_BAD_JUMP || run.stop == VM_STOP_END || run.stop == VM_STOP_NOT_TEXT)) {
        // SP1 ends the run when pc leaves the text; inside an unconstrained block that is an error.
        vm_fail(&vm, ZKVM_ERR_END_IN_UNCONSTRAINED, "program left its text at 0x%08x inside an unconstrained block",
                run.stop == VM_STOP_BAD_JUMP ? run.target : pc);
        run.stop = VM_STOP_ERROR;
    }
    switch (run.stop) {
    case VM_STOP_HALT:
        res->cycles = through_block;
        break;
    case VM_STOP_LIMIT:
        vm.status = ZKVM_OK;
        vm_fail(&vm, ZKVM_ERR_CYCLE_LIMIT, "cycle limit exceeded: %llu %s executed (max_cycles = %llu)",
                (unsigned long long)max, p->abi->cycle_unit, (unsigned long long)max);
        res->cycles = (uint64_t)max;
        break;
    case VM_STOP_ERROR:
        // A syscall failed; like SP1's global_clk, the failing ECALL (e.g. HALT(1)) is not counted.
        if (vm.status == ZKVM_OK) vm_fail(&vm, ZKVM_ERR_HOST, "syscall failed without a reason");
        break;
    case VM_STOP_MEMORY_FAULT: {
        const char *kind = ip->kind == OP_LW || ip->kind == OP_SW   ? "word"
                           : ip->kind == OP_LH || ip->kind == OP_LHU || ip->kind == OP_SH ? "halfword"
                                                                                       : "byte";
        const char *dir = ip->kind >= OP_SB ? "store" : "load";
        uint32_t a = run.target;
        bool misaligned = (kind[0] == 'w' && (a & 3)) || (kind[0] == 'h' && (a & 1));
        vm_fail(&vm, ZKVM_ERR_MEMORY_ACCESS, "%s %s %s at address 0x%08x", misaligned ? "misaligned" : "invalid", kind,
                dir, a);
        if (!misaligned)
            snprintf(vm.message + strlen(vm.message), sizeof vm.message - strlen(vm.message),
                     " (outside guest memory [0x%08llx, 0x%08llx))", (unsigned long long)p->abi->mem_lowest,
                     (unsigned long long)p->abi->mem_end);
        res->addr = a;
        break;
    }
    case VM_STOP_BAD_JUMP:
        vm_fail(&vm, ZKVM_ERR_INVALID_JUMP, "jump to 0x%08x, which is %s", run.target,
                (run.target & 3) ? "not 4-byte aligned" : "outside the program text");
        res->addr = run.target;
        break;
    case VM_STOP_BREAKPOINT:
        vm_fail(&vm, ZKVM_ERR_BREAKPOINT, "EBREAK");
        res->word = (uint32_t)ip->imm;
        break;
    case VM_STOP_UNIMPLEMENTED:
        vm_fail(&vm, ZKVM_ERR_UNIMPLEMENTED, "unimplemented instruction 0x%08x (CSR, FENCE, MRET, WFI or UNIMP)",
                (uint32_t)ip->imm);
        res->word = (uint32_t)ip->imm;
        break;
    case VM_STOP_ILLEGAL:
        vm_fail(&vm, ZKVM_ERR_ILLEGAL_INSTRUCTION, "illegal instruction 0x%08x (not RV32IM)", (uint32_t)ip->imm);
        res->word = (uint32_t)ip->imm;
        break;
    case VM_STOP_NOT_TEXT:
        vm_fail(&vm, ZKVM_ERR_INVALID_JUMP, "execution reached 0x%08x, which is %s", pc,
                vm_abi_range_ok(p->abi, pc, 4) ? "not in an executable segment" : "outside guest memory");
        res->addr = pc;
        break;
    case VM_STOP_END:
        vm_fail(&vm, ZKVM_ERR_INVALID_JUMP, "execution ran past the end of the program text at 0x%08x", pc);
        res->addr = pc;
        break;
    default:
        break;
    }

    res->status = vm.status;
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
    vm_destroy(&vm);
    vm_arena_reset(arena);
    return res->status;
}

void zkvm_result_free(zkvm_result *res) {
    free(res->public_values);
    free(res->stdout_data);
    free(res->stderr_data);
    res->public_values = res->stdout_data = res->stderr_data = NULL;
}
