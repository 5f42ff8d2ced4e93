// The interpreter loop, written once and included by interp.c once per variant, with:
//   LOOP_NAME        the loop's entry function; its handlers are named LOOP_NAME_<op>
//   LOOP_XLEN        32 or 64: the register width. It fixes the register type, the immediates'
//                    sign extension, shift-amount masks, MULH*/DIV* widths and which ops (and
//                    superinstructions) the loop has: the RV64 loops add the *W ops, LD/LWU/SD
//                    and AUIPC (VM_RV64_OPS).
//   LOOP_JOURNAL     1: SP1 unconstrained blocks (each page is saved on its first store so
//                    EXIT_UNCONSTRAINED can undo the block); 0: normal execution. Keeping the
//                    journal out of the normal loop keeps its stores to one check and one move.
//   LOOP_USER        1: SP1 v6 untrusted mode, where loads and stores check the permission of
//                    their page (vm->prot) and a violation stops the loop with VM_STOP_TRAP.
//   LOOP_JALR_MASK   applied to JALR targets (~1 clears bit 0 as RISC-V, RISC Zero and SP1 v6
//                    do; SP1 v3-v5 keep it, so an odd target fails)
//   LOOP_MEM_LOWEST, LOOP_MEM_END  the guest window [lowest, end), compile-time constants so that
//                    every load and store is checked with one compare against an immediate.
//   LOOP_DEPENDENT   1: the dependent superinstructions get their own handlers (the hot loops);
//                    0: they run as plain pairs (the journaling and untrusted loops, which are
//                    rarely hot, stay a third of the size).
// (LOOP_NAME, LOOP_JOURNAL and LOOP_DEPENDENT are undefined again at the end of this file.)
//
// Dispatch is indirect threading over pre-decoded vm_insn slots: each op's handler is a function
// that ends by tail-calling the next slot's handler through the dispatch table (interp.c says
// why). Superinstructions: a slot of a VM_FUSE_FIRST op runs its body and then tail-calls its
// successor's handler directly (a static, always-predicted jump), so two guest instructions cost
// one indirect jump; when the successor reads the register the first op wrote, a dependent
// variant hands it the value in a host register instead of through memory (decode.c picks).
//
// Cycles are counted per basic block: entering a block at slot i subtracts code[i].weight (the
// cycles of the slots from i to the block's final control transfer, by the ABI's op_cycles) from
// `budget`; the block's final instruction checks budget >= 0 before transferring control. A
// syscall's extra cycles (vm->syscall_cycles) are charged after it ran. When the check fails the
// loop stops with VM_STOP_LIMIT at the slot it would run next, whose block is already charged and
// has not run (the driver, interp.c, either ends the run or resumes there with a new budget). A
// fault in the middle of a block recovers the exact count from the faulting slot's `weight`.

#if LOOP_XLEN == 64
#define UREG uint64_t
#define SREG int64_t
#define ROR ror64
#define RV(name) rv_##name##64
#define LOOP_REGS(vm) ((vm)->regs.x64)
#define LOOP_RV64_OPS(X, a) VM_RV64_OPS(X, a)
#define LOOP_FUSE_FIRST(X) VM_FUSE_FIRST(X)
#else
#define UREG uint32_t
#define SREG int32_t
#define ROR ror32
#define RV(name) rv_##name##32
#define LOOP_REGS(vm) ((vm)->regs.x32)
#define LOOP_RV64_OPS(X, a)
#define LOOP_FUSE_FIRST(X) VM_FUSE_FIRST_COMMON(X)
#endif
#define LOOP_STRAIGHT_OPS(X, a) VM_STRAIGHT_OPS(X, a) LOOP_RV64_OPS(X, a)
#define LOOP_OPS(X, a) LOOP_STRAIGHT_OPS(X, a) VM_CONTROL_OPS(X, a)

// Every handler has this signature (the state the loop keeps in host registers), so that each
// can tail-call the next; `t` is the loop's dispatch table.
#define ARGS                                                                                      \
    const vm_insn *restrict ip, UREG *restrict r, uint8_t *restrict m, int64_t budget,            \
        const vm_insn *restrict code, const void *const *restrict t, UREG base, vm_loop_env *restrict env
