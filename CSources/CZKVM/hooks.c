// Host-callback hooks reached through WRITE (SP1_ABI.md §5.5). A hook maps the written bytes to a
// list of items that are pushed to the front of the input stream, in order, for the guest to read
// next (inside an unconstrained block, so only these items survive it). Where SP1's hook panics
// (bad length, non-canonical input, failed recovery in the v1 ecrecover, ...) the run fails with a
// message naming the hook.
//
// Which fds are hooks depends on the guest's SP1 version (the `versions` column of `hooks` below,
// matched against the ABI descriptor's sp1.version):
//   v3:  5 ecrecover, 7 ecrecover_v2, 8 ed_decompress (15-21 are unknown fds, ignored)
//   v4:  15 ecrecover, 16 ed_decompress, 17 rsa_mul_mod, 18/19 bls12-381 sqrt/inverse, 20/21 generic
//        fp sqrt/inverse; plus SP1 v4's deprecated hooks 5-8 (5/7/8 as in v3, 6 = secp256r1 s^-1),
//        which SP1 v4 serves under SP1_ALLOW_DEPRECATED_HOOKS -- the engine already accepts v3's
//        fds 3/4 there.
//   v6:  15-21 as v4 (rsa_mul_mod also with 384- and 512-byte keys); every other fd is ignored
//        (SP1_V6_ABI.md §4.1).
//
// Hooks are rare (a few per run), so they use mpz integers (precompiles/bigint.h) for clarity;
// ecrecover uses libsecp256k1 (precompiles/ecrecover.h; the same results as k256's
// recover_from_prehash).

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hooks.h"
#include "precompiles/bigint.h"
#include "precompiles/ecrecover.h"
#include "precompiles/ed25519.h"
#include "precompiles/field.h"

/// Hook results before they are pushed (at most 3 items per hook).
typedef struct hook_out {
    uint8_t *items[3];
    size_t lens[3];
    int count;
} hook_out;

static int out_add(vm_t *vm, hook_out *out, const uint8_t *data, size_t len) {
    uint8_t *copy = malloc(len ? len : 1);
    if (!copy) return vm_fail(vm, ZKVM_ERR_HOST, "out of memory for a hook result");
    if (len) memcpy(copy, data, len);
    out->items[out->count] = copy;
    out->lens[out->count] = len;
    out->count++;
    return 0;
}

static int out_byte(vm_t *vm, hook_out *out, uint8_t b) { return out_add(vm, out, &b, 1); }

static void out_free(hook_out *out) {
    for (int i = 0; i < out->count; i++) free(out->items[i]);
    out->count = 0;
}

// MARK: - Curve orders

static const char SECP256K1_N[] = "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141";
static const char SECP256R1_N[] = "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551";

// MARK: - v4: 15 ecrecover (square-root hint for the patched k256 / p256 recovery)

