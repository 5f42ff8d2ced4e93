// The interpreter loop, included once per variant by interp.c:
//   LOOP_NAME = run_fast,        LOOP_JOURNAL = 0  (normal execution)
//   LOOP_NAME = run_journaled,   LOOP_JOURNAL = 1  (SP1 unconstrained blocks: each page is saved
//                                                  on its first store so EXIT_UNCONSTRAINED can
//                                                  undo the block)
// and for one guest window [LOOP_MEM_LOWEST, LOOP_MEM_END), compile-time constants so that every
// load and store is checked with one compare against an immediate, and one JALR target mask
// (LOOP_JALR_MASK: ~1 clears bit 0 as RISC-V and RISC Zero do; ~0 keeps it, as SP1 does).
// Keeping the journal out of run_fast keeps its stores to one bounds check and one move.
//
// Dispatch is indirect threading over pre-decoded vm_insn slots (computed goto), with
// superinstructions: a slot of a VM_FUSE_FIRST op runs its body and then jumps directly (a
// static, always-predicted jump) into its successor's handler, so two guest instructions cost
// one indirect jump.
//
// Cycles are counted per basic block: entering a block at slot i subtracts code[i].weight (the
// cycles of the slots from i to the block's final control transfer, by the ABI's op_cycles) from
// `budget` = max_cycles - cycles; the block's final instruction checks budget >= 0 before
// transferring control. A syscall's extra cycles (vm->syscall_cycles) are charged after it ran. A
// fault in the middle of a block recovers the exact count from the faulting slot's `weight`
// (interp.c).

