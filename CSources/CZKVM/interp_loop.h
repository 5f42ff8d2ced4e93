// The interpreter loop, written once and included by interp.c once per variant, with:
//   LOOP_NAME        the function's name (undefined again at the end of this file, as LOOP_JOURNAL)
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
//
// Dispatch is indirect threading over pre-decoded vm_insn slots (computed goto), with
// superinstructions: a slot of a VM_FUSE_FIRST op runs its body and then jumps directly (a
// static, always-predicted jump) into its successor's handler, so two guest instructions cost
// one indirect jump.
//
// Cycles are counted per basic block: entering a block at slot i subtracts code[i].weight (the
// cycles of the slots from i to the block's final control transfer, by the ABI's op_cycles) from
// `budget`; the block's final instruction checks budget >= 0 before transferring control. A
// syscall's extra cycles (vm->syscall_cycles) are charged after it ran. When the check fails the
// loop stops with VM_STOP_LIMIT at the slot it would run next, whose block is already charged and
// has not run (the driver, interp.c, either ends the run or resumes there with a new budget). A
// fault in the middle of a block recovers the exact count from the faulting slot's `weight`.

static void LOOP_NAME(vm_t *restrict vm, vm_run *restrict run) {
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

#define ENTRY(a, name) [OP_##name] = &&L_##name,
#define FUSED_ENTRY(first, second) [FUSED_OP(FUSE_##first, OP_##second)] = &&L_##first##_##second,
#define FUSED_ENTRIES(first) LOOP_OPS(FUSED_ENTRY, first)
    static const void *const dispatch[VM_DISPATCH_COUNT] = {LOOP_OPS(ENTRY, _) LOOP_FUSE_FIRST(FUSED_ENTRIES)};
#undef ENTRY
#undef FUSED_ENTRY
#undef FUSED_ENTRIES

    const vm_insn *const code = run->code;
    const UREG base = (UREG)run->base;
    const UREG text_bytes = (UREG)run->text_bytes;
    UREG *const r = LOOP_REGS(vm);
    uint8_t *const m = vm->mem;
#if LOOP_USER
    const uint8_t *const prot = vm->prot;
#endif
    int64_t budget = run->budget;
    const vm_insn *ip = run->ip;

#ifdef ZKVM_PROFILE
    // Benchmark builds only (scripts/interp-bench): count each dispatched slot of the program text.
#define DISPATCH()                                                         \
    do {                                                                   \
        if (code == vm_profile_code) vm_profile_counts[ip - code]++;       \
        goto *dispatch[ip->op];                                            \
    } while (0)
#else
#define DISPATCH() goto *dispatch[ip->op]
#endif
#define NEXT()      \
    do {            \
        ip++;       \
        DISPATCH(); \
    } while (0)
    // Leave the current block (checking its cycles) and enter the block at `target`.
#define ENTER(target)                        \
    do {                                     \
        if (VM_UNLIKELY(budget < 0)) {       \
            ip = (target);                   \
            budget -= ip->weight;            \
            goto limit;                      \
        }                                    \
        ip = (target);                       \
        budget -= ip->weight;                \
        DISPATCH();                          \
    } while (0)
#define RS1 r[ip->rs1]
#define RS2 r[ip->rs2]
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
    if (VM_UNLIKELY(vm_journal_page_of(vm, (a)) != 0)) goto host_error
#else
#define JOURNAL(a) (void)0
#endif
#if LOOP_USER
    // The permission table holds prot ^ VM_PROT_DEFAULT: a set READ / WRITE bit denies it.
#define GRANTS(a, bit, on_fail) \
    if (VM_UNLIKELY(prot[(a) >> VM_PAGE_SHIFT] & (bit))) goto on_fail
#else
#define GRANTS(a, bit, on_fail) (void)0
#endif

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
        if (VM_UNLIKELY(check(a))) goto memory_fault; \
        GRANTS(a, VM_PROT_READ, trap_read);           \
        RD = (expr);                                  \
    } while (0)
