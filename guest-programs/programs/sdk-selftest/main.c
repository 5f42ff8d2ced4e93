/*
 * sdk-selftest — exercises the SDK: hashes (precompile SHA-256 and Keccak-256 against known
 * answers, against the software Keccak and against streaming), the libc subset, the bump
 * allocator, 64-bit division and the ABI encoder. Internal checks panic (exit code 1);
 * everything is also committed so the host can compare against independently computed values.
 *
 * Input:  stdin item 1 = flags as a little-endian u32 (default 0 when empty or absent);
 *         bit 0 also hashes the 1,000,000 x 'a' test vector (about 4 M extra cycles).
 * Output, concatenated:
 *   1. for each message M of the list below: sha256(M) || keccak256(M)   (64 bytes each)
 *        "", "abc", "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
 *        "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
 *        then pattern(n) for n in PATTERN_LENS, where pattern(n)[i] = (7*i + 3) mod 256
 *   2. if flag bit 0: sha256(a^1000000) || keccak256(a^1000000)
 *   3. abi.encode(address A, uint256 V, bytes32 B, bytes pattern(33), uint64 0xDEADBEEFCAFEBABE)
 *      with A[i] = 0x10 + i, V[i] = 0xF0 - i, B[i] = 3*i  (byte i of each, big-endian order)
 *   4. abi.encode(StatefulProgramResult{bytes32 B, bytes ""})
 *   5. for each (a, b) in DIV_CASES: a / b, a % b (u64 LE), then (int64)a / (int64)b,
 *      (int64)a % (int64)b (two's complement, LE)
 */
#include "zkvm.h"
#include "zkvm_abi.h"
#include "workloads.h"

static const uint32_t PATTERN_LENS[] = {55, 56, 63, 64, 65, 119, 120, 135, 136, 137, 271, 272, 1000};
#define N_PATTERN (sizeof PATTERN_LENS / sizeof PATTERN_LENS[0])

static const uint64_t DIV_CASES[][2] = {
    {0xFFFFFFFFFFFFFFFFull, 3},
    {0xFFFFFFFFFFFFFFFFull, 0xFFFFFFFFull},
    {0x123456789ABCDEF0ull, 0x0FEDCBA9ull},
    {0x8000000000000000ull, 0x7FFFFFFFFFFFFFFFull},
    {12345678901234567ull, 1000003},
    {0xFFFFFFFFFFFFFFF9ull, 5},          /* -7 / 5 signed */
    {100, 0xFFFFFFFFFFFFFFFDull},        /* 100 / -3 signed */
    {0x0000000100000000ull, 0x0000000100000001ull},
    {0xDEADBEEFCAFEBABEull, 0x00000000DEADBEEFull},
};
#define N_DIV (sizeof DIV_CASES / sizeof DIV_CASES[0])