static void LOOP_NAME(vm_t *restrict vm, vm_run *restrict run) {
#define ENTRY(a, name) [OP_##name] = &&L_##name,
#define FUSED_ENTRY(first, second) [FUSED_OP(FUSE_##first, OP_##second)] = &&L_##first##_##second,
#define FUSED_ENTRIES(first) VM_ALL_OPS(FUSED_ENTRY, first)
    static const void *const dispatch[VM_DISPATCH_COUNT] = {VM_ALL_OPS(ENTRY, _) VM_FUSE_FIRST(FUSED_ENTRIES)};
#undef ENTRY
#undef FUSED_ENTRY
#undef FUSED_ENTRIES

    const vm_insn *const code = vm->program->code;
    const uint32_t base = vm->program->text_base;
    const uint32_t text_bytes = vm->program->text_words * 4;
    uint32_t *const r = vm->regs;
    uint8_t *const m = vm->mem;
    int64_t budget = run->budget;
    const vm_insn *ip = run->ip;

#define DISPATCH() goto *dispatch[ip->op]
#define NEXT()      \
    do {            \
        ip++;       \
        DISPATCH(); \
    } while (0)
    // Leave the current block (checking its cycles) and enter the block at `target`.
#define ENTER(target)                            \
    do {                                         \
        if (VM_UNLIKELY(budget < 0)) goto limit; \
        ip = (target);                           \
        budget -= ip->weight;                    \
        DISPATCH();                              \
    } while (0)
#define RS1 r[ip->rs1]
#define RS2 r[ip->rs2]
#define RD r[ip->rd]
#define IMM ((uint32_t)ip->imm)
#define ADDR (RS1 + IMM)
#define PC (base + (uint32_t)(ip - code) * 4)
    // Window checks in one compare: rotating right moves misaligned low bits to the top.
#define BAD_WORD(a) (ror32((a) - LOOP_MEM_LOWEST, 2) > ((LOOP_MEM_END - 4 - LOOP_MEM_LOWEST) >> 2))
#define BAD_HALF(a) (ror32((a) - LOOP_MEM_LOWEST, 1) > ((LOOP_MEM_END - 2 - LOOP_MEM_LOWEST) >> 1))
#define BAD_BYTE(a) ((uint32_t)((a) - LOOP_MEM_LOWEST) > (LOOP_MEM_END - 1 - LOOP_MEM_LOWEST))
#if LOOP_JOURNAL
#define JOURNAL(a) \
    if (VM_UNLIKELY(vm_journal_page_of(vm, (a)) != 0)) goto host_error
#else
#define JOURNAL(a) (void)0
#endif

    // Bodies of the non-control-transfer ops (no dispatch).
#define BODY_ADD RD = RS1 + RS2
#define BODY_SUB RD = RS1 - RS2
#define BODY_XOR RD = RS1 ^ RS2
#define BODY_OR RD = RS1 | RS2
#define BODY_AND RD = RS1 & RS2
#define BODY_SLL RD = RS1 << (RS2 & 31)
#define BODY_SRL RD = RS1 >> (RS2 & 31)
#define BODY_SRA RD = (uint32_t)((int32_t)RS1 >> (RS2 & 31))
#define BODY_SLT RD = (int32_t)RS1 < (int32_t)RS2
#define BODY_SLTU RD = RS1 < RS2
#define BODY_MUL RD = RS1 * RS2
#define BODY_MULH RD = (uint32_t)(((int64_t)(int32_t)RS1 * (int64_t)(int32_t)RS2) >> 32)
#define BODY_MULHSU RD = (uint32_t)(((int64_t)(int32_t)RS1 * (int64_t)(uint64_t)RS2) >> 32)
#define BODY_MULHU RD = (uint32_t)(((uint64_t)RS1 * (uint64_t)RS2) >> 32)
#define BODY_DIV RD = rv_div(RS1, RS2)
#define BODY_DIVU RD = rv_divu(RS1, RS2)
#define BODY_REM RD = rv_rem(RS1, RS2)
#define BODY_REMU RD = rv_remu(RS1, RS2)
#define BODY_ADDI RD = RS1 + IMM
#define BODY_XORI RD = RS1 ^ IMM
#define BODY_ORI RD = RS1 | IMM
#define BODY_ANDI RD = RS1 & IMM
#define BODY_SLLI RD = RS1 << IMM
#define BODY_SRLI RD = RS1 >> IMM
#define BODY_SRAI RD = (uint32_t)((int32_t)RS1 >> IMM)
#define BODY_SLTI RD = (int32_t)RS1 < ip->imm
#define BODY_SLTIU RD = RS1 < IMM
#define BODY_LI RD = IMM
#define BODY_MV RD = RS1
#define LOAD(check, expr)                                     \
    do {                                                      \
        uint32_t a = ADDR;                                    \
        if (VM_UNLIKELY(check(a))) goto memory_fault;         \
        RD = (expr);                                          \
    } while (0)
#define STORE(check, stmt)                                    \
    do {                                                      \
        uint32_t a = ADDR;                                    \
        if (VM_UNLIKELY(check(a))) goto memory_fault;         \
        JOURNAL(a);                                           \
        stmt;                                                 \
    } while (0)
#define BODY_LB LOAD(BAD_BYTE, (uint32_t)(int32_t)(int8_t)m[a])
#define BODY_LBU LOAD(BAD_BYTE, m[a])
#define BODY_LH LOAD(BAD_HALF, (uint32_t)(int32_t)(int16_t)load16(m + a))
#define BODY_LHU LOAD(BAD_HALF, load16(m + a))
#define BODY_LW LOAD(BAD_WORD, load32(m + a))
#define BODY_SB STORE(BAD_BYTE, m[a] = (uint8_t)RS2)
#define BODY_SH STORE(BAD_HALF, store16(m + a, (uint16_t)RS2))
#define BODY_SW STORE(BAD_WORD, store32(m + a, RS2))

    budget -= ip->weight;
    DISPATCH();

    // Plain handlers of the straight-line ops.
#define PLAIN(a, name) \
    L_##name:          \
    BODY_##name;       \
    NEXT();
    VM_STRAIGHT_OPS(PLAIN, _)
#undef PLAIN

    // Superinstructions: first's body, then straight into the successor's handler.
#define FUSED(first, second)       \
    L_##first##_##second:          \
    BODY_##first;                  \
    ip++;                          \
    goto L_##second;
#define FUSED_HANDLERS(first) VM_ALL_OPS(FUSED, first)
    VM_FUSE_FIRST(FUSED_HANDLERS)
#undef FUSED
#undef FUSED_HANDLERS

L_BEQ: if (RS1 == RS2) ENTER(code + ip->imm); ENTER(ip + 1);
L_BNE: if (RS1 != RS2) ENTER(code + ip->imm); ENTER(ip + 1);
L_BLT: if ((int32_t)RS1 < (int32_t)RS2) ENTER(code + ip->imm); ENTER(ip + 1);
L_BGE: if ((int32_t)RS1 >= (int32_t)RS2) ENTER(code + ip->imm); ENTER(ip + 1);
L_BLTU: if (RS1 < RS2) ENTER(code + ip->imm); ENTER(ip + 1);
L_BGEU: if (RS1 >= RS2) ENTER(code + ip->imm); ENTER(ip + 1);
L_BEQZ: if (RS1 == 0) ENTER(code + ip->imm); ENTER(ip + 1);
L_BNEZ: if (RS1 != 0) ENTER(code + ip->imm); ENTER(ip + 1);
L_BLTZ: if ((int32_t)RS1 < 0) ENTER(code + ip->imm); ENTER(ip + 1);
L_BGEZ: if ((int32_t)RS1 >= 0) ENTER(code + ip->imm); ENTER(ip + 1);
L_JAL: RD = PC + 4; ENTER(code + ip->imm);
L_JALR: {
    uint32_t target = ADDR & LOOP_JALR_MASK;
    uint32_t off = target - base;
    RD = PC + 4;
    if (VM_UNLIKELY((off & 3) | (off >= text_bytes))) {
        run->target = target;
        run->stop = VM_STOP_BAD_JUMP;
        goto stop;
    }
    ENTER(code + (off >> 2));
}
L_BRANCH_BAD_TARGET:
    if (branch_taken(ip->rd, RS1, RS2)) {
        run->target = IMM;
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
#undef BAD_WORD
#undef BAD_HALF
#undef BAD_BYTE
#undef JOURNAL
#undef LOAD
#undef STORE
}
