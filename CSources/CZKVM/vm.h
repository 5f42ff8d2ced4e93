#ifndef ZKVM_VM_H
#define ZKVM_VM_H

// Internal machine state shared by the interpreter, the syscall layer and the precompiles: the
// bottom layer of the C core (README.md), with abi.h. One machine serves both register widths:
// the register file holds 32- or 64-bit registers as the machine's ABI says, and guest address a
// is always mem[a] inside the ABI's window.

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "abi.h"
#include "cycle_tracker.h"
#include "zkvm_core.h"

#define VM_LIKELY(x) __builtin_expect(!!(x), 1)
#define VM_UNLIKELY(x) __builtin_expect(!!(x), 0)

/// Register slot that absorbs writes to x0, so handlers never test rd == 0.
#define VM_REG_SINK 32
#define VM_REG_T0 5
#define VM_REG_A0 10
#define VM_REG_A1 11
#define VM_REG_A2 12
#define VM_REG_A3 13
#define VM_REG_A4 14

/// Bytes reserved for an RV32 arena: the SP1 v3-v5 window, rounded up to a page. An arena grows to
/// the larger window of an RV64 program the first time it runs one (vm_arena_prepare).
#define VM_ARENA_BYTES 0x78001000ull

/// x0..x31 and the x0 write sink, at the machine's register width (x32 on RV32, x64 on RV64).
typedef union vm_regs {
    uint32_t x32[33];
    uint64_t x64[33];
} vm_regs;

typedef struct vm_buf {
    uint8_t *data;
    size_t len, cap;
} vm_buf;

typedef struct vm_item {
    uint8_t *data;
    size_t len;
    bool owned;  ///< pushed by the guest (hint / hook) and freed by the machine
} vm_item;

/// The guest's input stream. Stored reversed so that both "pop front" and the v4 "push front"
/// are O(1) at the end of the array; v3's "push back" inserts at index 0.
typedef struct vm_input {
    vm_item *items;
    size_t count, cap;
    size_t pushed_bytes;  ///< bytes the guest added itself (capped)
} vm_input;

/// Guest pages (4 KiB): the unconstrained-block journal saves each page once, on its first store,
/// and SP1 v6's untrusted mode keeps one permission per page.
#define VM_PAGE_SHIFT 12
#define VM_PAGE_SIZE (1u << VM_PAGE_SHIFT)

/// Page permissions of SP1 v6's untrusted mode (PF_R / PF_W / PF_X values) and the trap codes of
/// a violation (SP1_V6_ABI.md §1.7).
enum { VM_PROT_EXEC = 1, VM_PROT_WRITE = 2, VM_PROT_READ = 4, VM_PROT_DEFAULT = VM_PROT_READ | VM_PROT_WRITE };
enum { VM_TRAP_EXEC = 1, VM_TRAP_READ = 5, VM_TRAP_WRITE = 7 };

typedef struct vm_journal_page {
    uint32_t page;  ///< page index (address >> VM_PAGE_SHIFT)
    uint8_t *copy;  ///< the page's contents before the block's first store to it
} vm_journal_page;

struct zkvm_arena {
    uint8_t *mem;
    size_t size;     ///< bytes reserved
    size_t touched;  ///< bytes from mem that the last execution may have committed (reset clears them)
};

typedef struct vm vm_t;
struct vm {
    vm_regs regs;
    uint8_t *mem;                 ///< arena base; guest address a is mem[a]
    const zkvm_program *program;  ///< NULL on a bare harness machine
    const vm_abi_desc *abi;       ///< register width, syscall table, guest window and version rules
    /// Cycles the last syscall costs beyond its ECALL's weight: its row's extra_cycles, plus what
    /// a handler with a data-dependent cost adds. The interpreter loop charges them.
    uint32_t syscall_cycles;
    /// The cycle count at which the loop's current budget runs out (the driver sets it for each
    /// chunk it runs), and the budget as the loop stores it before each syscall (budget_end minus
    /// the cycles through the current ECALL): vm_cycles_before_ecall.
    int64_t budget_end, ecall_budget;

    // Limits.
    size_t max_public_values, max_log, max_hint;
    /// Host-side stops (zkvm_exec_options): the interrupt flag, the monotonic deadline in ns (0 =
    /// none), and syscalls until vm_ecall checks them again.
    const zkvm_interrupt *interrupt;
    uint64_t deadline_ns, wall_limit_ns;
    uint32_t ecalls_to_check;
    /// The work meter (README "Work metering"): units of host work charged so far (syscall rows,
    /// their length-dependent parts, hooks, discarded unconstrained blocks), the budget
    /// (UINT64_MAX: none) and, for the message, the max_cycles it was derived from (when
    /// work_derived; else the caller set it).
    uint64_t work, work_limit, work_max_cycles;
    bool work_derived;
    /// Cycles completed before the active ENTER_UNCONSTRAINED (what its EXIT discards).
    uint64_t unconstrained_from;