#define PASS ip, r, m, budget, code, t, base, env
#define HANDLER(name) LOOP_CAT(LOOP_NAME, _##name)
#define FUSED_NAME(first, second) LOOP_CAT(LOOP_NAME, _##first##_##second)
#define DEP_NAME(kind, first, second) LOOP_CAT(LOOP_NAME, _dep##kind##_##first##_##second)

// Declarations of every handler, then the dispatch table.
#define DECLARE(a, name) static VM_HANDLER_CC void HANDLER(name)(ARGS);
#define DECLARE_FUSED(first, second) static VM_HANDLER_CC void FUSED_NAME(first, second)(ARGS);
#define DECLARE_DEP1(first, second) static VM_HANDLER_CC void DEP_NAME(1, first, second)(ARGS);
#define DECLARE_DEP2(first, second) static VM_HANDLER_CC void DEP_NAME(2, first, second)(ARGS);
#if LOOP_DEPENDENT
#define DECLARE_FUSED_ALL(first) LOOP_OPS(DECLARE_FUSED, first) LOOP_OPS(DECLARE_DEP1, first) LOOP_OPS(DECLARE_DEP2, first)
#else
#define DECLARE_FUSED_ALL(first) LOOP_OPS(DECLARE_FUSED, first)
#endif
LOOP_OPS(DECLARE, _)
LOOP_FUSE_FIRST(DECLARE_FUSED_ALL)
#undef DECLARE
#undef DECLARE_FUSED
#undef DECLARE_DEP1
#undef DECLARE_DEP2
#undef DECLARE_FUSED_ALL

#define ENTRY(a, name) [OP_##name] = (const void *)HANDLER(name),
#define FUSED_ENTRY(first, second) [FUSED_OP(FUSE_##first, OP_##second)] = (const void *)FUSED_NAME(first, second),
#if LOOP_DEPENDENT
#define DEP1_ENTRY(first, second) [FUSED_DEP_OP(1, FUSE_##first, OP_##second)] = (const void *)DEP_NAME(1, first, second),
#define DEP2_ENTRY(first, second) [FUSED_DEP_OP(2, FUSE_##first, OP_##second)] = (const void *)DEP_NAME(2, first, second),
#else  // the plain pairs run the dependent ones (same effect, operand reloaded)
#define DEP1_ENTRY(first, second) [FUSED_DEP_OP(1, FUSE_##first, OP_##second)] = (const void *)FUSED_NAME(first, second),
#define DEP2_ENTRY(first, second) [FUSED_DEP_OP(2, FUSE_##first, OP_##second)] = (const void *)FUSED_NAME(first, second),
#endif
#define FUSED_ENTRIES(first) LOOP_OPS(FUSED_ENTRY, first) LOOP_OPS(DEP1_ENTRY, first) LOOP_OPS(DEP2_ENTRY, first)
static const void *const LOOP_CAT(LOOP_NAME, _dispatch)[VM_DISPATCH_COUNT] = {LOOP_OPS(ENTRY, _) LOOP_FUSE_FIRST(FUSED_ENTRIES)};
#undef ENTRY
#undef FUSED_ENTRY
#undef DEP1_ENTRY
#undef DEP2_ENTRY
#undef FUSED_ENTRIES

typedef VM_HANDLER_CC void (*LOOP_CAT(LOOP_NAME, _handler))(ARGS);
#define CALL(fn) VM_MUSTTAIL return (fn)(PASS)

#ifdef ZKVM_PROFILE
    // Benchmark builds only (scripts/interp-bench): count each dispatched slot of the program text.
#define DISPATCH()                                                                 \
    do {                                                                           \
        if (code == vm_profile_code) vm_profile_counts[ip - code]++;               \
        CALL(((const LOOP_CAT(LOOP_NAME, _handler) *)t)[ip->op]);                 \
    } while (0)
