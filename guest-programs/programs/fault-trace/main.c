/*
 * fault-trace — a developer-tools guest (bin/tools/) that faults after known instructions, for
 * `zkvm run --trace-tail`: main prints "before the fault\n", then calls crash, whose fourth
 * instruction loads a word from the misaligned address 0x401 (inside every ABI's guest memory,
 * misaligned for all of them):
 *   crash:     addi a0, zero, 0x401
 *   crash+0x4: addi a1, zero, 0x7
 *   crash+0x8: add a2, a0, a1
 *   crash+0xc: lw a3, 0x0(a0)      <- the fault
 */
#include "zkvm.h"

__asm__(".pushsection .text.crash,\"ax\",@progbits\n"
        ".globl crash\n.type crash, @function\n.p2align 2\n"
        "crash:\n"
        "  li a0, 0x401\n"
        "  li a1, 7\n"
        "  add a2, a0, a1\n"
        "  lw a3, 0(a0)\n"
        "  ret\n"
        ".size crash, .-crash\n"
        ".popsection\n");

void crash(void);

int main(void) {
    zkvm_print("before the fault\n");
    crash();
    zkvm_commit_u32(1);
    return 0;
}
