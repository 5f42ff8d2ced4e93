/*
 * call-profile — a developer-tools guest (bin/tools/) whose call structure and per-function
 * instruction counts are known, for the profiler's tests: main calls f once, f calls g ten times.
 * f and g are written in assembly so their counts do not depend on the compiler:
 *   g: li; 5 x (addi, bnez); ret                         12 instructions per call
 *   f: 4 (frame, counter) + 10 x (jal g, addi, bnez) + 4 (restore, ret) = 38
 * so f has 38 self and 158 inclusive cycles, g 120 self cycles over 10 calls (every op here costs
 * one cycle on SP1 and on RISC Zero).
 * Output: the u32 158.
 */
#include "zkvm.h"

#if __riscv_xlen == 64
#define SAVE "sd"
#define LOAD "ld"
#else
#define SAVE "sw"
#define LOAD "lw"
#endif

__asm__(".pushsection .text.g,\"ax\",@progbits\n"
        ".globl g\n.type g, @function\n.p2align 2\n"
        "g:\n"
        "  li t1, 5\n"
        "1: addi t1, t1, -1\n"
        "  bnez t1, 1b\n"
        "  ret\n"
        ".size g, .-g\n"
        ".popsection\n"
        ".pushsection .text.f,\"ax\",@progbits\n"
        ".globl f\n.type f, @function\n.p2align 2\n"
        "f:\n"
        "  addi sp, sp, -16\n"
        "  " SAVE " ra, 8(sp)\n"
        "  " SAVE " s0, 0(sp)\n"
        "  li s0, 10\n"
        "1: jal ra, g\n"
        "  addi s0, s0, -1\n"
        "  bnez s0, 1b\n"
        "  " LOAD " ra, 8(sp)\n"
        "  " LOAD " s0, 0(sp)\n"
        "  addi sp, sp, 16\n"
        "  ret\n"
        ".size f, .-f\n"
        ".popsection\n");

void f(void);

int main(void) {
    f();
    zkvm_commit_u32(158);
    return 0;
}