#else
#define DISPATCH() CALL(((const LOOP_CAT(LOOP_NAME, _handler) *)t)[ip->op])
#endif
#define NEXT()      \
    do {            \
        ip++;       \
        DISPATCH(); \
    } while (0)
    // Stops the loop at ip (run.h's contract).
#define STOP(why)                       \
    do {                                \
        env->run->stop = (why);         \
        env->run->ip = ip;              \
        env->run->budget = budget;      \
        return;                         \
    } while (0)
    // Leave the current block (checking its cycles) and enter the block at `target`.
#define ENTER(target)                        \
    do {                                     \
        if (VM_UNLIKELY(budget < 0)) {       \
            ip = (target);                   \
            budget -= ip->weight;            \
            STOP(VM_STOP_LIMIT);             \
        }                                    \
        ip = (target);                       \
        budget -= ip->weight;                \
        DISPATCH();                          \
    } while (0)
// A dependent superinstruction (below) shadows dep_on / dep_value to take an operand from the
// first op's result; elsewhere they are the file-scope constants 0 and the operands are loaded.
#define RS1 ((UREG)(dep_on == 1 ? dep_value : r[ip->rs1]))
#define RS2 ((UREG)(dep_on == 2 ? dep_value : r[ip->rs2]))
#define RD r[ip->rd]
#define IMM ((UREG)(SREG)ip->imm)
#define ADDR (RS1 + IMM)
#define PC (base + (UREG)(ip - code) * 4)
#define SHAMT(x) ((x) & (LOOP_XLEN - 1))
#define SEXT32(x) ((UREG)(SREG)(int32_t)(uint32_t)(x))
    // Window checks in one compare: rotating right moves misaligned low bits to the top.
#define BAD(a, log2) (ROR((UREG)((a) - LOOP_MEM_LOWEST), log2) > \
                      (UREG)(((UREG)LOOP_MEM_END - (1u << (log2)) - LOOP_MEM_LOWEST) >> (log2)))
#define BAD_BYTE(a) ((UREG)((a) - LOOP_MEM_LOWEST) > (UREG)((UREG)LOOP_MEM_END - 1 - LOOP_MEM_LOWEST))
#define BAD_HALF(a) BAD(a, 1)
#define BAD_WORD(a) BAD(a, 2)
#define BAD_DOUBLE(a) BAD(a, 3)
#if LOOP_JOURNAL
#define JOURNAL(a) \
    if (VM_UNLIKELY(vm_journal_page_of(env->vm, (a)) != 0)) STOP(VM_STOP_ERROR)
#else
#define JOURNAL(a) (void)0
#endif
#if LOOP_USER
    // The permission table holds prot ^ VM_PROT_DEFAULT: a set READ / WRITE bit denies it.
#define GRANTS(a, bit, code)                                          \
    if (VM_UNLIKELY(env->prot[(a) >> VM_PAGE_SHIFT] & (bit))) {       \
        env->run->trap_code = (code);                                 \
        STOP(VM_STOP_TRAP);                                           \
    }
#else
#define GRANTS(a, bit, code) (void)0
#endif
#define MEMORY_FAULT()                  \
    do {                                \
        env->run->target = ADDR;        \
        STOP(VM_STOP_MEMORY_FAULT);     \
    } while (0)