    // Outputs.
    vm_buf public_values, out, err;
    uint32_t committed[8];
    uint32_t committed_mask;
    uint32_t exit_code;
    bool stdin_probe_failed;  ///< HINT_LEN found the stream empty (v4 returns all ones)

    vm_input input;
    /// SP1's cycle tracker: the regions the guest marks on stdout (cycle_tracker.h).
    vm_tracker tracker;

    /// RISC Zero (risc0/): what its handlers keep beyond the machine state.
    struct {
        size_t stdin_offset;        ///< bytes of the front input item already read (stdin is one stream)
        uint8_t random_seed[32];    ///< SYS_RANDOM's seed (zkvm_exec_options)
        uint64_t random_position;   ///< SYS_RANDOM bytes handed out so far
        uint8_t output_digest[32];  ///< the 32 bytes at a1 of HALT
        bool paused;                ///< HALT with halt type PAUSE
    } r0;

    // Unconstrained mode (SP1 ENTER/EXIT_UNCONSTRAINED): register snapshot + page journal. Each
    // page is saved once per block, so the journal never exceeds the memory the guest touched.
    bool unconstrained;
    vm_regs saved_regs;
    vm_journal_page *journal;
    size_t journal_len, journal_cap;
    uint8_t *journaled;  ///< bitmap of pages saved in the current block (allocated on first use)

    // SP1 v6 untrusted mode: one byte per guest page holding its permission XOR VM_PROT_DEFAULT
    // (so untouched pages, which read as 0, have the default R+W), reserved lazily over the
    // window; NULL when the program runs in normal (supervisor) mode.
    uint8_t *prot;
    size_t prot_bytes;
    unsigned trap_code;    ///< of the VM_TRAP a syscall returned
    uint64_t jump_target;  ///< of the VM_JUMP a syscall returned

    // Error reporting (first error wins).
    zkvm_status status;
    uint64_t err_addr;
    uint32_t err_word;
    char message[512];
};

// MARK: - Errors

/// Monotonic clock, ns.
uint64_t vm_now_ns(void);
/// Checks the host-side stops (interrupt flag, deadline): 0 to go on, else -1 with
/// ZKVM_ERR_INTERRUPTED or ZKVM_ERR_TIME_LIMIT recorded.
int vm_check_host_stops(vm_t *vm);
/// Syscalls between two checks of the host-side stops in vm_ecall.
#define VM_ECALLS_PER_CHECK 64

