// The bare-machine harness (zkvm_machine_*): a machine on an arena with no program, for invoking
// one syscall at a time from tests and precompile benchmarks (Swift's SyscallMachine). It runs
// under the default ABI (abis.h) or one the caller names.

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abis.h"
#include "vm.h"

struct zkvm_machine {
    vm_t vm;
    zkvm_arena *arena;
};

zkvm_machine *zkvm_machine_create_abi(zkvm_arena *arena, zkvm_abi id) {
    const vm_abi_desc *abi = vm_abi_by_id(id);
    if (!abi || vm_arena_prepare(arena, abi) != 0) return NULL;
    zkvm_machine *m = calloc(1, sizeof *m);
    if (!m) return NULL;
    vm_init(&m->vm, arena->mem, NULL, abi);
    m->arena = arena;
    return m;
}

zkvm_machine *zkvm_machine_create(zkvm_arena *arena) { return zkvm_machine_create_abi(arena, vm_abi_default->id); }

void zkvm_machine_free(zkvm_machine *m) {
    if (!m) return;
    vm_destroy(&m->vm);
    vm_arena_reset(m->arena);
    free(m);
}

int zkvm_machine_write(zkvm_machine *m, uint64_t addr, const uint8_t *src, size_t len) {
    if (!vm_range_ok(&m->vm, addr, len)) return -1;
    memcpy(m->vm.mem + addr, src, len);
    return 0;
}

int zkvm_machine_read(const zkvm_machine *m, uint64_t addr, uint8_t *dst, size_t len) {
    if (!vm_range_ok(&m->vm, addr, len)) return -1;
    memcpy(dst, m->vm.mem + addr, len);
    return 0;
}

void zkvm_machine_set_reg(zkvm_machine *m, unsigned reg, uint64_t value) {
    if (reg < 32) vm_set_reg(&m->vm, reg, value);
}

uint64_t zkvm_machine_get_reg(const zkvm_machine *m, unsigned reg) { return reg < 32 ? vm_reg(&m->vm, reg) : 0; }

int zkvm_machine_push_input(zkvm_machine *m, const uint8_t *data, size_t len) {
    return vm_input_push_host(&m->vm, data, len);
}

size_t zkvm_machine_input_count(const zkvm_machine *m) { return m->vm.input.count; }

size_t zkvm_machine_input_item(const zkvm_machine *m, size_t index, uint8_t *dst, size_t cap) {
    if (index >= m->vm.input.count) return 0;
    const vm_item *it = &m->vm.input.items[m->vm.input.count - 1 - index];
    if (dst) memcpy(dst, it->data, it->len < cap ? it->len : cap);
    return it->len;
}

zkvm_status zkvm_machine_syscall(zkvm_machine *m, uint32_t code, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
                                 uint64_t a4, char *message, size_t message_cap) {
    vm_t *vm = &m->vm;
    vm->status = ZKVM_OK;
    vm->message[0] = 0;
    const uint64_t args[] = {code, a0, a1, a2, a3, a4};
    const unsigned regs[] = {VM_REG_T0, VM_REG_A0, VM_REG_A1, VM_REG_A2, VM_REG_A3, VM_REG_A4};
    for (unsigned i = 0; i < 6; i++) vm_set_reg(vm, regs[i], args[i]);
    vm_action act = vm_ecall(vm);
    if (act == VM_ERROR && vm->status == ZKVM_OK) vm_fail(vm, ZKVM_ERR_HOST, "syscall failed");
    if (message && message_cap) snprintf(message, message_cap, "%s", vm->message);
    return act == VM_ERROR ? vm->status : ZKVM_OK;
}
