// SHA_EXTEND and SHA_COMPRESS: the SHA-256 message schedule and compression rounds, on words in
// guest memory (SP1_ABI.md §4.2, SP1_V6_ABI.md §3.2). The guest supplies the schedule, so
// OpenSSL's block function (which derives the schedule itself) cannot be used here. Each SHA-256
// word sits in one guest word: a u32 on RV32; on RV64 the low half of a u64, whose high half SP1
// ignores on reads and writes as zero.

#include <string.h>

#include "precompiles.h"

static inline uint32_t rotr(uint32_t x, unsigned n) { return (x >> n) | (x << (32 - n)); }

static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

/// SHA-256 word i of the array at guest address `base` (little-endian low 32 bits of its slot).
static uint32_t word_get(vm_t *vm, uint64_t base, unsigned i) {
    uint32_t v;
    memcpy(&v, vm_bytes(vm, base + (uint64_t)i * vm_abi_word_bytes(vm->abi)), 4);
    return v;
}

static void word_set(vm_t *vm, uint64_t base, unsigned i, uint32_t v) {
    const unsigned slot = vm_abi_word_bytes(vm->abi);
    uint64_t wide = v;  // zero-extended into a u64 slot on RV64
    memcpy(vm_bytes(vm, base + (uint64_t)i * slot), &wide, slot);
}

int pc_sha_extend(vm_t *vm, const vm_syscall *sc) {
    const uint64_t w = vm_arg(vm, 0), zero = vm_arg(vm, 1), slot = vm_abi_word_bytes(vm->abi);
    if (zero != 0)
        return vm_fail(vm, ZKVM_ERR_SYSCALL, "%s: second argument must be 0, got 0x%08llx", sc->name, (unsigned long long)zero);
    const vm_span spans[] = {{"w", w, 16 * slot, VM_PROT_READ}, {"w", w + 16 * slot, 48 * slot, VM_PROT_READ | VM_PROT_WRITE}};
    int rc = vm_check_spans(vm, sc->name, spans, 2);
    if (rc) return rc;
    // Word by word through memory, as SP1 does.
    for (unsigned i = 16; i < 64; i++) {
        uint32_t w15 = word_get(vm, w, i - 15), w2 = word_get(vm, w, i - 2);
        uint32_t s0 = rotr(w15, 7) ^ rotr(w15, 18) ^ (w15 >> 3);
        uint32_t s1 = rotr(w2, 17) ^ rotr(w2, 19) ^ (w2 >> 10);
        word_set(vm, w, i, s1 + word_get(vm, w, i - 16) + s0 + word_get(vm, w, i - 7));
    }
    return 0;
}

int pc_sha_compress(vm_t *vm, const vm_syscall *sc) {
    const uint64_t w_ptr = vm_arg(vm, 0), h_ptr = vm_arg(vm, 1), slot = vm_abi_word_bytes(vm->abi);
    if (vm->abi->sp1.sha_compress_distinct && w_ptr == h_ptr)
        return vm_fail(vm, ZKVM_ERR_SYSCALL, "%s: w and h pointers are equal (0x%08llx)", sc->name, (unsigned long long)w_ptr);
    const vm_span spans[] = {
        {"h", h_ptr, 8 * slot, VM_PROT_READ}, {"w", w_ptr, 64 * slot, VM_PROT_READ}, {"h", h_ptr, 8 * slot, VM_PROT_WRITE}};
    int rc = vm_check_spans(vm, sc->name, spans, 3);
    if (rc) return rc;
    uint32_t h[8], w[64];
    for (unsigned i = 0; i < 8; i++) h[i] = word_get(vm, h_ptr, i);
    for (unsigned i = 0; i < 64; i++) w[i] = word_get(vm, w_ptr, i);
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
    for (int i = 0; i < 64; i++) {
        uint32_t s1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25);
        uint32_t ch = (e & f) ^ (~e & g);
        uint32_t t1 = hh + s1 + ch + K[i] + w[i];
        uint32_t s0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22);
        uint32_t maj = (a & b) ^ (a & c) ^ (b & c);
        uint32_t t2 = s0 + maj;
        hh = g;
        g = f;
        f = e;
        e = d + t1;
        d = c;
        c = b;
        b = a;
        a = t1 + t2;
    }
    const uint32_t add[8] = {a, b, c, d, e, f, g, hh};
    for (unsigned i = 0; i < 8; i++) word_set(vm, h_ptr, i, h[i] + add[i]);
    return 0;
}
