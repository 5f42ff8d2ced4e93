#ifndef ZKVM_RISC0_H
#define ZKVM_RISC0_H

// Internal pieces of the RISC Zero v1 support shared between its files (and, later, the R0
// executor's SHA ecall, which is the same compression on guest memory).

#include <stddef.h>
#include <stdint.h>

#include "zkvm_core.h"

#define R0_DIGEST_BYTES 32u
#define R0_BLOCK_BYTES 64u

/// The SHA-256 IV as chaining-state words.
void r0_sha256_iv(uint32_t state[8]);

/// SHA-256 compression of `blocks` consecutive 64-byte blocks into `state` (state words as
/// numbers, blocks as standard big-endian message bytes). No padding.
void r0_sha256_compress(uint32_t state[8], const uint8_t *data, size_t blocks);

/// The state words big-endian: the usual SHA-256 digest byte order.
void r0_state_bytes(const uint32_t state[8], uint8_t out[32]);

#endif
