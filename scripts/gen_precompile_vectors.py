#!/usr/bin/env python3
"""Independent expected values for Tests/ZKVMTests/PrecompileTests.swift.

    python3 scripts/gen_precompile_vectors.py            # writes Tests/ZKVMTests/PrecompileVectors.swift
    python3 scripts/gen_precompile_vectors.py --text F --random N
                                                          # also N random cases per operation, one per
                                                          # line, for a differential run of the C core

Plain Python integers only (no third-party code, nothing from this project's C core). Sources:
  * Curve parameters and generators: SEC 2 (secp256k1), FIPS 186-4 D.1.2.3 (P-256), EIP-196
    (alt_bn128), the ZCash BLS12-381 spec, RFC 8032 (Ed25519). Each generator is checked to lie on
    its curve below.
  * Precompile semantics: ../shared/sp1/SP1_ABI.md §4.2-§4.3 and §5.5 (and the SP1 v4.1.2 sources it
    cites): affine formulas with "inverse of 0 is 0", SP1's bigint-rug replay for coordinates >= p
    (truncating remainders, magnitudes stored), decompression sign rules, hook outputs.
  * ECDSA recovery vectors: signatures made here with textbook ECDSA from a known private key, so the
    expected recovered key is d*G, computed independently of any recovery code.

A case writes guest memory, sets a0..a3, runs one syscall through SyscallMachine and then expects
either memory contents (and, for hooks, the input stream, front first) or an error whose message
contains a given text.
"""
import argparse
import os
import random
import sys

# ----------------------------------------------------------------------------- parameters
SECP_P = 2**256 - 2**32 - 977
SECP_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141
SECP_G = (0x79BE667EF9DCBBAC55A06295CE870B07029BFCDB2DCE28D959F2815B16F81798,
          0x483ADA7726A3C4655DA4FBFC0E1108A8FD17B448A68554199C47D08FFB10D4B8)
R1_P = 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffff
R1_N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551
R1_A = R1_P - 3
R1_B = 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b
R1_G = (0x6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296,
        0x4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5)
BN_P = 21888242871839275222246405745257275088696311157297823662689037894645226208583
BN_G = (1, 2)
BLS_P = 0x1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaab
BLS_G = (0x17f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb,
         0x08b3f481e3aaa0f1a09e30ed741d8ae4fcf5e095d5d00af600db18cb2c04b3edd03cc744a2888ae40caa232946c5e7e1)
ED_P = 2**255 - 19
ED_D = (-121665 * pow(121666, -1, ED_P)) % ED_P
ED_B = (15112221349535400772501151409588531511454012693041857206046113283949847762202,
        46316835694926478169428394003475163141307993866256225615783033603165251855960)

# name -> (p, a, b, G, coordinate bytes)
CURVES = {
    "SECP256K1": (SECP_P, 0, 7, SECP_G, 32),
    "SECP256R1": (R1_P, R1_A, R1_B, R1_G, 32),
    "BN254": (BN_P, 0, 3, BN_G, 32),
    "BLS12381": (BLS_P, 0, 4, BLS_G, 48),
}
for _name, (_p, _a, _b, (_x, _y), _) in CURVES.items():
    assert (_y * _y - (_x ** 3 + _a * _x + _b)) % _p == 0, _name
assert (-ED_B[0] ** 2 + ED_B[1] ** 2 - 1 - ED_D * ED_B[0] ** 2 * ED_B[1] ** 2) % ED_P == 0  # -x^2 + y^2 = 1 + d x^2 y^2

CODES = {
    "WRITE": 0x02,
    "ED_ADD": 0x00010107, "ED_DECOMPRESS": 0x00000108,
    "SECP256K1_ADD": 0x0001010A, "SECP256K1_DOUBLE": 0x0000010B, "SECP256K1_DECOMPRESS": 0x0000010C,
    "BN254_ADD": 0x0001010E, "BN254_DOUBLE": 0x0000010F,
    "BLS12381_DECOMPRESS": 0x0000011C, "UINT256_MUL": 0x0001011D, "U256XU2048_MUL": 0x0001012F,
    "BLS12381_ADD": 0x0001011E, "BLS12381_DOUBLE": 0x0000011F,
    "BLS12381_FP_ADD": 0x00010120, "BLS12381_FP_SUB": 0x00010121, "BLS12381_FP_MUL": 0x00010122,
    "BLS12381_FP2_ADD": 0x00010123, "BLS12381_FP2_SUB": 0x00010124, "BLS12381_FP2_MUL": 0x00010125,
    "BN254_FP_ADD": 0x00010126, "BN254_FP_SUB": 0x00010127, "BN254_FP_MUL": 0x00010128,
    "BN254_FP2_ADD": 0x00010129, "BN254_FP2_SUB": 0x0001012A, "BN254_FP2_MUL": 0x0001012B,
    "SECP256R1_ADD": 0x0001012C, "SECP256R1_DOUBLE": 0x0000012D, "SECP256R1_DECOMPRESS": 0x0000012E,
}

# Guest addresses used by the cases.
A, B, C, D, BUF = 0x1000, 0x2000, 0x3000, 0x4000, 0x5000


def le(v, n):
    return v.to_bytes(n, "little")


def be(v, n):
    return v.to_bytes(n, "big")