static const char MSG448[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
static const char MSG896[] =
    "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";

static void expect_hex(const uint8_t got[32], const char *hex, const char *what) {
    for (int i = 0; i < 32; i++) {
        uint8_t b = 0;
        for (int k = 0; k < 2; k++) {
            char c = hex[2 * i + k];
            b = (uint8_t)(b << 4 | (c <= '9' ? c - '0' : c - 'a' + 10));
        }
        if (got[i] != b) zkvm_panic(what);
    }
}

static void fill_pattern(uint8_t *p, uint32_t n) {
    for (uint32_t i = 0; i < n; i++) p[i] = (uint8_t)(7 * i + 3);
}

/* Hashes one message three ways (SHA-256; Keccak via precompile and in software), checks
 * they agree with streaming in uneven chunks from an odd address, and commits the digests. */
static void hash_and_commit(const uint8_t *msg, uint32_t len) {
    uint8_t sha[32], kec[32], soft[32], again[32];
    zkvm_sha256(msg, len, sha);
    zkvm_keccak256(msg, len, kec);
    wl_keccak256(msg, len, soft);
    if (memcmp(kec, soft, 32)) zkvm_panic("keccak256: precompile and software disagree");

    uint8_t *odd = (uint8_t *)zkvm_alloc(len + 1, 4) + 1;
    memcpy(odd, msg, len);
    zkvm_sha256_ctx s;
    zkvm_keccak256_ctx k;
    zkvm_sha256_init(&s);
    zkvm_keccak256_init(&k);
    for (uint32_t off = 0, step = 1; off < len; step = step % 13 + 1) {
        uint32_t take = len - off < step ? len - off : step;
        zkvm_sha256_update(&s, odd + off, take);
        zkvm_keccak256_update(&k, odd + off, take);
        off += take;
    }
    zkvm_sha256_final(&s, again);
    if (memcmp(sha, again, 32)) zkvm_panic("sha256: streaming and one-shot disagree");
    zkvm_keccak256_final(&k, again);
    if (memcmp(kec, again, 32)) zkvm_panic("keccak256: streaming and one-shot disagree");

    zkvm_commit_slice(sha, 32);
    zkvm_commit_slice(kec, 32);
}

static void check_libc(void) {
    uint8_t a[96], b[96], ref[96];
    for (uint32_t off = 0; off < 4; off++)
        for (uint32_t doff = 0; doff < 4; doff++)
            for (uint32_t n = 0; n < 40; n += 3) {
                fill_pattern(a, 96);
                memset(b, 0xEE, 96);
                memcpy(b + doff, a + off, n);
                for (uint32_t i = 0; i < 96; i++) {
                    uint8_t want = (i >= doff && i < doff + n) ? a[off + i - doff] : 0xEE;
                    if (b[i] != want) zkvm_panic("memcpy");
                }
                if (memcmp(b + doff, a + off, n)) zkvm_panic("memcmp (equal)");
                /* overlapping moves in both directions */
                for (int dir = 0; dir < 2; dir++) {
                    fill_pattern(b, 96);
                    fill_pattern(ref, 96);
                    uint32_t src = dir ? 20 + off : 20 + off + doff + 1;
                    uint32_t dst = dir ? 20 + off + doff + 1 : 20 + off;
                    memmove(b + dst, b + src, n);
                    for (uint32_t i = 0; i < n; i++) ref[dst + i] = (uint8_t)(7 * (src + i) + 3);
                    if (memcmp(b, ref, 96)) zkvm_panic("memmove");
                }
                memset(b, 0, 96);
                memset(b + off, 0x5A, n);
                for (uint32_t i = 0; i < 96; i++)
                    if (b[i] != ((i >= off && i < off + n) ? 0x5A : 0)) zkvm_panic("memset");
            }
    a[0] = 1; b[0] = 2;
    if (memcmp(a, b, 1) >= 0 || memcmp(b, a, 1) <= 0) zkvm_panic("memcmp (order)");
    if (strlen("zkvm") != 4 || strlen("") != 0) zkvm_panic("strlen");
}

static void check_alloc(void) {
    uint8_t *p1 = zkvm_alloc(3, 1);
    uint8_t *p2 = zkvm_alloc(5, 8);
    uint8_t *p3 = zkvm_alloc(1, 256);
    uint32_t *z = calloc(64, 4);
    if (((uintptr_t)p2 & 7) || ((uintptr_t)p3 & 255) || ((uintptr_t)z & 15)) zkvm_panic("alloc alignment");
    if (p2 < p1 + 3 || p3 < p2 + 5 || (uint8_t *)z < p3 + 1) zkvm_panic("alloc overlap");
    for (int i = 0; i < 64; i++)
        if (z[i]) zkvm_panic("calloc not zero");
    extern char _end[];
    if ((uintptr_t)p1 < (uintptr_t)_end) zkvm_panic("heap below _end");
}

int main(void) {
    uint32_t flags = zkvm_read_u32_or(0);
    check_libc();
    check_alloc();

    /* known answers (FIPS 180-2 examples; Keccak-256 as used by Ethereum) */
    uint8_t d[32];
    zkvm_sha256("", 0, d);
    expect_hex(d, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "sha256(\"\")");
    zkvm_sha256("abc", 3, d);
    expect_hex(d, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", "sha256(\"abc\")");
    zkvm_sha256(MSG448, 56, d);
    expect_hex(d, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1", "sha256(448-bit)");
    zkvm_sha256(MSG896, 112, d);
    expect_hex(d, "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1", "sha256(896-bit)");
    zkvm_keccak256("", 0, d);
    expect_hex(d, "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470", "keccak256(\"\")");
    zkvm_keccak256("abc", 3, d);
    expect_hex(d, "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45", "keccak256(\"abc\")");

    /* 1. message digests */
    hash_and_commit((const uint8_t *)"", 0);
    hash_and_commit((const uint8_t *)"abc", 3);
    hash_and_commit((const uint8_t *)MSG448, 56);
    hash_and_commit((const uint8_t *)MSG896, 112);
    uint8_t *pat = zkvm_alloc(1000, 4);
    fill_pattern(pat, 1000);
    for (uint32_t i = 0; i < N_PATTERN; i++) hash_and_commit(pat, PATTERN_LENS[i]);

    /* 2. one million 'a' (streamed from a 1000-byte buffer) */
    if (flags & 1) {
        uint8_t *as = zkvm_alloc(1000, 4);
        memset(as, 'a', 1000);
        zkvm_sha256_ctx s;
        zkvm_keccak256_ctx k;
        zkvm_sha256_init(&s);
        zkvm_keccak256_init(&k);
        for (int i = 0; i < 1000; i++) {
            zkvm_sha256_update(&s, as, 1000);
            zkvm_keccak256_update(&k, as, 1000);
        }
        zkvm_sha256_final(&s, d);
        expect_hex(d, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0", "sha256(a^1e6)");
        zkvm_commit_slice(d, 32);
        zkvm_keccak256_final(&k, d);
        zkvm_commit_slice(d, 32);
    }

    /* 3. abi.encode(address, uint256, bytes32, bytes, uint64) */
    uint8_t addr[20], v[32], b32[32];
    for (int i = 0; i < 20; i++) addr[i] = (uint8_t)(0x10 + i);
    for (int i = 0; i < 32; i++) {
        v[i] = (uint8_t)(0xF0 - i);
        b32[i] = (uint8_t)(3 * i);
    }
    uint8_t enc[5 * 32 + ZKVM_ABI_BYTES_SIZE(33)];
    zkvm_abi_encoder e;
    zkvm_abi_init(&e, enc, sizeof enc, 5);
    zkvm_abi_address(&e, addr);
    zkvm_abi_uint256(&e, v);
    zkvm_abi_bytes32(&e, b32);
    zkvm_abi_bytes(&e, pat, 33);
    zkvm_abi_uint64(&e, 0xDEADBEEFCAFEBABEull);
    if (zkvm_abi_size(&e) != sizeof enc) zkvm_panic("abi size");
    zkvm_commit_slice(enc, zkvm_abi_size(&e));

    /* 4. abi.encode(StatefulProgramResult{bytes32, bytes ""}) */
    uint8_t enc2[32 + 64 + ZKVM_ABI_BYTES_SIZE(0)];
    zkvm_abi_encoder outer, inner;
    zkvm_abi_init(&outer, enc2, sizeof enc2, 1);
    zkvm_abi_tuple(&outer, &inner, 2);
    zkvm_abi_bytes32(&inner, b32);
    zkvm_abi_bytes(&inner, pat, 0);
    zkvm_abi_tuple_end(&outer, &inner);
    zkvm_commit_slice(enc2, zkvm_abi_size(&outer));

    /* 5. 64-bit division helpers; volatile keeps the compiler from folding the constants */
    for (uint32_t i = 0; i < N_DIV; i++) {
        volatile uint64_t va = DIV_CASES[i][0], vb = DIV_CASES[i][1];
        uint64_t a = va, bb = vb;
        zkvm_commit_u64(a / bb);
        zkvm_commit_u64(a % bb);
        zkvm_commit_u64((uint64_t)((int64_t)a / (int64_t)bb));
        zkvm_commit_u64((uint64_t)((int64_t)a % (int64_t)bb));
    }
    return 0;
}