// Bodies of the non-control-transfer ops (no dispatch).
#define BODY_ADD RD = RS1 + RS2
#define BODY_SUB RD = RS1 - RS2
#define BODY_XOR RD = RS1 ^ RS2
#define BODY_OR RD = RS1 | RS2
#define BODY_AND RD = RS1 & RS2
#define BODY_SLL RD = RS1 << SHAMT(RS2)
#define BODY_SRL RD = RS1 >> SHAMT(RS2)
#define BODY_SRA RD = (UREG)((SREG)RS1 >> SHAMT(RS2))
#define BODY_SLT RD = (SREG)RS1 < (SREG)RS2
#define BODY_SLTU RD = RS1 < RS2
#define BODY_MUL RD = RS1 * RS2
#define BODY_MULH RD = RV(mulh)(RS1, RS2)
#define BODY_MULHSU RD = RV(mulhsu)(RS1, RS2)
#define BODY_MULHU RD = RV(mulhu)(RS1, RS2)
#define BODY_DIV RD = RV(div)(RS1, RS2)
#define BODY_DIVU RD = RV(divu)(RS1, RS2)
#define BODY_REM RD = RV(rem)(RS1, RS2)
#define BODY_REMU RD = RV(remu)(RS1, RS2)
#define BODY_ADDI RD = RS1 + IMM
#define BODY_XORI RD = RS1 ^ IMM
#define BODY_ORI RD = RS1 | IMM
#define BODY_ANDI RD = RS1 & IMM
#define BODY_SLLI RD = RS1 << ip->imm
#define BODY_SRLI RD = RS1 >> ip->imm
#define BODY_SRAI RD = (UREG)((SREG)RS1 >> ip->imm)
#define BODY_SLTI RD = (SREG)RS1 < (SREG)IMM
#define BODY_SLTIU RD = RS1 < IMM
#define BODY_LI RD = IMM
#define BODY_MV RD = RS1
#define LOAD(check, expr)                             \
    do {                                              \
        UREG a = ADDR;                                \
        if (VM_UNLIKELY(check(a))) MEMORY_FAULT(); \
        GRANTS(a, VM_PROT_READ, VM_TRAP_READ);           \
        RD = (expr);                                  \
    } while (0)
#define STORE(check, stmt)                            \
    do {                                              \
        UREG a = ADDR;                                \
        if (VM_UNLIKELY(check(a))) MEMORY_FAULT(); \
        GRANTS(a, VM_PROT_WRITE, VM_TRAP_WRITE);         \
        JOURNAL(a);                                   \
        stmt;                                         \
    } while (0)
#define BODY_LB LOAD(BAD_BYTE, (UREG)(SREG)(int8_t)m[a])
#define BODY_LBU LOAD(BAD_BYTE, m[a])
#define BODY_LH LOAD(BAD_HALF, (UREG)(SREG)(int16_t)load16(m + a))
#define BODY_LHU LOAD(BAD_HALF, load16(m + a))
#define BODY_LW LOAD(BAD_WORD, SEXT32(load32(m + a)))
#define BODY_SB STORE(BAD_BYTE, m[a] = (uint8_t)RS2)
#define BODY_SH STORE(BAD_HALF, store16(m + a, (uint16_t)RS2))
#define BODY_SW STORE(BAD_WORD, store32(m + a, (uint32_t)RS2))
// RV64 only: 32-bit results sign-extended, shift amounts of 5 bits, 32-bit division.
#define BODY_ADDW RD = SEXT32(RS1 + RS2)
#define BODY_SUBW RD = SEXT32(RS1 - RS2)
#define BODY_SLLW RD = SEXT32((uint32_t)RS1 << (RS2 & 31))
#define BODY_SRLW RD = SEXT32((uint32_t)RS1 >> (RS2 & 31))
#define BODY_SRAW RD = SEXT32((int32_t)(uint32_t)RS1 >> (RS2 & 31))
#define BODY_MULW RD = SEXT32((uint32_t)RS1 * (uint32_t)RS2)
#define BODY_DIVW RD = SEXT32(rv_div32((uint32_t)RS1, (uint32_t)RS2))
#define BODY_DIVUW RD = SEXT32(rv_divu32((uint32_t)RS1, (uint32_t)RS2))
#define BODY_REMW RD = SEXT32(rv_rem32((uint32_t)RS1, (uint32_t)RS2))
#define BODY_REMUW RD = SEXT32(rv_remu32((uint32_t)RS1, (uint32_t)RS2))
#define BODY_ADDIW RD = SEXT32(RS1 + IMM)
#define BODY_SLLIW RD = SEXT32((uint32_t)RS1 << ip->imm)
#define BODY_SRLIW RD = SEXT32((uint32_t)RS1 >> ip->imm)
#define BODY_SRAIW RD = SEXT32((int32_t)(uint32_t)RS1 >> ip->imm)
#define BODY_LD LOAD(BAD_DOUBLE, load64(m + a))
#define BODY_LWU LOAD(BAD_WORD, load32(m + a))
#define BODY_SD STORE(BAD_DOUBLE, store64(m + a, (uint64_t)RS2))
#define BODY_AUIPC RD = PC + IMM

