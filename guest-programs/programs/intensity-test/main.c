/*
 * intensity-test — InfinityVM's load-test program (same outputs as its SP1 build).
 * Input:  stdin item 1 (onchain input) = hash_rounds as a borsh u32 (little-endian; bytes
 *         after the first 4 are ignored, fewer than 4 panic). Items 2 and 3 are not read.
 * Output: result as a 32-byte big-endian uint256, where result = 0 and each round does
 *         result = result + uint256_be(sha256(result as 32 bytes BE)) mod 2^256.
 */
#include "zkvm.h"

int main(void) {
    uint32_t len;
    uint8_t *input = zkvm_read_vec(&len);
    if (len < 4) zkvm_panic("intensity-test: Unexpected length of input (need a u32 hash_rounds)");
    uint32_t rounds = zkvm_load_le32(input);

    uint8_t result[32] = {0}, hash[32];
    for (uint32_t r = 0; r < rounds; r++) {
        zkvm_sha256(result, 32, hash);
        uint32_t carry = 0; /* big-endian 256-bit add, one byte at a time from the end */
        for (int i = 31; i >= 0; i--) {
            uint32_t s = (uint32_t)result[i] + hash[i] + carry;
            result[i] = (uint8_t)s;
            carry = s >> 8;
        }
    }
    zkvm_commit_slice(result, 32);
    return 0;
}
