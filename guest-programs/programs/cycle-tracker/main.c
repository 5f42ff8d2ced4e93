/*
 * cycle-tracker — a developer-tools guest (bin/tools/): regions of known cycle counts marked with
 * the SDK's cycle-tracker macros, nested and repeated, for the engine's tests and README.
 *
 * Every body is an asm loop of exactly 1 + 2n instructions (SPIN(n)), and the markers are fixed
 * asm sequences (ZKVM_CYCLE_OVERHEAD), so each region's count is known in advance:
 *   outer   = OH + SPIN(100) + 3 * (inner's two markers + SPIN(10))        1 hit
 *   inner   = OH + SPIN(10)                                                3 hits (nested in outer)
 *   report  = OH + SPIN(7)                                                 2 hits (report totals)
 * with OH = ZKVM_CYCLE_OVERHEAD and a marker costing OH cycles (SP1: 6 instructions; RISC Zero:
 * 11 user cycles). SP1: outer 306, inner 3 x 27 = 81, report 2 x 21 = 42; RISC Zero: outer 341,
 * inner 3 x 32 = 96, report 2 x 26 = 52.
 * Output: the u32 42; stdout "done\n" (plus the marker lines on SP1 v6 and RISC Zero).
 */
#include "zkvm.h"

/* 1 + 2n instructions (li; n times addi + bnez), every one a 1-cycle op on SP1 and RISC Zero. */
#define SPIN(n) __asm__ volatile("li t1, " #n "\n1: addi t1, t1, -1\nbnez t1, 1b" ::: "t1")

int main(void) {
    ZKVM_CYCLE_START("outer");
    SPIN(100);
    ZKVM_CYCLE_START("inner");
    SPIN(10);
    ZKVM_CYCLE_END("inner");
    ZKVM_CYCLE_START("inner");
    SPIN(10);
    ZKVM_CYCLE_END("inner");
    ZKVM_CYCLE_START("inner");
    SPIN(10);
    ZKVM_CYCLE_END("inner");
    ZKVM_CYCLE_END("outer");
    ZKVM_CYCLE_REPORT_START("report");
    SPIN(7);
    ZKVM_CYCLE_REPORT_END("report");
    ZKVM_CYCLE_REPORT_START("report");
    SPIN(7);
    ZKVM_CYCLE_REPORT_END("report");
    zkvm_print("done\n");
    zkvm_commit_u32(42);
    return 0;
}
