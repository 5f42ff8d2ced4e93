#ifndef ZKVM_ABI_H
#define ZKVM_ABI_H

// What a guest ABI is to the machine: its register width, guest memory window, ECALL table,
// per-instruction cycle costs and how a program comes to use it. The machine layer owns these
// types and dispatches every ECALL through the table of the machine's ABI (dispatch.c); the
// instances (SP1 v3 and v4 on RV32IM in abis.c, SP1 v6 on RV64IM in abi_sp1_v6.c, RISC Zero 1.x on
// RV32IM in risc0/descriptor.c) sit above the handlers they name.

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "zkvm_core.h"

typedef struct vm vm_t;
typedef struct vm_syscall vm_syscall;
typedef struct vm_insn vm_insn;

/// What the interpreter loop does after a syscall.
typedef enum vm_action {
    VM_CONTINUE = 0,
    VM_HALT,
    VM_ERROR,
    VM_ENTER_UNCONSTRAINED,
    VM_EXIT_UNCONSTRAINED,
    /// A page-permission failure in untrusted mode (vm->trap_code): control goes to the guest's
    /// trap handler, or the run fails if it has none.
    VM_TRAP,
    /// Continue at vm->jump_target instead of after the ECALL (SIG_RETURN in untrusted mode).
    VM_JUMP,
} vm_action;

/// A syscall handler. It reads its arguments from the machine's registers (vm_arg: a0, a1, ...
/// at its ABI's width, zero-extended), may use its row's `arg`, and returns 0 to continue, -1
/// after recording an error with vm_fail, or the vm_action that stops the loop (VM_HALT,
/// VM_ENTER_UNCONSTRAINED, VM_EXIT_UNCONSTRAINED, VM_TRAP, VM_JUMP). t0 holds the (32-bit) code
/// when it runs, which is what SP1 leaves there unless the handler returns a value in t0.
typedef int (*vm_syscall_fn)(vm_t *vm, const vm_syscall *sc);

/// Row flags.
enum {
    /// Allowed inside an unconstrained block (SP1: WRITE and EXIT_UNCONSTRAINED).
    VM_SYSCALL_UNCONSTRAINED = 1u << 0,
};

/// One row of an ABI's syscall table.
struct vm_syscall {
    uint32_t code;          ///< the value of t0 that selects it, compared in full
    const char *name;       ///< as the ABI's documentation spells it; messages use it
    uint32_t extra_cycles;  ///< cycles charged on top of the ECALL instruction's own (op_cycles)
    uint32_t flags;         ///< VM_SYSCALL_*
    vm_syscall_fn handler;  ///< NULL: a code the ABI defines but the engine does not run
    uint32_t arg;           ///< parameter of a handler that serves several rows (curve, field op, ...)
    /// Host work of one call in work units (one unit ~ one interpreted instruction; README "Work
    /// metering"): vm_ecall charges it before the handler runs. Measured with
    /// scripts/work-weights.sh; the figures are next to each table.
    uint32_t work;
    /// Work per KiB of the data a handler with a length-dependent cost processes (bytes written,
    /// read, hashed or produced): the handler charges it with vm_charge_bytes once it knows the
    /// length, before doing the work. 0 for fixed-cost rows.
    uint32_t work_per_kib;
};

/// Rows per syscall table, indexed by the low byte of the code: within every ABI's table (SP1
/// v3-v6, RISC Zero) the codes differ in their low byte, so a lookup is one load and a compare.
#define VM_SYSCALL_SLOTS 256

/// The ELF loading rules an ABI's programs are checked with (elf_loader.c).
typedef enum vm_load_rules {
    /// ELF32; segments inside the window, sorted by address and disjoint; an executable segment
    /// holding the entry (SP1 v3-v5 accept what this accepts, README "The engine").
    VM_LOAD_RV32,
    /// SP1 v6.4.0's loader (SP1_V6_ABI.md §1.2): ELF64; every PT_LOAD, in file order, at or above
    /// 0x7800_0000, readable, not writable and executable, sorted and disjoint; the trusted
    /// executable segments contiguous (their first one sets the text base); 1 to 2^22 instructions,
    /// each of which decodes; the SUCCINCT note turns on untrusted-program mode.
    VM_LOAD_SP1_V6,
    /// RISC Zero v1's loader rules (risc0/program_load.c, R0_V1_ABI.md §2.4, §3.1); chosen by the
    /// caller (ZKVM_VM_RISC0), never by the ELF.
    VM_LOAD_RISC0_V1,
} vm_load_rules;

