#!/usr/bin/env python3
"""
Expected outputs for the C guest programs in guest-programs/, computed independently of the
guest code with Python integers, hashlib (SHA-256) and a Keccak-256 written here, and written
to guest-programs/vectors.json (RV32IM builds), guest-programs/vectors-rv64.json (RV64IM
builds of the same sources) and guest-programs/vectors-risc0.json (the RISC Zero flavour, below);
all are committed and read by Tests/ZKVMTests/GuestProgramTests.swift and
Risc0GuestProgramTests.swift.

Every case is also run through the SP1 reference model of its ISA (../shared/sp1/refexec.py for
RV32 as SP1 v4, ../shared/sp1/refexec64.py for RV64 as SP1 v6, when present): its public values
and exit code must equal the independent expectation, its committed digest must equal
sha256(public values), and its cycle count (global_clk) is recorded as `refexec_cycles`.
mock-consumer and intensity-test cases are additionally run on InfinityVM's real SP1 builds
(../shared/sp1/elfs/) and must give identical results (RV32 only). A case whose guest panics
halts with exit code 1: an error on SP1 v4, the run's reported exit code on SP1 v6.

With --vm risc0 the same cases run on the SDK's RISC Zero flavour (guest-programs/bin/risc0/):
the stdin items are framed as one stream (LE32(len) || bytes each, as the seed's node framed a
job's inputs), the expected journal is the same independent expectation, a panic must fail the run
with "Guest panicked: ...", and every case is run through scripts/risc0_model.py (an
instruction-by-instruction model of RISC Zero 1.0.5's executor): its journal must equal the
expectation, it must halt Halted(0) with the output digest tagged_struct("risc0.Output",
[SHA-256(journal), 0]) (computed here), and its user cycles are recorded as `model_cycles`. The
result goes to guest-programs/vectors-risc0.json. Cases too slow for a Python model (hundreds of
millions of cycles of software Keccak) are left out there.

With --corpus the unseen corpus (guest-programs/corpus/, one ELF per workload, ISA and -O level
under bin/corpus/ and bin/rv64/corpus/) runs at small parameters: expected outputs from the
independent Python statements in scripts/corpus_models.py, every case run through refexec.py
(RV32, SP1 v4) or refexec64.py (RV64, SP1 v6) with its cycles recorded; the result goes to
guest-programs/vectors-corpus.json.

usage:
  gen_guest_vectors.py [--isa rv64]              write the SP1 vectors (runs the reference model if found)
  gen_guest_vectors.py --corpus [--check | --check-elfs]
                                                 the corpus vectors (both ISAs, both -O levels)
  gen_guest_vectors.py --vm risc0                write guest-programs/vectors-risc0.json (runs risc0_model.py)
  gen_guest_vectors.py [--isa rv64 | --vm risc0] --check
                                                 verify the committed vectors file is up to date instead
  gen_guest_vectors.py [--isa rv64 | --vm risc0] --check-elfs
                                                 validate the ELFs against SP1's loader rules (RV32IM or
                                                 RV64IM; the RISC Zero builds as RV32IM)
  gen_guest_vectors.py --native BIN              also compare build/native/bench-native's output
options: --bin DIR (ELF directory, default guest-programs/bin, bin/rv64 or bin/risc0), --refexec PATH,
         --no-refexec
"""
import argparse
import hashlib
import importlib.util
import json
import os
import struct
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GUEST = os.path.join(REPO, "guest-programs")
VECTORS = os.path.join(GUEST, "vectors.json")
VECTORS64 = os.path.join(GUEST, "vectors-rv64.json")
VECTORS_RISC0 = os.path.join(GUEST, "vectors-risc0.json")
VECTORS_CORPUS = os.path.join(GUEST, "vectors-corpus.json")
M32 = (1 << 32) - 1
M64 = (1 << 64) - 1
M256 = (1 << 256) - 1

# ----------------------------------------------------------------------------- Keccak-256
# Written from the Keccak reference (FIPS 202 permutation, original 0x01 padding).

def _keccak_round_constants():
    def rc_bit(t):
        r = 1
        for _ in range(t % 255):
            r <<= 1
            if r & 0x100:
                r ^= 0x171  # x^8 + x^6 + x^5 + x^4 + 1
        return r & 1
    out = []
    for rnd in range(24):
        v = 0
        for j in range(7):
            if rc_bit(j + 7 * rnd):
                v |= 1 << ((1 << j) - 1)
        out.append(v)
    return out


def _keccak_rho():
    rho = [0] * 25
    x, y = 1, 0
    for t in range(24):
        rho[x + 5 * y] = ((t + 1) * (t + 2) // 2) % 64
        x, y = y, (2 * x + 3 * y) % 5
    return rho


_RC = _keccak_round_constants()
_RHO = _keccak_rho()


def _rotl64(v, n):
    return ((v << n) | (v >> (64 - n))) & M64 if n else v


def keccak_f1600(a):
    for rnd in range(24):
        c = [a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20] for x in range(5)]
        d = [c[(x - 1) % 5] ^ _rotl64(c[(x + 1) % 5], 1) for x in range(5)]
        b = [0] * 25
        for x in range(5):
            for y in range(5):
                b[y + 5 * ((2 * x + 3 * y) % 5)] = _rotl64(a[x + 5 * y] ^ d[x], _RHO[x + 5 * y])
        for y in range(0, 25, 5):
            for x in range(5):
                a[y + x] = b[y + x] ^ ((~b[y + (x + 1) % 5]) & b[y + (x + 2) % 5])
        a[0] ^= _RC[rnd]
    return a