# ----------------------------------------------------------------------------- curve arithmetic
def ec_add(curve, P, Q):
    """Group law with None = infinity (for building test points)."""
    p, a = CURVES[curve][0], CURVES[curve][1]
    if P is None:
        return Q
    if Q is None:
        return P
    if P[0] == Q[0] and (P[1] + Q[1]) % p == 0:
        return None
    if P == Q:
        s = (3 * P[0] * P[0] + a) * pow(2 * P[1], -1, p) % p
    else:
        s = (Q[1] - P[1]) * pow(Q[0] - P[0], -1, p) % p
    x = (s * s - P[0] - Q[0]) % p
    return x, (s * (P[0] - x) - P[1]) % p


def ec_mul(curve, k, P):
    R = None
    while k:
        if k & 1:
            R = ec_add(curve, R, P)
        P = ec_add(curve, P, P)
        k >>= 1
    return R


def inv0(v, p):
    """SP1 inverts with v^(p-2): 0 maps to 0."""
    return pow(v % p, p - 2, p)


def tmod(v, p):
    """rug's truncating remainder (sign of the dividend)."""
    r = abs(v) % p
    return r if v >= 0 else -r


def sp1_sw_add(curve, P, Q):
    """SP1 (bigint-rug) ADD on raw coordinates; returns magnitudes."""
    p = CURVES[curve][0]
    (px, py), (qx, qy) = P, Q
    num = tmod(p + qy - py, p)
    den = tmod(p + qx - px, p)
    s = tmod(num * inv0(den, p), p)
    x3 = tmod(s * s + p + p - px - qx, p)
    y3 = tmod(s * (p + px - x3) + p - py, p)
    return abs(x3), abs(y3)


def sp1_sw_double(curve, P):
    p, a = CURVES[curve][0], CURVES[curve][1]
    x, y = P
    num = tmod(a + x * x * 3, p)
    den = tmod(y * 2, p)
    s = tmod(num * inv0(den, p), p)
    x3 = tmod(s * s + p + ((p - x) - x), p)
    y3 = tmod(s * (p + x - x3) + p - y, p)
    return abs(x3), abs(y3)