/// How the loader picks a program's ABI.
typedef enum vm_abi_choice {
    /// From the program's code (vm_abi_detect in abis.c): SP1's guest library compares the fd
    /// after its WRITE ecall with its public-values fd (sp1.public_values_fd).
    VM_ABI_DETECTED,
    /// Only when the caller names it: nothing in a RISC Zero ELF tells it from an SP1 one.
    VM_ABI_NAMED,
    /// By the ELF class alone (SP1 v6 is the one ABI for ELF64 RISC-V guests).
    VM_ABI_BY_CLASS,
} vm_abi_choice;

/// A guest ABI. Instances are static and immutable (abis.c).
typedef struct vm_abi_desc {
    const char *name;  ///< "SP1 v4"
    zkvm_abi id;       ///< what zkvm_program_abi reports once the loader has chosen it
    vm_abi_choice choice;
    vm_load_rules load;
    unsigned xlen;  ///< register width in bits: the ELF class the loader accepts, the interpreter loop
    /// Guest memory [mem_lowest, mem_end): segments, loads and stores, syscall buffers. The
    /// interpreter loop is compiled for a window (interp.c); an ABI runs on the matching one.
    uint64_t mem_lowest, mem_end;
    const vm_syscall *syscalls;  ///< VM_SYSCALL_SLOTS rows; empty slots have no name
    /// Cycles of each internal op (OP_COUNT entries indexed by vm_op, program.h). The decoder sums
    /// them per basic block into vm_insn.weight, so the loop counts cycles, not instructions.
    /// SP1 counts instructions (every entry 1); RISC Zero charges 2 for some ALU and division ops.
    const uint8_t *op_cycles;
    /// What a cycle is, for messages: "instructions" (SP1), "user cycles" (RISC Zero).
    const char *cycle_unit;
    /// The ABI's deviations from the shared RV32IM decoding (decode.c), or NULL: called for every
    /// decoded slot with its instruction word, before the block weights are summed.
    void (*decode_fixup)(vm_insn *slot, uint32_t word);
    /// JALR clears bit 0 of its target (RISC-V, RISC Zero); SP1 does not, so an odd target
    /// fails there. Like the window, it selects the interpreter loop (interp.c).
    bool jalr_clears_bit0;
    /// Rules of SP1's handlers (syscalls.c, hooks.c) that differ between its versions.
    struct {
        unsigned version;           ///< major version; selects the hooks served on WRITE
        uint32_t public_values_fd;  ///< the loader detects the version by it (VM_ABI_DETECTED)
        bool hints_read_next;       ///< a hint becomes the next input item (v4), else the last (v3)
        /// HINT_LEN with no item left fails the run (v3) instead of returning all ones (v4, v6).
        bool hint_len_exhausted_fails;
        /// A non-zero HALT code fails the run (v3-v5); v6 reports it as the run's exit code.
        bool exit_code_fails;
        /// fds 3 and 4 are public values and hints too, whatever the version (the engine's
        /// leniency on v3/v4); v6 ignores every fd it does not define.
        bool legacy_fds;
        /// The cycle tracker (cycle_tracker.h): true (v3/v4) parses each stdout WRITE as one
        /// command and consumes it; false (v6) parses each line and leaves the write in stdout.
        bool cycle_tracker_consumed;
        /// HINT_READ writes one more word after the data (v6: len/8 + 1 u64 words, zero-padded);
        /// else the last partial word is zero-padded (v3/v4).
        bool hint_read_extra_word;
        /// SHA_COMPRESS fails when w and h are the same pointer (v3/v4).
        bool sha_compress_distinct;
        /// Curve precompiles as SP1 v6 computes them: secp256k1 with k256's complete formulas
        /// on validated points, the others on unsigned integers whose underflow panics. Else the
        /// v3/v4 arithmetic of InfinityVM's build (weierstrass.c).
        bool v6_curves;
    } sp1;
} vm_abi_desc;

/// Bytes of one guest word (4 on RV32, 8 on RV64): the alignment SP1 requires of syscall pointers.
static inline unsigned vm_abi_word_bytes(const vm_abi_desc *abi) { return abi->xlen / 8; }

/// True iff [addr, addr + len) lies inside the guest window of `abi` (len may be 0).
static inline bool vm_abi_range_ok(const vm_abi_desc *abi, uint64_t addr, uint64_t len) {
    return addr >= abi->mem_lowest && addr <= abi->mem_end && len <= abi->mem_end - addr;
}

/// The row of `code` in the table of `abi`, or NULL if the ABI does not define the code.
const vm_syscall *vm_syscall_find(const vm_abi_desc *abi, uint32_t code);

/// Executes an ECALL (code in the low 32 bits of t0): finds its row in the machine's ABI table,
/// enforces the unconstrained-block rule, charges the row's work (failing with
/// ZKVM_ERR_WORK_LIMIT past the machine's budget), sets vm->syscall_cycles to the row's extra
/// cycles, sets t0 to the code and runs the handler.
vm_action vm_ecall(vm_t *vm);

#endif
