// JIT fuzzer (a development tool, not part of the build or the test suite): random RV32IM / RV64IM
// programs built directly from random instruction words (every op kind, edge immediates, loads and
// stores off a data pointer, branches both ways, JAL/JALR including odd and out-of-text targets,
// syscalls, undecodable words), pre-decoded as the loader would, run on the interpreter and on the
// JIT under SP1 v4, SP1 v6 and RISC Zero; each program is run to its end (or 3,000 cycles) and
// again with max_cycles at N - 1, N, N + 1, 0 and a random limit. Any difference in status,
// cycles, pc, address, word, message, exit code, work, registers or data memory is printed and
// makes the exit status 1. `make jit-fuzz` (scripts/jit-fuzz.sh) builds and runs it; by hand:
//
//   mkdir -p /tmp/fz && cd /tmp/fz
//   for f in $REPO/CSources/CZKVM/*.c $REPO/CSources/CZKVM/*/*.c $REPO/CSources/CKeccak/*.c; do
//     clang -c -O1 -D_GNU_SOURCE -I$REPO/CSources/CZKVM/include -I$REPO/CSources/CKeccak/include $f \
//       -o $(echo $f | tr / _).o; done
//   clang -O1 -I$REPO/CSources/CZKVM/include -I$REPO/CSources/CZKVM $REPO/scripts/jit_fuzz.c *.o \
//     $(pkg-config --libs libelf libcrypto gmp libsecp256k1) -o jit_fuzz
//   ./jit_fuzz 100000 7          # programs, seed
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "zkvm_core.h"
#include "loader.h"
#include "abis.h"
#include "abi_sp1_v6.h"
#include "risc0/descriptor.h"

static uint64_t s;
static uint64_t rnd(void) { s += 0x9E3779B97F4A7C15ull; uint64_t z = s; z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull; z = (z ^ (z >> 27)) * 0x94D049BB133111EBull; return z ^ (z >> 31); }
static unsigned below(unsigned n) { return (unsigned)(rnd() % n); }
static unsigned reg(void) { static const unsigned r[] = {0, 1, 2, 5, 8, 10, 11, 12, 15, 28}; return r[below(10)]; }
static unsigned dreg(void) { return reg(); }
static int32_t imm12(void) { static const int32_t e[] = {0, 1, -1, 2047, -2048, 4, -4, 31, 8, 63}; return below(2) ? e[below(10)] : (int32_t)below(4096) - 2048; }
static uint32_t R(uint32_t f7, uint32_t rs2, uint32_t rs1, uint32_t f3, uint32_t rd, uint32_t op) { return f7 << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 | rd << 7 | op; }
static uint32_t I(int32_t imm, uint32_t rs1, uint32_t f3, uint32_t rd, uint32_t op) { return ((uint32_t)imm & 0xFFF) << 20 | rs1 << 15 | f3 << 12 | rd << 7 | op; }
static uint32_t S(int32_t imm, uint32_t rs2, uint32_t rs1, uint32_t f3) { uint32_t u = (uint32_t)imm; return (u >> 5 & 0x7F) << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 | (u & 0x1F) << 7 | 0x23; }
static uint32_t B(int32_t off, uint32_t rs2, uint32_t rs1, uint32_t f3) { uint32_t u = (uint32_t)off; return (u >> 12 & 1) << 31 | (u >> 5 & 0x3F) << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 | (u >> 1 & 0xF) << 8 | (u >> 11 & 1) << 7 | 0x63; }
static uint32_t J(int32_t off, uint32_t rd) { uint32_t u = (uint32_t)off; return (u >> 20 & 1) << 31 | (u >> 1 & 0x3FF) << 21 | (u >> 11 & 1) << 20 | (u >> 12 & 0xFF) << 12 | rd << 7 | 0x6F; }

