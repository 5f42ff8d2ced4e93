/*
 * stateful-counter — a counter kept in the job's state, for InfinityVM-style stateful jobs.
 * Input (the three job items, in order):
 *   1. onchain_input:  empty, or abi.encode(uint64 bonus) (32 bytes) — one extra increment.
 *   2. offchain_input: a batch of increments, each a big-endian u32 (length a multiple of 4).
 *   3. state:          empty (counter = 0) or the counter as an 8-byte big-endian u64.
 *   new counter = old + bonus + sum(increments) (mod 2^64); new state = 8-byte BE new counter.
 * Output: abi.encode(StatefulProgramResult{
 *             bytes32 nextStateHash = keccak256(new state),
 *             bytes   result        = abi.encode(uint64 oldCounter, uint64 newCounter,
 *                                                uint64 requestCount) })
 *         i.e. 0x20 || nextStateHash || 0x40 || 96 || result (96 bytes) — 224 bytes in all;
 *         requestCount = number of increments in the batch.
 * A missing item (fewer than three pushed) counts as empty. Malformed items panic (exit code 1).
 */
#include "zkvm.h"
#include "zkvm_abi.h"

static uint8_t *read_item_or_empty(uint32_t *len) {
    if (zkvm_hint_len() == ZKVM_HINT_EMPTY) {
        *len = 0;
        return 0;
    }
    return zkvm_read_vec(len);
}

int main(void) {
    uint32_t onchain_len, offchain_len, state_len;
    uint8_t *onchain = read_item_or_empty(&onchain_len);
    uint8_t *offchain = read_item_or_empty(&offchain_len);
    uint8_t *state = read_item_or_empty(&state_len);

    uint64_t old_counter = 0;
    if (state_len == 8) old_counter = zkvm_load_be64(state);
    else if (state_len != 0) zkvm_panic("stateful-counter: state must be empty or an 8-byte big-endian u64");

    uint64_t bonus = 0;
    if (onchain_len == 32) {
        if (!zkvm_abi_decode_u64(onchain, &bonus)) zkvm_panic("stateful-counter: bonus does not fit in uint64");
    } else if (onchain_len != 0) {
        zkvm_panic("stateful-counter: onchain input must be empty or abi.encode(uint64)");
    }

    if (offchain_len % 4) zkvm_panic("stateful-counter: offchain input must be big-endian u32 increments");
    uint64_t counter = old_counter + bonus;
    uint32_t requests = offchain_len / 4;
    for (uint32_t i = 0; i < requests; i++) counter += zkvm_load_be32(offchain + 4 * i);

    uint8_t new_state[8], next_state_hash[32];
    zkvm_store_be64(new_state, counter);
    zkvm_keccak256(new_state, sizeof new_state, next_state_hash);

    uint8_t result[96];
    zkvm_abi_encoder r;
    zkvm_abi_init(&r, result, sizeof result, 3);
    zkvm_abi_uint64(&r, old_counter);
    zkvm_abi_uint64(&r, counter);
    zkvm_abi_uint64(&r, requests);

    uint8_t out[32 + 64 + ZKVM_ABI_BYTES_SIZE(96)];
    zkvm_abi_encoder e, s;
    zkvm_abi_init(&e, out, sizeof out, 1);
    zkvm_abi_tuple(&e, &s, 2); /* the struct is dynamic: abi.encode(s) starts with offset 0x20 */
    zkvm_abi_bytes32(&s, next_state_hash);
    zkvm_abi_bytes(&s, result, zkvm_abi_size(&r));
    zkvm_abi_tuple_end(&e, &s);
    zkvm_commit_slice(out, zkvm_abi_size(&e));
    return 0;
}
