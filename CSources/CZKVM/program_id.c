// Program ID = SHA-256 over a canonical, versioned serialization of the loaded image
// (documented in README.md, "Program IDs"). Only what the loader puts in guest memory, and what
// else decides how the program runs, counts, so stripping symbols or sections leaves the ID
// unchanged. RV64 (SP1 v6) programs use the same scheme with 64-bit addresses and sizes, the
// PF_UNTRUSTED flag, and the untrusted-mode parameters.

#include <openssl/evp.h>
#include <string.h>

#include "loader.h"

#define PROGRAM_ID_TAG "zkvm-program-id"
#define PROGRAM_ID_VERSION 1u
#define VM_TYPE_SP1_RV32IM 1u
#define VM_TYPE_SP1_RV64IM 2u

static void put_u32(EVP_MD_CTX *ctx, uint32_t v) {
    uint8_t b[4] = {(uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};
    EVP_DigestUpdate(ctx, b, 4);
}

static void put_u64(EVP_MD_CTX *ctx, uint64_t v) {
    put_u32(ctx, (uint32_t)(v >> 32));
    put_u32(ctx, (uint32_t)v);
}

/// An address or size: u32 on RV32, u64 on RV64.
static void put_addr(EVP_MD_CTX *ctx, bool rv64, uint64_t v) {
    if (rv64)
        put_u64(ctx, v);
    else
        put_u32(ctx, (uint32_t)v);
}

void vm_program_compute_id(zkvm_program *p) {
    const bool rv64 = p->abi->xlen == 64;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
    EVP_DigestUpdate(ctx, PROGRAM_ID_TAG, strlen(PROGRAM_ID_TAG));
    put_u32(ctx, PROGRAM_ID_VERSION);
    put_u32(ctx, rv64 ? VM_TYPE_SP1_RV64IM : VM_TYPE_SP1_RV32IM);
    put_addr(ctx, rv64, p->entry);
    put_u32(ctx, (uint32_t)p->segment_count);
    for (size_t i = 0; i < p->segment_count; i++) {
        const vm_segment *s = &p->segments[i];
        put_addr(ctx, rv64, s->vaddr);
        put_addr(ctx, rv64, s->memsz);
        put_u32(ctx, s->flags);
        put_addr(ctx, rv64, s->filesz);
        if (s->filesz) EVP_DigestUpdate(ctx, s->bytes, s->filesz);
    }
    if (rv64) {  // untrusted-program mode changes how the same image runs
        put_u32(ctx, p->untrusted);
        if (p->untrusted) {
            put_u64(ctx, p->heap_start);
            put_u64(ctx, p->heap_end);
            put_u32(ctx, p->has_trap_context);
            put_u64(ctx, p->has_trap_context ? p->trap_context : 0);
        }
    }
    unsigned int n = 32;
    EVP_DigestFinal_ex(ctx, p->id, &n);
    EVP_MD_CTX_free(ctx);
}
