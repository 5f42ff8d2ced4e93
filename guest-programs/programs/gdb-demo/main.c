/*
 * gdb-demo — the guest of `zkvm debug`'s GDB test and of the README's GDB example, built with -g by
 * `make debug PROGRAM=gdb-demo` (not one of the committed ELFs): sums the squares of 1..n for
 * n = 10 in a helper function and commits the sum, 385, as a u32.
 */
#include "zkvm.h"

unsigned square(unsigned x) {
    unsigned result = x * x;
    return result;
}

int main(void) {
    unsigned n = 10;
    unsigned total = 0;
    for (unsigned i = 1; i <= n; i++) total += square(i);
    zkvm_commit_u32(total);
    return 0;
}