#define STORE(check, stmt)                            \
    do {                                              \
        UREG a = ADDR;                                \
        if (VM_UNLIKELY(check(a))) goto memory_fault; \
        GRANTS(a, VM_PROT_WRITE, trap_write);         \
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

    budget -= ip->weight;
    DISPATCH();

    // Plain handlers of the straight-line ops.
#define PLAIN(a, name) \
    L_##name:          \
    BODY_##name;       \
    NEXT();
    LOOP_STRAIGHT_OPS(PLAIN, _)
#undef PLAIN

    // Superinstructions: first's body, then straight into the successor's handler.
#define FUSED(first, second)       \
    L_##first##_##second:          \
    BODY_##first;                  \
    ip++;                          \
    goto L_##second;
#define FUSED_HANDLERS(first) LOOP_OPS(FUSED, first)
    LOOP_FUSE_FIRST(FUSED_HANDLERS)
#undef FUSED
#undef FUSED_HANDLERS

L_BEQ: if (RS1 == RS2) ENTER(code + ip->imm); ENTER(ip + 1);
L_BNE: if (RS1 != RS2) ENTER(code + ip->imm); ENTER(ip + 1);
L_BLT: if ((SREG)RS1 < (SREG)RS2) ENTER(code + ip->imm); ENTER(ip + 1);
L_BGE: if ((SREG)RS1 >= (SREG)RS2) ENTER(code + ip->imm); ENTER(ip + 1);
L_BLTU: if (RS1 < RS2) ENTER(code + ip->imm); ENTER(ip + 1);
L_BGEU: if (RS1 >= RS2) ENTER(code + ip->imm); ENTER(ip + 1);
L_BEQZ: if (RS1 == 0) ENTER(code + ip->imm); ENTER(ip + 1);
L_BNEZ: if (RS1 != 0) ENTER(code + ip->imm); ENTER(ip + 1);
L_BLTZ: if ((SREG)RS1 < 0) ENTER(code + ip->imm); ENTER(ip + 1);
L_BGEZ: if ((SREG)RS1 >= 0) ENTER(code + ip->imm); ENTER(ip + 1);
L_JAL: RD = PC + 4; ENTER(code + ip->imm);
L_JALR: {
    UREG target = ADDR & (UREG)(LOOP_JALR_MASK);
    UREG off = target - base;
    RD = PC + 4;
    if (VM_UNLIKELY((off & 3) | (off >= text_bytes))) {
        run->target = target;
        run->stop = VM_STOP_BAD_JUMP;
        goto stop;
    }
    ENTER(code + (off >> 2));
}
L_BRANCH_BAD_TARGET:
    if (branch_taken(ip->rd, RS1, RS2, LOOP_XLEN)) {
        if (ip->rd == OP_JAL) r[ip->rs2] = PC + 4;
        run->target = PC + IMM;
        run->stop = VM_STOP_BAD_JUMP;
        goto stop;
    }
    ENTER(ip + 1);

L_ECALL: {
    if (VM_UNLIKELY(budget < 0)) goto limit;
    vm->ecall_budget = budget;
    vm_action act = vm_ecall(vm);
    if (VM_LIKELY(act == VM_CONTINUE)) {
        budget -= vm->syscall_cycles;
        ip++;
        budget -= ip->weight;
        DISPATCH();
    }
    if (act != VM_ERROR) budget -= vm->syscall_cycles;  // a failing syscall is not counted
    run->stop = (vm_stop)act;
    goto stop;
}

L_EBREAK: run->stop = VM_STOP_BREAKPOINT; goto stop;
L_UNIMP: run->stop = VM_STOP_UNIMPLEMENTED; goto stop;
L_ILLEGAL: run->stop = VM_STOP_ILLEGAL; goto stop;
L_NOT_TEXT: run->stop = VM_STOP_NOT_TEXT; goto stop;
L_END: run->stop = VM_STOP_END; goto stop;

memory_fault:
    run->target = ADDR;
    run->stop = VM_STOP_MEMORY_FAULT;
    goto stop;
#if LOOP_USER
trap_read:
    run->trap_code = VM_TRAP_READ;
    run->stop = VM_STOP_TRAP;
    goto stop;
trap_write:
    run->trap_code = VM_TRAP_WRITE;
    run->stop = VM_STOP_TRAP;
    goto stop;
#endif
#if LOOP_JOURNAL
host_error:
    run->stop = VM_STOP_ERROR;
    goto stop;
#endif
limit:
    run->stop = VM_STOP_LIMIT;
stop:
    run->ip = ip;
    run->budget = budget;

#undef DISPATCH
#undef NEXT
#undef ENTER
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
}
#undef LOOP_NAME
#undef LOOP_JOURNAL
