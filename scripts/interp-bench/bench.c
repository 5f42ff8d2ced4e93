// Interpreter micro-benchmark: runs ELFs through the C core's public API (zkvm_program_load,
// zkvm_arena_create, zkvm_execute) and prints, per ELF, the outcome (status, cycles, a hash of the
// public values) and the median time and MIPS of N runs (and the best run's MIPS): thread CPU time (the machine is shared),
// or wall time with -w. Built by build.sh; see README.md.
//
//   bench [-n runs] [-t min_seconds] [-w] [--risc0] [--profile FILE] ELF[@hex,hex,...] ...
//
// Each ELF may carry its stdin items after '@' (comma-separated hex, empty items allowed; default:
// one empty item). --profile (only with a build made by `build.sh --profile`) runs each ELF once
// with superinstructions off, counting executions per slot, and appends per-op, pair and triple
// frequencies (straight-line neighbours inside a basic block, normalised per program) to FILE;
// --dump DIR writes each program's slots (kind, executions) to DIR/<elf>.slots; --hot 1 lists the slots of at least 0.05% of each run; --dispatches (same build) counts indirect dispatches per instruction with superinstructions on.

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "program.h"
#include "zkvm_core.h"
#include "../tool_files.h"

#ifdef ZKVM_PROFILE
extern const vm_insn *vm_profile_code;
extern uint64_t *vm_profile_counts;
#endif

static const char *const op_names[OP_COUNT] = {
#define OP_NAME(a, name) [OP_##name] = #name,
    VM_ALL_OPS(OP_NAME, _)
#undef OP_NAME
};

static clockid_t clock_id = CLOCK_THREAD_CPUTIME_ID;  // -w: CLOCK_MONOTONIC