static int hook_ecrecover(vm_t *vm, const char *name, const uint8_t *buf, size_t len, hook_out *out) {
    if (len != 65) return vm_fail(vm, ZKVM_ERR_SYSCALL, "%s: input must be 65 bytes, got %zu", name, len);
    unsigned curve_id = buf[0] & 0x7f;
    bool want_odd = buf[0] & 0x80;
    if (curve_id != 1 && curve_id != 2)
        return vm_fail(vm, ZKVM_ERR_SYSCALL, "%s: unsupported curve id %u (1 = secp256k1, 2 = secp256r1)", name, curve_id);
    mpz_t p, n, r, alpha, y, t;
    mpz_inits(p, n, r, alpha, y, t, NULL);
    bn_field_modulus(p, curve_id == 1 ? FP_SECP256K1 : FP_SECP256R1);
    mpz_set_str(n, curve_id == 1 ? SECP256K1_N : SECP256R1_N, 16);
    bn_from_be(r, buf + 1, 32);
    bn_from_be(alpha, buf + 33, 32);
    int rc = 0;
    uint8_t b32[32];
    if (mpz_cmp(r, p) >= 0 || mpz_cmp(alpha, p) >= 0) {
        rc = vm_fail(vm, ZKVM_ERR_SYSCALL, "%s: r or alpha is not a canonical field element", name);
    } else if (curve_id == 1 && mpz_sgn(alpha) == 0) {
        rc = vm_fail(vm, ZKVM_ERR_SYSCALL, "%s: alpha is zero", name);  // k256 path asserts; p256 only debug-asserts
    } else if (bn_sqrt_3mod4(y, alpha, p)) {
        if (mpz_cmp(r, n) >= 0) {
            rc = vm_fail(vm, ZKVM_ERR_SYSCALL, "%s: r is not a canonical scalar (r >= n)", name);
        } else if (!mpz_invert(t, r, n)) {
            rc = vm_fail(vm, ZKVM_ERR_SYSCALL, "%s: r is zero (no inverse)", name);
        } else {
            if (mpz_odd_p(y) != want_odd) {
                mpz_sub(y, p, y);
                mpz_mod(y, y, p);  // -0 = 0
            }
            rc = out_byte(vm, out, 1);
            if (!rc) bn_to_bytes(y, b32, 32, true), rc = out_add(vm, out, b32, 32);
            if (!rc) bn_to_bytes(t, b32, 32, true), rc = out_add(vm, out, b32, 32);
        }
    } else {
        // alpha is not a square: hint sqrt(3 * alpha) (3 is a non-residue of both fields).
        mpz_mul_ui(t, alpha, 3);
        mpz_mod(t, t, p);
        if (!bn_sqrt_3mod4(y, t, p)) {
            rc = vm_fail(vm, ZKVM_ERR_SYSCALL, "%s: 3 * alpha is not a square either", name);
        } else {
            rc = out_byte(vm, out, 0);
            if (!rc) bn_to_bytes(y, b32, 32, true), rc = out_add(vm, out, b32, 32);
        }
    }
    mpz_clears(p, n, r, alpha, y, t, NULL);
    return rc;
}

// MARK: - v4: 16 ed_decompress (decompressibility hint)

static int hook_ed_decompress(vm_t *vm, const char *name, const uint8_t *buf, size_t len, hook_out *out) {
    if (len < 32) return vm_fail(vm, ZKVM_ERR_SYSCALL, "%s: input must be at least 32 bytes, got %zu", name, len);
    const fp_field *f = fp_get(FP_ED25519);
    mp_limb_t y[FP_MAX_LIMBS];
    fp_load(f, y, buf);
    y[3] &= 0x7fffffffffffffffull;  // the sign bit
    if (!fp_is_reduced(f, y)) return out_byte(vm, out, 0);

    // v = d y^2 - 1 as computed by the guest, little-endian over the rest of the buffer.
    mpz_t vz, pz;
    mpz_inits(vz, pz, NULL);
    bn_from_le(vz, buf + 32, len - 32);
    bn_field_modulus(pz, FP_ED25519);
    bool v_ok = mpz_cmp(vz, pz) < 0;
    mp_limb_t v[FP_MAX_LIMBS] = {0};
    if (v_ok) mpz_export(v, NULL, -1, sizeof(mp_limb_t), 0, 0, vz);
    mpz_clears(vz, pz, NULL);
    if (!v_ok) return vm_fail(vm, ZKVM_ERR_SYSCALL, "%s: v is not a canonical field element", name);

    mp_limb_t v_inv[FP_MAX_LIMBS], u[FP_MAX_LIMBS], one[FP_MAX_LIMBS], root[FP_MAX_LIMBS];
    fp_import(f, y, y), fp_import(f, v, v);
    fp_inv(f, v_inv, v);
    fp_set_ui(f, one, 1);
    fp_sqr(f, u, y);
    fp_sub(f, u, u, one);
    fp_mul(f, u, u, v_inv);  // (y^2 - 1) / v
    if (ed25519_sqrt(root, u)) return out_byte(vm, out, 1);
    fp_add(f, u, u, u);  // 2 u: 2 is a non-residue mod 2^255 - 19
    if (!ed25519_sqrt(root, u)) return vm_fail(vm, ZKVM_ERR_SYSCALL, "%s: non-residue hint has no root", name);
    fp_export(f, v_inv, v_inv), fp_export(f, root, root);
    int rc = out_byte(vm, out, 0);
    if (!rc) rc = out_add(vm, out, (const uint8_t *)v_inv, 32);
    if (!rc) rc = out_add(vm, out, (const uint8_t *)root, 32);
    return rc;
}

