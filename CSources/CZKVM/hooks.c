// Host-callback hooks reached through WRITE (SP1_ABI.md §5.5). Their results are pushed to the
// front of the input stream for the guest to read next.

#include "vm.h"

int vm_hook_write(vm_t *vm, uint32_t fd, const uint8_t *buf, size_t len) {
    (void)buf;
    (void)len;
    bool v3_hook = fd == 5 || fd == 7 || fd == 8;
    bool v4_hook = fd >= 15 && fd <= 21;
    if (!v3_hook && !v4_hook) return 1;
    vm->err_word = fd;
    return vm_fail(vm, ZKVM_ERR_UNSUPPORTED_SYSCALL, "unsupported hook: WRITE to fd %u", fd);
}
