/*
 * zkvm_abi.h — small Solidity ABI (abi.encode / abi.decode) helpers for guests.
 *
 * Encoding `abi.encode(v1, ..., vk)`: the head has one 32-byte slot per value; static values
 * (address, uintN, bytes32) sit in their slot, a dynamic value (`bytes`, a tuple with dynamic
 * members) puts its byte offset from the start of the enclosing tuple in the slot and its body
 * in the tail. Usage:
 *
 *     uint8_t *buf = zkvm_alloc(64 + ZKVM_ABI_BYTES_SIZE(n), 4);
 *     zkvm_abi_encoder e;
 *     zkvm_abi_init(&e, buf, 2);           // two head slots
 *     zkvm_abi_bytes32(&e, hash);
 *     zkvm_abi_bytes(&e, data, n);
 *     zkvm_commit_slice(buf, zkvm_abi_size(&e));
 *
 * `abi.encode(s)` of a single struct with dynamic members (e.g. StatefulProgramResult) is a
 * one-slot outer tuple whose slot holds offset 0x20: use zkvm_abi_tuple() to open the struct.
 * The caller sizes the buffer; writers panic if it would overflow.
 */
#ifndef ZKVM_ABI_H
#define ZKVM_ABI_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Bytes a `bytes` value of length n occupies in the tail: length word + data padded to 32. */
#define ZKVM_ABI_BYTES_SIZE(n) (32u + (((uint32_t)(n) + 31u) & ~31u))

typedef struct zkvm_abi_encoder {
    uint8_t *buf;       /* start of this tuple (offsets are relative to it) */
    uint32_t cap;       /* bytes available from buf */
    uint32_t slots;     /* head slots */
    uint32_t next_slot; /* next head slot to fill */
    uint32_t tail;      /* bytes used after the head */
} zkvm_abi_encoder;

/* Starts a tuple with `slots` head slots at buf (cap bytes available). */
void zkvm_abi_init(zkvm_abi_encoder *e, uint8_t *buf, uint32_t cap, uint32_t slots);
/* Static members. */
void zkvm_abi_address(zkvm_abi_encoder *e, const uint8_t addr[20]);
void zkvm_abi_uint256(zkvm_abi_encoder *e, const uint8_t be[32]); /* big-endian value */
void zkvm_abi_uint64(zkvm_abi_encoder *e, uint64_t v);            /* any uintN, N <= 64 */
void zkvm_abi_bytes32(zkvm_abi_encoder *e, const uint8_t v[32]);
/* Dynamic members. */
void zkvm_abi_bytes(zkvm_abi_encoder *e, const uint8_t *data, uint32_t len);
/* Opens a nested dynamic tuple (struct) with `slots` head slots in e's tail; fill `inner`,
 * then call zkvm_abi_tuple_end(e, &inner) before writing anything else to e. */
void zkvm_abi_tuple(zkvm_abi_encoder *e, zkvm_abi_encoder *inner, uint32_t slots);
void zkvm_abi_tuple_end(zkvm_abi_encoder *e, const zkvm_abi_encoder *inner);
/* Total encoded size so far (head + tail). */
uint32_t zkvm_abi_size(const zkvm_abi_encoder *e);

/* Single-word writers (out = one 32-byte word). */
void zkvm_abi_word_u64(uint8_t out[32], uint64_t v);
void zkvm_abi_word_address(uint8_t out[32], const uint8_t addr[20]);

/* Decoding one 32-byte word; each returns 1 if the word is a valid value of the type
 * (its high bytes are zero), else 0. */
int zkvm_abi_decode_address(const uint8_t word[32], uint8_t addr[20]);
int zkvm_abi_decode_u64(const uint8_t word[32], uint64_t *v);

#ifdef __cplusplus
}
#endif
#endif /* ZKVM_ABI_H */