// MARK: - v4: 17 rsa_mul_mod

/// Input: the product (2 key sizes) and the modulus (1 key size), little-endian; output: the
/// remainder and the quotient truncated to the key size. v4 takes 256-byte keys, v6 also 384 and 512.
static int hook_rsa_mul_mod(vm_t *vm, const char *name, const uint8_t *buf, size_t len, hook_out *out) {
    const bool v6 = vm->abi->sp1.version >= 6;
    if (!(len == 768 || (v6 && (len == 1152 || len == 1536))))
        return vm_fail(vm, ZKVM_ERR_SYSCALL, "%s: input must be %s bytes (3 key sizes), got %zu", name,
                       v6 ? "768, 1152 or 1536" : "768", len);
    const size_t key = len / 3;
    mpz_t prod, m, q, r;
    mpz_inits(prod, m, q, r, NULL);
    bn_from_le(prod, buf, 2 * key);
    bn_from_le(m, buf + 2 * key, key);
    int rc = 0;
    if (mpz_sgn(m) == 0) {
        rc = vm_fail(vm, ZKVM_ERR_SYSCALL, "%s: modulus is zero (division by zero)", name);
    } else {
        mpz_fdiv_qr(q, r, prod, m);
        uint8_t b[512];
        bn_to_bytes(r, b, key, false), rc = out_add(vm, out, b, key);
        if (!rc) bn_to_bytes(q, b, key, false), rc = out_add(vm, out, b, key);  // SP1 truncates q to the key size
    }
    mpz_clears(prod, m, q, r, NULL);
    return rc;
}

// MARK: - v4: 18 / 19 BLS12-381 sqrt / inverse (48-byte big-endian, not required to be reduced)

static int hook_bls_sqrt(vm_t *vm, const char *name, const uint8_t *buf, size_t len, hook_out *out) {
    if (len < 48) return vm_fail(vm, ZKVM_ERR_SYSCALL, "%s: input must be at least 48 bytes, got %zu", name, len);
    uint8_t b48[48];
    mpz_t fe, p, root, qr;
    mpz_inits(fe, p, root, qr, NULL);
    bn_from_be(fe, buf, 48);
    bn_field_modulus(p, FP_BLS12381);
    int rc = 0;
    if (mpz_sgn(fe) == 0) {
        memset(b48, 0, 48);
        rc = out_byte(vm, out, 1);
        if (!rc) rc = out_add(vm, out, b48, 48);
    } else if (bn_sqrt_3mod4(root, fe, p)) {  // compares root^2 with fe itself, as SP1 does
        rc = out_byte(vm, out, 1);
        if (!rc) bn_to_bytes(root, b48, 48, true), rc = out_add(vm, out, b48, 48);
    } else {
        mpz_mul_ui(qr, fe, 2);  // 2 is a non-residue mod p
        mpz_mod(qr, qr, p);
        if (!bn_sqrt_3mod4(root, qr, p)) {
            rc = vm_fail(vm, ZKVM_ERR_SYSCALL, "%s: 2 * fe has no square root (fe >= p that is a residue?)", name);
        } else {
            rc = out_byte(vm, out, 0);
            if (!rc) bn_to_bytes(root, b48, 48, true), rc = out_add(vm, out, b48, 48);
        }
    }
    mpz_clears(fe, p, root, qr, NULL);
    return rc;
}