static double now(void) {
    struct timespec ts;
    clock_gettime(clock_id, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static size_t parse_items(const char *spec, zkvm_bytes *items, size_t max) {
    size_t count = 0;
    const char *s = spec;
    for (;;) {
        const char *end = strchr(s, ',');
        size_t hexlen = end ? (size_t)(end - s) : strlen(s);
        uint8_t *data = malloc(hexlen / 2 + 1);
        for (size_t i = 0; i + 1 < hexlen + 1 && 2 * i < hexlen; i++) {
            unsigned v;
            sscanf(s + 2 * i, "%2x", &v);
            data[i] = (uint8_t)v;
        }
        if (count < max) items[count++] = (zkvm_bytes){data, hexlen / 2};
        if (!end) break;
        s = end + 1;
    }
    return count;
}

static uint64_t fnv(const uint8_t *p, size_t n) {
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 0x100000001b3ull;
    return h;
}

#ifdef ZKVM_PROFILE
static double op_freq[OP_COUNT], pair_freq[OP_COUNT][OP_COUNT];
typedef struct { uint8_t a, b, c; double f; } triple;
static triple *triples;
static size_t triple_count, triple_cap;

static void add_triple(uint8_t a, uint8_t b, uint8_t c, double f) {
    for (size_t i = 0; i < triple_count; i++)
        if (triples[i].a == a && triples[i].b == b && triples[i].c == c) {
            triples[i].f += f;
            return;
        }
    if (triple_count == triple_cap) triples = realloc(triples, (triple_cap = triple_cap * 2 + 64) * sizeof *triples);
    triples[triple_count++] = (triple){a, b, c, f};
}

static int cmp_triple(const void *x, const void *y) {
    double a = ((const triple *)x)->f, b = ((const triple *)y)->f;
    return a > b ? -1 : a < b;
}

/// Per-slot counts (superinstructions off) → per-op, pair and triple frequencies of this program,
/// normalised to fractions of its instructions.
static void profile_program(zkvm_program *p, const uint64_t *counts) {
    uint32_t n = p->text_words;
    double total = 0;
    for (uint32_t i = 0; i < n; i++) total += (double)counts[i];
    if (total == 0) return;
    for (uint32_t i = 0; i < n; i++) {
        if (!counts[i]) continue;
        double f = counts[i] / total;
        const vm_insn *s = &p->code[i];
        op_freq[s->kind] += f;
        if (s->kind >= OP_BEQ) continue;  // a block end: its successor is not a straight-line neighbour
        pair_freq[s->kind][s[1].kind] += f;
        if (s[1].kind >= OP_BEQ) continue;
        add_triple(s->kind, s[1].kind, s[2].kind, f);
    }
}
#endif

int main(int argc, char **argv) {
    int runs = 5;
    double min_seconds = 0;
    const char *profile_path = NULL;
    int count_dispatches = 0, hot_slots = 0;
    const char *dump_dir = NULL;
    zkvm_load_options lopt = {0};
    int argi = 1;
    for (; argi < argc && argv[argi][0] == '-'; argi++) {
        if (!strcmp(argv[argi], "-n")) runs = atoi(argv[++argi]);
        else if (!strcmp(argv[argi], "-t")) min_seconds = atof(argv[++argi]);
        else if (!strcmp(argv[argi], "-w")) clock_id = CLOCK_MONOTONIC;
        else if (!strcmp(argv[argi], "--risc0")) lopt.vm = ZKVM_VM_RISC0;
        else if (!strcmp(argv[argi], "--profile")) profile_path = argv[++argi];
        else if (!strcmp(argv[argi], "--dispatches")) count_dispatches = 1;
        else if (!strcmp(argv[argi], "--hot")) hot_slots = atoi(argv[++argi]);
        else if (!strcmp(argv[argi], "--dump")) dump_dir = argv[++argi];
        else {
            fprintf(stderr, "unknown option %s\n", argv[argi]);
            return 2;
        }
    }
    zkvm_arena *arena = zkvm_arena_create();
    double log_sum = 0;
    int log_count = 0;
    for (; argi < argc; argi++) {
        char path[4096];
        snprintf(path, sizeof path, "%s", argv[argi]);
        char *at = strchr(path, '@');
        zkvm_bytes items[16];
        size_t item_count = 1;
        items[0] = (zkvm_bytes){(const uint8_t *)"", 0};
        if (at) {
            *at = 0;
            item_count = parse_items(at + 1, items, 16);
        }
        size_t len;
        uint8_t *elf = read_file(path, &len);
        if (!elf) {
            fprintf(stderr, "%s: cannot read\n", path);
            return 1;
        }
        zkvm_program *p;
        zkvm_load_error err;
        if (zkvm_program_load(elf, len, &lopt, &p, &err) != ZKVM_LOAD_OK) {
            fprintf(stderr, "%s: %s\n", path, err.message);
            return 1;
        }
        const char *name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
        zkvm_exec_options eopt = {.max_cycles = UINT64_MAX};
#ifdef BENCH_ENGINE  // a core with a JIT tier: -DBENCH_ENGINE=1 (interpreter) or 2 (JIT)
        eopt.engine = (zkvm_engine)BENCH_ENGINE;
#endif
        zkvm_result res;
#ifdef ZKVM_PROFILE
        if (count_dispatches) {
            uint64_t *counts = calloc(p->text_words + 1, sizeof *counts);
            vm_profile_code = p->code;
            vm_profile_counts = counts;
            zkvm_execute(p, arena, items, item_count, &eopt, &res);
            uint64_t total = 0;
            for (uint32_t i = 0; i < p->text_words; i++) total += counts[i];
            if (dump_dir) {  // dispatches per dispatch index (op)
                char out[4200];
                snprintf(out, sizeof out, "%s/%s.ops", dump_dir, name);
                FILE *f = fopen(out, "w");
                for (uint32_t i = 0; f && i < p->text_words; i++)
                    if (counts[i]) fprintf(f, "%u %llu\n", p->code[i].op, (unsigned long long)counts[i]);
                if (f) fclose(f);
            }
            printf("%-40s status %d cycles %llu dispatches %llu (%.3f per instruction)\n", name, res.status,
                   (unsigned long long)res.cycles, (unsigned long long)total, (double)total / (double)res.cycles);
            log_sum += __builtin_log((double)total / (double)res.cycles);
            log_count++;
            vm_profile_code = NULL;
            free(counts);
            zkvm_result_free(&res);
            zkvm_program_free(p);
            free(elf);
            continue;
        }
        if (profile_path) {
            for (uint32_t i = 0; i < p->text_words; i++) p->code[i].op = p->code[i].kind;
            uint64_t *counts = calloc(p->text_words + 1, sizeof *counts);
            vm_profile_code = p->code;
            vm_profile_counts = counts;
            zkvm_execute(p, arena, items, item_count, &eopt, &res);
            printf("%-40s status %d cycles %llu (profiled)\n", name, res.status, (unsigned long long)res.cycles);
            profile_program(p, counts);
            if (dump_dir) {  // every slot: kind and executions (for offline fusion studies)
                char out[4200];
                snprintf(out, sizeof out, "%s/%s.slots", dump_dir, name);
                FILE *f = fopen(out, "w");
                for (uint32_t i = 0; f && i <= p->text_words; i++)
                    fprintf(f, "%s %llu\n", op_names[p->code[i].kind], (unsigned long long)counts[i]);
                if (f) fclose(f);
            }
            for (uint32_t i = 0; hot_slots && i < p->text_words; i++) {
                if (counts[i] * 2000ull < res.cycles) continue;  // slots of at least 0.05% of the run
                const vm_insn *s = &p->code[i];
                printf("  %08llx %6.3f%% %-8s rd %2u rs1 %2u rs2 %2u imm %d\n",
                       (unsigned long long)(p->text_base + 4ull * i), 100.0 * counts[i] / res.cycles, op_names[s->kind],
                       s->rd, s->rs1, s->rs2, s->imm);
            }
            vm_profile_code = NULL;
            free(counts);
            zkvm_result_free(&res);
            zkvm_program_free(p);
            free(elf);
            continue;
        }
#endif
        double times[1000];
        int done = 0;
        double start = now();
        while (done < 1000 && (done < runs || now() - start < min_seconds)) {
            double t0 = now();
            zkvm_execute(p, arena, items, item_count, &eopt, &res);
            times[done++] = now() - t0;
            if (done < runs || now() - start < min_seconds) zkvm_result_free(&res);
            else break;
        }
        qsort(times, (size_t)done, sizeof times[0], cmp_double);
        double median = times[done / 2];
        double mips = res.cycles / median / 1e6;
        printf("%-40s status %2d cycles %12llu pv %016llx  %9.3f ms  %7.1f MIPS  best %7.1f MIPS\n", name,
               res.status, (unsigned long long)res.cycles,
               (unsigned long long)fnv(res.public_values, res.public_values_len), median * 1e3, mips,
               res.cycles / times[0] / 1e6);
        fflush(stdout);
        if (res.cycles > 1000000) {
            log_sum += __builtin_log(mips);
            log_count++;
        }
        zkvm_result_free(&res);
        zkvm_program_free(p);
        free(elf);
    }
    if (log_count && count_dispatches) printf("geomean dispatches per instruction: %.3f\n", __builtin_exp(log_sum / log_count));
    else if (log_count) printf("geomean (runs over 1M cycles, %d): %.1f MIPS\n", log_count, __builtin_exp(log_sum / log_count));
#ifdef ZKVM_PROFILE
    if (profile_path) {
        FILE *f = fopen(profile_path, "w");
        for (int a = 0; a < OP_COUNT; a++)
            if (op_freq[a] > 0) fprintf(f, "op\t%s\t%.6f\n", op_names[a], op_freq[a]);
        for (int a = 0; a < OP_COUNT; a++)
            for (int b = 0; b < OP_COUNT; b++)
                if (pair_freq[a][b] > 0) fprintf(f, "pair\t%s\t%s\t%.6f\n", op_names[a], op_names[b], pair_freq[a][b]);
        qsort(triples, triple_count, sizeof *triples, cmp_triple);
        for (size_t i = 0; i < triple_count && i < 400; i++)
            fprintf(f, "triple\t%s\t%s\t%s\t%.6f\n", op_names[triples[i].a], op_names[triples[i].b],
                    op_names[triples[i].c], triples[i].f);
        fclose(f);
    }
#else
    (void)op_names;
    if (profile_path) fprintf(stderr, "--profile needs a build made with build.sh --profile\n");
#endif
    zkvm_arena_free(arena);
    return 0;
}