def keccak256(data):
    rate = 136
    msg = bytearray(data) + b"\x01"
    msg += b"\x00" * ((-len(msg)) % rate)
    msg[-1] |= 0x80
    st = [0] * 25
    for off in range(0, len(msg), rate):
        for i in range(rate // 8):
            st[i] ^= int.from_bytes(msg[off + 8 * i: off + 8 * i + 8], "little")
        keccak_f1600(st)
    return b"".join(st[i].to_bytes(8, "little") for i in range(4))


assert keccak256(b"").hex() == "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"
assert keccak256(b"abc").hex() == "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45"


def sha256(data):
    return hashlib.sha256(data).digest()

# ----------------------------------------------------------------------------- helpers

def u32le(v):
    return struct.pack("<I", v & M32)


def u64le(v):
    return struct.pack("<Q", v & M64)


def word(v):
    return (v & M256).to_bytes(32, "big")


def abi_bytes_tail(b):
    return word(len(b)) + b + b"\x00" * ((-len(b)) % 32)


class Fail:
    """Expected outcome: the guest panics (HALT with exit code 1, no public values)."""
    def __init__(self, why):
        self.why = why

# ----------------------------------------------------------------------------- workloads

def fib(n):
    a, b = 0, 1
    for _ in range(n):
        a, b = b, (a + b) & M64
    return a


def keccak_chain(n):
    h = bytes(32)
    for _ in range(n):
        h = keccak256(h)
    return int.from_bytes(h[:8], "little")


def sort_checksum(n):
    x, a = 0x2545F491, []
    for _ in range(n):
        x ^= (x << 13) & M32
        x ^= x >> 17
        x ^= (x << 5) & M32
        a.append(x)
    a.sort()
    h = 0xcbf29ce484222325
    for v in a:
        h = ((h ^ v) * 0x100000001b3) & M64
    return h


def _crc16_u8(crc, b):
    crc ^= b
    for _ in range(8):
        crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
    return crc


def _crc16_u16(crc, v):
    return _crc16_u8(_crc16_u8(crc, v & 0xFF), (v >> 8) & 0xFF)


def _crc16_u32(crc, v):
    return _crc16_u16(_crc16_u16(crc, v & 0xFFFF), (v >> 16) & 0xFFFF)


class _Lcg:
    def __init__(self, seed):
        self.s = seed & M32

    def next(self):
        self.s = (self.s * 1664525 + 1013904223) & M32
        return self.s


def _cm_list(rng):
    n = 64
    arena = [((rng.next() >> 16) & 0xFFFF, i) for i in range(n)]  # (value, idx)
    order = list(arena)
    crc = 0
    for k in range(8):
        r = rng.next()
        target = arena[(r >> 8) % n][0]
        if k & 1:
            target ^= 1
        pos = next((p for p, node in enumerate(order) if node[0] == target), n)
        crc = _crc16_u16(crc, pos)
    order.reverse()
    for node in order:
        crc = _crc16_u16(crc, node[1])
    order = sorted(order, key=lambda node: node[0])  # stable, like the guest's merge sort
    for value, idx in order:
        crc = _crc16_u32(crc, value | (idx << 16))
    acc = 0
    for value, _ in sorted(order, key=lambda node: node[1]):
        acc = (acc * 31 + value) & M32
    return _crc16_u32(crc, acc)


def _cm_matrix(rng, it):
    n = 12
    a = [[0] * n for _ in range(n)]
    b = [[0] * n for _ in range(n)]
    for i in range(n):
        for j in range(n):
            a[i][j] = rng.next() >> 20
            b[i][j] = rng.next() >> 20
    c = [[sum(a[i][k] * b[k][j] for k in range(n)) & M32 for j in range(n)] for i in range(n)]
    add = it & 0xFF
    a = [[(v + add) & M32 for v in row] for row in a]
    v = [sum(a[i][j] * b[j][0] for j in range(n)) & M32 for i in range(n)]
    crc, mx = 0, 0
    for i in range(n):
        for j in range(n):
            x = c[i][j]
            mx = max(mx, x)
            crc = _crc16_u16(crc, ((x >> 2) & 0xFF) | ((x >> 12) & 0xFF00))
    crc = _crc16_u32(crc, mx)
    for x in v:
        crc = _crc16_u32(crc, x)
    return crc


# states / char classes of the token state machine
(S_START, S_SIGN, S_INT, S_DOT, S_FLOAT, S_EXP, S_EXPSIGN, S_SCI, S_INVALID) = range(9)
_TRANSITIONS = {  # state -> {class: next}, anything missing -> S_INVALID
    S_START: {"digit": S_INT, "sign": S_SIGN, "dot": S_DOT},
    S_SIGN: {"digit": S_INT, "dot": S_DOT},
    S_INT: {"digit": S_INT, "dot": S_FLOAT, "exp": S_EXP},
    S_DOT: {"digit": S_FLOAT},
    S_FLOAT: {"digit": S_FLOAT, "exp": S_EXP},
    S_EXP: {"digit": S_SCI, "sign": S_EXPSIGN},
    S_EXPSIGN: {"digit": S_SCI},
    S_SCI: {"digit": S_SCI},
    S_INVALID: {},
}


def _char_class(ch):
    if ch.isdigit():
        return "digit"
    return {"+": "sign", "-": "sign", ".": "dot", "e": "exp", "E": "exp", ",": "sep", " ": "sep"}.get(ch, "other")


def _cm_state(rng):
    alphabet = "0123456789012345+-.eE, ,x"
    text = [alphabet[(rng.next() >> 16) % len(alphabet)] for _ in range(128)]
    finals = [0] * 9
    transitions = 0
    s = S_START
    for ch in text:
        c = _char_class(ch)
        if c == "sep":
            if s != S_START:
                finals[s] += 1
            s = S_START
            continue
        ns = _TRANSITIONS[s].get(c, S_INVALID)
        if ns != s:
            transitions += 1
        s = ns
    if s != S_START:
        finals[s] += 1
    crc = 0
    for f in finals:
        crc = _crc16_u16(crc, f & 0xFFFF)
    return _crc16_u32(crc, transitions)


def coremark_like(iterations):
    crc = cl = cm = cs = 0
    for it in range(iterations):
        rng = _Lcg(0x3C6EF372 ^ ((it * 0x9E3779B9) & M32) ^ crc)
        cl = _cm_list(rng)
        cm = _cm_matrix(rng, it)
        cs = _cm_state(rng)
        crc = _crc16_u16(crc, cl)
        crc = _crc16_u16(crc, cm)
        crc = _crc16_u16(crc, cs)
    return (cl << 48) | (cm << 32) | (cs << 16) | crc

# ----------------------------------------------------------------------------- programs
# Each returns the expected public values (bytes) or a Fail for the given stdin items.

def param(items, default):
    if not items or len(items[0]) == 0:
        return default
    if len(items[0]) < 4:
        return Fail("parameter item shorter than 4 bytes")
    return struct.unpack_from("<I", items[0])[0]


def bench(fn, default):
    def run(items):
        n = param(items, default)
        if isinstance(n, Fail):
            return n
        return u32le(n) + u64le(fn(n))
    return run


def mock_consumer(items):
    if not items:
        return Fail("no input")
    if len(items[0]) != 32:
        return Fail("input is not 32 bytes")
    addr = items[0][12:]
    balance = int.from_bytes(addr, "big") // (2 ** 64 - 1)
    return word(int.from_bytes(addr, "big")) + word(balance)


def intensity_test(items):
    if not items:
        return Fail("no input")
    if len(items[0]) < 4:
        return Fail("input shorter than a u32")
    r = 0
    for _ in range(struct.unpack_from("<I", items[0])[0]):
        r = (r + int.from_bytes(sha256(r.to_bytes(32, "big")), "big")) & M256
    return r.to_bytes(32, "big")


def stateful_counter(items):
    items = list(items) + [b""] * (3 - len(items))
    onchain, offchain, state = items[:3]
    if len(state) == 8:
        old = int.from_bytes(state, "big")
    elif len(state) == 0:
        old = 0
    else:
        return Fail("bad state length")
    bonus = 0
    if len(onchain) == 32:
        bonus = int.from_bytes(onchain, "big")
        if bonus > M64:
            return Fail("bonus does not fit in uint64")
    elif len(onchain) != 0:
        return Fail("bad onchain input length")
    if len(offchain) % 4:
        return Fail("bad offchain input length")
    incs = [int.from_bytes(offchain[i:i + 4], "big") for i in range(0, len(offchain), 4)]
    new = (old + bonus + sum(incs)) & M64
    result = word(old) + word(new) + word(len(incs))
    inner = keccak256(new.to_bytes(8, "big")) + word(0x40) + abi_bytes_tail(result)
    return word(0x20) + inner


SELFTEST_PATTERN_LENS = [55, 56, 63, 64, 65, 119, 120, 135, 136, 137, 271, 272, 1000]
SELFTEST_DIV_CASES = [
    (0xFFFFFFFFFFFFFFFF, 3), (0xFFFFFFFFFFFFFFFF, 0xFFFFFFFF), (0x123456789ABCDEF0, 0x0FEDCBA9),
    (0x8000000000000000, 0x7FFFFFFFFFFFFFFF), (12345678901234567, 1000003), (0xFFFFFFFFFFFFFFF9, 5),
    (100, 0xFFFFFFFFFFFFFFFD), (0x0000000100000000, 0x0000000100000001),
    (0xDEADBEEFCAFEBABE, 0x00000000DEADBEEF),
]


def _pattern(n):
    return bytes((7 * i + 3) & 0xFF for i in range(n))


def _signed(v):
    return v - (1 << 64) if v >> 63 else v


def sdk_selftest(items):
    flags = param(items, 0)
    if isinstance(flags, Fail):
        return flags
    msgs = [b"", b"abc", b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
            b"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"]
    msgs += [_pattern(n) for n in SELFTEST_PATTERN_LENS]
    out = b"".join(sha256(m) + keccak256(m) for m in msgs)
    if flags & 1:
        out += sha256(b"a" * 1000000) + keccak256(b"a" * 1000000)
    addr = bytes(0x10 + i for i in range(20))
    v = bytes(0xF0 - i for i in range(32))
    b32 = bytes(3 * i for i in range(32))
    out += (word(int.from_bytes(addr, "big")) + v + b32 + word(5 * 32) + word(0xDEADBEEFCAFEBABE)
            + abi_bytes_tail(_pattern(33)))
    out += word(0x20) + b32 + word(0x40) + abi_bytes_tail(b"")
    for a, b in SELFTEST_DIV_CASES:
        sa, sb = _signed(a), _signed(b)
        q = abs(sa) // abs(sb) * (1 if (sa < 0) == (sb < 0) else -1)  # C truncating division
        out += u64le(a // b) + u64le(a % b) + u64le(q) + u64le(sa - q * sb)
    return out

# The build whose vectors are being made: "v4" (bin/, RV32), "v6" (bin/rv64/) or "risc0"
# (bin/risc0/). Only precompile-loop's expectation depends on it (its modes are per flavour).
FLAVOUR = "v4"

SECP_P = 2 ** 256 - 2 ** 32 - 977
SECP_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141
SECP_GX = 0x79BE667EF9DCBBAC55A06295CE870B07029BFCDB2DCE28D959F2815B16F81798
BLS_P = int("1A0111EA397FE69A4B1BA7B6434BACD764774B84F38512BF6730D2A0F6B0F6241EABFFFEB153FFFFB9FEFFFFFFFFAAAB", 16)


def precompile_loop(items):
    """precompile-loop: mode (item 1) and n (item 2); see its main.c."""
    mode = param(items, 0)
    if isinstance(mode, Fail):
        return mode
    n = param(items[1:], 1)
    if isinstance(n, Fail):
        return n
    sp1 = FLAVOUR != "risc0"
    if mode == 1 and FLAVOUR == "v4":  # SECP256K1_DECOMPRESS, even y
        y = pow((SECP_GX ** 3 + 7) % SECP_P, (SECP_P + 1) // 4, SECP_P)
        y = y if y % 2 == 0 else SECP_P - y
        state = y.to_bytes(32, "little") if n else bytes(32)
    elif mode == 2 and sp1:  # BLS12381_FP2_MUL chain: x = x * y in Fp[u]/(u^2 + 1)
        x0, x1, y0, y1 = 3, 5, 7, 11
        for _ in range(n):
            x0, x1 = (x0 * y0 - x1 * y1) % BLS_P, (x0 * y1 + x1 * y0) % BLS_P
        state = x0.to_bytes(48, "little") + x1.to_bytes(48, "little")
    elif mode == 3 and sp1:  # ecrecover hook (fd 15): alpha = Gy^2 is a square; y even; r^-1 mod n
        y = pow((SECP_GX ** 3 + 7) % SECP_P, (SECP_P + 1) // 4, SECP_P)
        y = y if y % 2 == 0 else SECP_P - y
        state = (b"\x01" + y.to_bytes(32, "big") + pow(SECP_GX, SECP_N - 2, SECP_N).to_bytes(32, "big")) if n \
            else bytes(65)
    elif mode == 4 and sp1:  # KECCAK_PERMUTE chain from the zero state
        st = [0] * 25
        for _ in range(n):
            keccak_f1600(st)
        state = b"".join(st[i].to_bytes(8, "little") for i in range(4))
    elif mode == 5 and not sp1:  # SYS_RANDOM, 4096 bytes a call, zero seed: the stream's last 32 bytes
        state = sha256(b"risc0.SYS_RANDOM" + bytes(32) + u64le(n * 128 - 1)) if n else bytes(32)
    else:
        return Fail("mode %d is not in the %s flavour" % (mode, FLAVOUR))
    return u32le(mode) + u32le(n) + state

# ----------------------------------------------------------------------------- cases

def le(n):
    return u32le(n)


ADDR_4545 = bytes(12) + b"\x45" * 20


def build_cases():
    """(program, name, stdin items, expectation function, compare with SP1 reference ELF?)"""
    cases = []

    def add(program, name, items, fn, sp1_ref=None):
        cases.append((program, name, items, fn, sp1_ref))

    fibf = bench(fib, 400000)
    for n in [0, 1, 2, 10, 93, 1000, 100000]:
        add("fibonacci", "n=%d" % n, [le(n), b"", b""], fibf)
    add("fibonacci", "default (empty item 1)", [b"", b"", b""], fibf)
    add("fibonacci", "no stdin items", [], fibf)
    add("fibonacci", "3-byte parameter panics", [b"\x01\x02\x03", b"", b""], fibf)

    ksf = bench(keccak_chain, 300)
    for n in [0, 1, 2, 10]:
        add("keccak-soft", "n=%d" % n, [le(n), b"", b""], ksf)
    add("keccak-soft", "default (empty item 1)", [b"", b"", b""], ksf)

    kbf = bench(keccak_chain, 12000)
    for n in [0, 1, 2, 10, 1000]:
        add("keccak-bench", "n=%d" % n, [le(n), b"", b""], kbf)
    add("keccak-bench", "default (empty item 1)", [b"", b"", b""], kbf)

    sbf = bench(sort_checksum, 40000)
    for n in [0, 1, 2, 17, 1000]:
        add("sort-bench", "n=%d" % n, [le(n), b"", b""], sbf)
    add("sort-bench", "default (empty item 1)", [b"", b"", b""], sbf)

    cmf = bench(coremark_like, 75)
    for n in [0, 1, 3]:
        add("coremark-like", "iterations=%d" % n, [le(n), b"", b""], cmf)
    add("coremark-like", "default (empty item 1)", [b"", b"", b""], cmf)

    mc_ref = "InfinityVM_InfinityVM__mock-consumer.elf"
    for name, inp in [("address 0x4545..45", ADDR_4545),
                      ("address 0xffff..ff, upper bytes set", b"\xff" * 32),
                      ("zero address", bytes(32)),
                      ("address 0x0123..", bytes(12) + bytes.fromhex("0123456789abcdef0123456789abcdef01234567")),
                      ("address 0x0000..01", bytes(31) + b"\x01")]:
        add("mock-consumer", name, [inp, b"", b""], mock_consumer, mc_ref)
    for name, inp in [("empty input panics", b""), ("31 bytes panics", ADDR_4545[1:]),
                      ("33 bytes panics", ADDR_4545 + b"\x00")]:
        add("mock-consumer", name, [inp, b"", b""], mock_consumer, mc_ref)

    it_ref = "InfinityVM_InfinityVM__intensity-test.elf"
    for n in [0, 1, 2, 10, 100, 1000]:
        add("intensity-test", "rounds=%d" % n, [le(n), b"", b""], intensity_test, it_ref)
    add("intensity-test", "rounds=5 with trailing bytes", [le(5) + b"\x00\xff", b"", b""], intensity_test, it_ref)
    add("intensity-test", "3-byte input panics", [b"\x01\x00\x00", b"", b""], intensity_test, it_ref)
    add("intensity-test", "empty input panics", [b"", b"", b""], intensity_test, it_ref)
    add("intensity-test", "no stdin items panics", [], intensity_test)

    sc = stateful_counter
    add("stateful-counter", "fresh state, no requests", [b"", b"", b""], sc)
    add("stateful-counter", "bonus 5, increments 1+2, state 10",
        [word(5), bytes.fromhex("0000000100000002"), (10).to_bytes(8, "big")], sc)
    add("stateful-counter", "100 increments on state 2^40",
        [b"", b"".join(struct.pack(">I", 1000 * i + 7) for i in range(100)), (1 << 40).to_bytes(8, "big")], sc)
    add("stateful-counter", "wraps mod 2^64",
        [word(M64), bytes.fromhex("ffffffff"), (M64 - 1).to_bytes(8, "big")], sc)
    add("stateful-counter", "only two items (state missing)", [word(1), bytes.fromhex("00000002")], sc)
    add("stateful-counter", "7-byte state panics", [b"", b"", bytes(7)], sc)
    add("stateful-counter", "bonus above uint64 panics", [word(1 << 64), b"", b""], sc)
    add("stateful-counter", "16-byte onchain input panics", [bytes(16), b"", b""], sc)
    add("stateful-counter", "offchain length not a multiple of 4 panics", [b"", b"\x00\x00\x01", b""], sc)

    add("sdk-selftest", "standard vectors", [b"", b"", b""], sdk_selftest)
    add("sdk-selftest", "with one million 'a'", [le(1), b"", b""], sdk_selftest)

    # Short runs of the work meter's poison guest: each mode's result, and a panic where the
    # flavour has not the mode.
    for mode in [1, 2, 3, 4, 5]:
        for n in [0, 1, 3]:
            add("precompile-loop", "mode %d, n=%d" % (mode, n), [le(mode), le(n), b""], precompile_loop)
    add("precompile-loop", "no mode panics", [b"", b"", b""], precompile_loop)
    return cases

# ----------------------------------------------------------------------------- refexec

def run_refexec(refexec, elf_bytes, items, abi="v4"):
    """Runs one case on a reference model: refexec.py (SP1 v3/v4, `abi`) or refexec64.py (SP1 v6,
    where a panic is not an error but the run's exit code)."""
    v6 = not hasattr(refexec.Executor, "write_stdin")
    ex = refexec.Executor(elf_bytes, quiet=True) if v6 else refexec.Executor(elf_bytes, abi=abi, quiet=True)
    if getattr(ex, "undecodable", 0):
        raise SystemExit("refexec: %d undecodable words in text" % ex.undecodable)
    for it in items:
        if v6:
            ex.input.append(bytes(it))
        else:
            ex.write_stdin(it)
    err = None
    try:
        ex.run()
    except refexec.ExecError as e:
        err = str(e)
    pv = bytes(ex.public_values)
    digest = b"".join(w.to_bytes(4, "little") for w in ex.pv_digest)
    return {"error": err, "exit_code": ex.exit_code, "public_values": pv, "cycles": ex.global_clk,
            "digest_ok": digest == sha256(pv), "deferred_zero": ex.deferred_digest == [0] * 8}

# ----------------------------------------------------------------------------- ELF checks

def _rv32im_ok(w):
    """True if w is an RV32IM instruction SP1 can execute (ECALL/EBREAK allowed; no FENCE, CSR, C)."""
    op, f3, f7 = w & 0x7F, (w >> 12) & 7, w >> 25
    if op in (0x37, 0x17, 0x6F):
        return True
    if op == 0x67:
        return f3 == 0
    if op == 0x63:
        return f3 not in (2, 3)
    if op == 0x03:
        return f3 in (0, 1, 2, 4, 5)
    if op == 0x23:
        return f3 in (0, 1, 2)
    if op == 0x13:
        if f3 == 1:
            return f7 == 0
        if f3 == 5:
            return f7 in (0, 0x20)
        return True
    if op == 0x33:
        if f7 == 1:
            return True
        if f7 == 0x20:
            return f3 in (0, 5)
        return f7 == 0
    if op == 0x73:
        return w in (0x00000073, 0x00100073)
    return False


def _rv64im_ok(w):
    """True if w is an RV64IM instruction SP1 v6 decodes (FENCE, CSR and C are refused here too)."""
    op, f3, f7 = w & 0x7F, (w >> 12) & 7, w >> 25
    if op == 0x03:
        return f3 != 7
    if op == 0x23:
        return f3 <= 3
    if op == 0x13 and f3 in (1, 5):
        return (w >> 26) == 0 or (f3 == 5 and (w >> 26) == 0x10)
    if op == 0x1B:
        return f3 == 0 or (f3 == 1 and f7 == 0) or (f3 == 5 and f7 in (0, 0x20))
    if op == 0x3B:
        return (f7, f3) in {(0, 0), (0, 1), (0, 5), (0x20, 0), (0x20, 5), (1, 0), (1, 4), (1, 5), (1, 6), (1, 7)}
    return _rv32im_ok(w)


def check_elf64(path):
    """SP1 v6's loader rules (SP1_V6_ABI.md §1.2) for an ELF64 of our SDK."""
    data = open(path, "rb").read()
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        return ["not an ELF64 little-endian file"]
    problems = []
    e_type, e_machine = struct.unpack_from("<HH", data, 16)
    e_entry, e_phoff = struct.unpack_from("<QQ", data, 24)
    e_phentsize, e_phnum = struct.unpack_from("<HH", data, 54)
    if e_machine != 243 or e_type != 2:
        problems.append("not an EM_RISCV ET_EXEC file")
    if e_entry % 4:
        problems.append("entry not 4-aligned")
    prev_end, text = 0, None
    for i in range(e_phnum):
        p_type, p_flags, p_off, p_vaddr, _, p_filesz, p_memsz, _ = struct.unpack_from("<IIQQQQQQ", data, e_phoff + i * e_phentsize)
        if p_type != 1:
            continue
        if p_vaddr < 0x78000000:
            problems.append("segment at %#x below 0x78000000" % p_vaddr)
        if not p_flags & 4:
            problems.append("segment at %#x not readable" % p_vaddr)
        if (p_flags & 1) and (p_flags & 2):
            problems.append("segment at %#x is writable and executable" % p_vaddr)
        if p_vaddr < prev_end or p_vaddr % 4:
            problems.append("segment at %#x unsorted, overlapping or misaligned" % p_vaddr)
        prev_end = p_vaddr + p_memsz
        if p_flags & 1:
            if text is not None:
                problems.append("more than one executable segment")
            text = (p_vaddr, p_memsz)
            for off in range(0, p_filesz - p_filesz % 4, 4):
                w = struct.unpack_from("<I", data, p_off + off)[0]
                if not _rv64im_ok(w):
                    problems.append("word %08x at %#x is not an allowed RV64IM instruction" % (w, p_vaddr + off))
            if p_filesz % 4 or p_memsz != p_filesz:
                problems.append("executable segment at %#x has a partial word or zero fill" % p_vaddr)
    if text is None or not text[0] <= e_entry < text[0] + text[1]:
        problems.append("entry %#x outside the executable segment" % e_entry)
    return problems


def check_elf(path):
    data = open(path, "rb").read()
    problems = []
    if data[:4] != b"\x7fELF" or data[4] != 1 or data[5] != 1:
        return ["not an ELF32 little-endian file"]
    e_type, e_machine = struct.unpack_from("<HH", data, 16)
    e_entry, e_phoff = struct.unpack_from("<II", data, 24)
    e_phentsize, e_phnum = struct.unpack_from("<HH", data, 42)
    if e_machine != 243 or e_type != 2:
        problems.append("not an EM_RISCV ET_EXEC file")
    if e_entry % 4:
        problems.append("entry not 4-aligned")
    loads = []
    for i in range(e_phnum):
        p_type, p_off, p_vaddr, _, p_filesz, p_memsz, p_flags, _ = struct.unpack_from("<8I", data, e_phoff + i * e_phentsize)
        if p_type != 1:
            continue
        loads.append((p_vaddr, p_memsz, p_flags, p_off, p_filesz))
        if p_vaddr % 4:
            problems.append("segment at %#x not 4-aligned" % p_vaddr)
        if p_memsz and (p_vaddr < 0x20 or p_vaddr + p_memsz > 0x78000000):
            problems.append("segment %#x+%#x outside 0x20..0x78000000" % (p_vaddr, p_memsz))
        if (p_flags & 1) and (p_flags & 2):
            problems.append("segment at %#x is writable and executable" % p_vaddr)
        if p_flags & 1:
            for off in range(0, p_filesz - p_filesz % 4, 4):
                w = struct.unpack_from("<I", data, p_off + off)[0]
                if not _rv32im_ok(w):
                    problems.append("word %08x at %#x is not an allowed RV32IM instruction" % (w, p_vaddr + off))
            if p_filesz % 4 or p_memsz != p_filesz:
                problems.append("executable segment at %#x has a partial word or zero fill" % p_vaddr)
    spans = sorted((v, v + m) for v, m, _, _, _ in loads if m)
    for (a0, a1), (b0, _) in zip(spans, spans[1:]):
        if b0 < a1:
            problems.append("segments overlap at %#x" % b0)
    if not any(f & 1 and v <= e_entry < v + m for v, m, f, _, _ in loads):
        problems.append("entry %#x outside the executable segment" % e_entry)
    return problems

# ----------------------------------------------------------------------------- RISC Zero flavour

# Cases whose RISC Zero run (software Keccak-f: ~48 k user cycles a permutation) would take the
# Python model many minutes; the engine runs them in the SP1 vectors and the benchmarks.
RISC0_SKIP = {("keccak-bench", "default (empty item 1)"), ("keccak-bench", "n=1000"),
              ("sdk-selftest", "with one million 'a'")}


def r0_output_digest(journal):
    """risc0's Output digest with no assumptions: tagged_struct("risc0.Output", [SHA-256(journal), 0])."""
    return sha256(sha256(b"risc0.Output") + sha256(journal) + bytes(32) + struct.pack("<H", 2))


def risc0_vectors(args, elf_bytes):
    sys.path.insert(0, os.path.join(REPO, "scripts"))
    import risc0_model
    out_cases, failures = [], 0
    for program, name, items, fn, _ in build_cases():
        if (program, name) in RISC0_SKIP:
            continue
        exp = fn(items)
        ok = not isinstance(exp, Fail)
        stdin = risc0_model.framed(items)
        case = {"program": program, "name": name, "stdin_hex": stdin.hex(), "expect_ok": ok,
                "journal_hex": exp.hex() if ok else ""}
        if not ok:
            case["why"] = exp.why
        r = risc0_model.run(elf_bytes[program], stdin)
        msgs = []
        if ok:
            if r["error"] is not None or r["exit"] != ("Halted", 0):
                msgs.append("outcome %s %s" % (r["error"], r["exit"]))
            elif r["journal"] != exp:
                msgs.append("journal %s" % r["journal"].hex()[:80])
            elif r["output_digest"] != r0_output_digest(exp):
                msgs.append("output digest %s" % r["output_digest"].hex())
        elif not (r["error"] or "").startswith("panic: Guest panicked: "):
            msgs.append("expected a guest panic, got %s" % (r["error"] or "success"))
        case["model_cycles"] = r["cycles"]
        case["model_instructions"] = r["instructions"]
        failures += bool(msgs)
        print("%-17s %-42s %10d user cycles  %s" % (program, name, r["cycles"],
                                                    "ok" if not msgs else "MISMATCH: " + "; ".join(msgs)))
        out_cases.append(case)
    doc = {
        "comment": "Expected outputs of guest-programs/bin/risc0/*.elf (the SDK's RISC Zero flavour) run as RISC "
                   "Zero 1.x guests, computed independently by scripts/gen_guest_vectors.py --vm risc0. stdin_hex "
                   "is the whole stdin stream (the items framed LE32(len) || bytes); journal_hex the expected "
                   "journal of a Halted(0) run whose output digest is tagged_struct(\"risc0.Output\", "
                   "[SHA-256(journal), 0]); expect_ok=false means the guest panics (SYS_PANIC). model_cycles = "
                   "user cycles (model_instructions = instructions) of scripts/risc0_model.py for the ELF with the "
                   "sha256 listed under programs.",
        "vm": "risc0",
        "programs": {p: {"elf": "bin/risc0/%s.elf" % p, "bytes": len(elf_bytes[p]),
                         "sha256": hashlib.sha256(elf_bytes[p]).hexdigest()} for p in sorted(elf_bytes)},
        "cases": out_cases,
    }
    return doc, failures


# ----------------------------------------------------------------------------- the unseen corpus

# Small parameters (about 30 k - 1 M instructions each; the defaults take 20-100 M, too many for
# the Python models); the second case of each is a degenerate size.
CORPUS_CASES = {
    "bytecode_vm": [40, 1], "pointer_chase": [1, 0], "mul_div": [1000, 1], "call_tree": [2, 0],
    "byte_scan": [1, 0], "aes_table": [100, 0], "bigint_modexp": [1, 0], "json_parse": [30, 1],
    "lz_compress": [1, 0], "mark_mix": [1, 0], "soft_float": [200, 1],
    "hash_map": [1000, 1],
}
# build name -> (ELF directory under guest-programs, ELF suffix, ISA)
CORPUS_BUILDS = {"rv32-O2": ("bin/corpus", "-O2", "rv32"), "rv32-Os": ("bin/corpus", "-Os", "rv32"),
                 "rv64-O2": ("bin/rv64/corpus", "-O2", "rv64"), "rv64-Os": ("bin/rv64/corpus", "-Os", "rv64")}


def corpus_elfs():
    """[(build, workload, path relative to guest-programs)] for every corpus ELF."""
    return [(b, w, "%s/%s%s.elf" % (d, w, sfx)) for b, (d, sfx, _) in CORPUS_BUILDS.items() for w in CORPUS_CASES]


def corpus_main(args):
    sys.path.insert(0, os.path.join(REPO, "scripts"))
    import corpus_models
    assert set(corpus_models.WORKLOADS) == set(CORPUS_CASES)
    if args.check_elfs:
        bad = 0
        for build, _, rel in corpus_elfs():
            path = os.path.join(GUEST, rel)
            probs = (check_elf64 if CORPUS_BUILDS[build][2] == "rv64" else check_elf)(path)
            print("%-38s %6d bytes  %s" % (rel, os.path.getsize(path), "OK" if not probs else "; ".join(probs[:5])))
            bad += bool(probs)
        sys.exit(1 if bad else 0)
    shared = find_shared()
    if not shared:
        raise SystemExit("../shared/sp1 (refexec.py, refexec64.py) not found")
    models = {"rv32": load_module(os.path.join(shared, "sp1", "refexec.py"), "refexec"),
              "rv64": load_module(os.path.join(shared, "sp1", "refexec64.py"), "refexec64")}
    expected = {(w, p): corpus_models.WORKLOADS[w](p) for w, ps in CORPUS_CASES.items() for p in ps}
    if args.native:  # the same C compiled for the host (make -C guest-programs native)
        for (w, p), checksum in sorted(expected.items()):
            line = subprocess.run([args.native, w, str(p)], check=True, capture_output=True, text=True).stdout
            pv = dict(kv.split("=", 1) for kv in line.split())["public_values"]
            same = pv == (u32le(p) + u32le(checksum)).hex()
            print("native %-14s param=%-5d %s" % (w, p, "ok" if same else "MISMATCH " + pv))
            if not same:
                raise SystemExit("bench-native disagrees with corpus_models.py")
    programs, cases, failures = {}, [], 0
    for build, workload, rel in corpus_elfs():
        elf = open(os.path.join(GUEST, rel), "rb").read()
        isa = CORPUS_BUILDS[build][2]
        probs = (check_elf64 if isa == "rv64" else check_elf)(os.path.join(GUEST, rel))
        if probs:
            raise SystemExit("%s: %s" % (rel, "; ".join(probs)))
        programs[rel] = {"bytes": len(elf), "sha256": hashlib.sha256(elf).hexdigest()}
        for param in CORPUS_CASES[workload]:
            items = [le(param), b"", b""]
            pv = u32le(param) + u32le(expected[(workload, param)])
            r = run_refexec(models[isa], elf, items)
            msgs = []
            if r["error"] is not None or r["exit_code"] != 0:
                msgs.append("outcome %s/exit %d" % (r["error"], r["exit_code"]))
            elif r["public_values"] != pv:
                msgs.append("public values %s" % r["public_values"].hex())
            elif not (r["digest_ok"] and r["deferred_zero"]):
                msgs.append("committed digest mismatch")
            failures += bool(msgs)
            print("%-8s %-14s param=%-5d %9d cycles  %s" % (build, workload, param, r["cycles"],
                                                             "ok" if not msgs else "MISMATCH: " + "; ".join(msgs)))
            cases.append({"workload": workload, "build": build, "isa": isa, "elf": rel, "name": "param=%d" % param,
                          "stdin_hex": [i.hex() for i in items], "public_values_hex": pv.hex(),
                          "refexec_cycles": r["cycles"]})
    doc = {
        "comment": "Expected outputs of the unseen corpus (guest-programs/corpus/) at small parameters, for every "
                   "build: bin/corpus/<workload>-<O2|Os>.elf (RV32IM, SP1 v4 rules) and bin/rv64/corpus/ (RV64IM, "
                   "SP1 v6). public_values = param (u32 LE) || checksum (u32 LE), the checksum computed "
                   "independently by scripts/corpus_models.py; refexec_cycles = global_clk of "
                   "../shared/sp1/refexec.py (RV32) or refexec64.py (RV64) for the ELF with the sha256 listed "
                   "under programs. Written by scripts/gen_guest_vectors.py --corpus.",
        "programs": programs,
        "cases": cases,
    }
    write_vectors(doc, failures, args.output or VECTORS_CORPUS, args.check, "scripts/gen_guest_vectors.py --corpus")


# ----------------------------------------------------------------------------- main

def find_shared():
    for cand in [os.environ.get("ZKVM_SHARED_DIR"), os.path.join(os.path.dirname(REPO), "shared")]:
        if cand and os.path.exists(os.path.join(cand, "sp1", "refexec.py")):
            return cand
    return None


def load_module(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--isa", choices=["rv32", "rv64"], default="rv32",
                    help="rv32: bin/*.elf as SP1 v4 guests; rv64: bin/rv64/*.elf as SP1 v6 guests")
    ap.add_argument("--vm", choices=["sp1", "risc0"], default="sp1",
                    help="sp1: SP1 guests (--isa picks the ISA); risc0: bin/risc0/*.elf as RISC Zero 1.x guests")
    ap.add_argument("--bin")
    ap.add_argument("--refexec")
    ap.add_argument("--no-refexec", action="store_true")
    ap.add_argument("--check", action="store_true", help="compare with the committed vectors, write nothing")
    ap.add_argument("--check-elfs", action="store_true", help="only validate the ELFs")
    ap.add_argument("--native", help="path to bench-native; compare its output for the benchmark cases")
    ap.add_argument("--output")
    ap.add_argument("--corpus", action="store_true",
                    help="the unseen corpus (bin/corpus, bin/rv64/corpus) -> vectors-corpus.json")
    args = ap.parse_args()
    if args.corpus:
        return corpus_main(args)
    risc0 = args.vm == "risc0"
    rv64 = args.isa == "rv64"
    if risc0 and rv64:
        ap.error("the RISC Zero flavour is RV32IM only (--vm risc0 takes no --isa rv64)")
    global FLAVOUR
    FLAVOUR = "risc0" if risc0 else "v6" if rv64 else "v4"
    flavour_dir = "risc0" if risc0 else "rv64" if rv64 else ""
    bindir = os.path.abspath(args.bin or os.path.join(GUEST, "bin", flavour_dir))
    output = args.output or (VECTORS_RISC0 if risc0 else VECTORS64 if rv64 else VECTORS)
    regenerate = "scripts/gen_guest_vectors.py" + (" --vm risc0" if risc0 else " --isa rv64" if rv64 else "")
    check = check_elf64 if rv64 else check_elf

    programs = sorted({c[0] for c in build_cases()})
    if args.check_elfs:
        bad = 0
        for p in programs:
            path = os.path.join(bindir, p + ".elf")
            probs = check(path)
            print("%-18s %6d bytes  %s" % (p, os.path.getsize(path), "OK" if not probs else "; ".join(probs[:5])))
            bad += bool(probs)
        sys.exit(1 if bad else 0)

    if risc0:
        elf_bytes = {p: open(os.path.join(bindir, p + ".elf"), "rb").read() for p in programs}
        for p in programs:
            probs = check(os.path.join(bindir, p + ".elf"))
            if probs:
                raise SystemExit("%s: %s" % (p, "; ".join(probs)))
        doc, failures = risc0_vectors(args, elf_bytes)
        return write_vectors(doc, failures, output, args.check, regenerate)

    shared = find_shared()
    refexec = None
    model = "refexec64.py" if rv64 else "refexec.py"
    if not args.no_refexec:
        path = args.refexec or (shared and os.path.join(shared, "sp1", model))
        if not path or not os.path.exists(path):
            raise SystemExit("%s not found (pass --refexec PATH or --no-refexec)" % model)
        refexec = load_module(path, "refexec64" if rv64 else "refexec")
        # Two Keccak-256 implementations written independently must agree.
        for m in [b"", b"abc", bytes(range(256)) * 3]:
            assert refexec.keccak256(m) == keccak256(m)

    elf_bytes = {p: open(os.path.join(bindir, p + ".elf"), "rb").read() for p in programs}
    for p in programs:
        probs = check(os.path.join(bindir, p + ".elf"))
        if probs:
            raise SystemExit("%s: %s" % (p, "; ".join(probs)))

    out_cases, failures = [], 0
    for program, name, items, fn, sp1_ref in build_cases():
        exp = fn(items)
        ok = not isinstance(exp, Fail)
        case = {"program": program, "name": name, "stdin_hex": [i.hex() for i in items], "expect_ok": ok,
                "exit_code": 0 if ok else 1, "public_values_hex": exp.hex() if ok else ""}
        if not ok:
            case["why"] = exp.why
        if refexec:
            r = run_refexec(refexec, elf_bytes[program], items)
            # SP1 v6 reports a panic's exit code; v4 fails the run with HaltWithNonZeroExitCode.
            got_ok = r["error"] is None and (not rv64 or r["exit_code"] == 0)
            msgs = []
            if got_ok != ok or r["exit_code"] != case["exit_code"]:
                msgs.append("outcome %s/exit %d" % (r["error"] or "OK", r["exit_code"]))
            if ok and r["public_values"] != exp:
                msgs.append("public values %s" % r["public_values"].hex()[:80])
            if (ok or rv64) and not (r["digest_ok"] and r["deferred_zero"]):
                msgs.append("committed digest mismatch")
            if not ok and r["error"] != (None if rv64 else "HaltWithNonZeroExitCode(1)"):
                msgs.append("unexpected error %s" % r["error"])
            case["refexec_cycles"] = r["cycles"]
            if sp1_ref and shared and not rv64:
                # InfinityVM's real guests were built with sp1-zkvm 3.0.1 (v3 fds) and get two items.
                ref_elf = open(os.path.join(shared, "sp1", "elfs", sp1_ref), "rb").read()
                rr = run_refexec(refexec, ref_elf, items[:2], abi="v3")
                same = (rr["error"] is None) == got_ok and rr["public_values"] == r["public_values"] \
                    and rr["exit_code"] == r["exit_code"]
                if not same:
                    msgs.append("differs from %s (%s %s)" % (sp1_ref, rr["error"], rr["public_values"].hex()[:80]))
                case["sp1_reference_elf"] = sp1_ref
                case["sp1_reference_cycles"] = rr["cycles"]
            status = "ok" if not msgs else "MISMATCH: " + "; ".join(msgs)
            failures += bool(msgs)
            print("%-17s %-42s %10d cycles  %s" % (program, name, r["cycles"], status))
        out_cases.append(case)

    if args.native:
        wl = {"fibonacci", "keccak-soft", "sort-bench", "coremark-like"}
        for c in out_cases:
            if c["program"] in wl and c["expect_ok"]:
                items = [bytes.fromhex(h) for h in c["stdin_hex"]]
                argv = [args.native, c["program"]]
                if items and items[0]:
                    argv.append(str(struct.unpack_from("<I", items[0])[0]))
                line = subprocess.run(argv, check=True, capture_output=True, text=True).stdout
                pv = dict(kv.split("=", 1) for kv in line.split())["public_values"]
                same = pv == c["public_values_hex"]
                failures += not same
                print("native %-17s %-30s %s" % (c["program"], c["name"], "ok" if same else "MISMATCH " + pv))

    if rv64:
        comment = ("Expected outputs of guest-programs/bin/rv64/*.elf (RV64IM builds, SP1 v6 guests), computed "
                   "independently by scripts/gen_guest_vectors.py --isa rv64 (Python integers, hashlib, own "
                   "Keccak-256). refexec_cycles = global_clk of ../shared/sp1/refexec64.py (SP1 v6.4.0 model) for "
                   "the ELF with the sha256 listed under programs. stdin items are pushed in order; "
                   "expect_ok=false means the guest halts with exit code 1 (no public values), which SP1 v6 "
                   "reports as the run's exit code.")
    else:
        comment = ("Expected outputs of guest-programs/bin/*.elf, computed independently by "
                   "scripts/gen_guest_vectors.py (Python integers, hashlib, own Keccak-256). "
                   "refexec_cycles = global_clk of ../shared/sp1/refexec.py (SP1 v4.1.2 model) for the ELF "
                   "with the sha256 listed under programs. stdin items are pushed in order; "
                   "expect_ok=false means the guest halts with exit code 1 (no public values).")
    elf_dir = "bin/rv64" if rv64 else "bin"
    doc = {
        "comment": comment,
        "abi": "v6" if rv64 else "v4",
        "programs": {p: {"elf": "%s/%s.elf" % (elf_dir, p), "bytes": len(elf_bytes[p]),
                         "sha256": hashlib.sha256(elf_bytes[p]).hexdigest()} for p in programs},
        "cases": out_cases,
    }
    write_vectors(doc, failures, output, args.check, regenerate)


def write_vectors(doc, failures, output, check, regenerate):
    """Writes `doc` to `output` (or with `check`, only compares); `regenerate` is the command to name."""
    text = json.dumps(doc, indent=1) + "\n"
    if failures:
        raise SystemExit("%d mismatches; vectors not written" % failures)
    name = os.path.basename(output)
    if check:
        current = open(output).read() if os.path.exists(output) else ""
        if current != text:
            raise SystemExit("%s is out of date: run %s" % (output, regenerate))
        print("%s is up to date" % name)
    else:
        with open(output, "w") as f:
            f.write(text)
        print("wrote %s (%d cases)" % (output, len(doc["cases"])))


if __name__ == "__main__":
    main()
