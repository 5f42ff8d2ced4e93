// Machine state: arenas, errors, syscall buffer checks, page permissions (SP1 v6 untrusted mode),
// output buffers, the input stream and the unconstrained-block journal.

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdatomic.h>
#include <sys/mman.h>
#include <time.h>

#include "program.h"
#include "vm.h"

// MARK: - Arenas

/// Reserves `bytes` of address space that costs nothing until touched. Transparent huge pages are
/// turned off so that every first touch commits one 4 KiB page (the per-execution memory cap
/// counts those faults) and a sparse guest does not commit 2 MiB per touched region.
static uint8_t *reserve(size_t bytes) {
    void *m = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (m == MAP_FAILED) return NULL;
    madvise(m, bytes, MADV_NOHUGEPAGE);
    return m;
}

zkvm_arena *zkvm_arena_create(void) {
    zkvm_arena *a = calloc(1, sizeof *a);
    if (!a) return NULL;
    // Reserve the RV32 window; pages are committed on first touch and released by reset.
    if (!(a->mem = reserve(VM_ARENA_BYTES))) {
        free(a);
        return NULL;
    }
    a->size = VM_ARENA_BYTES;
    return a;
}

void zkvm_arena_free(zkvm_arena *a) {
    if (!a) return;
    munmap(a->mem, a->size);
    free(a);
}

/// Window bytes rounded up to a page: what an arena must reserve for `abi`.
static size_t window_bytes(const vm_abi_desc *abi) {
    return (size_t)((abi->mem_end + VM_PAGE_SIZE - 1) & ~(uint64_t)(VM_PAGE_SIZE - 1));
}

int vm_arena_prepare(zkvm_arena *a, const vm_abi_desc *abi) {
    size_t need = window_bytes(abi);
    if (need > a->size) {  // an RV64 window (2^40 bytes) is only address space until touched
        uint8_t *m = reserve(need);
        if (!m) return -1;
        munmap(a->mem, a->size);
        a->mem = m;
        a->size = need;
    }
    if (need > a->touched) a->touched = need;
    return 0;
}

void vm_arena_reset(zkvm_arena *a) {
    madvise(a->mem, a->touched ? a->touched : a->size, MADV_DONTNEED);
    a->touched = 0;
}

// MARK: - Host-side stops

struct zkvm_interrupt {
    atomic_int raised;
};

zkvm_interrupt *zkvm_interrupt_create(void) { return calloc(1, sizeof(zkvm_interrupt)); }
void zkvm_interrupt_raise(zkvm_interrupt *flag) { atomic_store_explicit(&flag->raised, 1, memory_order_release); }
int zkvm_interrupt_raised(const zkvm_interrupt *flag) {
    return atomic_load_explicit(&((zkvm_interrupt *)flag)->raised, memory_order_acquire);
}
void zkvm_interrupt_free(zkvm_interrupt *flag) { free(flag); }

uint64_t vm_now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

int vm_check_host_stops(vm_t *vm) {
    vm->ecalls_to_check = VM_ECALLS_PER_CHECK;
    if (vm->interrupt && zkvm_interrupt_raised(vm->interrupt))
        return vm_fail(vm, ZKVM_ERR_INTERRUPTED, "execution interrupted by the host");
    if (vm->deadline_ns && vm_now_ns() >= vm->deadline_ns)
        return vm_fail(vm, ZKVM_ERR_TIME_LIMIT, "time limit exceeded: the execution ran longer than %.3f s",
                       (double)vm->wall_limit_ns / 1e9);
    return 0;
}

// MARK: - Errors

int vm_fail(vm_t *vm, zkvm_status status, const char *fmt, ...) {
    if (vm->status == ZKVM_OK) {
        vm->status = status;
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(vm->message, sizeof vm->message, fmt, ap);
        va_end(ap);
    }
    return -1;
}

// MARK: - Work meter

int vm_work_exceeded(vm_t *vm, const char *what) {
    if (vm->work_derived)
        return vm_fail(vm, ZKVM_ERR_WORK_LIMIT,
                       "work limit exceeded: %llu units of host work (precompile, hook and I/O calls) at %s, over the "
                       "budget of %llu units for max_cycles = %llu",
                       (unsigned long long)vm->work, what, (unsigned long long)vm->work_limit,
                       (unsigned long long)vm->work_max_cycles);
    return vm_fail(vm, ZKVM_ERR_WORK_LIMIT,
                   "work limit exceeded: %llu units of host work (precompile, hook and I/O calls) at %s, over the "
                   "budget of %llu units (max_work)",
                   (unsigned long long)vm->work, what, (unsigned long long)vm->work_limit);
}

uint64_t zkvm_default_max_work(uint64_t max_cycles) {
    if (max_cycles > (UINT64_MAX - ZKVM_WORK_BASE) / ZKVM_WORK_PER_CYCLE) return UINT64_MAX;
    return ZKVM_WORK_BASE + max_cycles * ZKVM_WORK_PER_CYCLE;
}