// Plain handlers of the straight-line ops.
#define PLAIN(a, name)                           \
    static VM_HANDLER_CC void HANDLER(name)(ARGS) { \
        BODY_##name;                             \
        NEXT();                                  \
    }
LOOP_STRAIGHT_OPS(PLAIN, _)
#undef PLAIN

// Superinstructions: first's body, then a direct tail call of the successor's handler.
#define FUSED(first, second)                                  \
    static VM_HANDLER_CC void FUSED_NAME(first, second)(ARGS) { \
        BODY_##first;                                         \
        ip++;                                                 \
        CALL(HANDLER(second));                                \
    }
#define FUSED_HANDLERS(first) LOOP_OPS(FUSED, first)
LOOP_FUSE_FIRST(FUSED_HANDLERS)
#undef FUSED
#undef FUSED_HANDLERS

// Bodies of the control transfers (each leaves through ENTER or STOP).
#define BRANCH(cond)                     \
    do {                                 \
        if (cond) ENTER(code + ip->imm); \
        ENTER(ip + 1);                   \
    } while (0)
#define BODY_BEQ BRANCH(RS1 == RS2)
#define BODY_BNE BRANCH(RS1 != RS2)
#define BODY_BLT BRANCH((SREG)RS1 < (SREG)RS2)
#define BODY_BGE BRANCH((SREG)RS1 >= (SREG)RS2)
#define BODY_BLTU BRANCH(RS1 < RS2)
#define BODY_BGEU BRANCH(RS1 >= RS2)
#define BODY_BEQZ BRANCH(RS1 == 0)
#define BODY_BNEZ BRANCH(RS1 != 0)
#define BODY_BLTZ BRANCH((SREG)RS1 < 0)
#define BODY_BGEZ BRANCH((SREG)RS1 >= 0)
#define BODY_JAL         \
    do {                 \
        RD = PC + 4;     \
        ENTER(code + ip->imm); \
    } while (0)
#define BODY_JALR                                                                   \
    do {                                                                            \
        UREG target = ADDR & (UREG)(LOOP_JALR_MASK);                                \
        UREG off = target - base;                                                   \
        RD = PC + 4;                                                                \
        if (VM_UNLIKELY((off & 3) | (off >= (UREG)env->run->text_bytes))) {         \
            env->run->target = target;                                              \
            STOP(VM_STOP_BAD_JUMP);                                                 \
        }                                                                           \
        ENTER(code + (off >> 2));                                                   \
    } while (0)
#define BODY_BRANCH_BAD_TARGET                                   \
    do {                                                         \
        if (branch_taken(ip->rd, RS1, RS2, LOOP_XLEN)) {         \
            if (ip->rd == OP_JAL) r[ip->rs2] = PC + 4;           \
            env->run->target = PC + IMM;                         \
            STOP(VM_STOP_BAD_JUMP);                              \
        }                                                        \
        ENTER(ip + 1);                                           \
    } while (0)
#define BODY_ECALL                                                                      \
    do {                                                                                \
        if (VM_UNLIKELY(budget < 0)) STOP(VM_STOP_LIMIT);                               \
        vm_t *vm = env->vm;                                                             \
        vm->ecall_budget = budget;                                                      \
        vm_action act = vm_ecall(vm);                                                   \
        if (VM_LIKELY(act == VM_CONTINUE)) {                                            \
            budget -= vm->syscall_cycles;                                               \
            ip++;                                                                       \
            budget -= ip->weight;                                                       \
            DISPATCH();                                                                 \
        }                                                                               \
        if (act != VM_ERROR) budget -= vm->syscall_cycles; /* a failing syscall is not counted */ \
        STOP((vm_stop)act);                                                             \
    } while (0)
