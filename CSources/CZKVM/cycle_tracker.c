// SP1's cycle tracker (cycle_tracker.h): parsing the guest's stdout commands and keeping the
// regions, nested by what was open when each started, repeated hits summed.
//
// Semantics (SP1 v4.2.1 syscalls/write.rs, v6.4.0 minimal/write.rs): a region's cycles are the
// cycle count before its end WRITE minus the count before its start WRITE (SP1's global_clk
// difference). Starting a name that is already open restarts it (SP1 keeps one entry per name);
// an end without a matching start is ignored; report-start is a start; report-end also adds the
// span to SP1's report totals (report_cycles, report_hits).

#include "cycle_tracker.h"

#include <stdlib.h>
#include <string.h>

/// Caps against hostile guests: rows, open regions and name bytes.
#define TRACKER_MAX_REGIONS 4096
#define TRACKER_MAX_OPEN 1024
#define TRACKER_MAX_NAME 256

typedef enum { CMD_START, CMD_END, CMD_REPORT_START, CMD_REPORT_END } tracker_cmd;

static const struct {
    const char *word;
    tracker_cmd cmd;
} commands[] = {
    {"cycle-tracker-start", CMD_START},
    {"cycle-tracker-end", CMD_END},
    {"cycle-tracker-report-start", CMD_REPORT_START},
    {"cycle-tracker-report-end", CMD_REPORT_END},
};

static bool is_space(uint8_t c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }

static bool same_name(const char *name, const uint8_t *s, size_t len) {
    return strlen(name) == len && memcmp(name, s, len) == 0;
}

static void start(vm_tracker *t, const uint8_t *name, size_t len, uint64_t clock) {
    // A name already open restarts (SP1's map keeps one start per name).
    for (size_t i = t->open_count; i-- > 0;)
        if (same_name(t->regions[t->open[i].region].name, name, len)) {
            memmove(&t->open[i], &t->open[i + 1], (t->open_count - i - 1) * sizeof t->open[0]);
            t->open_count--;
            break;
        }
    int32_t parent = t->open_count ? (int32_t)t->open[t->open_count - 1].region : -1;
    size_t row = 0;
    while (row < t->count && !(t->regions[row].parent == parent && same_name(t->regions[row].name, name, len))) row++;
    if (row == t->count) {
        if (t->count == TRACKER_MAX_REGIONS || len > TRACKER_MAX_NAME) {
            t->truncated = true;
            return;
        }
        if (t->count == t->cap) {
            size_t cap = t->cap ? 2 * t->cap : 16;
            vm_tracker_region *grown = realloc(t->regions, cap * sizeof *grown);
            if (!grown) return;
            t->regions = grown, t->cap = cap;
        }
        char *copy = malloc(len + 1);
        if (!copy) return;
        memcpy(copy, name, len);
        copy[len] = 0;
        t->regions[t->count++] = (vm_tracker_region){
            .name = copy, .parent = parent, .depth = parent < 0 ? 0 : t->regions[parent].depth + 1};
    }
    if (t->open_count == TRACKER_MAX_OPEN) {
        t->truncated = true;
        return;
    }
    if (t->open_count == t->open_cap) {
        size_t cap = t->open_cap ? 2 * t->open_cap : 16;
        vm_tracker_open *grown = realloc(t->open, cap * sizeof *grown);
        if (!grown) return;
        t->open = grown, t->open_cap = cap;
    }
    t->open[t->open_count++] = (vm_tracker_open){.start = clock, .region = (uint32_t)row};
}

static void end(vm_tracker *t, const uint8_t *name, size_t len, uint64_t clock, bool report) {
    for (size_t i = t->open_count; i-- > 0;) {
        vm_tracker_region *r = &t->regions[t->open[i].region];
        if (!same_name(r->name, name, len)) continue;
        uint64_t span = clock - t->open[i].start;
        r->cycles += span, r->hits++;
        if (report) r->report_cycles += span, r->report_hits++;
        memmove(&t->open[i], &t->open[i + 1], (t->open_count - i - 1) * sizeof t->open[0]);
        t->open_count--;
        return;
    }
}

static void run_command(vm_tracker *t, tracker_cmd cmd, const uint8_t *name, size_t len, uint64_t clock) {
    while (len && is_space(name[0])) name++, len--;
    while (len && is_space(name[len - 1])) len--;
    switch (cmd) {
    case CMD_START:
    case CMD_REPORT_START: start(t, name, len, clock); break;
    case CMD_END: end(t, name, len, clock, false); break;
    case CMD_REPORT_END: end(t, name, len, clock, true); break;
    }
}

bool vm_tracker_write(vm_tracker *t, const uint8_t *buf, size_t len, uint64_t clock) {
    const uint8_t *colon = len >= 17 ? memchr(buf, ':', len) : NULL;
    if (!colon) return false;
    size_t word = (size_t)(colon - buf);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strlen(commands[i].word) == word && memcmp(commands[i].word, buf, word) == 0) {
            run_command(t, commands[i].cmd, colon + 1, len - word - 1, clock);
            return true;
        }
    return false;
}

void vm_tracker_lines(vm_tracker *t, const uint8_t *buf, size_t len, uint64_t clock) {
    static const char prefix[] = "cycle-tracker-";
    const size_t plen = sizeof prefix - 1;
    for (size_t at = 0; at < len;) {
        const uint8_t *nl = memchr(buf + at, '\n', len - at);
        size_t line_end = nl ? (size_t)(nl - buf) : len, line = line_end - at;
        if (line > plen && memcmp(buf + at, prefix, plen) == 0) {
            for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
                size_t w = strlen(commands[i].word);
                if (line > w && memcmp(buf + at, commands[i].word, w) == 0 && buf[at + w] == ':') {
                    run_command(t, commands[i].cmd, buf + at + w + 1, line - w - 1, clock);
                    break;
                }
            }
        }
        at = line_end + 1;
    }
}

size_t vm_tracker_export(vm_tracker *t, zkvm_region **out) {
    *out = NULL;
    size_t n = t->count;
    zkvm_region *rows = n ? calloc(n, sizeof *rows) : NULL;
    if (!rows) return 0;
    for (size_t i = 0; i < n; i++) {
        const vm_tracker_region *r = &t->regions[i];
        rows[i] = (zkvm_region){.name = r->name, .parent = r->parent, .depth = r->depth, .cycles = r->cycles,
                                .hits = r->hits, .report_cycles = r->report_cycles, .report_hits = r->report_hits};
        t->regions[i].name = NULL;  // the result owns it now
    }
    *out = rows;
    return n;
}

void vm_tracker_free(vm_tracker *t) {
    for (size_t i = 0; i < t->count; i++) free(t->regions[i].name);
    free(t->regions);
    free(t->open);
    memset(t, 0, sizeof *t);
}