int main(int argc, char **argv) {
    unsigned count = argc > 1 ? atoi(argv[1]) : 1000; s = argc > 2 ? strtoull(argv[2], 0, 0) : 1;
    const vm_abi_desc *abis[3] = {&vm_abi_sp1_v4, &vm_abi_sp1_v6, &vm_abi_risc0_v1};
    zkvm_arena *arena = zkvm_arena_create();
    unsigned fails = 0, runs = 0; unsigned stat[32] = {0}; unsigned long long totc = 0;
    for (unsigned k = 0; k < count; k++) {
        const vm_abi_desc *abi = abis[k % 3];
        bool rv64 = abi->xlen == 64;
        uint64_t base = rv64 ? 0x78000000 : 0x200800, data = rv64 ? 0x78100000 : 0x300000;
        uint32_t n = 16 + below(120);
        uint32_t *w = calloc(n + 120, 4);
        uint32_t m = 0;
        // prologue: x31 = data + 1024 (LUI + ADDI), random values in a few regs
        w[m++] = (uint32_t)((data + 1024) & 0xFFFFF000) | 31 << 7 | 0x37;
        w[m++] = I((int32_t)((data + 1024) & 0xFFF), 31, 0, 31, 0x13);
        for (unsigned r = 1; r < 31; r += 1 + below(3)) { w[m++] = (uint32_t)(rnd() & 0xFFFFF000) | r << 7 | 0x37; w[m++] = I(imm12(), r, 0, r, 0x13); }
        uint32_t body = m;
        for (; m < body + n; m++) {
            uint32_t remain = body + n - m;
            switch (below(20)) {
            case 0: case 1: case 2: case 3: { static const uint32_t f[][2] = {{0,0},{32,0},{0,1},{0,2},{0,3},{0,4},{0,5},{32,5},{0,6},{0,7},{1,0},{1,1},{1,2},{1,3},{1,4},{1,5},{1,6},{1,7}}; unsigned i = below(18); w[m] = R(f[i][0], reg(), reg(), f[i][1], dreg(), 0x33); break; }
            case 4: if (rv64) { static const uint32_t f[][2] = {{0,0},{32,0},{0,1},{0,5},{32,5},{1,0},{1,4},{1,5},{1,6},{1,7}}; unsigned i = below(10); w[m] = R(f[i][0], reg(), reg(), f[i][1], dreg(), 0x3B); } else w[m] = R(1, reg(), reg(), 4 + below(4), dreg(), 0x33); break;
            case 5: case 6: { unsigned f3 = below(8); int32_t im = imm12(); if (f3 == 1) im = below(rv64 ? 64 : 32); if (f3 == 5) im = below(rv64 ? 64 : 32) | (below(2) ? 0x400 : 0); w[m] = I(im, reg(), f3, dreg(), 0x13); break; }
            case 7: if (rv64) { unsigned f3 = (unsigned[]){0, 1, 5}[below(3)]; int32_t im = f3 == 0 ? imm12() : (int32_t)(below(32) | (f3 == 5 && below(2) ? 0x400 : 0)); w[m] = I(im, reg(), f3, dreg(), 0x1B); } else w[m] = I(imm12(), reg(), 0, dreg(), 0x13); break;
            case 8: w[m] = (uint32_t)(rnd() & 0xFFFFF000) | dreg() << 7 | (below(2) ? 0x37 : 0x17); break;
            case 9: case 10: { // load off x31 (or any reg, rarely)
                unsigned f3 = (unsigned[]){0, 1, 2, 4, 5, 3, 6}[below(rv64 ? 7 : 5)]; int32_t off = (int32_t)below(2048) - 1024; if (below(20)) off &= ~7; w[m] = I(off, below(20) ? 31 : reg(), f3, dreg(), 0x03); break; }
            case 11: case 12: { unsigned f3 = below(rv64 ? 4 : 3); int32_t off = (int32_t)below(2048) - 1024; if (below(20)) off &= ~7; w[m] = S(off, reg(), below(20) ? 31 : reg(), f3); break; }
            case 13: case 14: { int32_t off = 4 * (int32_t)(1 + below(remain < 6 ? remain : 6)); if (below(6) == 0) off = -4 * (int32_t)below(m - body + 1); static const uint32_t f3s[] = {0, 1, 4, 5, 6, 7}; w[m] = B(off, below(3) ? 0 : reg(), reg(), f3s[below(6)]); break; }
            case 15: { int32_t off = 4 * (int32_t)(1 + below(remain < 6 ? remain : 6)); if (below(30) == 0) off = 0x40000; w[m] = J(off, dreg()); break; }
            case 16: { // auipc x28, 0; jalr rd, x28, off (maybe odd)
                if (remain < 3) { w[m] = 0x13; break; }
                w[m] = 28 << 7 | 0x17; m++; int32_t off = 4 * (int32_t)(2 + below(3)) + (below(10) == 0); if (below(30) == 0) off = -0x400; w[m] = I(off, 28, 0, dreg(), 0x67); break; }
            case 17: // syscall: HINT_LEN / WRITE (sp1) or CYCLE? use halt-less codes: t0 = 0xF0 (sp1), risc0 = input (1)
                if (remain < 3) { w[m] = 0x13; break; }
                w[m] = I(abi->id == ZKVM_ABI_RISC0_V1 ? 1 : 0xF0, 0, 0, 5, 0x13); m++;
                w[m] = abi->id == ZKVM_ABI_RISC0_V1 ? I(below(9), 0, 0, 10, 0x13) : 0x13; m++;
                w[m] = 0x73; break;
            case 18: w[m] = below(50) == 0 ? (uint32_t)rnd() : I(imm12(), reg(), 0, dreg(), 0x13); break;
            default: w[m] = below(30) == 0 ? 0x00100073 : R(0, reg(), reg(), below(8), dreg(), 0x33); break;
            }
        }
        // epilogue: halt(0)
        w[m++] = I(0, 0, 0, 5, 0x13); w[m++] = I(0, 0, 0, 10, 0x13);
        if (abi->id == ZKVM_ABI_RISC0_V1) { w[m++] = (uint32_t)(data & 0xFFFFF000) | 11 << 7 | 0x37; }
        w[m++] = 0x73;
        zkvm_program *p = calloc(1, sizeof *p);
        p->abi = abi; p->entry = base; p->text_base = base; p->text_words = m;
        p->code = calloc(m + 1, sizeof *p->code);
        bool undecodable = false;
        for (uint32_t i = 0; i < m; i++) { p->code[i] = vm_decode_word(w[i], base + 4 * i, abi->xlen); if (abi->decode_fixup) abi->decode_fixup(&p->code[i], w[i]); if (p->code[i].kind == OP_ILLEGAL) undecodable = true; }
        (void)undecodable;
        vm_resolve_and_weigh(p->code, m, abi->op_cycles);
        uint8_t *bytes = malloc(4096); for (int i = 0; i < 4096; i++) bytes[i] = (uint8_t)rnd();
        vm_segment seg = {.vaddr = data, .memsz = 4096, .filesz = 4096, .flags = 6, .bytes = bytes};
        p->segments = &seg; p->segment_count = 1;
        uint64_t limits[8]; unsigned nl = 0; limits[nl++] = 3000;
        uint64_t full = 0;
        for (unsigned li = 0; li < nl; li++) {
            zkvm_result r[2]; uint64_t regs[2][32]; uint8_t snap[2][4096];
            for (int e = 0; e < 2; e++) {
                zkvm_exec_options o = {.max_cycles = limits[li], .engine = e ? ZKVM_ENGINE_JIT : ZKVM_ENGINE_INTERPRETER, .final_regs = regs[e], .snapshot_addr = data, .snapshot_len = 4096, .snapshot = snap[e]};
                zkvm_execute(p, arena, NULL, 0, &o, &r[e]);
            }
            runs++; if (li == 0) { stat[r[0].status < 32 ? r[0].status : 31]++; totc += r[0].cycles; }
            bool bad = r[0].status != r[1].status || r[0].cycles != r[1].cycles || r[0].pc != r[1].pc || r[0].addr != r[1].addr || r[0].word != r[1].word || strcmp(r[0].message, r[1].message) || memcmp(regs[0], regs[1], sizeof regs[0]) || memcmp(snap[0], snap[1], 4096) || r[1].engine != ZKVM_ENGINE_JIT || r[0].exit_code != r[1].exit_code || r[0].work != r[1].work;
            if (bad) { fails++; if (fails < 10) { printf("FAIL prog %u (%s) limit %llu: %d/%d cycles %llu/%llu pc %llx/%llx\n  %s\n  %s\n", k, abi->name, (unsigned long long)limits[li], r[0].status, r[1].status, (unsigned long long)r[0].cycles, (unsigned long long)r[1].cycles, (unsigned long long)r[0].pc, (unsigned long long)r[1].pc, r[0].message, r[1].message); for (int i = 0; i < 32; i++) if (regs[0][i] != regs[1][i]) printf("  x%d %llx vs %llx\n", i, (unsigned long long)regs[0][i], (unsigned long long)regs[1][i]); } }
            if (li == 0) {
                full = r[0].status == ZKVM_ERR_CYCLE_LIMIT ? 0 : r[0].cycles;
                if (full) { limits[nl++] = full - 1 + (full == 0); limits[nl++] = full; limits[nl++] = full + 1; limits[nl++] = below(full + 1); limits[nl++] = 0; }
                else { limits[nl++] = below(3000); limits[nl++] = 262144 < 3000 ? 1 : below(100); }
            }
            zkvm_result_free(&r[0]); zkvm_result_free(&r[1]);
        }
        if (p->translation) p->translation->destroy(p->translation);
        free(p->code); free(p); free(bytes); free(w);
    }
    printf("%u programs, %u runs, %u differ; avg cycles %llu; status:", count, runs, fails, totc / count); for (int i = 0; i < 32; i++) if (stat[i]) printf(" %d:%u", i, stat[i]); printf("\n");
    return fails != 0;
}
