// Measures what the work meter's weights are derived from (README "Work metering", the comment
// above the SP1 rows in sp1_rows.h): the host cost of one interpreted guest instruction (the work
// unit) and of each syscall, precompile and hook, on the bare syscall harness (zkvm_machine_*),
// in thread CPU time (the machine is shared). Built and run by scripts/work-weights.sh (clang -O2,
// the flags of a release build).
//
//   work_weights [-q]     -q: fewer repetitions (a smoke test, not for deriving weights)
//
// Output: one line per case, "label  ns/call  units", units = ns/call / ns per interpreted
// instruction; for the variable-cost calls the per-KiB rate (the slope between two lengths),
// and GMP's modular multiplication and exponentiation per operand size (the fp hooks' model).
// Every case takes the slowest of its input classes where a handler has several paths (reduced
// and unreduced coordinates, a modulus and none, a square and a non-square).

#include <gmp.h>
#include <openssl/sha.h>
#include <math.h>
#include <secp256k1.h>
#include <secp256k1_recovery.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "zkvm_core.h"
#include "tool_files.h"

static int reps = 7;            // batches per case (median)
static double batch_ns = 20e6;  // target CPU time per batch
static double unit_ns;          // ns of one interpreted instruction

static double cpu_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, int n) {
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void hex_to(uint8_t *dst, const char *hex, size_t n) {
    for (size_t i = 0; i < n; i++) sscanf(hex + 2 * i, "%2hhx", &dst[i]);
}

/// Big-endian hex to little-endian bytes (n bytes).
static void hex_le(uint8_t *dst, const char *hex, size_t n) {
    uint8_t be[256];
    hex_to(be, hex, n);
    for (size_t i = 0; i < n; i++) dst[i] = be[n - 1 - i];
}

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
static uint64_t rng(void) {
    rng_state ^= rng_state << 13, rng_state ^= rng_state >> 7, rng_state ^= rng_state << 17;
    return rng_state;
}
static void random_bytes(uint8_t *p, size_t n) {
    for (size_t i = 0; i < n; i++) p[i] = (uint8_t)rng();
}

// MARK: - The work unit

/// ns per instruction of `elf` (default parameter) on `engine`: median of the runs.
static double ns_per_cycle(const char *root, const char *elf, zkvm_engine engine, uint64_t *cycles_out) {
    char path[1024];
    snprintf(path, sizeof path, "%s/guest-programs/bin/%s", root, elf);
    size_t len;
    uint8_t *bytes = read_file(path, &len);
    if (!bytes || !len) {
        fprintf(stderr, "cannot read %s\n", path);
        exit(1);
    }
    zkvm_program *p = NULL;
    zkvm_load_error err;
    if (zkvm_program_load(bytes, len, NULL, &p, &err) != ZKVM_LOAD_OK) {
        fprintf(stderr, "%s: %s\n", path, err.message);
        exit(1);
    }
    zkvm_arena *arena = zkvm_arena_create();
    zkvm_bytes items[3] = {{(const uint8_t *)"", 0}, {(const uint8_t *)"", 0}, {(const uint8_t *)"", 0}};
    zkvm_exec_options opt = {.max_cycles = UINT64_MAX, .engine = engine};
    double t[15];
    int n = reps * 2 + 1 > 15 ? 15 : reps * 2 + 1;
    uint64_t cycles = 0;
    for (int i = -1; i < n; i++) {  // one warm-up (and the JIT's translation)
        zkvm_result r;
        double t0 = cpu_ns();
        zkvm_execute(p, arena, items, 3, &opt, &r);
        double dt = cpu_ns() - t0;
        if (r.status != ZKVM_OK) {
            fprintf(stderr, "%s failed: %s\n", elf, r.message);
            exit(1);
        }
        cycles = r.cycles;
        zkvm_result_free(&r);
        if (i >= 0) t[i] = dt / (double)cycles;
    }
    zkvm_arena_free(arena);
    zkvm_program_free(p);
    free(bytes);
    *cycles_out = cycles;
    return median(t, n);
}

// MARK: - Syscall cases

typedef struct buf_init {
    uint64_t addr;
    const uint8_t *bytes;
    size_t len;
} buf_init;

/// One measured call: the syscall, its arguments, the buffers written before every call when
/// `rewrite` (else once), and an input item pushed before every call (HINT_READ).
typedef struct call_case {
    zkvm_abi abi;
    uint32_t code;
    uint64_t a[5];
    buf_init bufs[4];
    bool rewrite;
    const uint8_t *push;
    size_t push_len;
    uint64_t a5;  ///< set once per machine (RISC Zero's SOFTWARE reads a3..a7)
    bool prepush;  ///< push the item `per_machine` times when the machine is made (untimed)
} call_case;

static long prepush_count;

static zkvm_arena *arena;

static zkvm_machine *machine_for(const call_case *c) {
    zkvm_machine *m = zkvm_machine_create_abi(arena, c->abi);
    if (!m) {
        fprintf(stderr, "no machine for ABI %d\n", (int)c->abi);
        exit(1);
    }
    for (int i = 0; i < 4 && c->bufs[i].bytes; i++)
        if (zkvm_machine_write(m, c->bufs[i].addr, c->bufs[i].bytes, c->bufs[i].len) != 0) {
            fprintf(stderr, "buffer outside the window\n");
            exit(1);
        }
    zkvm_machine_set_reg(m, 15, c->a5);
    if (c->prepush)
        for (long i = 0; i < prepush_count; i++) zkvm_machine_push_input(m, c->push, c->push_len);
    return m;
}

/// Calls per batch and per machine: a machine accumulates outputs (public values, pushed hint
/// items), so it is renewed every `per_machine` calls (outside the timed region).
static double time_case(const char *label, const call_case *c, long per_machine) {
    char msg[512];
    prepush_count = per_machine;
    // Calibrate: how many calls make one batch.
    zkvm_machine *m = machine_for(c);
    long calls = 0;
    double t0 = cpu_ns(), elapsed = 0;
    while (elapsed < batch_ns / 10) {
        if (calls && calls % per_machine == 0) {
            zkvm_machine_free(m);
            m = machine_for(c);
        }
        if (c->rewrite)
            for (int i = 0; i < 4 && c->bufs[i].bytes; i++) zkvm_machine_write(m, c->bufs[i].addr, c->bufs[i].bytes, c->bufs[i].len);
        if (c->push && !c->prepush) zkvm_machine_push_input(m, c->push, c->push_len);
        zkvm_status s = zkvm_machine_syscall(m, c->code, c->a[0], c->a[1], c->a[2], c->a[3], c->a[4], msg, sizeof msg);
        if (s != ZKVM_OK) {  // an input class the handler refuses: it has no cost to measure
            fprintf(stderr, "  (%s: one input class fails: %s)\n", label, msg);
            zkvm_machine_free(m);
            return -1;
        }
        calls++;
        elapsed = cpu_ns() - t0;
    }
    zkvm_machine_free(m);
    long per_batch = (long)(calls * 10.0);
    if (per_batch < 1) per_batch = 1;
    double per_call[15];
    for (int r = 0; r < reps; r++) {
        m = machine_for(c);
        double spent = 0;
        long done = 0;
        while (done < per_batch) {
            long chunk = per_batch - done < per_machine ? per_batch - done : per_machine;
            double s0 = cpu_ns();
            for (long i = 0; i < chunk; i++) {
                if (c->rewrite)
                    for (int k = 0; k < 4 && c->bufs[k].bytes; k++)
                        zkvm_machine_write(m, c->bufs[k].addr, c->bufs[k].bytes, c->bufs[k].len);
                if (c->push && !c->prepush) zkvm_machine_push_input(m, c->push, c->push_len);
                zkvm_machine_syscall(m, c->code, c->a[0], c->a[1], c->a[2], c->a[3], c->a[4], NULL, 0);
            }
            spent += cpu_ns() - s0;
            done += chunk;
            zkvm_machine_free(m);
            m = machine_for(c);
        }
        zkvm_machine_free(m);
        per_call[r] = spent / (double)per_batch;
    }
    return median(per_call, reps);
}

static void report(const char *label, double ns) { printf("%-44s %12.1f ns %10.0f units\n", label, ns, ns / unit_ns); }

/// The slowest of up to four input classes of one row (each class's figure follows, in order,
/// when there are several).
static void row(const char *label, const call_case *cases, int n, long per_machine) {
    double worst = 0, t[4];
    for (int i = 0; i < n; i++) {
        t[i] = time_case(label, &cases[i], per_machine);
        if (t[i] > worst) worst = t[i];
    }
    printf("%-44s %12.1f ns %10.0f units", label, worst, worst / unit_ns);
    if (n > 1) {
        printf("   (classes:");
        for (int i = 0; i < n; i++) printf(t[i] < 0 ? " fails" : " %.0f", t[i] / unit_ns);
        printf(")");
    }
    printf("\n");
}

/// A variable-cost call at two lengths: the per-call base and the rate per KiB.
static void slope(const char *label, double ns_small, size_t small, double ns_big, size_t big) {
    double per_kib = (ns_big - ns_small) / ((double)(big - small) / 1024.0);
    printf("%-44s %12.1f ns at %zu B, %.1f ns at %zu B: %8.0f units + %6.0f units/KiB\n", label, ns_small, small, ns_big,
           big, ns_small / unit_ns, per_kib / unit_ns);
}

// MARK: - Constants

// Generators, big-endian hex.
static const char SECP_GX[] = "79BE667EF9DCBBAC55A06295CE870B07029BFCDB2DCE28D959F2815B16F81798";
static const char SECP_GY[] = "483ADA7726A3C4655DA4FBFC0E1108A8FD17B448A68554199C47D08FFB10D4B8";
static const char R1_GX[] = "6B17D1F2E12C4247F8BCE6E563A440F277037D812DEB33A0F4A13945D898C296";
static const char R1_GY[] = "4FE342E2FE1A7F9B8EE7EB4A7C0F9E162BCE33576B315ECECBB6406837BF51F5";
static const char BN_GX[] = "0000000000000000000000000000000000000000000000000000000000000001";
static const char BN_GY[] = "0000000000000000000000000000000000000000000000000000000000000002";
static const char BLS_GX[] =
    "17F1D3A73197D7942695638C4FA9AC0FC3688C4F9774B905A14E3A3F171BAC586C55E83FF97A1AEFFB3AF00ADB22C6BB";
static const char BLS_GY[] =
    "08B3F481E3AAA0F1A09E30ED741D8AE4FCF5E095D5D00AF600DB18CB2C04B3EDD03CC744A2888AE40CAA232946C5E7E1";
static const char SECP_P[] = "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFC2F";
// ed25519 base point: y = 4/5, x even.
static const char ED_BX[] = "216936D3CD6E53FEC0A4E231FDD6DC5C692CC7609525A7B2C9562D608F25D51A";
static const char ED_BY[] = "6666666666666666666666666666666666666666666666666666666666666658";

#define MEM 0x100000u  // buffers at MEM, MEM + 0x1000, ... (inside every window)
#define B(i) (MEM + 0x1000u * (i))

static uint8_t ff[4096];  // all ones: unreduced coordinates

/// A curve point [x | y], little-endian, `n` bytes per coordinate.
static void point(uint8_t *dst, const char *x, const char *y, size_t n) {
    hex_le(dst, x, n);
    hex_le(dst + n, y, n);
}

// MARK: - Rows

static void hooks(zkvm_abi abi);

static void sp1_rows(zkvm_abi abi) {
    const bool v6 = abi == ZKVM_ABI_V6;
    const unsigned word = v6 ? 8 : 4;
    char label[96];
#define L(s) (snprintf(label, sizeof label, "%s %s", v6 ? "v6" : "v4", s), label)
    static uint8_t rnd[4096];
    random_bytes(rnd, sizeof rnd);

    call_case c = {.abi = abi, .code = 0xF0};
    row(L("HINT_LEN (the harness's own per-call cost)"), &c, 1, 1 << 20);
    c = (call_case){.abi = abi, .code = 0x10, .a = {3, 0x1234}};
    row(L("COMMIT"), &c, 1, 1 << 20);

    // Hashes.
    c = (call_case){.abi = abi, .code = 0x00300105, .a = {B(0), 0}, .bufs = {{B(0), rnd, 64 * word}}};
    row(L("SHA_EXTEND"), &c, 1, 1 << 20);
    c = (call_case){.abi = abi, .code = 0x00010106, .a = {B(0), B(1)}, .bufs = {{B(0), rnd, 64 * word}, {B(1), rnd, 8 * word}}};
    row(L("SHA_COMPRESS"), &c, 1, 1 << 20);
    c = (call_case){.abi = abi, .code = 0x00010109, .a = {B(0), 0}, .bufs = {{B(0), rnd, 200}}};
    row(L("KECCAK_PERMUTE"), &c, 1, 1 << 20);

    // Big integers: a modulus, and none (mod 2^256).
    static uint8_t ym[64];
    memcpy(ym, rnd, 64);
    ym[63] |= 0x80;
    call_case u[2] = {{.abi = abi, .code = 0x0001011D, .a = {B(0), B(1)}, .bufs = {{B(0), rnd, 32}, {B(1), ym, 64}}, .rewrite = true},
                      {.abi = abi, .code = 0x0001011D, .a = {B(0), B(1)}, .bufs = {{B(0), rnd, 32}, {B(1), ym, 32}, {B(1) + 32, (const uint8_t *)"\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 32}}, .rewrite = true}};
    row(L("UINT256_MUL"), u, 2, 1 << 20);
    if (!v6) {
        c = (call_case){.abi = abi, .code = 0x0001012F, .a = {B(0), B(1), B(2), B(3)}, .bufs = {{B(0), rnd, 32}, {B(1), rnd, 256}}};
        row(L("U256XU2048_MUL"), &c, 1, 1 << 20);
    } else {
        c = (call_case){.abi = abi, .code = 0x00010130, .a = {B(0), B(1), B(2), B(3), B(4)},
                        .bufs = {{B(0), rnd, 32}, {B(1), rnd + 32, 32}, {B(2), rnd + 64, 32}}};
        row(L("UINT256_ADD_CARRY"), &c, 1, 1 << 20);
        c.code = 0x00010131;
        row(L("UINT256_MUL_CARRY"), &c, 1, 1 << 20);
        c = (call_case){.abi = abi, .code = 0x00000133, .a = {B(0)}, .bufs = {{B(0), rnd, 64}}};
        row(L("POSEIDON2"), &c, 1, 1 << 20);
    }

    // Short-Weierstrass curves: reduced points (a chain from the generator) and unreduced
    // coordinates (the exact-integer path; v6's secp256k1 rejects them early).
    struct {
        const char *name;
        uint32_t add, dbl, dec;
        const char *gx, *gy;
        size_t n;
    } curves[] = {
        {"SECP256K1", 0x0001010A, 0x0000010B, 0x0000010C, SECP_GX, SECP_GY, 32},
        {"SECP256R1", 0x0001012C, 0x0000012D, 0x0000012E, R1_GX, R1_GY, 32},
        {"BN254", 0x0001010E, 0x0000010F, 0, BN_GX, BN_GY, 32},
        {"BLS12381", 0x0001011E, 0x0000011F, 0x0000011C, BLS_GX, BLS_GY, 48},
    };
    for (size_t k = 0; k < sizeof curves / sizeof curves[0]; k++) {
        static uint8_t g[96], g2[96], dec[96];
        size_t n = curves[k].n;
        point(g, curves[k].gx, curves[k].gy, n);
        // 2G, from the machine itself.
        call_case d = {.abi = abi, .code = curves[k].dbl, .a = {B(0)}, .bufs = {{B(0), g, 2 * n}}};
        zkvm_machine *m = machine_for(&d);
        zkvm_machine_syscall(m, d.code, B(0), 0, 0, 0, 0, NULL, 0);
        zkvm_machine_read(m, B(0), g2, 2 * n);
        zkvm_machine_free(m);
        char name[64];
        snprintf(name, sizeof name, "%s_ADD", curves[k].name);
        call_case add[2] = {{.abi = abi, .code = curves[k].add, .a = {B(0), B(1)}, .bufs = {{B(0), g2, 2 * n}, {B(1), g, 2 * n}}},
                            {.abi = abi, .code = curves[k].add, .a = {B(0), B(1)}, .bufs = {{B(0), ff, 2 * n}, {B(1), g, 2 * n}}, .rewrite = true}};
        bool exact_ok = !(v6 && k == 0);  // v6 secp256k1 validates points
        row(L(name), add, exact_ok ? 2 : 1, 1 << 20);
        snprintf(name, sizeof name, "%s_DOUBLE", curves[k].name);
        call_case dbl[2] = {{.abi = abi, .code = curves[k].dbl, .a = {B(0)}, .bufs = {{B(0), g, 2 * n}}},
                            {.abi = abi, .code = curves[k].dbl, .a = {B(0)}, .bufs = {{B(0), ff, 2 * n}}, .rewrite = true}};
        // v6's other curves: unreduced coordinates may underflow (a failure, not a cost); skip them.
        row(L(name), dbl, exact_ok && !v6 ? 2 : 1, 1 << 20);
        if (curves[k].dec && !v6) {
            memset(dec, 0, sizeof dec);
            hex_le(dec + n, curves[k].gx, n);
            snprintf(name, sizeof name, "%s_DECOMPRESS", curves[k].name);
            call_case dc[2] = {{.abi = abi, .code = curves[k].dec, .a = {B(0), 0}, .bufs = {{B(0), dec, 2 * n}}, .rewrite = true},
                               {.abi = abi, .code = curves[k].dec, .a = {B(0), 1}, .bufs = {{B(0), dec, 2 * n}}, .rewrite = true}};
            row(L(name), dc, 2, 1 << 20);
        }
    }

    // Ed25519.
    static uint8_t edb[64], edc[64];
    point(edb, ED_BX, ED_BY, 32);
    c = (call_case){.abi = abi, .code = 0x00010107, .a = {B(0), B(1)}, .bufs = {{B(0), edb, 64}, {B(1), edb, 64}}};
    row(L("ED_ADD"), &c, 1, 1 << 20);
    memset(edc, 0, 32);
    hex_le(edc + 32, ED_BY, 32);
    c = (call_case){.abi = abi, .code = 0x00000108, .a = {B(0), 0}, .bufs = {{B(0), edc, 64}}, .rewrite = true};
    row(L("ED_DECOMPRESS"), &c, 1, 1 << 20);

    // Field towers: reduced operands (a chain) and all-ones ones (reduced first).
    static uint8_t red[192];
    memcpy(red, rnd, sizeof red);
    for (int i = 47; i < 192; i += 48) red[i] = 0;  // BLS12-381: below p; BN254 uses 32-byte halves
    for (int i = 31; i < 192; i += 32) red[i] &= 0x1f;
    const char *ops[] = {"FP_ADD", "FP_SUB", "FP_MUL", "FP2_ADD", "FP2_SUB", "FP2_MUL"};
    for (int f = 0; f < 2; f++) {
        size_t n = f == 0 ? 48 : 32;
        uint32_t lo = f == 0 ? 0x00010120 : 0x00010126;
        for (int op = 0; op < 6; op++) {
            size_t bytes = op < 3 ? n : 2 * n;
            call_case fc[2] = {{.abi = abi, .code = lo + (uint32_t)op, .a = {B(0), B(1)}, .bufs = {{B(0), red, bytes}, {B(1), red + 96, bytes}}, .rewrite = true},
                               {.abi = abi, .code = lo + (uint32_t)op, .a = {B(0), B(1)}, .bufs = {{B(0), ff, bytes}, {B(1), ff, bytes}}, .rewrite = true}};
            char name[64];
            snprintf(name, sizeof name, "%s_%s", f == 0 ? "BLS12381" : "BN254", ops[op]);
            row(L(name), fc, v6 && op == 4 ? 1 : 2, 1 << 20);
        }
    }

    // Variable cost: WRITE to public values, hints and stdout, HINT_READ.
    static uint8_t big[1 << 16];
    random_bytes(big, sizeof big);
    const struct { const char *what; uint64_t fd; } fds[] = {{"WRITE fd 13 (public values)", 13}, {"WRITE fd 14 (hint)", 14}, {"WRITE fd 1 (stdout)", 1}};
    for (size_t k = 0; k < 3; k++) {
        call_case w1 = {.abi = abi, .code = 2, .a = {fds[k].fd, B(0), 32}, .bufs = {{B(0), big, sizeof big}}};
        call_case w2 = w1;
        w2.a[2] = sizeof big;
        // Outputs accumulate: a fresh machine every 256 calls (16 MiB at 64 KiB).
        double s = time_case(fds[k].what, &w1, 256), l = time_case(fds[k].what, &w2, 256);
        slope(L(fds[k].what), s, 32, l, sizeof big);
    }
    {
        // The items are pushed when the machine is made (untimed); each call reads one.
        call_case r1 = {.abi = abi, .code = 0xF1, .a = {B(0), 32}, .push = big, .push_len = 32, .prepush = true};
        call_case r2 = r1;
        r2.a[1] = sizeof big;
        r2.push_len = sizeof big;
        slope(L("HINT_READ"), time_case("HINT_READ", &r1, 256), 32, time_case("HINT_READ", &r2, 256), sizeof big);
    }
    hooks(abi);
#undef L
}

// MARK: - Hooks (WRITE to a hook fd; each call pushes its results to the input stream)

/// [len u32 BE | elem | modulus (| nqr)] of the generic fp hooks, n-byte big-endian parts.
static size_t fp_hook_input(uint8_t *dst, size_t n, bool sqrt) {
    dst[0] = (uint8_t)(n >> 24), dst[1] = (uint8_t)(n >> 16), dst[2] = (uint8_t)(n >> 8), dst[3] = (uint8_t)n;
    uint8_t *e = dst + 4, *m = e + n, *z = m + n;
    random_bytes(m, n);
    m[0] |= 0x80;
    m[n - 1] |= 3;  // odd, and 3 mod 4: the sqrt hook's single exponentiation
    random_bytes(e, n);
    e[0] &= 0x3f;  // below the modulus
    if (sqrt) {
        memset(z, 0, n);
        z[n - 1] = 3;
    }
    return 4 + (sqrt ? 3 : 2) * n;
}

/// The fp_sqrt hook's input for an n-byte prime p = 3 mod 4: a square (r^2), or a non-square
/// (-r^2, both roots tried), with nqr = p - 1.
static size_t fp_sqrt_input(uint8_t *dst, size_t n, bool non_square) {
    uint8_t b[1024];
    mpz_t p, r, a;
    mpz_inits(p, r, a, NULL);
    random_bytes(b, n), b[0] |= 0x80;
    mpz_import(p, n, 1, 1, 1, 0, b);
    do mpz_nextprime(p, p);
    while (mpz_fdiv_ui(p, 4) != 3);
    random_bytes(b, n), b[0] &= 0x3f;
    mpz_import(r, n, 1, 1, 1, 0, b);
    mpz_mul(a, r, r), mpz_mod(a, a, p);
    if (non_square) mpz_sub(a, p, a);
    dst[0] = (uint8_t)(n >> 24), dst[1] = (uint8_t)(n >> 16), dst[2] = (uint8_t)(n >> 8), dst[3] = (uint8_t)n;
    memset(dst + 4, 0, 3 * n);
    size_t cnt;
    mpz_export(dst + 4 + n - (mpz_sizeinbase(a, 256)), &cnt, 1, 1, 1, 0, a);
    mpz_export(dst + 4 + n, &cnt, 1, 1, 1, 0, p);
    mpz_sub_ui(p, p, 1);
    mpz_export(dst + 4 + 2 * n, &cnt, 1, 1, 1, 0, p);
    mpz_clears(p, r, a, NULL);
    return 4 + 3 * n;
}

static void hooks(zkvm_abi abi) {
    const bool v6 = abi == ZKVM_ABI_V6;
    char label[96];
#define L(s) (snprintf(label, sizeof label, "%s %s", v6 ? "v6" : "v4", s), label)
    static uint8_t buf[4 + 3 * 1024];
    long per = 4096;  // results accumulate in the input stream
    if (!v6) {
        // fd 5 / 7: a real recoverable signature (libsecp256k1).
        secp256k1_context *ctx = secp256k1_context_create(SECP256K1_CONTEXT_SIGN);
        uint8_t key[32], msg[32], sig64[64];
        for (int i = 0; i < 32; i++) key[i] = (uint8_t)(i + 1), msg[i] = (uint8_t)(3 * i + 7);
        secp256k1_ecdsa_recoverable_signature sig;
        int recid = 0;
        secp256k1_ecdsa_sign_recoverable(ctx, &sig, msg, key, NULL, NULL);
        secp256k1_ecdsa_recoverable_signature_serialize_compact(ctx, sig64, &recid, &sig);
        secp256k1_context_destroy(ctx);
        static uint8_t ecr[97];
        memcpy(ecr, sig64, 64), ecr[64] = (uint8_t)recid, memcpy(ecr + 65, msg, 32);
        call_case c = {.abi = abi, .code = 2, .a = {5, B(0), 97}, .bufs = {{B(0), ecr, 97}}};
        row(L("hook fd 5 ecrecover (v3)"), &c, 1, per);
        c.a[0] = 7;
        row(L("hook fd 7 ecrecover_v2 (v3)"), &c, 1, per);
        static uint8_t rs[64];
        memcpy(rs, sig64, 64);
        rs[0] &= 0x7f, rs[32] &= 0x7f;  // below secp256r1's n
        c = (call_case){.abi = abi, .code = 2, .a = {6, B(0), 64}, .bufs = {{B(0), rs, 64}}};
        row(L("hook fd 6 secp256r1 s^-1"), &c, 1, per);
        static uint8_t y[32];
        hex_le(y, ED_BY, 32);
        c = (call_case){.abi = abi, .code = 2, .a = {8, B(0), 32}, .bufs = {{B(0), y, 32}}};
        row(L("hook fd 8 ed_decompress (v3)"), &c, 1, per);
    }
    // fd 15: alpha = Gy^2 (a square) and 3 Gy^2 (not one: two exponentiations).
    {
        mpz_t p, gy, a;
        mpz_inits(p, gy, a, NULL);
        mpz_set_str(p, SECP_P, 16), mpz_set_str(gy, SECP_GY, 16);
        mpz_mul(a, gy, gy), mpz_mod(a, a, p);
        static uint8_t sq[65], nsq[65];
        sq[0] = 1, hex_to(sq + 1, SECP_GX, 32);
        mpz_export(sq + 33, NULL, 1, 1, 1, 0, a);
        mpz_mul_ui(a, a, 3), mpz_mod(a, a, p);
        memcpy(nsq, sq, 33);
        size_t cnt;
        memset(nsq + 33, 0, 32);
        mpz_export(nsq + 33 + (32 - (mpz_sizeinbase(a, 256))), &cnt, 1, 1, 1, 0, a);
        mpz_clears(p, gy, a, NULL);
        call_case c[2] = {{.abi = abi, .code = 2, .a = {15, B(0), 65}, .bufs = {{B(0), sq, 65}}},
                          {.abi = abi, .code = 2, .a = {15, B(0), 65}, .bufs = {{B(0), nsq, 65}}}};
        row(L("hook fd 15 ecrecover"), c, 2, per);
    }
    {
        static uint8_t ed[64];
        hex_le(ed, ED_BY, 32);
        random_bytes(ed + 32, 32);
        ed[63] &= 0x3f;
        call_case c = {.abi = abi, .code = 2, .a = {16, B(0), 64}, .bufs = {{B(0), ed, 64}}};
        row(L("hook fd 16 ed_decompress"), &c, 1, per);
    }
    for (size_t key = 256; key <= (v6 ? 512u : 256u); key += 128) {
        static uint8_t rsa[1536];
        random_bytes(rsa, sizeof rsa);
        rsa[3 * key - 1] |= 0x80;
        call_case c = {.abi = abi, .code = 2, .a = {17, B(0), 3 * key}, .bufs = {{B(0), rsa, 3 * key}}};
        char name[64];
        snprintf(name, sizeof name, "hook fd 17 rsa_mul_mod, %zu-byte key", key);
        row(L(name), &c, 1, per);
    }
    {
        static uint8_t fe[48], fe2[48];
        hex_to(fe, BLS_GY, 48);  // some element; and one that is (likely) not a square
        memcpy(fe2, fe, 48);
        fe2[47] ^= 1;
        call_case c[2] = {{.abi = abi, .code = 2, .a = {18, B(0), 48}, .bufs = {{B(0), fe, 48}}},
                          {.abi = abi, .code = 2, .a = {18, B(0), 48}, .bufs = {{B(0), fe2, 48}}}};
        row(L("hook fd 18 bls12_381_sqrt"), c, 2, per);
        c[0].a[0] = 19;
        row(L("hook fd 19 bls12_381_inverse"), c, 1, per);
    }
    const size_t sizes[] = {32, 48, 64, 128, 256, 512, 1024};
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        size_t n = sizes[k], len;
        char name[64];
        if (n <= 128) {  // a prime modulus is needed (found with mpz_nextprime: quick at these sizes)
            call_case c[2];
            for (int sq = 0; sq < 2; sq++) {
                len = fp_sqrt_input(buf + sq * (4 + 3 * 1024), n, sq == 1);
                c[sq] = (call_case){.abi = abi, .code = 2, .a = {20, B(sq), len}, .bufs = {{B(sq), buf + sq * (4 + 3 * 1024), len}}};
            }
            snprintf(name, sizeof name, "hook fd 20 fp_sqrt, %zu bytes (p = 3 mod 4)", n);
            row(L(name), c, 2, per);
        }
        len = fp_hook_input(buf, n, false);
        call_case c = {.abi = abi, .code = 2, .a = {21, B(0), len}, .bufs = {{B(0), buf, len}}};
        snprintf(name, sizeof name, "hook fd 21 fp_inverse, %zu bytes", n);
        row(L(name), &c, 1, n >= 512 ? 64 : per);
    }
    {
        // Tonelli-Shanks: BN254's scalar field r (r - 1 = 2^28 q, 5 a non-residue), a square and
        // a non-square (Tonelli-Shanks twice).
        static uint8_t ts[2][4 + 3 * 32];
        mpz_t r, x, a;
        mpz_inits(r, x, a, NULL);
        mpz_set_str(r, "30644E72E131A029B85045B68181585D2833E84879B9709143E1F593F0000001", 16);
        mpz_set_str(x, "123456789ABCDEF0123456789ABCDEF0123456789ABCDEF", 16);
        call_case c[2];
        for (int k2 = 0; k2 < 2; k2++) {
            mpz_mul(a, x, x);
            if (k2) mpz_mul_ui(a, a, 5);
            mpz_mod(a, a, r);
            uint8_t *d = ts[k2];
            size_t cnt;
            memset(d, 0, sizeof ts[k2]);
            d[3] = 32;
            mpz_export(d + 4 + 32 - mpz_sizeinbase(a, 256), &cnt, 1, 1, 1, 0, a);
            mpz_export(d + 4 + 32, &cnt, 1, 1, 1, 0, r);
            d[4 + 3 * 32 - 1] = 5;
            c[k2] = (call_case){.abi = abi, .code = 2, .a = {20, B(k2), sizeof ts[k2]}, .bufs = {{B(k2), d, sizeof ts[k2]}}};
        }
        mpz_clears(r, x, a, NULL);
        row(L("hook fd 20 fp_sqrt, 32 bytes, Tonelli-Shanks (s = 28)"), c, 2, per);
    }
#undef L
}

// MARK: - RISC Zero

#define R0_NAME(s) "risc0_zkvm_platform::syscall::nr::" s

static void risc0_rows(void) {
    const zkvm_abi abi = ZKVM_ABI_RISC0_V1;
    static uint8_t rnd[1 << 16];
    random_bytes(rnd, sizeof rnd);
    call_case s1 = {.abi = abi, .code = 3, .a = {B(0), B(1), B(2), B(2) + 32, 1}, .bufs = {{B(1), rnd, 32}, {B(2), rnd, 64 * 64}}};
    call_case s2 = s1;
    s2.a[4] = 64;
    slope("risc0 SHA (per KiB of 64-byte blocks)", time_case("SHA", &s1, 1 << 20), 64, time_case("SHA", &s2, 1 << 20), 64 * 64);
    static uint8_t n[32];
    memcpy(n, rnd, 32);
    n[31] |= 0x80;
    call_case bi = {.abi = abi, .code = 4, .a = {B(0), 0, B(1), B(2), B(3)}, .bufs = {{B(1), rnd, 32}, {B(2), rnd + 32, 32}, {B(3), n, 32}}};
    row("risc0 BIGINT", &bi, 1, 1 << 20);
    static const char rname[] = R0_NAME("SYS_RANDOM"), wname[] = R0_NAME("SYS_WRITE"), cname[] = R0_NAME("SYS_CYCLE_COUNT");
    call_case c = {.abi = abi, .code = 2, .a = {0, 0, B(4)}, .bufs = {{B(4), (const uint8_t *)cname, sizeof cname}}};
    row("risc0 SOFTWARE SYS_CYCLE_COUNT", &c, 1, 1 << 20);
    call_case r1 = {.abi = abi, .code = 2, .a = {B(0), 8, B(4)}, .bufs = {{B(4), (const uint8_t *)rname, sizeof rname}}};
    call_case r2 = r1;
    r2.a[1] = 4096;
    slope("risc0 SOFTWARE SYS_RANDOM", time_case("SYS_RANDOM", &r1, 1 << 20), 32, time_case("SYS_RANDOM", &r2, 1 << 20), 4 * 4096);
    call_case w1 = {.abi = abi, .code = 2, .a = {0, 0, B(4), 3, B(5)}, .a5 = 32,
                    .bufs = {{B(4), (const uint8_t *)wname, sizeof wname}, {B(5), rnd, sizeof rnd}}};
    call_case w2 = w1;
    w2.a5 = sizeof rnd;
    slope("risc0 SOFTWARE SYS_WRITE fd 3 (journal)", time_case("SYS_WRITE", &w1, 256), 32, time_case("SYS_WRITE", &w2, 256), sizeof rnd);
    // SYS_READ(fd 0, nbytes) into a words-long buffer, from items pushed when the machine is made.
    static const char rdname[] = R0_NAME("SYS_READ"), gname[] = R0_NAME("SYS_GETENV");
    call_case rd1 = {.abi = abi, .code = 2, .a = {B(32), 8, B(4), 0, 32}, .bufs = {{B(4), (const uint8_t *)rdname, sizeof rdname}},
                     .push = rnd, .push_len = 32, .prepush = true};
    call_case rd2 = rd1;
    rd2.a[1] = sizeof rnd / 4, rd2.a[4] = sizeof rnd, rd2.push_len = sizeof rnd;
    slope("risc0 SOFTWARE SYS_READ", time_case("SYS_READ", &rd1, 256), 32, time_case("SYS_READ", &rd2, 256), sizeof rnd);
    // SYS_GETENV(name, length): a UTF-8 check of the name.
    static uint8_t text[1 << 16];
    memset(text, 'a', sizeof text);
    call_case g1 = {.abi = abi, .code = 2, .a = {0, 0, B(4), B(5), 32}, .bufs = {{B(4), (const uint8_t *)gname, sizeof gname}, {B(5), text, sizeof text}}};
    call_case g2 = g1;
    g2.a[4] = sizeof text;
    slope("risc0 SOFTWARE SYS_GETENV", time_case("SYS_GETENV", &g1, 1 << 20), 32, time_case("SYS_GETENV", &g2, 1 << 20), sizeof text);
}

// MARK: - GMP (the generic fp hooks' model) and the unconstrained-block journal

/// HALT hashes the public values (SHA-256, OpenSSL) when the guest committed their digest.
static void halt_digest(void) {
    static uint8_t data[1 << 16], out[32];
    random_bytes(data, sizeof data);
    double t[15];
    for (int rep = 0; rep < reps; rep++) {
        double t0 = cpu_ns();
        for (int i = 0; i < 64; i++) SHA256(data, sizeof data, out);
        t[rep] = (cpu_ns() - t0) / 64 / 64;  // per KiB
    }
    double ns = median(t, reps);
    printf("\nHALT's SHA-256 of the public values: %.1f ns per KiB = %.0f units/KiB\n", ns, ns / unit_ns);
}

static void gmp_model(void) {
    const size_t sizes[] = {32, 48, 64, 128, 256, 512, 1024};
    printf("\nGMP, n-byte operands: modular multiplication (mpz_mul + mpz_mod) and exponentiation (mpz_powm, n-byte exponent)\n");
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        size_t n = sizes[k];
        uint8_t b[1024];
        mpz_t a, e, m, r;
        mpz_inits(a, e, m, r, NULL);
        random_bytes(b, n), b[0] |= 0x80, b[n - 1] |= 1;
        mpz_import(m, n, 1, 1, 1, 0, b);
        random_bytes(b, n), b[0] &= 0x7f;
        mpz_import(a, n, 1, 1, 1, 0, b);
        random_bytes(b, n), b[0] |= 0x80;
        mpz_import(e, n, 1, 1, 1, 0, b);
        double t[15], u[15];
        for (int rep = 0; rep < reps; rep++) {
            long iters = (long)(2e6 / (double)(n * n / 64 + 16));
            double t0 = cpu_ns();
            for (long i = 0; i < iters; i++) {
                mpz_mul(r, a, a);
                mpz_mod(a, r, m);
            }
            t[rep] = (cpu_ns() - t0) / (double)iters;
            long piters = iters / (long)(8 * n) + 1;
            t0 = cpu_ns();
            for (long i = 0; i < piters; i++) mpz_powm(r, a, e, m);
            u[rep] = (cpu_ns() - t0) / (double)piters;
        }
        double mm = median(t, reps), pw = median(u, reps);
        size_t limbs = (n + 7) / 8;
        printf("  %5zu bytes (%3zu limbs): mulmod %9.1f ns = %7.0f units (%.2f units/limb^2); powm %11.0f ns = %9.0f units "
               "(%.2f mulmods per exponent bit)\n",
               n, limbs, mm, mm / unit_ns, mm / unit_ns / (double)(limbs * limbs), pw, pw / unit_ns, pw / mm / (double)(8 * n));
        mpz_clears(a, e, m, r, NULL);
    }
}

/// One page of an unconstrained block's journal: saved on the first store (malloc + copy),
/// restored and freed at EXIT_UNCONSTRAINED (vm_journal_page_of, vm_journal_rollback).
static void journal_page(void) {
    enum { PAGES = 4096, PAGE = 4096 };
    uint8_t *mem = malloc((size_t)PAGES * PAGE);
    memset(mem, 1, (size_t)PAGES * PAGE);
    uint8_t **copies = malloc(PAGES * sizeof *copies);
    double t[15];
    for (int rep = 0; rep < reps; rep++) {
        double t0 = cpu_ns();
        for (int i = 0; i < PAGES; i++) {
            copies[i] = malloc(PAGE);
            memcpy(copies[i], mem + (size_t)i * PAGE, PAGE);
        }
        for (int i = 0; i < PAGES; i++) {
            memcpy(mem + (size_t)i * PAGE, copies[i], PAGE);
            free(copies[i]);
        }
        t[rep] = (cpu_ns() - t0) / PAGES;
    }
    double ns = median(t, reps);
    printf("\nunconstrained-block journal, per 4 KiB page saved and restored: %.1f ns = %.0f units (%.0f units/KiB)\n", ns,
           ns / unit_ns, ns / unit_ns / 4);
    free(copies);
    free(mem);
}

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "-q") == 0) reps = 3, batch_ns = 4e6;
    const char *root = getenv("ZKVM_ROOT") ? getenv("ZKVM_ROOT") : ".";
    memset(ff, 0xff, sizeof ff);
    arena = zkvm_arena_create();

    // The unit: one interpreted instruction, the geomean over the four workloads of the
    // interpreter bar (Benchmarks/README.md).
    const char *elfs[] = {"fibonacci.elf", "sort-bench.elf", "coremark-like.elf", "keccak-soft.elf"};
    double log_sum = 0, jit_log_sum = 0;
    printf("work unit: ns per instruction on the interpreter (JIT for comparison), default parameters\n");
    for (int i = 0; i < 4; i++) {
        uint64_t cycles;
        double ns = ns_per_cycle(root, elfs[i], ZKVM_ENGINE_INTERPRETER, &cycles);
        double jit = ns_per_cycle(root, elfs[i], ZKVM_ENGINE_JIT, &cycles);
        printf("  %-20s %10llu instructions  interpreter %.3f ns  JIT %.3f ns\n", elfs[i], (unsigned long long)cycles, ns, jit);
        log_sum += log(ns), jit_log_sum += log(jit);
    }
    unit_ns = exp(log_sum / 4);
    printf("  geomean: interpreter %.3f ns per instruction = 1 unit (JIT %.3f ns = %.2f units)\n\n", unit_ns,
           exp(jit_log_sum / 4), exp(jit_log_sum / 4) / unit_ns);

    sp1_rows(ZKVM_ABI_V4);
    printf("\n");
    sp1_rows(ZKVM_ABI_V6);
    printf("\n");
    risc0_rows();
    halt_digest();
    gmp_model();
    journal_page();
    zkvm_arena_free(arena);
    return 0;
}
