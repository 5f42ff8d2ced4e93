// Machine state: arenas, errors, output buffers, the input stream, and the bare-machine harness.

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "program.h"
#include "vm.h"

// MARK: - Arenas

zkvm_arena *zkvm_arena_create(void) {
    zkvm_arena *a = calloc(1, sizeof *a);
    if (!a) return NULL;
    // Reserve the whole window; pages are committed on first touch and released by reset.
    void *m = mmap(NULL, VM_ARENA_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (m == MAP_FAILED) {
        free(a);
        return NULL;
    }
    a->mem = m;
    a->size = VM_ARENA_BYTES;
    return a;
}

void zkvm_arena_free(zkvm_arena *a) {
    if (!a) return;
    munmap(a->mem, a->size);
    free(a);
}

/// Returns every page to the kernel, so the next execution starts from zeros.
void vm_arena_reset(zkvm_arena *a) { madvise(a->mem, a->size, MADV_DONTNEED); }

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

int vm_check_words(vm_t *vm, const char *name, const char *what, uint32_t ptr, uint32_t nwords) {
    if (ptr & 3)
        return vm_fail(vm, ZKVM_ERR_SYSCALL, "%s: %s pointer 0x%08x is not 4-byte aligned", name, what, ptr);
    if (!vm_range_ok(ptr, (uint64_t)nwords * 4)) {
        vm->err_addr = ptr;
        return vm_fail(vm, ZKVM_ERR_SYSCALL, "%s: %s [0x%08x, +%u words) lies outside guest memory", name, what, ptr,
                       nwords);
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

int vm_input_push_front(vm_t *vm, const uint8_t *data, size_t len) {
    vm_item item;
    return copy_item(vm, data, len, true, &item) ? -1 : insert_item(vm, item, true);
}

int vm_input_push_back(vm_t *vm, const uint8_t *data, size_t len) {
    vm_item item;
    return copy_item(vm, data, len, true, &item) ? -1 : insert_item(vm, item, false);
}

int vm_input_push_borrowed(vm_t *vm, const uint8_t *data, size_t len) {
    return insert_item(vm, (vm_item){.data = (uint8_t *)data, .len = len, .owned = false}, false);
}

void vm_input_pop_front(vm_t *vm) {
    if (!vm->input.count) return;
    vm_item *it = &vm->input.items[--vm->input.count];
    if (it->owned) free(it->data);
}

// MARK: - Unconstrained-block journal

int vm_journal_page_of(vm_t *vm, uint32_t addr) {
    uint32_t page = addr >> VM_PAGE_SHIFT;
    if (!vm->journaled && !(vm->journaled = calloc((VM_PAGE_COUNT + 7) / 8, 1)))
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

void vm_init(vm_t *vm, uint8_t *mem, const zkvm_program *program) {
    memset(vm, 0, sizeof *vm);
    vm->mem = mem;
    vm->program = program;
    vm->abi = program ? program->abi : ZKVM_ABI_UNKNOWN;
    vm->max_public_values = DEFAULT_MAX_PUBLIC_VALUES;
    vm->max_log = DEFAULT_MAX_LOG;
    vm->max_hint = DEFAULT_MAX_HINT;
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
    memset(vm, 0, sizeof *vm);
}

// MARK: - Bare-machine harness

struct zkvm_machine {
    vm_t vm;
    zkvm_arena *arena;
};

zkvm_machine *zkvm_machine_create(zkvm_arena *arena) {
    zkvm_machine *m = calloc(1, sizeof *m);
    if (!m) return NULL;
    vm_init(&m->vm, arena->mem, NULL);
    m->arena = arena;
    return m;
}

void zkvm_machine_free(zkvm_machine *m) {
    if (!m) return;
    vm_destroy(&m->vm);
    vm_arena_reset(m->arena);
    free(m);
}

int zkvm_machine_write(zkvm_machine *m, uint32_t addr, const uint8_t *src, size_t len) {
    if (!vm_range_ok(addr, len)) return -1;
    memcpy(m->vm.mem + addr, src, len);
    return 0;
}

int zkvm_machine_read(const zkvm_machine *m, uint32_t addr, uint8_t *dst, size_t len) {
    if (!vm_range_ok(addr, len)) return -1;
    memcpy(dst, m->vm.mem + addr, len);
    return 0;
}

void zkvm_machine_set_reg(zkvm_machine *m, unsigned reg, uint32_t value) {
    if (reg > 0 && reg < 32) m->vm.regs[reg] = value;
}

uint32_t zkvm_machine_get_reg(const zkvm_machine *m, unsigned reg) { return reg < 32 ? m->vm.regs[reg] : 0; }

int zkvm_machine_push_input(zkvm_machine *m, const uint8_t *data, size_t len) {
    vm_item item;
    return copy_item(&m->vm, data, len, false, &item) ? -1 : insert_item(&m->vm, item, false);
}

size_t zkvm_machine_input_count(const zkvm_machine *m) { return m->vm.input.count; }

size_t zkvm_machine_input_item(const zkvm_machine *m, size_t index, uint8_t *dst, size_t cap) {
    if (index >= m->vm.input.count) return 0;
    const vm_item *it = &m->vm.input.items[m->vm.input.count - 1 - index];
    if (dst) memcpy(dst, it->data, it->len < cap ? it->len : cap);
    return it->len;
}

zkvm_status zkvm_machine_syscall(zkvm_machine *m, uint32_t code, uint32_t a0, uint32_t a1, uint32_t a2, uint32_t a3,
                                 char *message, size_t message_cap) {
    vm_t *vm = &m->vm;
    vm->status = ZKVM_OK;
    vm->message[0] = 0;
    vm->regs[VM_REG_T0] = code;
    vm->regs[VM_REG_A0] = a0;
    vm->regs[VM_REG_A1] = a1;
    vm->regs[VM_REG_A2] = a2;
    vm->regs[VM_REG_A3] = a3;
    vm_action act = vm_syscall(vm);
    if (act == VM_ERROR && vm->status == ZKVM_OK) vm_fail(vm, ZKVM_ERR_HOST, "syscall failed");
    if (message && message_cap) snprintf(message, message_cap, "%s", vm->message);
    return act == VM_ERROR ? vm->status : ZKVM_OK;
}
