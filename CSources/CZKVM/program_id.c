// Program ID = SHA-256 over a canonical, versioned serialization of the loaded image
// (documented in README.md, "Program IDs"). Only what the loader puts in guest memory counts,
// so stripping symbols or sections leaves the ID unchanged.

#include <openssl/evp.h>
#include <string.h>

#include "loader.h"

#define PROGRAM_ID_TAG "zkvm-program-id"
#define PROGRAM_ID_VERSION 1u
#define VM_TYPE_SP1_RV32IM 1u

static void put_u32(EVP_MD_CTX *ctx, uint32_t v) {
    uint8_t b[4] = {(uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};
    EVP_DigestUpdate(ctx, b, 4);
}

void vm_program_compute_id(zkvm_program *p) {
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
    EVP_DigestUpdate(ctx, PROGRAM_ID_TAG, strlen(PROGRAM_ID_TAG));
    put_u32(ctx, PROGRAM_ID_VERSION);
    put_u32(ctx, VM_TYPE_SP1_RV32IM);
    put_u32(ctx, p->entry);
    put_u32(ctx, (uint32_t)p->segment_count);
    for (size_t i = 0; i < p->segment_count; i++) {
        const vm_segment *s = &p->segments[i];
        put_u32(ctx, s->vaddr);
        put_u32(ctx, s->memsz);
        put_u32(ctx, s->flags);
        put_u32(ctx, s->filesz);
        if (s->filesz) EVP_DigestUpdate(ctx, s->bytes, s->filesz);
    }
    unsigned int n = 32;
    EVP_DigestFinal_ex(ctx, p->id, &n);
    EVP_MD_CTX_free(ctx);
}