static int hook_bls_inverse(vm_t *vm, const char *name, const uint8_t *buf, size_t len, hook_out *out) {
    if (len < 48) return vm_fail(vm, ZKVM_ERR_SYSCALL, "%s: input must be at least 48 bytes, got %zu", name, len);
    mpz_t fe, p, e;
    mpz_inits(fe, p, e, NULL);
    bn_from_be(fe, buf, 48);
    bn_field_modulus(p, FP_BLS12381);
    int rc = 0;
    if (mpz_sgn(fe) == 0) {
        rc = vm_fail(vm, ZKVM_ERR_SYSCALL, "%s: the field element is zero", name);
    } else {
        mpz_sub_ui(e, p, 2);
        mpz_powm(fe, fe, e, p);
        uint8_t b48[48];
        bn_to_bytes(fe, b48, 48, true);
        rc = out_add(vm, out, b48, 48);
    }
    mpz_clears(fe, p, e, NULL);
    return rc;
}

// MARK: - v4: 20 / 21 generic fp sqrt / inverse: [len u32 BE | elem | modulus (| nqr)], len-byte BE

/// Element sizes above this are refused: SP1 has no limit, but a guest could make the host spend
/// unbounded time in one modular exponentiation. Real guests use 32 or 48.
#define FP_HOOK_MAX_LEN 1024u

static int fp_hook_header(vm_t *vm, const char *name, const uint8_t *buf, size_t len, unsigned parts, size_t *elem) {
    if (len < 4) return vm_fail(vm, ZKVM_ERR_SYSCALL, "%s: input shorter than its 4-byte length prefix", name);
    size_t n = (size_t)buf[0] << 24 | (size_t)buf[1] << 16 | (size_t)buf[2] << 8 | buf[3];
    if (len != 4 + parts * n)
        return vm_fail(vm, ZKVM_ERR_SYSCALL, "%s: input is %zu bytes, expected 4 + %u * %zu", name, len, parts, n);
    if (n > FP_HOOK_MAX_LEN)
        return vm_fail(vm, ZKVM_ERR_SYSCALL, "%s: element length %zu exceeds the engine's limit of %u bytes", name, n,
                       FP_HOOK_MAX_LEN);
    *elem = n;
    return 0;
}

// Work of GMP's arithmetic on n-byte operands (L limbs), upper bounds of what
// scripts/work-weights.sh measured (its "GMP" lines): a modular multiplication (mpz_mul + mpz_mod)
// 73-98 units at 32 bytes .. 13,730-14,214 at 1024, bounded by 100 + 1.6 L^2; an exponentiation
// (mpz_powm) with an n-byte exponent 8,387-10,802 units at 32 bytes, 2.7-3.3 million at 256,
// 102-106 million at 1024 (0.4-1.1 multiplications per exponent bit), bounded by 8n (30 + 1.6 L^2)
// (14,080 at 32 bytes, 215 million at 1024). The generic fp hooks charge by them, so a 1024-byte
// inverse costs its ~10^8 units before it runs.
static uint64_t mulmod_work(size_t n) {
    const uint64_t limbs = (n + 7) / 8;
    return 100 + limbs * limbs * 8 / 5;
}
static uint64_t powm_work(size_t n) {
    const uint64_t limbs = (n + 7) / 8;
    return 8 * (uint64_t)n * (30 + limbs * limbs * 8 / 5);
}

/// A square root by bn_sqrt_mod with its work charged: one exponentiation and a multiplication
/// for p = 3 mod 4; else four exponentiations up front and Tonelli-Shanks' loop multiplications
/// as counted, the loop stopped where they pass the budget. 1 / 0 as bn_sqrt_mod, -1 (an error
/// recorded: the work limit) or -2 (Tonelli-Shanks cannot run).
static int charged_sqrt(vm_t *vm, const char *name, mpz_t root, const mpz_t a, const mpz_t m, const mpz_t nqr, size_t n) {
    const bool fast = mpz_fdiv_ui(m, 4) == 3;
    if (vm_charge_work(vm, (fast ? 1 : 4) * powm_work(n) + mulmod_work(n), name)) return -1;
    const uint64_t each = mulmod_work(n), left = vm->work_limit - vm->work;
    uint64_t used = 0;
    int found = bn_sqrt_mod(root, a, m, nqr, &used, left / each + 1);
    if (vm_charge_work(vm, used * each, name)) return -1;  // used <= left / each + 1: no overflow
    return found == -1 ? -2 : found;
}