/// Records an error (if none is recorded yet) and returns -1, so handlers can `return vm_fail(...)`.
int vm_fail(vm_t *vm, zkvm_status status, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

// MARK: - Work meter

/// Records ZKVM_ERR_WORK_LIMIT, naming `what` (the call that crossed the budget); returns -1.
int vm_work_exceeded(vm_t *vm, const char *what);

/// Charges `units` of host work done (or about to be done) for `what` (a row's name): 0, or -1
/// with ZKVM_ERR_WORK_LIMIT recorded once the total passes the budget. Callers charge before the
/// work, so a call over the budget does not run. The total saturates at UINT64_MAX.
static inline int vm_charge_work(vm_t *vm, uint64_t units, const char *what) {
    uint64_t total = vm->work + units;
    vm->work = total < units ? UINT64_MAX : total;
    return VM_LIKELY(vm->work <= vm->work_limit) ? 0 : vm_work_exceeded(vm, what);
}

/// Work of `bytes` bytes at `per_kib` units per KiB, rounded up (no overflow for any length).
static inline uint64_t vm_work_of_bytes(uint64_t bytes, uint64_t per_kib) {
    uint64_t whole = bytes >> 10, part = bytes & 1023;
    if (per_kib && whole > UINT64_MAX / per_kib) return UINT64_MAX;
    uint64_t w = whole * per_kib, rest = (part * per_kib + 1023) >> 10;
    return w + rest < w ? UINT64_MAX : w + rest;
}

/// Charges the length-dependent work of row `sc`: `bytes` at its work_per_kib.
static inline int vm_charge_bytes(vm_t *vm, const vm_syscall *sc, uint64_t bytes) {
    return sc->work_per_kib ? vm_charge_work(vm, vm_work_of_bytes(bytes, sc->work_per_kib), sc->name) : 0;
}

// MARK: - Registers

static inline bool vm_is_rv64(const vm_t *vm) { return vm->abi->xlen == 64; }

/// Register x<i> (i < 33), zero-extended on RV32.
static inline uint64_t vm_reg(const vm_t *vm, unsigned i) {
    return vm_is_rv64(vm) ? vm->regs.x64[i] : vm->regs.x32[i];
}

/// Sets x<i> (truncated to 32 bits on RV32). Writes to x0 are ignored.
static inline void vm_set_reg(vm_t *vm, unsigned i, uint64_t value) {
    if (i == 0 || i >= 33) return;
    if (vm_is_rv64(vm))
        vm->regs.x64[i] = value;
    else
        vm->regs.x32[i] = (uint32_t)value;
}

/// Syscall argument register a<i> (a0 + i), zero-extended.
static inline uint64_t vm_arg(const vm_t *vm, unsigned i) { return vm_reg(vm, VM_REG_A0 + i); }

// MARK: - Guest memory

/// True iff [addr, addr + len) lies inside the machine's guest window (len may be 0).
static inline bool vm_range_ok(const vm_t *vm, uint64_t addr, uint64_t len) {
    return vm_abi_range_ok(vm->abi, addr, len);
}

/// One guest buffer a syscall uses: what it is (for messages), where, how long, and the page
/// permissions SP1 v6's untrusted mode requires of it (VM_PROT_READ / VM_PROT_WRITE, 0 for none).
typedef struct vm_span {
    const char *what;
    uint64_t ptr, bytes;
    unsigned prot;
} vm_span;

/// Validates the buffers of syscall `name` the way SP1 does: each pointer aligned to the ABI's word
/// (4 bytes on RV32, 8 on RV64) and each span inside the guest window, in order; then, in
/// untrusted mode, each span's page permissions, in order. Returns 0, -1 (a ZKVM_ERR_SYSCALL naming
/// the syscall is recorded) or VM_TRAP (vm->trap_code set).
int vm_check_spans(vm_t *vm, const char *name, const vm_span *spans, size_t count);

/// Host pointer to guest memory; only valid after the range was checked.
static inline uint8_t *vm_bytes(vm_t *vm, uint64_t ptr) { return vm->mem + ptr; }

/// The trap code (VM_TRAP_*) if the pages of [addr, addr + len) do not all grant `prot` in
/// untrusted mode, checking page by page and EXEC, READ, WRITE in that order as SP1 does; 0 if
/// they do or the machine is not in untrusted mode. The range must lie inside the window.
unsigned vm_prot_violation(const vm_t *vm, uint64_t addr, uint64_t len, unsigned prot);

/// Sets the permission of the page holding `addr` (untrusted mode only).
void vm_prot_set(vm_t *vm, uint64_t addr, unsigned prot);

/// Turns on untrusted mode: reserves the permission table and fills it from the program's
/// segments. Returns 0, or -1 with an error recorded.
int vm_prot_init(vm_t *vm);

// MARK: - Input stream

/// Pushes a copy of `data` so that it is the next item the guest reads (v4 hint / hook order).
int vm_input_push_front(vm_t *vm, const uint8_t *data, size_t len);
/// Appends a copy of `data` after every pending item (v3 hint order).
int vm_input_push_back(vm_t *vm, const uint8_t *data, size_t len);
/// Appends a copy of host data after every pending item (not counted against the guest's cap).
int vm_input_push_host(vm_t *vm, const uint8_t *data, size_t len);
/// Appends a caller-owned item (not copied, not freed).
int vm_input_push_borrowed(vm_t *vm, const uint8_t *data, size_t len);
/// Front item, or NULL if the stream is empty.
static inline vm_item *vm_input_front(vm_t *vm) {
    return vm->input.count ? &vm->input.items[vm->input.count - 1] : NULL;
}
void vm_input_pop_front(vm_t *vm);

// MARK: - Unconstrained blocks

/// Cycles completed before the current ECALL (valid inside a syscall handler of a run).
uint64_t vm_cycles_before_ecall(const vm_t *vm);

/// Saves the page holding `addr` if this unconstrained block has not stored to it yet.
int vm_journal_page_of(vm_t *vm, uint64_t addr);
/// Undoes every store of the unconstrained block and forgets the journal.
void vm_journal_rollback(vm_t *vm);

// MARK: - Machine lifecycle (machine.c)

/// A machine on arena memory `mem` for `program` (NULL on the bare harness) under `abi`.
void vm_init(vm_t *vm, uint8_t *mem, const zkvm_program *program, const vm_abi_desc *abi);
/// Makes `arena` cover the window of `abi` (reserving a larger window if needed) and records how
/// much of it an execution under `abi` may touch. Returns 0, or -1 if the reservation fails.
int vm_arena_prepare(zkvm_arena *arena, const vm_abi_desc *abi);
/// Returns every page an execution touched to the kernel, so the next one starts from zeros.
void vm_arena_reset(zkvm_arena *arena);
void vm_destroy(vm_t *vm);
int vm_buf_append(vm_buf *buf, const uint8_t *data, size_t len);

#endif