int vm_check_spans(vm_t *vm, const char *name, const vm_span *spans, size_t count) {
    const unsigned align = vm_abi_word_bytes(vm->abi);
    for (size_t i = 0; i < count; i++) {
        const vm_span *s = &spans[i];
        if (s->ptr & (align - 1))
            return vm_fail(vm, ZKVM_ERR_SYSCALL, "%s: %s pointer 0x%08llx is not %u-byte aligned", name, s->what,
                           (unsigned long long)s->ptr, align);
        if (!vm_range_ok(vm, s->ptr, s->bytes)) {
            vm->err_addr = s->ptr;
            return vm_fail(vm, ZKVM_ERR_SYSCALL, "%s: %s [0x%08llx, +%llu bytes) lies outside guest memory", name,
                           s->what, (unsigned long long)s->ptr, (unsigned long long)s->bytes);
        }
    }
    for (size_t i = 0; vm->prot && i < count; i++) {
        unsigned code = spans[i].bytes ? vm_prot_violation(vm, spans[i].ptr, spans[i].bytes, spans[i].prot) : 0;
        if (code) {
            vm->trap_code = code;
            return VM_TRAP;
        }
    }
    return 0;
}

// MARK: - Page permissions (SP1 v6 untrusted mode)

unsigned vm_prot_violation(const vm_t *vm, uint64_t addr, uint64_t len, unsigned prot) {
    if (!vm->prot || len == 0) return 0;
    for (uint64_t page = addr >> VM_PAGE_SHIFT, last = (addr + len - 1) >> VM_PAGE_SHIFT; page <= last; page++) {
        unsigned have = vm->prot[page] ^ VM_PROT_DEFAULT;
        if ((prot & VM_PROT_EXEC) && !(have & VM_PROT_EXEC)) return VM_TRAP_EXEC;
        if ((prot & VM_PROT_READ) && !(have & VM_PROT_READ)) return VM_TRAP_READ;
        if ((prot & VM_PROT_WRITE) && !(have & VM_PROT_WRITE)) return VM_TRAP_WRITE;
    }
    return 0;
}

void vm_prot_set(vm_t *vm, uint64_t addr, unsigned prot) {
    if (vm->prot && (addr >> VM_PAGE_SHIFT) < vm->prot_bytes)
        vm->prot[addr >> VM_PAGE_SHIFT] = (uint8_t)(prot ^ VM_PROT_DEFAULT);
}

int vm_prot_init(vm_t *vm) {
    vm->prot_bytes = (size_t)(window_bytes(vm->abi) >> VM_PAGE_SHIFT);
    void *m = mmap(NULL, vm->prot_bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (m == MAP_FAILED) {
        vm->prot = NULL;
        return vm_fail(vm, ZKVM_ERR_HOST, "could not reserve the page-permission table");
    }
    vm->prot = m;
    // Every page a segment spans gets the segment's flags (SP1's prot image), in file order.
    const zkvm_program *p = vm->program;
    for (size_t i = 0; i < p->segment_count; i++) {
        const vm_segment *s = &p->segments[i];
        for (uint64_t a = s->vaddr & ~(uint64_t)(VM_PAGE_SIZE - 1); a < s->vaddr + s->memsz; a += VM_PAGE_SIZE)
            vm_prot_set(vm, a, s->flags & 7);
    }
    return 0;
}

// MARK: - Buffers

int vm_buf_append(vm_buf *b, const uint8_t *data, size_t len) {
    if (len == 0) return 0;
    if (b->len + len > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + len) cap *= 2;
        uint8_t *d = realloc(b->data, cap);
        if (!d) return -1;
        b->data = d;
        b->cap = cap;
    }
    memcpy(b->data + b->len, data, len);
    b->len += len;
    return 0;
}

// MARK: - Input stream

static int input_reserve(vm_input *in) {
    if (in->count < in->cap) return 0;
    size_t cap = in->cap ? in->cap * 2 : 8;
    vm_item *items = realloc(in->items, cap * sizeof *items);
    if (!items) return -1;
    in->items = items;
    in->cap = cap;
    return 0;
}

/// A copy of `data` as an owned item; a guest's items count against its cap, the host's do not.
static int copy_item(vm_t *vm, const uint8_t *data, size_t len, bool from_guest, vm_item *item) {
    if (from_guest && vm->input.pushed_bytes + len > vm->max_hint)
        return vm_fail(vm, ZKVM_ERR_OUTPUT_LIMIT, "guest pushed more than %zu bytes into its input stream", vm->max_hint);
    uint8_t *copy = malloc(len ? len : 1);
    if (!copy) return vm_fail(vm, ZKVM_ERR_HOST, "out of memory for an input item of %zu bytes", len);
    if (len) memcpy(copy, data, len);
    if (from_guest) vm->input.pushed_bytes += len;
    *item = (vm_item){.data = copy, .len = len, .owned = true};
    return 0;
}