static int hook_fp_sqrt(vm_t *vm, const char *name, const uint8_t *buf, size_t len, hook_out *out) {
    size_t n;
    if (fp_hook_header(vm, name, buf, len, 3, &n)) return -1;
    mpz_t a, m, nqr, root, qr;
    mpz_inits(a, m, nqr, root, qr, NULL);
    bn_from_be(a, buf + 4, n);
    bn_from_be(m, buf + 4 + n, n);
    bn_from_be(nqr, buf + 4 + 2 * n, n);
    uint8_t *b = malloc(n ? n : 1);
    int rc = 0;
    if (!b) {
        rc = vm_fail(vm, ZKVM_ERR_HOST, "out of memory for a hook result");
    } else if (mpz_cmp(a, m) >= 0 || mpz_cmp(nqr, m) >= 0) {
        rc = vm_fail(vm, ZKVM_ERR_SYSCALL, "%s: element or non-residue is not less than the modulus", name);
    } else if (mpz_sgn(a) == 0) {
        memset(b, 0, n);
        rc = out_byte(vm, out, 1);
        if (!rc) rc = out_add(vm, out, b, n);
    } else {
        int found = charged_sqrt(vm, name, root, a, m, nqr, n), again = 0;
        if (found == 1) {
            rc = out_byte(vm, out, 1);
            if (!rc) bn_to_bytes(root, b, n, true), rc = out_add(vm, out, b, n);
        } else if (found == -1) {
            rc = -1;
        } else if (found == 0) {
            mpz_mul(qr, nqr, a);
            mpz_mod(qr, qr, m);
            if ((again = charged_sqrt(vm, name, root, qr, m, nqr, n)) == -1) {
                rc = -1;
            } else if (again != 1) {
                rc = vm_fail(vm, ZKVM_ERR_SYSCALL, "%s: neither the element nor nqr * element has a square root", name);
            } else {
                rc = out_byte(vm, out, 0);
                if (!rc) bn_to_bytes(root, b, n, true), rc = out_add(vm, out, b, n);
            }
        } else {
            rc = vm_fail(vm, ZKVM_ERR_SYSCALL, "%s: Tonelli-Shanks cannot run for this modulus (SP1 panics or hangs)", name);
        }
    }
    free(b);
    mpz_clears(a, m, nqr, root, qr, NULL);
    return rc;
}

static int hook_fp_inverse(vm_t *vm, const char *name, const uint8_t *buf, size_t len, hook_out *out) {
    size_t n;
    if (fp_hook_header(vm, name, buf, len, 2, &n)) return -1;
    mpz_t a, m, e;
    mpz_inits(a, m, e, NULL);
    bn_from_be(a, buf + 4, n);
    bn_from_be(m, buf + 4 + n, n);
    uint8_t *b = malloc(n ? n : 1);
    int rc = 0;
    if (!b) {
        rc = vm_fail(vm, ZKVM_ERR_HOST, "out of memory for a hook result");
    } else if (mpz_sgn(a) == 0) {
        rc = vm_fail(vm, ZKVM_ERR_SYSCALL, "%s: inverse of zero", name);
    } else if (mpz_cmp_ui(m, 2) < 0) {
        rc = vm_fail(vm, ZKVM_ERR_SYSCALL, "%s: modulus must be at least 2", name);
    } else if (vm_charge_work(vm, powm_work(n), name)) {
        rc = -1;
    } else {
        mpz_sub_ui(e, m, 2);
        mpz_powm(a, a, e, m);  // Fermat, as SP1 (not a true inverse for composite moduli)
        bn_to_bytes(a, b, n, true);
        rc = out_add(vm, out, b, n);
    }
    free(b);
    mpz_clears(a, m, e, NULL);
    return rc;
}

// MARK: - v3 (and v4 deprecated): 5 / 7 ecrecover, 6 secp256r1 s^-1, 8 ed_decompress

/// Parses r ‖ s (64 bytes, big-endian) as an ECDSA signature: both in [1, n-1], else SP1's
/// `Signature::from_slice(..).unwrap()` panics.
static bool parse_rs(const uint8_t *sig, const char *n_hex, mpz_t r, mpz_t s, mpz_t n) {
    bn_from_be(r, sig, 32);
    bn_from_be(s, sig + 32, 32);
    mpz_set_str(n, n_hex, 16);
    return mpz_sgn(r) > 0 && mpz_cmp(r, n) < 0 && mpz_sgn(s) > 0 && mpz_cmp(s, n) < 0;
}