def sqrt_3mod4(v, p):
    r = pow(v, (p + 1) // 4, p)
    return r if r * r % p == v % p else None


def ed_add(P, Q):
    p = ED_P
    (x1, y1), (x2, y2) = P, Q
    dxy = ED_D * x1 * x2 * y1 * y2 % p
    return ((x1 * y2 + y1 * x2) * inv0(1 + dxy, p) % p, (y1 * y2 + x1 * x2) * inv0(1 - dxy, p) % p)


def ed_mul(k, P):
    R = (0, 1)
    while k:
        if k & 1:
            R = ed_add(R, P)
        P = ed_add(P, P)
        k >>= 1
    return R


ED_SQRT_M1 = pow(2, (ED_P - 1) // 4, ED_P)
assert ED_SQRT_M1 * ED_SQRT_M1 % ED_P == ED_P - 1


def ed_sqrt(a):
    """Even square root (SP1's ed25519_sqrt), or None."""
    p = ED_P
    b = pow(a, (p + 3) // 8, p)
    if b * b % p == (p - a) % p and a % p:
        b = b * ED_SQRT_M1 % p
    if b * b % p != a % p:
        return None
    return (p - b) % p if b & 1 else b


def ed_x_from_y(y):
    p = ED_P
    yy = y * y % p
    return ed_sqrt((yy - 1) * inv0(yy * ED_D + 1, p) % p)


# ----------------------------------------------------------------------------- cases
class Case:
    def __init__(self, name, code, a0=0, a1=0, a2=0, a3=0, writes=(), expect=(), items=None, error=None,
                 inputs=()):
        self.name, self.code = name, code
        self.regs = (a0, a1, a2, a3)
        self.writes = list(writes)      # [(addr, bytes)]
        self.expect = list(expect)      # [(addr, bytes)] after the call
        self.items = items              # expected input stream after the call, front first
        self.error = error              # substring of the error message
        self.inputs = list(inputs)      # items pushed before the call


def sw_point_bytes(curve, P):
    n = CURVES[curve][4]
    return le(P[0], n) + le(P[1], n)


def weierstrass_cases(rng, count, curated):
    out = []
    for curve, (p, a, b, G, n) in CURVES.items():
        add, dbl = CODES[curve + "_ADD"], CODES[curve + "_DOUBLE"]
        pts = [ec_mul(curve, rng.randrange(1, 2**64), G) for _ in range(2 * count + 2)]
        for i in range(count):
            P, Q = pts[2 * i], pts[2 * i + 1]
            R = ec_add(curve, P, Q)
            assert R == sp1_sw_add(curve, P, Q)
            out.append(Case(f"{curve}_ADD random #{i}", add, A, B,
                            writes=[(A, sw_point_bytes(curve, P)), (B, sw_point_bytes(curve, Q))],
                            expect=[(A, sw_point_bytes(curve, R)), (B, sw_point_bytes(curve, Q))]))
            D2 = ec_add(curve, P, P)
            assert D2 == sp1_sw_double(curve, P)
            out.append(Case(f"{curve}_DOUBLE random #{i}", dbl, A, 0, writes=[(A, sw_point_bytes(curve, P))],
                            expect=[(A, sw_point_bytes(curve, D2))]))
        if not curated:
            continue
        P, Q = pts[-2], pts[-1]
        out.append(Case(f"{curve}_ADD G + 2G = 3G", add, A, B,
                        writes=[(A, sw_point_bytes(curve, G)), (B, sw_point_bytes(curve, ec_mul(curve, 2, G)))],
                        expect=[(A, sw_point_bytes(curve, ec_mul(curve, 3, G)))]))
        out.append(Case(f"{curve}_ADD p == q is rejected", add, A, B,
                        writes=[(A, sw_point_bytes(curve, P)), (B, sw_point_bytes(curve, P))],
                        expect=[(A, sw_point_bytes(curve, P))], error=f"{curve}_ADD: p and q are the same point"))
        out.append(Case(f"{curve}_ADD p and q at the same address is rejected", add, A, A,
                        writes=[(A, sw_point_bytes(curve, P))], error=f"{curve}_ADD: p and q are the same point"))
        negP = (P[0], p - P[1])
        out.append(Case(f"{curve}_ADD p + (-p): inverse of 0 is 0 (no infinity)", add, A, B,
                        writes=[(A, sw_point_bytes(curve, P)), (B, sw_point_bytes(curve, negP))],
                        expect=[(A, sw_point_bytes(curve, sp1_sw_add(curve, P, negP)))]))
        # Coordinates >= p: SP1's signed replay (pick values that make intermediates negative).
        hi = 2 ** (8 * n) - 1 - rng.randrange(2**32)
        Pu, Qu = (P[0], hi), (hi, Q[1])
        out.append(Case(f"{curve}_ADD with unreduced coordinates", add, A, B,
                        writes=[(A, sw_point_bytes(curve, Pu)), (B, sw_point_bytes(curve, Qu))],
                        expect=[(A, sw_point_bytes(curve, sp1_sw_add(curve, Pu, Qu)))]))
        Pn = (hi, P[1])  # p.x >= p: for BN254/BLS12-381 the slope denominator goes negative
        out.append(Case(f"{curve}_ADD with unreduced p.x", add, A, B,
                        writes=[(A, sw_point_bytes(curve, Pn)), (B, sw_point_bytes(curve, Q))],
                        expect=[(A, sw_point_bytes(curve, sp1_sw_add(curve, Pn, Q)))]))
        out.append(Case(f"{curve}_DOUBLE with unreduced coordinates", dbl, A, 0,
                        writes=[(A, sw_point_bytes(curve, (hi, hi - 5)))],
                        expect=[(A, sw_point_bytes(curve, sp1_sw_double(curve, (hi, hi - 5))))]))
        out.append(Case(f"{curve}_DOUBLE y = 0: inverse of 0 is 0", dbl, A, 0,
                        writes=[(A, sw_point_bytes(curve, (P[0], 0)))],
                        expect=[(A, sw_point_bytes(curve, sp1_sw_double(curve, (P[0], 0))))]))
        out.append(Case(f"{curve}_ADD misaligned p", add, A + 2, B, error=f"{curve}_ADD: p pointer 0x{A + 2:08x} is not 4-byte aligned"))
        out.append(Case(f"{curve}_ADD misaligned q", add, A, B + 1, error=f"{curve}_ADD: q pointer 0x{B + 1:08x} is not 4-byte aligned"))
        out.append(Case(f"{curve}_ADD q below the window", add, A, 0x10, error=f"{curve}_ADD: q [0x00000010"))
        top = 0x78000000 - 2 * n + 8  # the point's last word would lie past 0x78000000
        out.append(Case(f"{curve}_DOUBLE p past the window", dbl, top, 0, error=f"{curve}_DOUBLE: p [0x{top:08x}"))
    return out


def decompress_cases(rng, count, curated):
    out = []
    for curve in ("SECP256K1", "SECP256R1", "BLS12381"):
        p, a, b, G, n = CURVES[curve]
        code = CODES[curve + "_DECOMPRESS"]
        for i in range(count):
            P = ec_mul(curve, rng.randrange(1, 2**64), G)
            for sign in (0, 1):
                if curve == "BLS12381":
                    y = P[1] if (P[1] > p - P[1]) == bool(sign) else p - P[1]
                else:
                    y = P[1] if P[1] & 1 == sign else p - P[1]
                out.append(Case(f"{curve}_DECOMPRESS random #{i} sign {sign}", code, A, sign,
                                writes=[(A, bytes(n)), (A + n, le(P[0], n))],
                                expect=[(A, le(y, n) + le(P[0], n))]))
        if not curated:
            continue
        x = 0
        while sqrt_3mod4((x ** 3 + a * x + b) % p, p) is not None:
            x += 1
        out.append(Case(f"{curve}_DECOMPRESS x with no curve point is rejected", code, A, 0,
                        writes=[(A + n, le(x, n))], error=f"{curve}_DECOMPRESS: x is not the x-coordinate"))
        out.append(Case(f"{curve}_DECOMPRESS sign 2 is rejected", code, A, 2,
                        writes=[(A + n, le(G[0], n))], error=f"{curve}_DECOMPRESS: sign/is_odd argument must be 0 or 1"))
        out.append(Case(f"{curve}_DECOMPRESS misaligned", code, A + 1, 0,
                        error=f"{curve}_DECOMPRESS: pointer 0x{A + 1:08x} is not 4-byte aligned"))
        if curve != "BLS12381":
            out.append(Case(f"{curve}_DECOMPRESS x = p + x(G) is not canonical", code, A, 0,
                            writes=[(A + n, le(G[0] + p, n))] if G[0] + p < 2 ** (8 * n) else [(A + n, le(p, n))],
                            error=f"{curve}_DECOMPRESS: x is not less than the field modulus"))
    # BLS12-381: ZCash flags live in the top three bits of the big-endian x.
    p, n, G = BLS_P, 48, BLS_G
    code = CODES["BLS12381_DECOMPRESS"]
    if curated:
        larger = G[1] if G[1] > p - G[1] else p - G[1]
        smaller = p - larger
        out.append(Case("BLS12381_DECOMPRESS sort flag 0x20 in x acts as sign 1", code, A, 0,
                        writes=[(A + n, le(G[0] | (0x20 << 376), n))], expect=[(A, le(larger, n))]))
        out.append(Case("BLS12381_DECOMPRESS generator, sign 0 -> smaller y", code, A, 0,
                        writes=[(A + n, le(G[0], n))], expect=[(A, le(smaller, n))]))
        out.append(Case("BLS12381_DECOMPRESS infinity encoding (x = 2^382, sign 0) -> y = 1", code, A, 0,
                        writes=[(A, b"\xee" * n), (A + n, le(1 << 382, n))], expect=[(A, le(1, n))]))
        out.append(Case("BLS12381_DECOMPRESS infinity flag with sign 1 is rejected", code, A, 1,
                        writes=[(A + n, le(1 << 382, n))], error="BLS12381_DECOMPRESS: invalid x (infinity flag"))
        out.append(Case("BLS12381_DECOMPRESS x >= p (after masking flags) is rejected", code, A, 0,
                        writes=[(A + n, le(p, n))], error="BLS12381_DECOMPRESS: x is not less than the field modulus"))
    return out


def ed_cases(rng, count, curated):
    out = []
    pt = lambda P: le(P[0], 32) + le(P[1], 32)
    for i in range(count):
        P, Q = ed_mul(rng.randrange(1, 2**64), ED_B), ed_mul(rng.randrange(1, 2**64), ED_B)
        out.append(Case(f"ED_ADD random #{i}", CODES["ED_ADD"], A, B, writes=[(A, pt(P)), (B, pt(Q))],
                        expect=[(A, pt(ed_add(P, Q)))]))
        for sign in (0, 1):
            x = ed_x_from_y(P[1])
            assert x is not None and x in (P[0], ED_P - P[0])
            xs = (ED_P - x) % ED_P if sign else x
            out.append(Case(f"ED_DECOMPRESS random #{i} sign {sign}", CODES["ED_DECOMPRESS"], A, sign,
                            writes=[(A, bytes(32)), (A + 32, le(P[1], 32))], expect=[(A, le(xs, 32) + le(P[1], 32))]))
    if curated:
        P = ed_mul(12345, ED_B)
        out.append(Case("ED_ADD p == q doubles (allowed, unlike Weierstrass)", CODES["ED_ADD"], A, A,
                        writes=[(A, pt(P))], expect=[(A, pt(ed_mul(24690, ED_B)))]))
        out.append(Case("ED_ADD identity (0, 1) + B = B", CODES["ED_ADD"], A, B,
                        writes=[(A, pt((0, 1))), (B, pt(ED_B))], expect=[(A, pt(ED_B))]))
        out.append(Case("ED_ADD unreduced coordinates act as residues", CODES["ED_ADD"], A, B,
                        writes=[(A, pt((P[0] + ED_P, P[1]))), (B, pt((ED_B[0], ED_B[1] + ED_P)))],
                        expect=[(A, pt(ed_add(P, ED_B)))]))
        out.append(Case("ED_ADD misaligned q", CODES["ED_ADD"], A, B + 2,
                        error=f"ED_ADD: q pointer 0x{B + 2:08x} is not 4-byte aligned"))
        out.append(Case("ED_DECOMPRESS base point (y = 4/5)", CODES["ED_DECOMPRESS"], A, 0,
                        writes=[(A + 32, le(ED_B[1], 32))], expect=[(A, le(ED_B[0], 32))]))
        out.append(Case("ED_DECOMPRESS y = 1 gives x = 0 for either sign", CODES["ED_DECOMPRESS"], A, 1,
                        writes=[(A, b"\x11" * 32), (A + 32, le(1, 32))], expect=[(A, bytes(32))]))
        out.append(Case("ED_DECOMPRESS ignores bit 255 of y (the guest moves it to a1)", CODES["ED_DECOMPRESS"], A, 0,
                        writes=[(A + 32, le(ED_B[1] | 1 << 255, 32))], expect=[(A, le(ED_B[0], 32))]))
        y = 2
        while ed_x_from_y(y) is not None:
            y += 1
        out.append(Case("ED_DECOMPRESS y not on the curve is rejected", CODES["ED_DECOMPRESS"], A, 0,
                        writes=[(A + 32, le(y, 32))], error="ED_DECOMPRESS: y is not the y-coordinate"))
        out.append(Case("ED_DECOMPRESS sign 2 is rejected", CODES["ED_DECOMPRESS"], A, 2,
                        writes=[(A + 32, le(ED_B[1], 32))], error="ED_DECOMPRESS: sign must be 0 or 1"))
        out.append(Case("ED_DECOMPRESS misaligned", CODES["ED_DECOMPRESS"], A + 2, 0,
                        error=f"ED_DECOMPRESS: pointer 0x{A + 2:08x} is not 4-byte aligned"))
    return out


def fp_cases(rng, count, curated):
    out = []
    for field, p, n in (("BN254", BN_P, 32), ("BLS12381", BLS_P, 48)):
        top = 2 ** (8 * n)
        for op in ("ADD", "SUB", "MUL"):
            code = CODES[f"{field}_FP_{op}"]
            vals = [(rng.randrange(p), rng.randrange(p)) for _ in range(count)]
            if curated:
                vals += [(top - 1, top - 2), (p, p - 1), (0, p - 1)]  # unreduced inputs are reduced first
            for i, (x, y) in enumerate(vals):
                xr, yr = x % p, y % p
                r = {"ADD": (xr + yr) % p, "SUB": (xr + p - yr) % p, "MUL": xr * yr % p}[op]
                out.append(Case(f"{field}_FP_{op} #{i}", code, A, B, writes=[(A, le(x, n)), (B, le(y, n))],
                                expect=[(A, le(r, n)), (B, le(y, n))]))
            code2 = CODES[f"{field}_FP2_{op}"]
            vals2 = [tuple(rng.randrange(p) for _ in range(4)) for _ in range(count)]
            if curated and op != "SUB":
                vals2 += [(top - 1, top - 3, top - 7, p + 5)]
            if curated and op == "SUB":
                vals2 += [(0, 0, p, p)]  # b == a + p exactly: allowed, gives 0
            for i, (a0, a1, b0, b1) in enumerate(vals2):
                if op == "ADD":
                    c0, c1 = (a0 + b0) % p, (a1 + b1) % p
                elif op == "SUB":
                    c0, c1 = (a0 + p - b0) % p, (a1 + p - b1) % p
                else:
                    c0, c1 = (a0 * b0 - a1 * b1) % p, (a0 * b1 + a1 * b0) % p
                out.append(Case(f"{field}_FP2_{op} #{i}", code2, A, B,
                                writes=[(A, le(a0, n) + le(a1, n)), (B, le(b0, n) + le(b1, n))],
                                expect=[(A, le(c0, n) + le(c1, n))]))
        if curated:
            out.append(Case(f"{field}_FP2_SUB b > a + p is rejected (SP1's unsigned subtraction)", CODES[f"{field}_FP2_SUB"],
                            A, B, writes=[(A, le(1, n) + le(0, n)), (B, le(p + 2, n) + le(0, n))],
                            error=f"{field}_FP2_SUB: a component of y exceeds x + p"))
            out.append(Case(f"{field}_FP_MUL misaligned y", CODES[f"{field}_FP_MUL"], A, B + 3,
                            error=f"{field}_FP_MUL: y pointer 0x{B + 3:08x} is not 4-byte aligned"))
            out.append(Case(f"{field}_FP2_MUL x outside the window", CODES[f"{field}_FP2_MUL"], 0x7ffffff0, B,
                            error=f"{field}_FP2_MUL: x [0x7ffffff0"))
    return out


def uint256_cases(rng, count, curated):
    out = []
    M = 2**256
    vals = [(rng.randrange(M), rng.randrange(M), rng.randrange(M)) for _ in range(count)]
    vals += [(rng.randrange(M), rng.randrange(M), 0) for _ in range(max(1, count // 2))]
    vals += [(rng.randrange(M), rng.randrange(M), rng.randrange(1, 2**64)) for _ in range(max(1, count // 2))]
    if curated:
        vals += [(M - 1, M - 1, 0), (M - 1, M - 1, 1), (M - 1, 2, M - 1), (5, 7, 2**255), (3, 4, 2**192 + 1)]
    for i, (x, y, m) in enumerate(vals):
        r = x * y % (m if m else M)
        out.append(Case(f"UINT256_MUL #{i} (modulus {'0 = 2^256' if m == 0 else hex(m)[:18]})", CODES["UINT256_MUL"], A, B,
                        writes=[(A, le(x, 32)), (B, le(y, 32) + le(m, 32))], expect=[(A, le(r, 32))]))
    if curated:
        x = rng.randrange(M)
        out.append(Case("UINT256_MUL x and y at the same address (squaring)", CODES["UINT256_MUL"], A, A,
                        writes=[(A, le(x, 32) + le(SECP_P, 32))], expect=[(A, le(x * x % SECP_P, 32))]))
        out.append(Case("UINT256_MUL misaligned x", CODES["UINT256_MUL"], A + 2, B,
                        error=f"UINT256_MUL: x pointer 0x{A + 2:08x} is not 4-byte aligned"))
        out.append(Case("UINT256_MUL modulus runs past the window", CODES["UINT256_MUL"], A, 0x77ffffe0,
                        error="UINT256_MUL: y and modulus [0x77ffffe0"))
    for i in range(count):
        a, b = rng.randrange(M), rng.randrange(2**2048)
        prod = a * b
        out.append(Case(f"U256XU2048_MUL #{i}", CODES["U256XU2048_MUL"], A, B, C, D,
                        writes=[(A, le(a, 32)), (B, le(b, 256))],
                        expect=[(C, le(prod % 2**2048, 256)), (D, le(prod >> 2048, 32))]))
    if curated:
        a, b = M - 1, 2**2048 - 1
        prod = a * b
        out.append(Case("U256XU2048_MUL all ones", CODES["U256XU2048_MUL"], A, B, C, D,
                        writes=[(A, le(a, 32)), (B, le(b, 256))],
                        expect=[(C, le(prod % 2**2048, 256)), (D, le(prod >> 2048, 32))]))
        out.append(Case("U256XU2048_MUL misaligned hi (a3)", CODES["U256XU2048_MUL"], A, B, C, D + 2,
                        error=f"U256XU2048_MUL: hi pointer 0x{D + 2:08x} is not 4-byte aligned"))
    return out


# ----------------------------------------------------------------------------- hooks
def ecdsa_sign(d, z, k, n=SECP_N, curve="SECP256K1"):
    R = ec_mul(curve, k, CURVES[curve][3])
    r = R[0] % n
    s = pow(k, -1, n) * (z + r * d) % n
    recid = (R[1] & 1) | (2 if R[0] >= n else 0)
    return r, s, recid


def compressed(P):
    return bytes([2 + (P[1] & 1)]) + be(P[0], 32)


def hook(name, fd, payload, items=None, error=None, inputs=()):
    return Case(name, CODES["WRITE"], fd, BUF, len(payload), writes=[(BUF, payload)] if payload else [],
                items=items, error=error, inputs=inputs)


def tonelli_shanks(a, m, z):
    """Standard Tonelli-Shanks (the algorithm SP1's fp_sqrt hook runs), or None."""
    if pow(a, (m - 1) // 2, m) != 1:
        return None
    q, s = m - 1, 0
    while q % 2 == 0:
        q //= 2
        s += 1
    c, r, t, mm = pow(z, q, m), pow(a, (q + 1) // 2, m), pow(a, q, m), s
    while t != 1:
        i, tt = 0, t
        while tt != 1:
            tt = tt * tt % m
            i += 1
            if i == mm:
                return None
        b = pow(c, 2 ** (mm - i - 1), m)
        r, c = r * b % m, b * b % m
        t, mm = t * c % m, i
    return r


def fp_sqrt_hook(a, m, nqr):
    if m % 4 == 3:
        r = pow(a, (m + 1) // 4, m)
        return r if r * r % m == a else None
    return tonelli_shanks(a, m, nqr)


def hook_cases(rng, count, curated):
    out = []
    pending = [b"next"]  # an item already in the stream: hook results must come before it
    # fd 15 (v4 ecrecover hint)
    for curve_id, (curve, n) in ((1, ("SECP256K1", SECP_N)), (2, ("SECP256R1", R1_N))):
        p, a, b = CURVES[curve][:3]
        for i in range(count):
            P = ec_mul(curve, rng.randrange(1, 2**64), CURVES[curve][3])
            r, alpha = P[0], (P[0] ** 3 + a * P[0] + b) % p
            for odd in (0, 1):
                y = P[1] if P[1] & 1 == odd else p - P[1]
                out.append(hook(f"hook 15 ecrecover curve {curve_id} square alpha, odd={odd} #{i}", 15,
                                bytes([curve_id | odd << 7]) + be(r, 32) + be(alpha, 32),
                                items=[b"\x01", be(y, 32), be(pow(r, -1, n), 32)] + pending, inputs=pending))
        x = 1
        while sqrt_3mod4((x ** 3 + a * x + b) % p, p) is not None:
            x += 1
        alpha = (x ** 3 + a * x + b) % p
        root = pow(3 * alpha % p, (p + 1) // 4, p)
        assert root * root % p == 3 * alpha % p
        out.append(hook(f"hook 15 ecrecover curve {curve_id} non-square alpha -> sqrt(3 alpha)", 15,
                        bytes([curve_id]) + be(x, 32) + be(alpha, 32), items=[b"\x00", be(root, 32)] + pending,
                        inputs=pending))
    if curated:
        out.append(hook("hook 15 alpha >= p is rejected", 15, b"\x01" + be(5, 32) + be(SECP_P, 32),
                        error="ecrecover hook (fd 15): r or alpha is not a canonical field element"))
        out.append(hook("hook 15 unknown curve id", 15, b"\x03" + bytes(64), error="unsupported curve id 3"))
        out.append(hook("hook 15 wrong length", 15, bytes(64), error="ecrecover hook (fd 15): input must be 65 bytes"))
    # fd 16 (v4 ed_decompress hint)
    for i in range(count):
        P = ed_mul(rng.randrange(1, 2**64), ED_B)
        v = (ED_D * P[1] * P[1] + 1) % ED_P
        out.append(hook(f"hook 16 ed_decompress decompressible #{i}", 16, le(P[1] | 1 << 255, 32) + le(v, 32),
                        items=[b"\x01"]))
    y = 2
    while ed_x_from_y(y) is not None:
        y += 1
    v = (ED_D * y * y + 1) % ED_P
    u_div_v = (y * y - 1) * pow(v, -1, ED_P) % ED_P
    out.append(hook("hook 16 ed_decompress not decompressible -> [0, v^-1, sqrt(2 u/v)]", 16, le(y, 32) + le(v, 32),
                    items=[b"\x00", le(pow(v, -1, ED_P), 32), le(ed_sqrt(2 * u_div_v % ED_P), 32)]))
    if curated:
        out.append(hook("hook 16 y >= p -> [0]", 16, le(ED_P + 1, 32) + le(1, 32), items=[b"\x00"]))
        out.append(hook("hook 16 v >= p is rejected", 16, le(1, 32) + le(ED_P, 32),
                        error="ed_decompress hook (fd 16): v is not a canonical field element"))
    # fd 17 rsa_mul_mod
    for i in range(count):
        m = rng.randrange(2**2047, 2**2048)
        prod = rng.randrange(m) * rng.randrange(m)
        out.append(hook(f"hook 17 rsa_mul_mod #{i}", 17, le(prod, 512) + le(m, 256),
                        items=[le(prod % m, 256), le(prod // m, 256)]))
    if curated:
        prod, m = 2**4000 + 12345, 1000003
        out.append(hook("hook 17 rsa_mul_mod small modulus: quotient truncated to 256 bytes", 17, le(prod, 512) + le(m, 256),
                        items=[le(prod % m, 256), le((prod // m) % 2**2048, 256)]))
        out.append(hook("hook 17 zero modulus is rejected", 17, bytes(768), error="rsa_mul_mod hook (fd 17): modulus is zero"))
    # fd 18 / 19 BLS12-381 sqrt / inverse
    e = (BLS_P + 1) // 4
    for i in range(count):
        s = rng.randrange(1, BLS_P)
        sq = s * s % BLS_P
        out.append(hook(f"hook 18 bls sqrt of a square #{i}", 18, be(sq, 48), items=[b"\x01", be(pow(sq, e, BLS_P), 48)]))
        fe = rng.randrange(1, BLS_P)
        inv = pow(fe, BLS_P - 2, BLS_P)
        out.append(hook(f"hook 19 bls inverse #{i}", 19, be(fe, 48), items=[be(inv, 48)]))
    nonsq = next(v for v in range(2, 100) if pow(v, (BLS_P - 1) // 2, BLS_P) != 1)
    out.append(hook("hook 18 bls sqrt of a non-square -> [0, sqrt(2 fe)]", 18, be(nonsq, 48),
                    items=[b"\x00", be(pow(2 * nonsq, e, BLS_P), 48)]))
    if curated:
        out.append(hook("hook 18 bls sqrt of 0", 18, bytes(48), items=[b"\x01", bytes(48)]))
        out.append(hook("hook 19 bls inverse of 0 is rejected", 19, bytes(48),
                        error="bls12_381_inverse hook (fd 19): the field element is zero"))
    # fd 20 / 21 generic fp
    for m, nqr, L in ((SECP_P, 3, 32), (ED_P, 2, 32), (BLS_P, 2, 48)):
        for i in range(count):
            a = rng.randrange(1, m)
            root = fp_sqrt_hook(a, m, nqr)
            if root is not None:
                items = [b"\x01", be(root, L)]
            else:
                items = [b"\x00", be(fp_sqrt_hook(nqr * a % m, m, nqr), L)]
            assert (int.from_bytes(items[1], "big") ** 2 - (a if items[0] == b"\x01" else nqr * a)) % m == 0
            out.append(hook(f"hook 20 fp_sqrt mod {hex(m)[:10]} #{i}", 20, be(L, 4) + be(a, L) + be(m, L) + be(nqr, L),
                            items=items))
            out.append(hook(f"hook 21 fp_inverse mod {hex(m)[:10]} #{i}", 21, be(L, 4) + be(a, L) + be(m, L),
                            items=[be(pow(a, m - 2, m), L)]))
    if curated:
        sq = 4
        out.append(hook("hook 20 fp_sqrt Tonelli-Shanks (p = 1 mod 4) of 4", 20,
                        be(32, 4) + be(sq, 32) + be(ED_P, 32) + be(2, 32), items=[b"\x01", be(tonelli_shanks(4, ED_P, 2), 32)]))
        out.append(hook("hook 20 fp_sqrt of 0", 20, be(32, 4) + bytes(32) + be(SECP_P, 32) + be(3, 32),
                        items=[b"\x01", bytes(32)]))
        out.append(hook("hook 20 element >= modulus is rejected", 20, be(1, 4) + b"\x07\x07\x02",
                        error="fp_sqrt hook (fd 20): element or non-residue is not less than the modulus"))
        out.append(hook("hook 20 bad length", 20, be(32, 4) + bytes(64), error="fp_sqrt hook (fd 20): input is 68 bytes"))
        out.append(hook("hook 21 inverse of 0 is rejected", 21, be(32, 4) + bytes(32) + be(SECP_P, 32),
                        error="fp_inverse hook (fd 21): inverse of zero"))
    # v3 / deprecated: 5 and 7 ecrecover, 6 r1 s^-1, 8 ed_decompress
    for i in range(count):
        d = rng.randrange(1, SECP_N)
        z = rng.randrange(2**256)
        r, s, recid = ecdsa_sign(d, z, rng.randrange(1, SECP_N))
        pub = compressed(ec_mul("SECP256K1", d, SECP_G))
        s_low = min(s, SECP_N - s)
        sig = be(r, 32) + be(s, 32) + bytes([recid])
        out.append(hook(f"hook 5 ecrecover #{i}", 5, sig + be(z, 32), items=[pub, be(pow(s_low, -1, SECP_N), 32)]))
        # The same signature with the other s and flipped recovery id recovers the same key.
        sig2 = be(r, 32) + be(SECP_N - s, 32) + bytes([recid ^ 1])
        out.append(hook(f"hook 7 ecrecover_v2 (high/low s twin) #{i}", 7, sig2 + be(z, 32),
                        items=[b"\x01", pub, be(pow(s_low, -1, SECP_N), 32)]))
    if curated:
        # private key 1: the key recovered is G itself.
        r, s, recid = ecdsa_sign(1, 0xabcdef, 0x1234567)
        s_low = min(s, SECP_N - s)
        recid = recid ^ (1 if s != s_low else 0)
        out.append(hook("hook 5 ecrecover private key 1 -> compressed G", 5,
                        be(r, 32) + be(s_low, 32) + bytes([recid]) + be(0xabcdef, 32),
                        items=[compressed(SECP_G), be(pow(s_low, -1, SECP_N), 32)]))
        # r with no curve point (x = r not on the curve): recovery fails.
        x = 1
        while sqrt_3mod4((x ** 3 + 7) % SECP_P, SECP_P) is not None:
            x += 1
        bad = be(x, 32) + be(1, 32) + b"\x00" + be(1, 32)
        out.append(hook("hook 7 ecrecover_v2 failure -> [0]", 7, bad, items=[b"\x00"]))
        out.append(hook("hook 5 ecrecover failure is rejected", 5, bad,
                        error="ecrecover hook (fd 5): public key recovery failed"))
        out.append(hook("hook 5 r = 0 is rejected", 5, bytes(32) + be(1, 32) + b"\x00" + bytes(32),
                        error="ecrecover hook (fd 5): r or s is not in [1, n-1]"))
        out.append(hook("hook 7 recovery id 27 is rejected", 7, be(5, 32) + be(1, 32) + bytes([27]) + bytes(32),
                        error="ecrecover_v2 hook (fd 7): recovery id 27 is invalid"))
        r1s = rng.randrange(1, R1_N)
        out.append(hook("hook 6 secp256r1 s^-1", 6, be(7, 32) + be(r1s, 32), items=[be(pow(r1s, -1, R1_N), 32)]))
        out.append(hook("hook 8 ed_decompress (v3) base point -> [1]", 8, le(ED_B[1], 32), items=[b"\x01"]))
        out.append(hook("hook 8 ed_decompress (v3) off-curve y -> [0]", 8, le(y, 32), items=[b"\x00"]))
        out.append(hook("hook 8 ed_decompress (v3) wrong length -> [0]", 8, le(ED_B[1], 32) + b"\x00", items=[b"\x00"]))
        out.append(hook("WRITE to an unknown fd (30) is ignored", 30, b"abc", items=pending, inputs=pending))
    return out


def all_cases(seed, count, curated):
    rng = random.Random(seed)
    return (uint256_cases(rng, count, curated) + weierstrass_cases(rng, count, curated)
            + decompress_cases(rng, count, curated) + ed_cases(rng, count, curated)
            + fp_cases(rng, count, curated) + hook_cases(rng, count, curated))


# ----------------------------------------------------------------------------- output
def swift_bytes(b):
    return f'"{b.hex()}"'


def write_swift(cases, path):
    lines = [
        "// Generated by scripts/gen_precompile_vectors.py -- do not edit. Expected values are computed",
        "// there with Python integers, independently of the C core.",
        "",
        "struct PrecompileVector: Sendable, CustomStringConvertible {",
        "    struct Memory: Sendable { let address: UInt32; let hex: String }",
        "    let name: String",
        "    let code: UInt32",
        "    let registers: [UInt32]  // a0...a3",
        "    let inputs: [String]  // pushed before the call, front first",
        "    let writes: [Memory]",
        "    let expect: [Memory]",
        "    let items: [String]?  // input stream after the call, front first",
        "    let error: String?  // the call must fail with a message containing this",
        "    var description: String { name }",
        "}",
        "",
        "let precompileVectors: [PrecompileVector] = [",
    ]
    for c in cases:
        mem = lambda xs: "[" + ", ".join(f".init(address: 0x{a:08x}, hex: {swift_bytes(b)})" for a, b in xs) + "]"
        items = "nil" if c.items is None else "[" + ", ".join(swift_bytes(i) for i in c.items) + "]"
        err = "nil" if c.error is None else '"' + c.error.replace('"', '\\"') + '"'
        lines.append(
            f'    .init(name: "{c.name}", code: 0x{c.code:08x}, registers: [{", ".join(f"0x{r:08x}" for r in c.regs)}], '
            f'inputs: [{", ".join(swift_bytes(i) for i in c.inputs)}], writes: {mem(c.writes)}, expect: {mem(c.expect)}, '
            f"items: {items}, error: {err}),")
    lines.append("]")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def write_text(cases, path):
    """One case per line for a C driver: name|code a0 a1 a2 a3|inputs|writes|expect|items|error."""
    mem = lambda xs: ",".join(f"{a:x}:{b.hex()}" for a, b in xs)
    with open(path, "w") as f:
        for c in cases:
            items = "-" if c.items is None else ",".join(i.hex() if i else "." for i in c.items)
            f.write("|".join([c.name.replace("|", "/"), " ".join(f"{v:x}" for v in (c.code,) + c.regs),
                              ",".join(i.hex() for i in c.inputs), mem(c.writes), mem(c.expect), items,
                              c.error or ""]) + "\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--swift", default=os.path.join(os.path.dirname(__file__), "..", "Tests", "ZKVMTests",
                                                    "PrecompileVectors.swift"))
    ap.add_argument("--text", help="also write cases as text lines for a C differential driver")
    ap.add_argument("--random", type=int, default=0, help="random cases per operation in --text output")
    ap.add_argument("--seed", type=int, default=20250301)
    args = ap.parse_args()
    curated = all_cases(args.seed, 2, True)
    write_swift(curated, args.swift)
    print(f"{len(curated)} cases -> {os.path.normpath(args.swift)}")
    if args.text:
        cases = curated + (all_cases(args.seed + 1, args.random, False) if args.random else [])
        write_text(cases, args.text)
        print(f"{len(cases)} cases -> {args.text}")


if __name__ == "__main__":
    sys.exit(main())
