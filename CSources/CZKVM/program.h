#ifndef ZKVM_PROGRAM_H
#define ZKVM_PROGRAM_H

// A loaded program: its segments (for the memory image), its ID, and the pre-decoded text that
// every execution shares read-only.

#include <stdbool.h>
#include <stdint.h>

#include "abi.h"
#include "zkvm_core.h"

/// Internal opcodes, as X-macro lists so the enum, the dispatch tables and the superinstruction
/// handlers are generated from one place. Each list calls X(arg, NAME). One enum serves both
/// register widths; an RV32 program never contains the RV64-only ops, and the RV32 loops have no
/// handlers for them.
///
/// Straight-line ops of both widths (LUI and AUIPC become LI: their result is known at decode
/// time; `addi rd, rs, 0` becomes MV):
#define VM_STRAIGHT_OPS(X, a)                                                                     \
    X(a, ADD) X(a, SUB) X(a, XOR) X(a, OR) X(a, AND) X(a, SLL) X(a, SRL) X(a, SRA) X(a, SLT)        \
    X(a, SLTU) X(a, MUL) X(a, MULH) X(a, MULHSU) X(a, MULHU) X(a, DIV) X(a, DIVU) X(a, REM)         \
    X(a, REMU) X(a, ADDI) X(a, XORI) X(a, ORI) X(a, ANDI) X(a, SLLI) X(a, SRLI) X(a, SRAI)          \
    X(a, SLTI) X(a, SLTIU) X(a, LI) X(a, MV) X(a, LB) X(a, LH) X(a, LW) X(a, LBU) X(a, LHU)         \
    X(a, SB) X(a, SH) X(a, SW)
/// Straight-line ops of RV64 only: the *W ops (32-bit result, sign-extended), LD / LWU / SD, and
/// AUIPC when its pc-relative constant does not fit LI's sign-extended 32-bit immediate.
#define VM_RV64_OPS(X, a)                                                                         \
    X(a, ADDW) X(a, SUBW) X(a, SLLW) X(a, SRLW) X(a, SRAW) X(a, MULW) X(a, DIVW) X(a, DIVUW)        \
    X(a, REMW) X(a, REMUW) X(a, ADDIW) X(a, SLLIW) X(a, SRLIW) X(a, SRAIW) X(a, LD) X(a, LWU)       \
    X(a, SD) X(a, AUIPC)
/// Control transfers: each ends a basic block. BRANCH_BAD_TARGET is a branch or JAL whose static
/// target lies outside the text (it fails only if taken); END is the sentinel slot after the text.
#define VM_CONTROL_OPS(X, a)                                                                      \
    X(a, BEQ) X(a, BNE) X(a, BLT) X(a, BGE) X(a, BLTU) X(a, BGEU) X(a, BEQZ) X(a, BNEZ) X(a, BLTZ)  \
    X(a, BGEZ) X(a, JAL) X(a, JALR) X(a, ECALL) X(a, BRANCH_BAD_TARGET) X(a, EBREAK) X(a, UNIMP)    \
    X(a, ILLEGAL) X(a, NOT_TEXT) X(a, END)
#define VM_ALL_OPS(X, a) VM_STRAIGHT_OPS(X, a) VM_RV64_OPS(X, a) VM_CONTROL_OPS(X, a)

typedef enum vm_op {
#define VM_OP_ENUM(a, name) OP_##name,
    VM_ALL_OPS(VM_OP_ENUM, _)
#undef VM_OP_ENUM
    OP_COUNT
} vm_op;

/// Ops that may be fused with the instruction after them (see FUSED_OP): the common ALU and
/// memory ops, none of which transfers control. The RV64 ones only occur in RV64 programs.
#define VM_FUSE_FIRST_COMMON(X)                                                                \
    X(ADD) X(SUB) X(XOR) X(OR) X(AND) X(SLTU) X(MUL) X(ADDI) X(XORI) X(ORI) X(ANDI) X(SLLI) X(SRLI) \
    X(SRAI) X(LI) X(MV) X(LW) X(SW) X(LBU) X(SB)
#define VM_FUSE_FIRST_RV64(X) X(LD) X(SD) X(ADDIW) X(ADDW)
#define VM_FUSE_FIRST(X) VM_FUSE_FIRST_COMMON(X) VM_FUSE_FIRST_RV64(X)

enum {
#define VM_FUSE_ENUM(name) FUSE_##name,
    VM_FUSE_FIRST(VM_FUSE_ENUM)
#undef VM_FUSE_ENUM
    VM_FUSE_FIRST_COUNT
};