/// fd 5 (`v2` false: a failed recovery panics) and fd 7 (`v2`: it is reported to the guest).
static int ecrecover_v3(vm_t *vm, const char *name, const uint8_t *buf, size_t len, hook_out *out, bool v2) {
    if (len != 97) return vm_fail(vm, ZKVM_ERR_SYSCALL, "%s: input must be 65 + 32 bytes, got %zu", name, len);
    mpz_t r, s, n, half, s_inv;
    mpz_inits(r, s, n, half, s_inv, NULL);
    int rc = 0;
    unsigned recid = buf[64];
    if (!parse_rs(buf, SECP256K1_N, r, s, n)) {
        rc = vm_fail(vm, ZKVM_ERR_SYSCALL, "%s: r or s is not in [1, n-1]", name);
        goto done;
    }
    // Low-s normalisation flips the recovery id's parity, as k256's normalize_s + recid ^= 1.
    mpz_fdiv_q_2exp(half, n, 1);
    if (mpz_cmp(s, half) > 0) {
        mpz_sub(s, n, s);
        recid ^= 1;
    }
    if (recid > 3) {
        rc = vm_fail(vm, ZKVM_ERR_SYSCALL, "%s: recovery id %u is invalid", name, recid);
        goto done;
    }
    uint8_t sig64[64];
    memcpy(sig64, buf, 32);
    bn_to_bytes(s, sig64 + 32, 32, true);
    uint8_t pk[33], sinv[32];
    if (!ecrecover_secp256k1(sig64, (int)recid, buf + 65, pk)) {
        if (v2)
            rc = out_byte(vm, out, 0);
        else
            rc = vm_fail(vm, ZKVM_ERR_SYSCALL, "%s: public key recovery failed", name);
        goto done;
    }
    mpz_invert(s_inv, s, n);
    bn_to_bytes(s_inv, sinv, 32, true);
    if (v2) rc = out_byte(vm, out, 1);
    if (!rc) rc = out_add(vm, out, pk, sizeof pk);
    if (!rc) rc = out_add(vm, out, sinv, 32);
done:
    mpz_clears(r, s, n, half, s_inv, NULL);
    return rc;
}

static int hook_ecrecover_v1(vm_t *vm, const char *name, const uint8_t *buf, size_t len, hook_out *out) {
    return ecrecover_v3(vm, name, buf, len, out, false);
}

static int hook_ecrecover_v2(vm_t *vm, const char *name, const uint8_t *buf, size_t len, hook_out *out) {
    return ecrecover_v3(vm, name, buf, len, out, true);
}

static int hook_r1_s_inverse(vm_t *vm, const char *name, const uint8_t *buf, size_t len, hook_out *out) {
    if (len != 64) return vm_fail(vm, ZKVM_ERR_SYSCALL, "%s: input must be 64 bytes, got %zu", name, len);
    mpz_t r, s, n;
    mpz_inits(r, s, n, NULL);
    int rc;
    if (!parse_rs(buf, SECP256R1_N, r, s, n)) {
        rc = vm_fail(vm, ZKVM_ERR_SYSCALL, "%s: r or s is not in [1, n-1]", name);
    } else {
        mpz_invert(s, s, n);
        uint8_t b[32];
        bn_to_bytes(s, b, 32, true);
        rc = out_add(vm, out, b, 32);
    }
    mpz_clears(r, s, n, NULL);
    return rc;
}

static int hook_ed_decompress_v3(vm_t *vm, const char *name, const uint8_t *buf, size_t len, hook_out *out) {
    (void)name;  // never fails
    if (len != 32) return out_byte(vm, out, 0);  // not a CompressedEdwardsY
    const fp_field *f = fp_get(FP_ED25519);
    mp_limb_t y[FP_MAX_LIMBS], x[FP_MAX_LIMBS];
    fp_load(f, y, buf);
    y[3] &= 0x7fffffffffffffffull;
    return out_byte(vm, out, ed25519_decompress_x(x, y) ? 1 : 0);
}

