/* Bump allocator over [_end, ZKVM_MAX_MEMORY) (SP1 RV32 0x78000000, SP1 v6 RV64 0x1C00000000,
 * RISC Zero 0x0C000000), like the zkVMs' own `bump` allocators: never frees. */
#include "zkvm.h"

extern char _end[]; /* end of .bss, from link.ld */

static uintptr_t heap_next; /* 0 until the first allocation */

void *zkvm_alloc(size_t size, size_t align) {
    if (align == 0 || (align & (align - 1)) != 0) zkvm_panic("zkvm_alloc: alignment must be a power of two");
    uintptr_t p = heap_next ? heap_next : (uintptr_t)_end;
    if (align - 1 > ZKVM_MAX_MEMORY - p) zkvm_panic("Memory limit exceeded (" ZKVM_MAX_MEMORY_STR ")");
    p = (p + align - 1) & ~(uintptr_t)(align - 1);
    if (size > ZKVM_MAX_MEMORY - p) zkvm_panic("Memory limit exceeded (" ZKVM_MAX_MEMORY_STR ")");
    heap_next = p + size;
    return (void *)p;
}

void *malloc(size_t size) { return zkvm_alloc(size, 16); }

void *calloc(size_t n, size_t size) {
    if (size && n > (size_t)-1 / size) zkvm_panic("calloc: size overflow");
    /* Memory past the bump pointer has never been written, so it already reads as zero. */
    return zkvm_alloc(n * size, 16);
}

void free(void *p) { (void)p; }
