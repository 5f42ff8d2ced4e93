// Precompile registry: syscall code -> handler. SP1 codes from SP1_ABI.md §4.2.
//
// Every precompile has a distinct low byte (its SP1 id), so the table is indexed by it and a lookup
// is one load and one compare of the full 32-bit code (SP1 dispatches on the exact value).

#include "precompiles.h"

#define ROW(code, name, fn) [(code) & 0xffu] = {(code), (name), (fn)}

static const vm_precompile precompiles[256] = {
    ROW(0x00300105u, "SHA_EXTEND", pc_sha_extend),
    ROW(0x00010106u, "SHA_COMPRESS", pc_sha_compress),
    ROW(0x00010107u, "ED_ADD", pc_ed_add),
    ROW(0x00000108u, "ED_DECOMPRESS", pc_ed_decompress),
    ROW(0x00010109u, "KECCAK_PERMUTE", pc_keccak_permute),
    ROW(0x0001010Au, "SECP256K1_ADD", pc_secp256k1_add),
    ROW(0x0000010Bu, "SECP256K1_DOUBLE", pc_secp256k1_double),
    ROW(0x0000010Cu, "SECP256K1_DECOMPRESS", pc_secp256k1_decompress),
    ROW(0x0001010Eu, "BN254_ADD", pc_bn254_add),
    ROW(0x0000010Fu, "BN254_DOUBLE", pc_bn254_double),
    ROW(0x0000011Cu, "BLS12381_DECOMPRESS", pc_bls12381_decompress),
    ROW(0x0001011Du, "UINT256_MUL", pc_uint256_mul),
    ROW(0x0001011Eu, "BLS12381_ADD", pc_bls12381_add),
    ROW(0x0000011Fu, "BLS12381_DOUBLE", pc_bls12381_double),
    ROW(0x00010120u, "BLS12381_FP_ADD", pc_bls12381_fp_add),
    ROW(0x00010121u, "BLS12381_FP_SUB", pc_bls12381_fp_sub),
    ROW(0x00010122u, "BLS12381_FP_MUL", pc_bls12381_fp_mul),
    ROW(0x00010123u, "BLS12381_FP2_ADD", pc_bls12381_fp2_add),
    ROW(0x00010124u, "BLS12381_FP2_SUB", pc_bls12381_fp2_sub),
    ROW(0x00010125u, "BLS12381_FP2_MUL", pc_bls12381_fp2_mul),
    ROW(0x00010126u, "BN254_FP_ADD", pc_bn254_fp_add),
    ROW(0x00010127u, "BN254_FP_SUB", pc_bn254_fp_sub),
    ROW(0x00010128u, "BN254_FP_MUL", pc_bn254_fp_mul),
    ROW(0x00010129u, "BN254_FP2_ADD", pc_bn254_fp2_add),
    ROW(0x0001012Au, "BN254_FP2_SUB", pc_bn254_fp2_sub),
    ROW(0x0001012Bu, "BN254_FP2_MUL", pc_bn254_fp2_mul),
    ROW(0x0001012Cu, "SECP256R1_ADD", pc_secp256r1_add),
    ROW(0x0000012Du, "SECP256R1_DOUBLE", pc_secp256r1_double),
    ROW(0x0000012Eu, "SECP256R1_DECOMPRESS", pc_secp256r1_decompress),
    ROW(0x0001012Fu, "U256XU2048_MUL", pc_u256x2048_mul),
};

const vm_precompile *vm_precompile_lookup(uint32_t code) {
    const vm_precompile *e = &precompiles[code & 0xffu];
    return e->fn && e->code == code ? e : NULL;
}