// MARK: - The hook table

/// One hook: its fd, the SP1 major versions that serve it (bit v for version v), its name in
/// messages ("<name> hook (fd <fd>)"), its handler and its work (README "Work metering"): units
/// per call and per KiB of input, charged before it runs (the generic fp hooks add their
/// exponentiations by operand size, above).
typedef struct hook {
    uint32_t fd;
    uint32_t versions;
    const char *name;
    int (*fn)(vm_t *vm, const char *name, const uint8_t *buf, size_t len, hook_out *out);
    uint32_t work, work_per_kib;
} hook;

#define V(n) (1u << (n))

/// Work measured with scripts/work-weights.sh (as the rows of sp1_rows.h: units per call, the
/// slower input class, the day's runs; Benchmarks/results/work-weights.txt): ecrecover v3 (fd 5,
/// 7) 43,959-74,519 (libsecp256k1's recovery and two GMP inverses); secp256r1 s^-1 1,274-1,562;
/// ed_decompress v3 6,102-7,610; ecrecover (fd 15: a square and a non-square alpha) 17,232-18,991;
/// ed_decompress 6,535-7,308; rsa_mul_mod 3,443-3,876 / 6,096 / 8,425 for 768 / 1152 / 1536 input
/// bytes (~5.5 units per byte); bls12_381_sqrt 51,414-56,810, bls12_381_inverse 25,985-28,421;
/// fp_inverse at 32 bytes 8,693-11,568 (its exponentiation: the model above charges 14,080),
/// fp_sqrt at 32 bytes, p = 3 mod 4, 17,461-21,851 (two roots tried; charged 28,410).
static const hook hooks[] = {
    {5, V(3) | V(4), "ecrecover", hook_ecrecover_v1, 82000, 0},
    {6, V(4), "secp256r1 ecrecover", hook_r1_s_inverse, 1700, 0},
    {7, V(3) | V(4), "ecrecover_v2", hook_ecrecover_v2, 82000, 0},
    {8, V(3) | V(4), "ed_decompress", hook_ed_decompress_v3, 8400, 0},
    {15, V(4) | V(6), "ecrecover", hook_ecrecover, 21000, 0},
    {16, V(4) | V(6), "ed_decompress", hook_ed_decompress, 8000, 0},
    {17, V(4) | V(6), "rsa_mul_mod", hook_rsa_mul_mod, 200, 6000},
    {18, V(4) | V(6), "bls12_381_sqrt", hook_bls_sqrt, 62000, 0},
    {19, V(4) | V(6), "bls12_381_inverse", hook_bls_inverse, 31000, 0},
    {20, V(4) | V(6), "fp_sqrt", hook_fp_sqrt, 500, 0},
    {21, V(4) | V(6), "fp_inverse", hook_fp_inverse, 500, 0},
};

int vm_hook_write(vm_t *vm, const vm_syscall *sc, uint32_t fd, const uint8_t *buf, size_t len) {
    const hook *h = NULL;
    for (size_t i = 0; i < sizeof hooks / sizeof hooks[0] && !h; i++)
        if (hooks[i].fd == fd && (hooks[i].versions & V(vm->abi->sp1.version))) h = &hooks[i];
    if (!h) return 1;
    char name[64];
    snprintf(name, sizeof name, "%s hook (fd %u)", h->name, fd);
    const uint64_t work = h->work + vm_work_of_bytes(len, h->work_per_kib);
    if (vm_charge_bytes(vm, sc, len) != 0 || vm_charge_work(vm, work, name) != 0) return -1;
    hook_out out = {.count = 0};
    int rc = h->fn(vm, name, buf, len, &out);
    // The first result must be read first: push the items to the front in reverse order.
    for (int i = out.count; rc == 0 && i-- > 0;)
        if (vm_input_push_front(vm, out.items[i], out.lens[i]) != 0) rc = -1;
    out_free(&out);
    return rc == 0 ? 0 : -1;
}
