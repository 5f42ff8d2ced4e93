/*
 * _start of the Linux-user builds of the corpus (qemu-riscv32 / qemu-riscv64): pass the initial
 * stack pointer (argc, argv...) to corpus_linux_main, then exit with its result.
 */
    .section .text._start, "ax", @progbits
    .globl _start
    .type _start, @function
_start:
    mv      a0, sp
    andi    sp, sp, -16
    call    corpus_linux_main
    li      a7, 93           /* exit */
    ecall
1:  j       1b
    .size _start, . - _start
