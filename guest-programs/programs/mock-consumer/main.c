/*
 * mock-consumer — the program InfinityVM's MockConsumer contract expects (same outputs as
 * InfinityVM's SP1 mock-consumer guest).
 * Input:  stdin item 1 (onchain input) = abi.encode(address): exactly 32 bytes; the address is
 *         bytes 12..32 (the upper 12 bytes are not checked, as in the original). Any other
 *         length panics (exit code 1). Items 2 and 3 are not read.
 * Output: abi.encode(address, uint256 balance), 64 bytes, with
 *         balance = uint256(address) / (2^64 - 1) (integer division).
 */
#include "zkvm.h"
#include "zkvm_abi.h"

/* q = n / d for a 256-bit big-endian n and a non-zero 64-bit d (binary long division). */
static void u256_div_u64(const uint8_t n[32], uint64_t d, uint8_t q[32]) {
    memset(q, 0, 32);
    uint64_t rem = 0;
    uint32_t bit = 0;
    while (bit < 256 && !(n[bit / 8] & (0x80u >> (bit % 8)))) bit++; /* skip leading zeros */
    for (; bit < 256; bit++) {
        uint32_t top = (uint32_t)(rem >> 63);
        rem = (rem << 1) | ((n[bit / 8] >> (7 - bit % 8)) & 1u);
        /* top set: the true remainder is 2^64 + rem >= d, and the wrapped difference is exact */
        if (top || rem >= d) {
            rem -= d;
            q[bit / 8] |= (uint8_t)(0x80u >> (bit % 8));
        }
    }
}

int main(void) {
    uint32_t len;
    uint8_t *input = zkvm_read_vec(&len);
    if (len != 32) zkvm_panic("mock-consumer: onchain input must be abi.encode(address) (32 bytes)");
    const uint8_t *address = input + 12;

    uint8_t numerator[32], balance[32];
    zkvm_abi_word_address(numerator, address);
    u256_div_u64(numerator, 0xFFFFFFFFFFFFFFFFull, balance);

    uint8_t out[64];
    zkvm_abi_encoder e;
    zkvm_abi_init(&e, out, sizeof out, 2);
    zkvm_abi_address(&e, address);
    zkvm_abi_uint256(&e, balance);
    zkvm_commit_slice(out, zkvm_abi_size(&e));
    return 0;
}
