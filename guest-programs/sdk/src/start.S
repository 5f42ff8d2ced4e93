/*
 * _start: the ELF entry point. Mirrors sp1-zkvm's entrypoint: set gp and sp, call into C.
 * Registers start at 0 and the loader zero-fills .bss (p_memsz > p_filesz), so nothing
 * else needs initialising here.
 */
    .section .text._start, "ax", @progbits
    .globl _start
    .type _start, @function
_start:
    .option push
    .option norelax          /* gp must not be used to compute its own value */
    la      gp, __global_pointer$
    .option pop
#if __riscv_xlen == 64
    li      sp, 0x78000000   /* ZKVM_STACK_TOP (SP1 v6's STACK_TOP); the stack grows down */
#else
    li      sp, 0x00200400   /* ZKVM_STACK_TOP; the stack grows down towards 0x20 */
#endif
    call    __zkvm_start     /* runs main, then HALT; never returns */
    ebreak                   /* unreachable: SP1 reports Breakpoint if HALT ever returned */
    .size _start, . - _start
