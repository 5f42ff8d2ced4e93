// The RISC Zero 1.x guest ABI (R0_V1_ABI.md §2, §4), as risc0-zkvm 1.0.5's executor runs it: its
// guest window, its ecall table, its user-cycle cost table and the few words it decodes
// differently from SP1. The handlers are in ecalls.c and software.c.

#include "descriptor.h"

#include "../program.h"
#include "../vm.h"
#include "ecalls.h"

/// A row of the ecall table; `extra` is the ecall's user cycles beyond the instruction's own one,
/// `work` and `per_kib` its host work (abi.h, README "Work metering").
#define ROW(code_, name_, extra_, handler_, work_, per_kib_)                                          \
    [(code_)] = {.code = (code_), .name = (name_), .extra_cycles = (extra_), .handler = (handler_), \
                 .work = (work_), .work_per_kib = (per_kib_)}

/// t0 selects the ecall. SOFTWARE adds ceil(a1 / 4) and SHA 68 per block on top of their rows
/// (the handlers charge them); 5 and 6 are known so that a guest built with a later 1.x fails
/// with a message naming the call (a 1.0.5 executor rejects them as unknown ecalls).
///
/// Work, measured as SP1's (sp1_rows.h; scripts/work-weights.sh, units): SHA 62-91 per call and
/// 610-619 per KiB of blocks (64 bytes each); BIGINT 98-112; SOFTWARE 106-116 per call
/// (SYS_CYCLE_COUNT: the name lookup) and per KiB of the host-to-guest buffer it checks, fills
/// or zeroes (SYS_READ: 65-66 per KiB read into it; the named syscalls that produce or take other
/// data add their own, software.c); HALT and INPUT as SP1's trivial rows.
static const vm_syscall r0_ecalls[VM_SYSCALL_SLOTS] = {
    ROW(0, "HALT", 0, r0_halt, 15, 0),
    ROW(1, "INPUT", 1, r0_input, 15, 0),
    ROW(2, "SOFTWARE", 1, r0_software, 125, 75),
    ROW(3, "SHA", 5, r0_sha, 100, 700),
    ROW(4, "BIGINT", 9, r0_bigint, 125, 0),
    ROW(5, "USER (added in RISC Zero 1.1; the 1.0.5 executor has no such ecall)", 0, NULL, 0, 0),
    ROW(6, "BIGINT2 (added in RISC Zero 1.2; the 1.0.5 executor has no such ecall)", 0, NULL, 0, 0),
};

/// User cycles per instruction (risc0-circuit-rv32im 1.0.5 RV32IM_ISA): 2 for the bitwise ops,
/// the right shifts and division, 1 for everything else (ECALL's own 1 included).
#define R0_TWO_CYCLES(op)                                                                                   \
    ((op) == OP_XOR || (op) == OP_OR || (op) == OP_AND || (op) == OP_SRL || (op) == OP_SRA || (op) == OP_XORI || \
     (op) == OP_ORI || (op) == OP_ANDI || (op) == OP_SRLI || (op) == OP_SRAI || (op) == OP_DIV ||              \
     (op) == OP_DIVU || (op) == OP_REM || (op) == OP_REMU)
#define R0_COST(a, name) [OP_##name] = 1 + R0_TWO_CYCLES(OP_##name),
static const uint8_t r0_op_cycles[OP_COUNT] = {VM_ALL_OPS(R0_COST, _)};
#undef R0_COST

static void set_op(vm_insn *slot, vm_op op, uint32_t word) {
    *slot = (vm_insn){.op = (uint16_t)op, .kind = (uint8_t)op, .rd = VM_REG_SINK, .imm = (int32_t)word};
}

/// RISC Zero's decoder keys on (opcode, funct3, funct7 reduced to 0 / 1 / 0x20 / other). Where that
/// differs from SP1's: FENCE and every CSR encoding are illegal instructions (SP1: unimplemented);
/// SYSTEM with funct3 = funct7 = 0 is ECALL for rs2 = 0 and EBREAK for rs2 = 1 whatever rd and rs1
/// hold, and illegal otherwise; funct7 = 1 or 0x20 is illegal; any other funct7 decodes as MRET,
/// which the 1.0.5 executor does not implement (its host panics; here it stays unimplemented).
static void r0_decode_fixup(vm_insn *slot, uint32_t w) {
    const uint32_t opcode = w & 0x7F, f3 = (w >> 12) & 7, rs2 = (w >> 20) & 31, f7 = w >> 25;
    if (opcode == 0x0F) {
        set_op(slot, OP_ILLEGAL, w);
    } else if (opcode == 0x73) {
        if (f3 != 0 || f7 == 1 || f7 == 0x20 || (f7 == 0 && rs2 > 1))
            set_op(slot, OP_ILLEGAL, w);
        else if (f7 == 0)
            set_op(slot, rs2 == 0 ? OP_ECALL : OP_EBREAK, w);
        else
            set_op(slot, OP_UNIMP, w);
    }
}

const vm_abi_desc vm_abi_risc0_v1 = {
    .name = "RISC Zero 1.x",
    .id = ZKVM_ABI_RISC0_V1,
    .choice = VM_ABI_NAMED,
    .load = VM_LOAD_RISC0_V1,
    .xlen = 32,
    .mem_lowest = ZKVM_RISC0_GUEST_MIN_MEM,
    .mem_end = ZKVM_RISC0_GUEST_MAX_MEM,
    .syscalls = r0_ecalls,
    .op_cycles = r0_op_cycles,
    .cycle_unit = "user cycles",
    .decode_fixup = r0_decode_fixup,
    .jalr_clears_bit0 = true,
};