/// Dispatch index of "first, then the handler of `second`" (one indirect jump for two instructions).
#define FUSED_OP(first_index, second) FUSED_DEP_OP(0, first_index, second)
/// The same, where the second op's rs1 (dep 1) or rs2 (dep 2) is the register the first wrote.
#define FUSED_DEP_OP(dep, first_index, second) \
    (OP_COUNT + ((dep) * VM_FUSE_FIRST_COUNT + (first_index)) * OP_COUNT + (second))
#define VM_DISPATCH_OPS (OP_COUNT + 3 * VM_FUSE_FIRST_COUNT * OP_COUNT)
/// Dispatch index of `op` (an op or a fused pair) whose first op reads `acc`, the value its
/// predecessor wrote, as its rs1 (acc 1) or rs2 (acc 2) when reached straight from it.
#define VM_ACC_OP(acc, op) ((acc) * VM_DISPATCH_OPS + (op))
#define VM_DISPATCH_COUNT (3 * VM_DISPATCH_OPS)

/// Bytes a load or store op accesses (0 for other ops); *store tells which of the two it is.
static inline unsigned vm_op_access(unsigned kind, bool *store) {
    switch (kind) {
    case OP_LB: case OP_LBU: *store = false; return 1;
    case OP_LH: case OP_LHU: *store = false; return 2;
    case OP_LW: case OP_LWU: *store = false; return 4;
    case OP_LD: *store = false; return 8;
    case OP_SB: *store = true; return 1;
    case OP_SH: *store = true; return 2;
    case OP_SW: *store = true; return 4;
    case OP_SD: *store = true; return 8;
    default: *store = false; return 0;
    }
}

typedef struct vm_insn {
    uint16_t op;    ///< dispatch index on entering a block here: `kind`, or a fused pair starting with it
    uint8_t kind;   ///< this slot's own vm_op
    uint8_t rd;     ///< destination register; x0 is remapped to VM_REG_SINK
    uint8_t rs1;
    uint8_t rs2;
    uint16_t op_next;  ///< dispatch index when reached from the slot before (VM_ACC_OP of `op`)
    /// Immediate, sign-extended to the register width where it is used; for BEQ..BGEZ / JAL: the
    /// target's slot index. ILLEGAL / UNIMP / NOT_TEXT / EBREAK: the raw word. BRANCH_BAD_TARGET:
    /// the byte offset of the target from this slot (rd = the original op).
    int32_t imm;
    /// Cycles from this slot to the end of its basic block, inclusive: the sum of the ABI's
    /// op_cycles over those slots (SP1: the instruction count). Subtracting it from the budget
    /// when control enters a block gives exact cycle counts with one limit check per block.
    uint32_t weight;
} vm_insn;

/// Segment flag beyond PF_X / PF_W / PF_R: SP1 v6's PF_UNTRUSTED (0x0010_0000) on the ELF segment.
#define VM_SEG_UNTRUSTED 8u

/// A program's translation by an execution tier above the loader (the JIT, jit/jit.h): made on
/// first use, kept with the program and released by its `destroy` when the program is freed.
typedef struct vm_translation vm_translation;
struct vm_translation {
    void (*destroy)(vm_translation *self);
};

typedef struct vm_segment {
    uint64_t vaddr, memsz, filesz;
    uint32_t flags;  ///< PF_X 1, PF_W 2, PF_R 4, VM_SEG_UNTRUSTED
    bool decoded;    ///< its file words are part of the pre-decoded text
    uint64_t decoded_bytes;  ///< how many of its bytes (from vaddr) are decoded: its file bytes
    uint8_t *bytes;  ///< filesz bytes (trailing zeros trimmed)
} vm_segment;

struct zkvm_program {
    uint64_t entry;
    const vm_abi_desc *abi;  ///< chosen by the loader (abis.h); its op_cycles weigh `code`
    bool abi_detected;       ///< false: no version found in the code, the default ABI applies
    uint8_t id[32];

    vm_segment *segments;  ///< sorted by vaddr
    size_t segment_count;

    uint64_t text_base;   ///< lowest pre-decoded address
    uint32_t text_words;  ///< decoded slots; code[text_words] is the OP_END sentinel
    vm_insn *code;

    /// SP1 v6 untrusted-program mode (the ELF's SUCCINCT note): page permissions, MPROTECT inside
    /// [heap_start, heap_end), and traps through the trap context (symbol __SUCCINCT_TRAP_CONTEXT).
    bool untrusted;
    uint64_t heap_start, heap_end;
    bool has_trap_context;
    uint64_t trap_context;

    /// The JIT's translation of `code`, or NULL until the first execution that asks for it. A
    /// cache: set once (atomically) on a program that is otherwise immutable.
    vm_translation *translation;
};

#endif
