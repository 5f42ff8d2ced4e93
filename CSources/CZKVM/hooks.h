#ifndef ZKVM_HOOKS_H
#define ZKVM_HOOKS_H

// SP1's host-callback hooks, reached through WRITE (hooks.c).

#include <stddef.h>
#include <stdint.h>

#include "vm.h"

/// Handles a WRITE of `len` bytes to `fd` if `fd` is a hook of the machine's SP1 version: pushes
/// the hook's results to the front of the input stream. Returns 0, -1 with an error recorded, or
/// 1 if `fd` is not a hook.
int vm_hook_write(vm_t *vm, uint32_t fd, const uint8_t *buf, size_t len);

#endif
