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
// (LOOP_NAME and LOOP_JOURNAL are undefined again at the end of this file.) Only the plain loops
// (neither journaling nor untrusted: LOOP_HOT) get the handler variants that forward operands in
// host registers; the others, rarely hot, run every variant on the plain handlers and stay a ninth
// of the size.
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

#define LOOP_HOT (!LOOP_JOURNAL && !LOOP_USER)
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
// can tail-call the next; `t` is the loop's dispatch table, `acc` the value the previous slot
// wrote to its rd when this slot is reached straight from it (NEXT), else meaningless.
#define ARGS                                                                                       \
    const vm_insn *restrict ip, UREG *restrict r, uint8_t *restrict m, int64_t budget,             \
        const vm_insn *restrict code, const void *const *restrict t, UREG base, vm_loop_env *restrict env, \
        UREG acc
#define PASS ip, r, m, budget, code, t, base, env, acc

// Handler names: NAME_OP(a, op) runs one op whose operand a (1: rs1, 2: rs2, 0: none) is `acc`;
// NAME_PAIR(a, d, first, second) runs a superinstruction whose first op takes operand a from
// `acc` and whose second op takes operand d from the first op's result. The journaling and
// untrusted loops have only the a = d = 0 handlers (HOT maps every variant to them): the
// variants change where an operand comes from, never its value.
#if LOOP_HOT
#define HOT(x) x
#else
#define HOT(x) 0
#endif
#define NAME_OP(a, name) LOOP_CAT(LOOP_CAT(LOOP_NAME, _a), LOOP_CAT(a, _##name))
#define NAME_PAIR(a, d, first, second) \
    LOOP_CAT(LOOP_CAT(LOOP_CAT(LOOP_NAME, _a), LOOP_CAT(a, _d)), LOOP_CAT(d, _##first##_##second))
#define EACH_A(M, x) M(0, x) M(1, x) M(2, x)
#define EACH_AD(M, x, y) \
    M(0, 0, x, y) M(0, 1, x, y) M(0, 2, x, y) M(1, 0, x, y) M(1, 1, x, y) M(1, 2, x, y) M(2, 0, x, y) M(2, 1, x, y) M(2, 2, x, y)

// Declarations of every handler, then the dispatch table.
#define DECLARE_OP(a, name) static VM_HANDLER_CC void NAME_OP(a, name)(ARGS);
#define DECLARE_PAIR(a, d, first, second) static VM_HANDLER_CC void NAME_PAIR(a, d, first, second)(ARGS);
#if LOOP_HOT
#define DECLARE_OPS(_, name) EACH_A(DECLARE_OP, name)
#define DECLARE_PAIRS(first, second) EACH_AD(DECLARE_PAIR, first, second)
#else
#define DECLARE_OPS(_, name) DECLARE_OP(0, name)
#define DECLARE_PAIRS(first, second) DECLARE_PAIR(0, 0, first, second)
#endif
#define DECLARE_PAIRS_OF(first) LOOP_OPS(DECLARE_PAIRS, first)
LOOP_OPS(DECLARE_OPS, _)
LOOP_FUSE_FIRST(DECLARE_PAIRS_OF)
#undef DECLARE_OP
#undef DECLARE_PAIR
#undef DECLARE_OPS
#undef DECLARE_PAIRS
#undef DECLARE_PAIRS_OF

#define OP_ENTRY(a, name) [VM_ACC_OP(a, OP_##name)] = (const void *)NAME_OP(HOT(a), name),
#define PAIR_ENTRY(a, d, first, second) \
    [VM_ACC_OP(a, FUSED_DEP_OP(d, FUSE_##first, OP_##second))] = (const void *)NAME_PAIR(HOT(a), HOT(d), first, second),
#define OP_ENTRIES(_, name) EACH_A(OP_ENTRY, name)
#define PAIR_ENTRIES(first, second) EACH_AD(PAIR_ENTRY, first, second)
#define PAIR_ENTRIES_OF(first) LOOP_OPS(PAIR_ENTRIES, first)
static const void *const LOOP_CAT(LOOP_NAME, _dispatch)[VM_DISPATCH_COUNT] = {LOOP_OPS(OP_ENTRIES, _) LOOP_FUSE_FIRST(PAIR_ENTRIES_OF)};
#undef OP_ENTRY
#undef PAIR_ENTRY
#undef OP_ENTRIES
#undef PAIR_ENTRIES
#undef PAIR_ENTRIES_OF

typedef VM_HANDLER_CC void (*LOOP_CAT(LOOP_NAME, _handler))(ARGS);
#define CALL(fn) VM_MUSTTAIL return (fn)(PASS)

#ifdef ZKVM_PROFILE
    // Benchmark builds only (scripts/interp-bench): count each dispatched slot of the program text.
#define DISPATCH_BY(index)                                                 \
    do {                                                                   \
        if (code == vm_profile_code) vm_profile_counts[ip - code]++;       \
        CALL(((const LOOP_CAT(LOOP_NAME, _handler) *)t)[ip->index]);       \
    } while (0)
#else
#define DISPATCH_BY(index) CALL(((const LOOP_CAT(LOOP_NAME, _handler) *)t)[ip->index])
#endif
    // Into ip's handler: on entering a block (op), or from the slot before (op_next).
#define DISPATCH() DISPATCH_BY(op)
#define DISPATCH_NEXT() DISPATCH_BY(op_next)
    // On to the next slot, handing it the value this one wrote.
#define NEXT()           \
    do {                 \
        acc = RD;        \
        ip++;            \
        DISPATCH_NEXT(); \
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
// A handler variant (NAME_OP, NAME_PAIR) shadows acc_on / dep_on (and dep_value) to take an
// operand from `acc` or from its first op's result; elsewhere they are the file-scope constants 0
// and the operands are loaded from the register file.
#define RS1 ((UREG)(dep_on == 1 ? dep_value : acc_on == 1 ? acc : r[ip->rs1]))
#define RS2 ((UREG)(dep_on == 2 ? dep_value : acc_on == 2 ? acc : r[ip->rs2]))
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
#define LOAD(check, expr)                          \
    do {                                           \
        UREG a = ADDR;                             \
        if (VM_UNLIKELY(check(a))) MEMORY_FAULT(); \
        GRANTS(a, VM_PROT_READ, VM_TRAP_READ);     \
        RD = (expr);                               \
    } while (0)
#define STORE(check, stmt)                         \
    do {                                           \
        UREG a = ADDR;                             \
        if (VM_UNLIKELY(check(a))) MEMORY_FAULT(); \
        GRANTS(a, VM_PROT_WRITE, VM_TRAP_WRITE);   \
        JOURNAL(a);                                \
        stmt;                                      \
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

// Single-op handlers.
#define OP_STRAIGHT(a, name)                          \
    static VM_HANDLER_CC void NAME_OP(a, name)(ARGS) { \
        {                                             \
            const int acc_on = a;                     \
            BODY_##name;                              \
        }                                             \
        NEXT();                                       \
    }
#define OP_CONTROL(a, name)                           \
    static VM_HANDLER_CC void NAME_OP(a, name)(ARGS) { \
        const int acc_on = a;                         \
        BODY_##name;                                  \
    }
#if LOOP_HOT
#define OPS_STRAIGHT(_, name) EACH_A(OP_STRAIGHT, name)
#define OPS_CONTROL(_, name) EACH_A(OP_CONTROL, name)
#else
#define OPS_STRAIGHT(_, name) OP_STRAIGHT(0, name)
#define OPS_CONTROL(_, name) OP_CONTROL(0, name)
#endif
LOOP_STRAIGHT_OPS(OPS_STRAIGHT, _)
VM_CONTROL_OPS(OPS_CONTROL, _)
#undef OP_STRAIGHT
#undef OP_CONTROL
#undef OPS_STRAIGHT
#undef OPS_CONTROL

// Superinstructions: first's body, then second's. In the hot loops (LOOP_HOT) every
// variant has its own copy of both bodies: when second reads the register first wrote, the
// operand is the value just computed, in a host register, rather than a reload of what was just
// stored (a store-to-load forwarding delay on the guest's dependency chain); the same holds for
// `acc` across dispatches. The other loops tail-call second's handler directly.
#define PAIR(a, d, first, second, tail)                            \
    static VM_HANDLER_CC void NAME_PAIR(a, d, first, second)(ARGS) { \
        {                                                          \
            const int acc_on = a;                                  \
            BODY_##first;                                          \
        }                                                          \
        const UREG written = RD;                                   \
        ip++;                                                      \
        {                                                          \
            const int dep_on = d;                                  \
            const UREG dep_value = written;                        \
            (void)dep_value;                                       \
            BODY_##second;                                         \
            tail;                                                  \
        }                                                          \
    }
#define PAIR_STRAIGHT(a, d, first, second) PAIR(a, d, first, second, NEXT())
#define PAIR_CONTROL(a, d, first, second) PAIR(a, d, first, second, (void)0)
#if LOOP_HOT
#define PAIRS_STRAIGHT(first, second) EACH_AD(PAIR_STRAIGHT, first, second)
#define PAIRS_CONTROL(first, second) EACH_AD(PAIR_CONTROL, first, second)
#else
#define PAIRS_STRAIGHT(first, second)                                 \
    static VM_HANDLER_CC void NAME_PAIR(0, 0, first, second)(ARGS) { \
        BODY_##first;                                                 \
        ip++;                                                         \
        CALL(NAME_OP(0, second));                                     \
    }
#define PAIRS_CONTROL(first, second) PAIRS_STRAIGHT(first, second)
#endif
#define PAIRS_OF(first) LOOP_STRAIGHT_OPS(PAIRS_STRAIGHT, first) VM_CONTROL_OPS(PAIRS_CONTROL, first)
LOOP_FUSE_FIRST(PAIRS_OF)
#undef PAIR
#undef PAIR_STRAIGHT
#undef PAIR_CONTROL
#undef PAIRS_STRAIGHT
#undef PAIRS_CONTROL
#undef PAIRS_OF
#undef BRANCH

static void LOOP_NAME(vm_t *restrict vm, vm_run *restrict run) {
    vm_loop_env env = {.vm = vm, .run = run, .prot = vm->prot};
    const vm_insn *ip = run->ip;
    const void *const *t = LOOP_CAT(LOOP_NAME, _dispatch);
    int64_t budget = run->budget - ip->weight;
    ((const LOOP_CAT(LOOP_NAME, _handler) *)t)[ip->op](ip, LOOP_REGS(vm), vm->mem, budget, run->code, t,
                                                       (UREG)run->base, &env, 0);
}

#undef ARGS
#undef PASS
#undef HOT
#undef NAME_OP
#undef NAME_PAIR
#undef EACH_A
#undef EACH_AD
#undef CALL
#undef DISPATCH_BY
#undef DISPATCH
#undef DISPATCH_NEXT
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
#undef LOOP_HOT