/// Inserts `item` as the next one to read (`front`) or after every pending one. The array is
/// stored reversed, so the front is its end.
static int insert_item(vm_t *vm, vm_item item, bool front) {
    if (input_reserve(&vm->input) != 0) {
        if (item.owned) free(item.data);
        return vm_fail(vm, ZKVM_ERR_HOST, "out of memory for the input stream");
    }
    vm_input *in = &vm->input;
    if (front) {
        in->items[in->count] = item;
    } else {
        memmove(in->items + 1, in->items, in->count * sizeof *in->items);
        in->items[0] = item;
    }
    in->count++;
    return 0;
}

static int push_copy(vm_t *vm, const uint8_t *data, size_t len, bool from_guest, bool front) {
    vm_item item;
    return copy_item(vm, data, len, from_guest, &item) ? -1 : insert_item(vm, item, front);
}

int vm_input_push_front(vm_t *vm, const uint8_t *data, size_t len) { return push_copy(vm, data, len, true, true); }
int vm_input_push_back(vm_t *vm, const uint8_t *data, size_t len) { return push_copy(vm, data, len, true, false); }
int vm_input_push_host(vm_t *vm, const uint8_t *data, size_t len) { return push_copy(vm, data, len, false, false); }

int vm_input_push_borrowed(vm_t *vm, const uint8_t *data, size_t len) {
    return insert_item(vm, (vm_item){.data = (uint8_t *)data, .len = len, .owned = false}, false);
}

void vm_input_pop_front(vm_t *vm) {
    if (!vm->input.count) return;
    vm_item *it = &vm->input.items[--vm->input.count];
    if (it->owned) free(it->data);
}

// MARK: - Unconstrained-block journal

int vm_journal_page_of(vm_t *vm, uint64_t addr) {
    uint32_t page = (uint32_t)(addr >> VM_PAGE_SHIFT);
    // One bit per page of the window (32 MiB of address space on RV64: calloc maps it lazily).
    if (!vm->journaled && !(vm->journaled = calloc((window_bytes(vm->abi) >> VM_PAGE_SHIFT) / 8 + 1, 1)))
        return vm_fail(vm, ZKVM_ERR_HOST, "out of memory journaling an unconstrained block");
    if (vm->journaled[page >> 3] & (1u << (page & 7))) return 0;
    if (vm->journal_len == vm->journal_cap) {
        size_t cap = vm->journal_cap ? vm->journal_cap * 2 : 16;
        vm_journal_page *j = realloc(vm->journal, cap * sizeof *j);
        if (!j) return vm_fail(vm, ZKVM_ERR_HOST, "out of memory journaling an unconstrained block");
        vm->journal = j;
        vm->journal_cap = cap;
    }
    uint8_t *copy = malloc(VM_PAGE_SIZE);
    if (!copy) return vm_fail(vm, ZKVM_ERR_HOST, "out of memory journaling an unconstrained block");
    memcpy(copy, vm->mem + ((size_t)page << VM_PAGE_SHIFT), VM_PAGE_SIZE);
    vm->journal[vm->journal_len++] = (vm_journal_page){.page = page, .copy = copy};
    vm->journaled[page >> 3] |= (uint8_t)(1u << (page & 7));
    return 0;
}

void vm_journal_rollback(vm_t *vm) {
    for (size_t i = 0; i < vm->journal_len; i++) {
        vm_journal_page *j = &vm->journal[i];
        memcpy(vm->mem + ((size_t)j->page << VM_PAGE_SHIFT), j->copy, VM_PAGE_SIZE);
        vm->journaled[j->page >> 3] &= (uint8_t)~(1u << (j->page & 7));
        free(j->copy);
    }
    vm->journal_len = 0;
}

// MARK: - Lifecycle

#define DEFAULT_MAX_PUBLIC_VALUES (64u << 20)
#define DEFAULT_MAX_LOG (1u << 20)
#define DEFAULT_MAX_HINT (256u << 20)

void vm_init(vm_t *vm, uint8_t *mem, const zkvm_program *program, const vm_abi_desc *abi) {
    memset(vm, 0, sizeof *vm);
    vm->mem = mem;
    vm->program = program;
    vm->abi = abi;
    vm->max_public_values = DEFAULT_MAX_PUBLIC_VALUES;
    vm->max_log = DEFAULT_MAX_LOG;
    vm->max_hint = DEFAULT_MAX_HINT;
    vm->ecalls_to_check = VM_ECALLS_PER_CHECK;
    vm->work_limit = UINT64_MAX;
}

void vm_destroy(vm_t *vm) {
    while (vm->input.count) vm_input_pop_front(vm);
    free(vm->input.items);
    free(vm->public_values.data);
    free(vm->out.data);
    free(vm->err.data);
    vm_journal_rollback(vm);  // frees the saved pages (their contents no longer matter)
    free(vm->journal);
    free(vm->journaled);
    if (vm->prot) munmap(vm->prot, vm->prot_bytes);
    vm_tracker_free(&vm->tracker);
    memset(vm, 0, sizeof *vm);
}

// MARK: - Cycles

uint64_t vm_cycles_before_ecall(const vm_t *vm) {
    int64_t through = vm->budget_end - vm->ecall_budget;  // cycles through the ECALL
    int64_t own = vm->abi->op_cycles[OP_ECALL];
    return through > own ? (uint64_t)(through - own) : 0;
}
