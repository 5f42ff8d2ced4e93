#ifndef ZKVM_JIT_H
#define ZKVM_JIT_H

// The JIT tier: translates a program's pre-decoded slots (program->code) into x86-64 code once
// per program, as a loop function with the interpreter loop's contract (run.h). The driver
// (interp.c) runs it in plain mode (outside unconstrained blocks and SP1 v6's untrusted mode);
// every stop is handled by the same driver code as the interpreter's.
//
// Translation happens on first use and is shared by every execution of the program (thread-safe:
// concurrent first uses may each translate; one result is kept). A translation that fails (not an
// x86-64 host, executable memory refused, a window the JIT has no check for) is kept too, with its
// reason, and the interpreter runs instead.

#include <stddef.h>
#include <stdint.h>

#include "../program.h"
#include "../run.h"

typedef struct vm_jit {
    vm_translation base;  ///< first: how zkvm_program_free releases it
    vm_loop_fn loop;      ///< NULL when the translation failed
    char reason[160];     ///< why it failed ("" when it did not)
    uint64_t translate_ns;  ///< wall time of the translation
    size_t code_bytes;      ///< bytes of host code (the table of slot entries not included)
    size_t map_bytes;       ///< bytes of the executable mapping
    unsigned pinned;        ///< guest registers kept in host registers
    void *map;              ///< the mapping (code, then the table of slot entries)
} vm_jit;

/// The program's translation if one was made (successful or not), else NULL.
const vm_jit *vm_jit_of(const zkvm_program *program);

/// The program's translation, made now if there is none yet. Never NULL unless out of memory.
const vm_jit *vm_jit_prepare(const zkvm_program *program);

#endif
