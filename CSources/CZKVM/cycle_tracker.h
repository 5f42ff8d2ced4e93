#ifndef ZKVM_CYCLE_TRACKER_H
#define ZKVM_CYCLE_TRACKER_H

// SP1's cycle tracker: guests mark regions by writing `cycle-tracker-start: NAME` /
// `cycle-tracker-end: NAME` (and `cycle-tracker-report-start/end: NAME`, whose totals SP1's
// ExecutionReport keeps) to stdout. The machine (vm.h) holds one tracker; the WRITE handlers feed
// it what the guest writes to fd 1 with the cycle count before the ECALL (SP1's global_clk), and
// the driver hands its regions to the result. It never changes a run: no work, no cycles, no
// error (past its caps it stops recording and says so).

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "zkvm_core.h"

/// A region still open: where it started and the region row it will add to.
typedef struct vm_tracker_open {
    uint64_t start;   ///< cycles before the starting WRITE
    uint32_t region;  ///< index into vm_tracker.regions
} vm_tracker_open;

/// One region row: a name under a parent (the region open when it started), summed over hits.
typedef struct vm_tracker_region {
    char *name;
    int32_t parent;  ///< -1 at the top
    uint32_t depth;
    uint64_t cycles, hits, report_cycles, report_hits;
} vm_tracker_region;

typedef struct vm_tracker {
    vm_tracker_region *regions;
    size_t count, cap;
    vm_tracker_open *open;  ///< a stack, innermost last
    size_t open_count, open_cap;
    bool truncated;  ///< a cap was reached: later regions were not recorded
} vm_tracker;

/// SP1 v3-v5 (whose executor parses every fd-1 WRITE): the whole write is one command when the
/// text before its first ':' is one of the four command words; the name is the rest, trimmed.
/// Returns true if it was one (SP1 then consumes the write instead of printing it).
bool vm_tracker_write(vm_tracker *t, const uint8_t *buf, size_t len, uint64_t clock);

/// SP1 v6 (its profiling executor) and RISC Zero: every line of the write that starts with
/// `cycle-tracker-start:` (or -end:, -report-start:, -report-end:) is a command, the name being
/// the rest of the line, trimmed. The write itself is printed as usual.
void vm_tracker_lines(vm_tracker *t, const uint8_t *buf, size_t len, uint64_t clock);

/// Moves the regions into `*out` (an array the result owns, freed by zkvm_result_free), empties
/// the tracker and returns their count (0 and *out = NULL when there are none or memory is short).
size_t vm_tracker_export(vm_tracker *t, zkvm_region **out);

void vm_tracker_free(vm_tracker *t);

#endif
