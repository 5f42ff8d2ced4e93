#ifndef ZKVM_VM_H
#define ZKVM_VM_H

// Internal machine state shared by the interpreter, the syscall layer and the precompiles: the
// bottom layer of the C core (README.md), with abi.h.

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "abi.h"
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

/// Bytes reserved per arena: the whole window, rounded up to a page.
#define VM_ARENA_BYTES 0x78001000ull

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

/// Guest pages: the unconstrained-block journal saves each page once, on its first store.
#define VM_PAGE_SHIFT 12
#define VM_PAGE_SIZE (1u << VM_PAGE_SHIFT)
#define VM_PAGE_COUNT ((uint32_t)(VM_ARENA_BYTES >> VM_PAGE_SHIFT))

typedef struct vm_journal_page {
    uint32_t page;  ///< page index (address >> VM_PAGE_SHIFT)
    uint8_t *copy;  ///< the page's contents before the block's first store to it
} vm_journal_page;

struct zkvm_arena {
    uint8_t *mem;
    size_t size;
};

typedef struct vm vm_t;
struct vm {
    uint32_t regs[33];  ///< x0..x31 and the x0 write sink
    uint8_t *mem;       ///< arena base; guest address a is mem[a]
    const zkvm_program *program;  ///< NULL on a bare harness machine
    const vm_abi_desc *abi;       ///< syscall table, guest window and version rules
    /// Cycles the last syscall costs beyond its ECALL's weight: its row's extra_cycles, plus what
    /// a handler with a data-dependent cost adds. The interpreter loop charges them.
    uint32_t syscall_cycles;
    /// The run's max_cycles, and the loop's budget (max_cycles minus the cycles through the
    /// current ECALL) as the loop stores it before each syscall: vm_cycles_before_ecall.
    int64_t max_cycles, ecall_budget;

    // Limits.
    size_t max_public_values, max_log, max_hint;

    // Outputs.
    vm_buf public_values, out, err;
    uint32_t committed[8];
    uint32_t committed_mask;
    uint32_t exit_code;
    bool stdin_probe_failed;  ///< HINT_LEN found the stream empty (v4 returns 0xFFFFFFFF)

    vm_input input;

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
    uint32_t saved_regs[33];
    int64_t saved_budget;
    vm_journal_page *journal;
    size_t journal_len, journal_cap;
    uint8_t *journaled;  ///< bitmap of pages saved in the current block (allocated on first use)

    // Error reporting (first error wins).
    zkvm_status status;
    uint32_t err_addr, err_word;
    char message[512];
};

// MARK: - Errors

/// Records an error (if none is recorded yet) and returns -1, so handlers can `return vm_fail(...)`.
int vm_fail(vm_t *vm, zkvm_status status, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

// MARK: - Guest memory

/// True iff [addr, addr + len) lies inside the machine's guest window (len may be 0).
static inline bool vm_range_ok(const vm_t *vm, uint32_t addr, uint64_t len) {
    return vm_abi_range_ok(vm->abi, addr, len);
}

/// Validates a pointer to `nwords` words for the syscall `name` the way SP1 does (4-aligned,
/// every word inside the window); records a ZKVM_ERR_SYSCALL naming the syscall on failure.
int vm_check_words(vm_t *vm, const char *name, const char *what, uint32_t ptr, uint32_t nwords);

/// Host pointer to guest word memory; only valid after vm_check_words succeeded for the range.
static inline uint32_t *vm_words(vm_t *vm, uint32_t ptr) { return (uint32_t *)(vm->mem + ptr); }
static inline uint8_t *vm_bytes(vm_t *vm, uint32_t ptr) { return vm->mem + ptr; }

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

// MARK: - Syscalls (dispatch: abi.h)

/// Syscall argument register a<i> (a0 + i) of an RV32 machine.
static inline uint32_t vm_arg(const vm_t *vm, unsigned i) { return vm->regs[VM_REG_A0 + i]; }

/// Cycles completed before the current ECALL (valid inside a syscall handler of a run).
uint64_t vm_cycles_before_ecall(const vm_t *vm);

/// Saves the page holding `addr` if this unconstrained block has not stored to it yet.
int vm_journal_page_of(vm_t *vm, uint32_t addr);
/// Undoes every store of the unconstrained block and forgets the journal.
void vm_journal_rollback(vm_t *vm);

// MARK: - Machine lifecycle (machine.c)

/// A machine on arena memory `mem` for `program` (NULL on the bare harness) under `abi`.
void vm_init(vm_t *vm, uint8_t *mem, const zkvm_program *program, const vm_abi_desc *abi);
/// Returns every page of the arena to the kernel, so the next execution starts from zeros.
void vm_arena_reset(zkvm_arena *arena);
void vm_destroy(vm_t *vm);
int vm_buf_append(vm_buf *buf, const uint8_t *data, size_t len);

#endif
