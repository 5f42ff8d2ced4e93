// The interpreter loop, included twice by interp.c:
//   LOOP_NAME = run_fast,        LOOP_JOURNAL = 0  (normal execution)
//   LOOP_NAME = run_journaled,   LOOP_JOURNAL = 1  (SP1 unconstrained blocks: every store is
//                                                  journaled so EXIT_UNCONSTRAINED can undo it)
// Keeping the journal out of run_fast keeps its stores to one bounds check and one move.
//
// Dispatch is indirect threading over pre-decoded vm_insn slots (computed goto). Cycles are
// counted per basic block: entering a block at slot i subtracts code[i].rem (the instructions
// from i to the block's final control transfer) from `budget` = max_cycles - cycles; the
// block's final instruction checks budget >= 0 before transferring control. A fault in the
// middle of a block recovers the exact count from the faulting slot's `rem` (interp.c).

static void LOOP_NAME(vm_t *restrict vm, vm_run *restrict run) {
    static const void *const dispatch[OP_COUNT] = {
        [OP_ADD] = &&L_ADD,       [OP_SUB] = &&L_SUB,       [OP_XOR] = &&L_XOR,
        [OP_OR] = &&L_OR,         [OP_AND] = &&L_AND,       [OP_SLL] = &&L_SLL,
        [OP_SRL] = &&L_SRL,       [OP_SRA] = &&L_SRA,       [OP_SLT] = &&L_SLT,
        [OP_SLTU] = &&L_SLTU,     [OP_MUL] = &&L_MUL,       [OP_MULH] = &&L_MULH,
        [OP_MULHSU] = &&L_MULHSU, [OP_MULHU] = &&L_MULHU,   [OP_DIV] = &&L_DIV,
        [OP_DIVU] = &&L_DIVU,     [OP_REM] = &&L_REM,       [OP_REMU] = &&L_REMU,
        [OP_ADDI] = &&L_ADDI,     [OP_XORI] = &&L_XORI,     [OP_ORI] = &&L_ORI,
        [OP_ANDI] = &&L_ANDI,     [OP_SLLI] = &&L_SLLI,     [OP_SRLI] = &&L_SRLI,
        [OP_SRAI] = &&L_SRAI,     [OP_SLTI] = &&L_SLTI,     [OP_SLTIU] = &&L_SLTIU,
        [OP_LI] = &&L_LI,         [OP_LB] = &&L_LB,         [OP_LH] = &&L_LH,
        [OP_LW] = &&L_LW,         [OP_LBU] = &&L_LBU,       [OP_LHU] = &&L_LHU,
        [OP_SB] = &&L_SB,         [OP_SH] = &&L_SH,         [OP_SW] = &&L_SW,
        [OP_BEQ] = &&L_BEQ,       [OP_BNE] = &&L_BNE,       [OP_BLT] = &&L_BLT,
        [OP_BGE] = &&L_BGE,       [OP_BLTU] = &&L_BLTU,     [OP_BGEU] = &&L_BGEU,
        [OP_JAL] = &&L_JAL,       [OP_JALR] = &&L_JALR,     [OP_ECALL] = &&L_ECALL,
        [OP_BRANCH_BAD_TARGET] = &&L_BRANCH_BAD_TARGET,
        [OP_EBREAK] = &&L_EBREAK, [OP_UNIMP] = &&L_UNIMP,   [OP_ILLEGAL] = &&L_ILLEGAL,
        [OP_NOT_TEXT] = &&L_NOT_TEXT, [OP_END] = &&L_END,
    };

    const vm_insn *const code = vm->program->code;
    const uint32_t base = vm->program->text_base;
    const uint32_t text_bytes = vm->program->text_words * 4;
    uint32_t *const r = vm->regs;
    uint8_t *const m = vm->mem;
    int64_t budget = run->budget;
    const vm_insn *ip = run->ip;

#define DISPATCH() goto *dispatch[ip->op]
#define NEXT()         \
    do {               \
        ip++;          \
        DISPATCH();    \
    } while (0)
    // Leave the current block (checking its cycles) and enter the block at `target`.
#define ENTER(target)                               \
    do {                                            \
        if (VM_UNLIKELY(budget < 0)) goto limit;    \
        ip = (target);                              \
        budget -= ip->rem;                          \
        DISPATCH();                                 \
    } while (0)
#define RS1 r[ip->rs1]
#define RS2 r[ip->rs2]
#define RD r[ip->rd]
#define IMM ((uint32_t)ip->imm)
#define ADDR (RS1 + IMM)
    // Window checks in one compare: rotating right moves misaligned low bits to the top.
#define BAD_WORD(a) (ror32((a) - ZKVM_MEM_LOWEST, 2) > ((ZKVM_MEM_HIGHEST_WORD - ZKVM_MEM_LOWEST) >> 2))
#define BAD_HALF(a) (ror32((a) - ZKVM_MEM_LOWEST, 1) > ((ZKVM_MEM_END - 2 - ZKVM_MEM_LOWEST) >> 1))
#define BAD_BYTE(a) ((uint32_t)((a) - ZKVM_MEM_LOWEST) > (ZKVM_MEM_END - 1 - ZKVM_MEM_LOWEST))
#if LOOP_JOURNAL
#define JOURNAL(a) \
    if (VM_UNLIKELY(journal_store(vm, (a) & ~3u) != 0)) goto host_error
#else
#define JOURNAL(a) (void)0
#endif

    budget -= ip->rem;
    DISPATCH();

L_ADD: RD = RS1 + RS2; NEXT();
L_SUB: RD = RS1 - RS2; NEXT();
L_XOR: RD = RS1 ^ RS2; NEXT();
L_OR: RD = RS1 | RS2; NEXT();
L_AND: RD = RS1 & RS2; NEXT();
L_SLL: RD = RS1 << (RS2 & 31); NEXT();
L_SRL: RD = RS1 >> (RS2 & 31); NEXT();
L_SRA: RD = (uint32_t)((int32_t)RS1 >> (RS2 & 31)); NEXT();
L_SLT: RD = (int32_t)RS1 < (int32_t)RS2; NEXT();
L_SLTU: RD = RS1 < RS2; NEXT();
L_MUL: RD = RS1 * RS2; NEXT();
L_MULH: RD = (uint32_t)(((int64_t)(int32_t)RS1 * (int64_t)(int32_t)RS2) >> 32); NEXT();
L_MULHSU: RD = (uint32_t)(((int64_t)(int32_t)RS1 * (int64_t)(uint64_t)RS2) >> 32); NEXT();
L_MULHU: RD = (uint32_t)(((uint64_t)RS1 * (uint64_t)RS2) >> 32); NEXT();
L_DIV: RD = rv_div(RS1, RS2); NEXT();
L_DIVU: RD = rv_divu(RS1, RS2); NEXT();
L_REM: RD = rv_rem(RS1, RS2); NEXT();
L_REMU: RD = rv_remu(RS1, RS2); NEXT();

L_ADDI: RD = RS1 + IMM; NEXT();
L_XORI: RD = RS1 ^ IMM; NEXT();
L_ORI: RD = RS1 | IMM; NEXT();
L_ANDI: RD = RS1 & IMM; NEXT();
L_SLLI: RD = RS1 << IMM; NEXT();
L_SRLI: RD = RS1 >> IMM; NEXT();
L_SRAI: RD = (uint32_t)((int32_t)RS1 >> IMM); NEXT();
L_SLTI: RD = (int32_t)RS1 < ip->imm; NEXT();
L_SLTIU: RD = RS1 < IMM; NEXT();
L_LI: RD = IMM; NEXT();

L_LB: {
    uint32_t a = ADDR;
    if (VM_UNLIKELY(BAD_BYTE(a))) goto memory_fault;
    RD = (uint32_t)(int32_t)(int8_t)m[a];
    NEXT();
}
L_LBU: {
    uint32_t a = ADDR;
    if (VM_UNLIKELY(BAD_BYTE(a))) goto memory_fault;
    RD = m[a];
    NEXT();
}
L_LH: {
    uint32_t a = ADDR;
    if (VM_UNLIKELY(BAD_HALF(a))) goto memory_fault;
    RD = (uint32_t)(int32_t)(int16_t)load16(m + a);
    NEXT();
}
L_LHU: {
    uint32_t a = ADDR;
    if (VM_UNLIKELY(BAD_HALF(a))) goto memory_fault;
    RD = load16(m + a);
    NEXT();
}
L_LW: {
    uint32_t a = ADDR;
    if (VM_UNLIKELY(BAD_WORD(a))) goto memory_fault;
    RD = load32(m + a);
    NEXT();
}
L_SB: {
    uint32_t a = ADDR;
    if (VM_UNLIKELY(BAD_BYTE(a))) goto memory_fault;
    JOURNAL(a);
    m[a] = (uint8_t)RS2;
    NEXT();
}
L_SH: {
    uint32_t a = ADDR;
    if (VM_UNLIKELY(BAD_HALF(a))) goto memory_fault;
    JOURNAL(a);
    store16(m + a, (uint16_t)RS2);
    NEXT();
}
L_SW: {
    uint32_t a = ADDR;
    if (VM_UNLIKELY(BAD_WORD(a))) goto memory_fault;
    JOURNAL(a);
    store32(m + a, RS2);
    NEXT();
}

L_BEQ: if (RS1 == RS2) ENTER(code + ip->imm); ENTER(ip + 1);
L_BNE: if (RS1 != RS2) ENTER(code + ip->imm); ENTER(ip + 1);
L_BLT: if ((int32_t)RS1 < (int32_t)RS2) ENTER(code + ip->imm); ENTER(ip + 1);
L_BGE: if ((int32_t)RS1 >= (int32_t)RS2) ENTER(code + ip->imm); ENTER(ip + 1);
L_BLTU: if (RS1 < RS2) ENTER(code + ip->imm); ENTER(ip + 1);
L_BGEU: if (RS1 >= RS2) ENTER(code + ip->imm); ENTER(ip + 1);
L_JAL: RD = ip->aux; ENTER(code + ip->imm);
L_JALR: {
    uint32_t target = ADDR;
    uint32_t off = target - base;
    RD = ip->aux;
    if (VM_UNLIKELY((off & 3) | (off >= text_bytes))) {
        run->target = target;
        run->stop = VM_STOP_BAD_JUMP;
        goto stop;
    }
    ENTER(code + (off >> 2));
}
L_BRANCH_BAD_TARGET:
    if (branch_taken(ip->rd, RS1, RS2)) {
        run->target = ip->aux;
        run->stop = VM_STOP_BAD_JUMP;
        goto stop;
    }
    ENTER(ip + 1);

L_ECALL: {
    if (VM_UNLIKELY(budget < 0)) goto limit;
    vm_action act = vm_syscall(vm, base + (uint32_t)(ip - code) * 4);
    if (VM_LIKELY(act == VM_CONTINUE)) {
        ip++;
        budget -= ip->rem;
        DISPATCH();
    }
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
#undef BAD_WORD
#undef BAD_HALF
#undef BAD_BYTE
#undef JOURNAL
}
