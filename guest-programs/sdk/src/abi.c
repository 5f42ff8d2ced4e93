/* Solidity ABI encoding helpers (see zkvm_abi.h). */
#include "zkvm.h"
#include "zkvm_abi.h"

void zkvm_abi_word_u64(uint8_t out[32], uint64_t v) {
    memset(out, 0, 24);
    zkvm_store_be64(out + 24, v);
}

void zkvm_abi_word_address(uint8_t out[32], const uint8_t addr[20]) {
    memset(out, 0, 12);
    memcpy(out + 12, addr, 20);
}

void zkvm_abi_init(zkvm_abi_encoder *e, uint8_t *buf, uint32_t cap, uint32_t slots) {
    if (slots > cap / 32) zkvm_panic("abi: buffer too small for the head");
    e->buf = buf;
    e->cap = cap;
    e->slots = slots;
    e->next_slot = 0;
    e->tail = 0;
}

static uint8_t *next_slot(zkvm_abi_encoder *e) {
    if (e->next_slot >= e->slots) zkvm_panic("abi: more values than head slots");
    return e->buf + 32 * e->next_slot++;
}

uint32_t zkvm_abi_size(const zkvm_abi_encoder *e) { return 32 * e->slots + e->tail; }

void zkvm_abi_address(zkvm_abi_encoder *e, const uint8_t addr[20]) { zkvm_abi_word_address(next_slot(e), addr); }
void zkvm_abi_uint256(zkvm_abi_encoder *e, const uint8_t be[32]) { memcpy(next_slot(e), be, 32); }
void zkvm_abi_uint64(zkvm_abi_encoder *e, uint64_t v) { zkvm_abi_word_u64(next_slot(e), v); }
void zkvm_abi_bytes32(zkvm_abi_encoder *e, const uint8_t v[32]) { memcpy(next_slot(e), v, 32); }

void zkvm_abi_bytes(zkvm_abi_encoder *e, const uint8_t *data, uint32_t len) {
    uint8_t *slot = next_slot(e);
    uint32_t off = zkvm_abi_size(e);
    if (len > e->cap || ZKVM_ABI_BYTES_SIZE(len) > e->cap - off) zkvm_panic("abi: buffer too small for bytes");
    zkvm_abi_word_u64(slot, off);
    uint8_t *body = e->buf + off;
    zkvm_abi_word_u64(body, len);
    memcpy(body + 32, data, len);
    uint32_t padded = ZKVM_ABI_BYTES_SIZE(len) - 32;
    memset(body + 32 + len, 0, padded - len);
    e->tail += ZKVM_ABI_BYTES_SIZE(len);
}

void zkvm_abi_tuple(zkvm_abi_encoder *e, zkvm_abi_encoder *inner, uint32_t slots) {
    uint8_t *slot = next_slot(e);
    uint32_t off = zkvm_abi_size(e);
    zkvm_abi_word_u64(slot, off);
    zkvm_abi_init(inner, e->buf + off, e->cap - off, slots);
}

void zkvm_abi_tuple_end(zkvm_abi_encoder *e, const zkvm_abi_encoder *inner) { e->tail += zkvm_abi_size(inner); }

int zkvm_abi_decode_address(const uint8_t word[32], uint8_t addr[20]) {
    memcpy(addr, word + 12, 20);
    for (int i = 0; i < 12; i++)
        if (word[i]) return 0;
    return 1;
}

int zkvm_abi_decode_u64(const uint8_t word[32], uint64_t *v) {
    *v = zkvm_load_be64(word + 24);
    for (int i = 0; i < 24; i++)
        if (word[i]) return 0;
    return 1;
}