#define BODY_EBREAK STOP(VM_STOP_BREAKPOINT)
#define BODY_UNIMP STOP(VM_STOP_UNIMPLEMENTED)
#define BODY_ILLEGAL STOP(VM_STOP_ILLEGAL)
#define BODY_NOT_TEXT STOP(VM_STOP_NOT_TEXT)
#define BODY_END STOP(VM_STOP_END)

#define CONTROL(a, name)                                \
    static VM_HANDLER_CC void HANDLER(name)(ARGS) { BODY_##name; }
VM_CONTROL_OPS(CONTROL, _)
#undef CONTROL

// Superinstructions whose second op reads the register the first one wrote: the second's
// operand is the value just computed, in a host register, not a reload of what was just stored
// (a store-to-load forwarding delay on the guest's dependency chain).
#define DEPENDENT(kind, first, second, tail)                                                \
    static VM_HANDLER_CC void DEP_NAME(kind, first, second)(ARGS) {                         \
        BODY_##first;                                                                       \
        const UREG written = RD;                                                            \
        ip++;                                                                               \
        {                                                                                   \
            const int dep_on = kind;                                                        \
            const UREG dep_value = written;                                                 \
            BODY_##second;                                                                  \
            tail;                                                                           \
        }                                                                                   \
    }
#define DEP1_STRAIGHT(first, second) DEPENDENT(1, first, second, NEXT())
#define DEP2_STRAIGHT(first, second) DEPENDENT(2, first, second, NEXT())
#define DEP1_CONTROL(first, second) DEPENDENT(1, first, second, (void)0)
#define DEP2_CONTROL(first, second) DEPENDENT(2, first, second, (void)0)
#define DEP_HANDLERS(first)                 \
    LOOP_STRAIGHT_OPS(DEP1_STRAIGHT, first) \
    VM_CONTROL_OPS(DEP1_CONTROL, first)     \
    LOOP_STRAIGHT_OPS(DEP2_STRAIGHT, first) \
    VM_CONTROL_OPS(DEP2_CONTROL, first)
#if LOOP_DEPENDENT
LOOP_FUSE_FIRST(DEP_HANDLERS)
#endif
#undef DEPENDENT
#undef DEP1_STRAIGHT
#undef DEP2_STRAIGHT
#undef DEP1_CONTROL
#undef DEP2_CONTROL
#undef DEP_HANDLERS
#undef BRANCH

static void LOOP_NAME(vm_t *restrict vm, vm_run *restrict run) {
    vm_loop_env env = {.vm = vm, .run = run, .prot = vm->prot};
    const vm_insn *ip = run->ip;
    const void *const *t = LOOP_CAT(LOOP_NAME, _dispatch);
    int64_t budget = run->budget - ip->weight;
    ((const LOOP_CAT(LOOP_NAME, _handler) *)t)[ip->op](ip, LOOP_REGS(vm), vm->mem, budget, run->code, t,
                                                       (UREG)run->base, &env);
}

#undef ARGS
#undef PASS
#undef HANDLER
#undef FUSED_NAME
#undef DEP_NAME
#undef CALL
#undef DISPATCH
#undef NEXT
#undef STOP
#undef ENTER
#undef MEMORY_FAULT
#undef RS1
#undef RS2
#undef RD
#undef IMM
#undef ADDR
#undef PC
#undef SHAMT
#undef SEXT32
#undef BAD
#undef BAD_BYTE
#undef BAD_HALF
#undef BAD_WORD
#undef BAD_DOUBLE
#undef JOURNAL
#undef GRANTS
#undef LOAD
#undef STORE
#undef UREG
#undef SREG
#undef ROR
#undef RV
#undef LOOP_REGS
#undef LOOP_RV64_OPS
#undef LOOP_FUSE_FIRST
#undef LOOP_STRAIGHT_OPS
#undef LOOP_OPS
#undef LOOP_NAME
#undef LOOP_JOURNAL
#undef LOOP_DEPENDENT
