#ifndef ZKVM_HOOKS_H
#define ZKVM_HOOKS_H

// SP1's host-callback hooks, reached through WRITE (hooks.c).

#include <stddef.h>
#include <stdint.h>

#include "vm.h"

/// Handles a WRITE (row `sc`) of `len` bytes to `fd` if `fd` is a hook of the machine's SP1
/// version: charges the hook's work and the input bytes at the row's rate, runs the hook and
/// pushes its results to the front of the input stream. Returns 0, -1 with an error recorded
/// (ZKVM_ERR_WORK_LIMIT past the work budget, before the hook runs), or 1 if `fd` is not a hook.
int vm_hook_write(vm_t *vm, const vm_syscall *sc, uint32_t fd, const uint8_t *buf, size_t len);

#endif
