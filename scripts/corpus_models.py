#!/usr/bin/env python3
"""
Independent Python statements of the unseen corpus (guest-programs/corpus/*.c): each function
takes the workload's parameter and returns the 32-bit checksum the C code must return. They are
written from the workloads' descriptions, using Python's own tools where one exists (zlib.crc32
for CRC-32, pow() for modular exponentiation, json.loads for parsing, bytes.upper, direct
Collatz iteration instead of the bytecode machine, sorted() for the sorted list), and are slow:
use small parameters. scripts/gen_guest_vectors.py --corpus uses them to write
guest-programs/vectors-corpus.json.

  python3 scripts/corpus_models.py NAME PARAM     prints the checksum
"""
import json
import struct
import sys
import zlib

M32 = 0xFFFFFFFF
FNV_OFFSET = 0x811C9DC5
FNV_PRIME = 0x01000193

DEFAULTS = {
    "bytecode_vm": 3000, "pointer_chase": 384, "mul_div": 180000, "call_tree": 600, "byte_scan": 384,
    "aes_table": 48000, "bigint_modexp": 16, "json_parse": 14000, "lz_compress": 384, "mark_mix": 350,
    "soft_float": 60000, "hash_map": 300000,
}


def fold(h, v):
    return ((h ^ (v & M32)) * FNV_PRIME) & M32


def fnv1a(data):
    h = FNV_OFFSET
    for b in data:
        h = ((h ^ b) * FNV_PRIME) & M32
    return h


class XorShift32:
    def __init__(self, seed):
        self.s = seed & M32

    def __call__(self):
        x = self.s
        x ^= (x << 13) & M32
        x ^= x >> 17
        x ^= (x << 5) & M32
        self.s = x
        return x


def s32(v):
    v &= M32
    return v - (1 << 32) if v >> 31 else v

# ----------------------------------------------------------------------------- bytecode_vm

def bytecode_vm(param):
    """Collatz trajectories computed directly; the bytecode count derived from the program's
    shape: 4 set-up instructions, 10 per even step, 11 per odd step, then 3 (reached 1) or
    5 (hit the 1000-step cap), HALT included."""
    h = FNV_OFFSET
    for n in range(1, param + 1):
        x, steps, mx, even, odd = n, 0, n, 0, 0
        capped = False
        while x != 1:
            if steps >= 1000:
                capped = True
                break
            if x & 1:
                x = (3 * x + 1) & M32
                odd += 1
            else:
                x >>= 1
                even += 1
            mx = max(mx, x)
            steps += 1
        executed = 4 + 10 * even + 11 * odd + (5 if capped else 3)
        h = fold(fold(fold(h, steps), mx), executed)
    return h

# ----------------------------------------------------------------------------- pointer_chase

def pointer_chase(param):
    n = (1 << 20) if param > 1024 else param * 1024
    if n == 0:
        return 0
    rnd = XorShift32(0x9E3779B9)
    nxt = list(range(n))
    val = [rnd() for _ in range(n)]
    for i in range(n - 1, 0, -1):
        j = rnd() % i
        nxt[i], nxt[j] = nxt[j], nxt[i]
    p = s = mix = 0
    for _ in range(4 * n):
        v = val[p]
        s = (s + v) & M32
        mix = (((mix << 1) | (mix >> 31)) & M32) ^ v
        p = nxt[p]
    h = fold(fold(fold(FNV_OFFSET, s), mix), p)
    for stride in (1, 7, 61, 509):
        stride %= n
        idx = acc = 0
        for k in range(n):
            v = (val[idx] + k) & M32
            val[idx] = v
            acc ^= (v + (acc << 3)) & M32
            idx = (idx + stride) % n
        h = fold(h, acc)
    return h

# ----------------------------------------------------------------------------- mul_div

def _isqrt(v):
    r = int(v ** 0.5)
    while r * r > v:
        r -= 1
    while (r + 1) * (r + 1) <= v:
        r += 1
    return r


def _is_prime(k):
    if k < 2:
        return False
    if k % 2 == 0:
        return k == 2
    d = 3
    while d * d <= k:
        if k % d == 0:
            return False
        d += 2
    return True


def _trunc_divmod(x, d):
    q = abs(x) // abs(d)
    if (x < 0) != (d < 0):
        q = -q
    return q, x - q * d


def mul_div(param):
    rnd = XorShift32(0x2545F491)
    primes = roots = powers = 0
    h = FNV_OFFSET
    for k in range(2, param + 2):
        primes += _is_prime(k)
        roots = (roots + _isqrt((k * 2654435761) & M32)) & M32
        x = (rnd() >> 1) - 0x40000000
        r = rnd()
        d = (r & 0xFFFF) + 1
        if r & 0x10000:
            d = -d
        q, m = _trunc_divmod(x, d)
        h = fold(fold(h, q), m)
        if k & 15 == 0:
            powers ^= (pow(7, k, 0x7FFFFFFF) + k) & M32
    return fold(fold(fold(h, primes), roots), powers)

# ----------------------------------------------------------------------------- call_tree

def _fib(n):
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a


_CT_OPS = [
    lambda x, y: x + y,
    lambda x, y: x - y * 3,
    lambda x, y: x ^ (y << 9),
    lambda x, y: (((x << 5) | (x >> 27)) & M32) + y,
    lambda x, y: x * 0x9E3779B1 + y,
    lambda x, y: (x >> 3) ^ ((x + y) & M32),
    lambda x, y: (~x & M32) + (y & 0xFF),
    lambda x, y: ((((x ^ (x >> 16)) * 0x45D9F3B) & M32) ^ y),
]


def call_tree(param):
    rnd = XorShift32(0x6A09E667)
    h, x = FNV_OFFSET, 1
    for r in range(param):
        h = fold(h, _fib(15 + (r & 3)))

        def build(depth):  # -> (key, left, right) or None; keys drawn in pre-order
            if depth == 0:
                return None
            key = rnd() & 0xFFFF
            left = build(depth - 1)
            right = build(depth - 2 if key & 1 and depth >= 2 else 0 if key & 1 else depth - 1)
            return [key, left, right]

        root = build(10)

        def nodes(t):
            return 0 if t is None else 1 + nodes(t[1]) + nodes(t[2])

        def total(t):
            return 0 if t is None else t[0] + total(t[1]) + total(t[2])

        def height(t):
            return 0 if t is None else 1 + max(height(t[1]), height(t[2]))

        def inorder_mirrored(t, out):  # in-order of the mirrored tree = reverse in-order
            if t is not None:
                inorder_mirrored(t[2], out)
                out.append(t[0])
                inorder_mirrored(t[1], out)
            return out

        h = fold(h, nodes(root))
        h = fold(h, total(root))
        h = fold(h, height(root))
        for key in inorder_mirrored(root, []):
            h = fold(h, key)
        for j in range(1024):
            x = _CT_OPS[(x >> 7) & 7](x, j) & M32
        h = fold(h, x)
    return h

# ----------------------------------------------------------------------------- byte_scan

_BS_WORDS = [b"the", b"quick", b"brown", b"fox", b"jumps", b"over", b"lazy", b"dog",
             b"information", b"station", b"ing", b"and", b"an", b"nation", b"tea", b"ant"]


def _count_overlapping(text, pat):
    count, i = 0, text.find(pat)
    while i >= 0:
        count += 1
        i = text.find(pat, i + 1)
    return count


def byte_scan(param):
    n = (1 << 20) if param > 1024 else param * 1024
    rnd = XorShift32(0x1F83D9AB)
    out = bytearray()
    while len(out) < n:
        out += _BS_WORDS[rnd() >> 28]
        if len(out) < n:
            out.append(ord("\n") if rnd() & 15 == 0 else ord(" "))
    text = bytes(out[:n])
    h = fold(FNV_OFFSET, zlib.crc32(text))
    for pat in (b"an", b"ion ", b"the q", b"tat"):
        h = fold(h, _count_overlapping(text, pat))
    hist = [0] * 256
    for b in text:
        hist[b] += 1
    top = max(range(256), key=lambda b: (hist[b], -b))
    words = [w for w in bytes(c if 97 <= c <= 122 else 32 for c in text).split(b" ") if w]
    h = fold(h, sum(1 for c in hist if c))
    h = fold(h, top)
    h = fold(h, hist[top])
    h = fold(h, len(words))
    h = fold(h, max((len(w) for w in words), default=0))
    return fold(h, fnv1a(text.upper()))

# ----------------------------------------------------------------------------- aes_table

def _gmul(a, b):
    p = 0
    while b:
        if b & 1:
            p ^= a
        a = ((a << 1) ^ (0x11B if a & 0x80 else 0)) & 0xFF
        b >>= 1
    return p


def _aes_sbox():
    sbox = []
    for x in range(256):
        inv = 0 if x == 0 else next(y for y in range(1, 256) if _gmul(x, y) == 1)
        s = inv
        for k in range(1, 5):
            s ^= ((inv << k) | (inv >> (8 - k))) & 0xFF
        sbox.append(s ^ 0x63)
    return sbox


_SBOX = None


def _aes128_encrypt(key, block):
    """Textbook AES-128 on 16-byte values: SubBytes, ShiftRows, MixColumns, AddRoundKey."""
    sbox = _SBOX
    w = [list(key[4 * i:4 * i + 4]) for i in range(4)]
    rcon = 1
    for i in range(4, 44):
        t = list(w[i - 1])
        if i % 4 == 0:
            t = [sbox[b] for b in t[1:] + t[:1]]
            t[0] ^= rcon
            rcon = _gmul(rcon, 2)
        w.append([a ^ b for a, b in zip(w[i - 4], t)])
    st = [b ^ k for b, k in zip(block, sum(w[0:4], []))]  # column-major state, st[4c + r]
    for rnd in range(1, 11):
        st = [sbox[b] for b in st]
        st = [st[4 * ((c + r) % 4) + r] for c in range(4) for r in range(4)]
        if rnd != 10:
            mixed = []
            for c in range(4):
                a = st[4 * c:4 * c + 4]
                mixed += [_gmul(a[0], 2) ^ _gmul(a[1], 3) ^ a[2] ^ a[3],
                          a[0] ^ _gmul(a[1], 2) ^ _gmul(a[2], 3) ^ a[3],
                          a[0] ^ a[1] ^ _gmul(a[2], 2) ^ _gmul(a[3], 3),
                          _gmul(a[0], 3) ^ a[1] ^ a[2] ^ _gmul(a[3], 2)]
            st = mixed
        st = [b ^ k for b, k in zip(st, sum(w[4 * rnd:4 * rnd + 4], []))]
    return bytes(st)


def aes_table(param):
    global _SBOX
    if _SBOX is None:
        _SBOX = _aes_sbox()
        assert _aes128_encrypt(bytes(range(16)), bytes.fromhex("00112233445566778899aabbccddeeff")).hex() \
            == "69c4e0d86a7b0430d8cdb78070b4c55a", "FIPS-197 C.1"
    rnd = XorShift32(0x510E527F)
    key = b"".join(rnd().to_bytes(4, "big") for _ in range(4))
    stream = bytearray()
    out = bytes(16)
    for i in range(param):
        out = _aes128_encrypt(key, bytes.fromhex("0123456789abcdef00000000") + i.to_bytes(4, "big"))
        stream += out
    h = fold(FNV_OFFSET, zlib.crc32(bytes(stream)))
    for k in range(4):
        h = fold(h, int.from_bytes(out[4 * k:4 * k + 4], "big"))
    return h

# ----------------------------------------------------------------------------- bigint_modexp

def bigint_modexp(param):
    rnd = XorShift32(0x3C6EF372)
    h = FNV_OFFSET

    def number(limbs):  # little-endian limbs
        return sum(v << (32 * j) for j, v in enumerate(limbs))

    for i in range(param):
        nl = [rnd() for _ in range(16)]
        nl[0] |= 1
        nl[15] |= 0x80000000
        bl = [rnd() for _ in range(16)]
        bl[15] = nl[15] >> 1
        elimbs = 2 * (1 + i % 8)
        el = [rnd() if j < elimbs else 0 for j in range(16)]
        r = pow(number(bl), number(el), number(nl))
        for j in range(16):
            h = fold(h, (r >> (32 * j)) & M32)
    return h

# ----------------------------------------------------------------------------- json_parse

_JS_ALPHABET = "abcdefghijklmnopqrstuvwxyz ABCXYZ0123456789_-"
_JS_MAX, _JS_MARGIN = 4 << 20, 16384


def _js_generate(records):
    rnd = XorShift32(0x9B05688C)
    out = []
    size = [0]

    def put(s):
        out.append(s)
        size[0] += len(s)

    def gen_string():
        chars = []
        for _ in range(1 + rnd() % 12):
            r = rnd()
            if r & 15 == 0:
                k = (r >> 4) % 5
                chars.append(['\\"', "\\\\", "\\n", "\\t", None][k] or "\\u00%02x" % (0x20 + (r >> 8) % 0x5F))
            else:
                chars.append(_JS_ALPHABET[(r >> 4) % len(_JS_ALPHABET)])
        put('"' + "".join(chars) + '"')

    def gen_value(depth):
        r = rnd()
        kind = r % (6 if depth < 3 else 3)
        if kind in (0, 5):
            shift = (r >> 8) % 31
            put(str(s32(rnd()) >> shift))
        elif kind == 1:
            gen_string()
        elif kind == 2:
            put(["true", "false", "null"][(r >> 8) % 3])
        elif kind == 3:
            put("[")
            for i in range((r >> 8) % 5):
                if i:
                    put(", ")
                gen_value(depth + 1)
            put("]")
        else:
            put("{")
            for i in range((r >> 8) % 4):
                if i:
                    put(", ")
                put('"k%d": ' % i)
                gen_value(depth + 1)
            put("}")

    put("[\n")
    i = 0
    while i < records and size[0] + _JS_MARGIN < _JS_MAX:
        if i:
            put(",\n")
        put('{"id": %d' % i)
        put(', "name": ')
        gen_string()
        put(', "score": %d' % (rnd() % 200001 - 100000))
        put(', "active": ' + ("true" if rnd() & 1 else "false"))
        put(', "tags": [')
        for t in range(rnd() % 4):
            if t:
                put(", ")
            gen_string()
        put('], "nested": ')
        gen_value(1)
        put(', "note": ')
        if rnd() & 1:
            put("null")
        else:
            gen_string()
        put("}")
        i += 1
    put("\n]\n")
    return "".join(out)


def json_parse(param):
    text = _js_generate(param)
    h = [FNV_OFFSET]

    def event(v):
        h[0] = fold(h[0], v)

    def walk(v):
        if v is True:
            event(0x101)
        elif v is False:
            event(0x100)
        elif v is None:
            event(0x102)
        elif isinstance(v, int):
            event(v & M32)
        elif isinstance(v, str):
            event(fnv1a(v.encode("ascii")))
        elif isinstance(v, list):
            for x in v:
                walk(x)
            event(0x200 + len(v))
        else:
            for k, x in v.items():
                event(fnv1a(k.encode("ascii")))
                walk(x)
            event(0x300 + len(v))

    walk(json.loads(text))
    return h[0] ^ len(text.encode("ascii"))

# ----------------------------------------------------------------------------- lz_compress

def _lz_generate(n):
    rnd = XorShift32(0x5BE0CD19)
    data = bytearray()
    while len(data) < n:
        r = rnd()
        if r & 3 and len(data) >= 64:
            dist = 1 + rnd() % min(len(data), 4096)
            for _ in range(4 + (r >> 2) % 60):
                if len(data) >= n:
                    break
                data.append(data[len(data) - dist])
        else:
            for _ in range(1 + (r >> 2) % 24):
                if len(data) >= n:
                    break
                data.append(ord("a") + (rnd() >> 24) % 26)
    return bytes(data)


def lz_compress(param):
    n = (1 << 20) if param > 1024 else param * 1024
    data = _lz_generate(n)
    window, min_match, max_match, max_chain = 1 << 15, 4, 131, 32
    chains = {}  # hash -> positions, most recent last

    def hash4(i):
        return ((int.from_bytes(data[i:i + 4], "little") * 2654435761) & M32) >> 17

    def insert(i):
        chains.setdefault(hash4(i), []).append(i)

    out = bytearray()
    lit = pos = matches = 0

    def flush(start, end):
        while start < end:
            run = min(128, end - start)
            out.append(run - 1)
            out.extend(data[start:start + run])
            start += run

    while pos < n:
        best_len = best_dist = 0
        if pos + min_match <= n:
            limit = min(n - pos, max_match)
            for cand in reversed(chains.get(hash4(pos), [])[-max_chain:]):
                dist = pos - cand
                if dist >= window:
                    break
                length = 0
                while length < limit and data[cand + length] == data[pos + length]:
                    length += 1
                if length > best_len:
                    best_len, best_dist = length, dist
                    if length == limit:
                        break
        if best_len >= min_match:
            flush(lit, pos)
            out += bytes([0x80 | (best_len - min_match), best_dist & 0xFF, best_dist >> 8])
            matches += 1
            for _ in range(best_len):
                if pos + min_match <= n:
                    insert(pos)
                pos += 1
            lit = pos
        else:
            if pos + min_match <= n:
                insert(pos)
            pos += 1
    flush(lit, n)
    h = fold(FNV_OFFSET, len(out))
    h = fold(h, fnv1a(out))
    return fold(h, matches)

# ----------------------------------------------------------------------------- mark_mix

def _crc16(crc, data):
    for b in data:
        crc ^= b << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021 if crc & 0x8000 else crc << 1) & 0xFFFF
    return crc


def _crc16_u16(crc, v):
    return _crc16(crc, [v & 0xFF, (v >> 8) & 0xFF])


def _mm_list(rnd):
    keys = [rnd() >> 20 for _ in range(128)]
    order = sorted(range(128), key=lambda i: keys[i])  # stable: after equal keys
    crc = 0xFFFF
    for q in range(16):
        target = keys[(rnd() >> 8) % 128] ^ (q & 1)
        found = next((pos for pos, i in enumerate(order) if keys[i] == target), 0xFFFF)
        crc = _crc16_u16(crc, found)
    order = [i for i in order if i % 3 != 0][::-1]
    for i in order:
        crc = _crc16_u16(_crc16_u16(crc, keys[i]), i)
    return crc


def _mm_matrix(rnd, it):
    a = [[0] * 16 for _ in range(16)]
    b = [[0] * 16 for _ in range(16)]
    for i in range(16):
        for j in range(16):
            a[i][j] = ((rnd() >> 16) & 0x1FF) - 256
            b[i][j] = ((rnd() >> 16) & 0x1FF) - 256
    c = [[sum(a[i][k] * b[k][j] for k in range(16)) for j in range(16)] for i in range(16)]
    a = [[v + (it & 15) for v in row] for row in a]
    v = [sum(a[i][j] * b[j][i] for j in range(16)) for i in range(16)]
    crc = 0xFFFF
    for row in c:
        for x in row:
            crc = _crc16_u16(crc, ((x & M32) >> 2) & 0xFFFF)
    for x in v:
        crc = _crc16_u16(_crc16_u16(crc, x & 0xFFFF), ((x & M32) >> 16) & 0xFFFF)
    return crc


_MM_ALPHABET = "abcxyz_0123456789+-*/ ()=;"


def _mm_state(rnd):
    text = [_MM_ALPHABET[(rnd() >> 16) % 26] for _ in range(256)]
    # states: start, ident, number, op, error; a token ends when its state is left for another
    # (or for start at a space or punctuation); punctuation is a token of its own.
    tokens = {"ident": 0, "number": 0, "op": 0, "error": 0, "punct": 0}
    state, changes = "start", 0
    for ch in text:
        if ch.isalpha() or ch == "_":
            new = {"start": "ident", "ident": "ident", "number": "error", "op": "ident", "error": "error"}[state]
        elif ch.isdigit():
            new = {"start": "number", "ident": "ident", "number": "number", "op": "number", "error": "error"}[state]
        elif ch in "+-*/=":
            new = "op"
        else:
            new = "start"
            if ch != " ":
                tokens["punct"] += 1
        # a number running into a letter becomes an error token; every other change ends a token
        if state != "start" and state != new and not (state == "number" and new == "error"):
            tokens[state] += 1
        changes += new != state
        state = new
    if state != "start":
        tokens[state] += 1
    crc = 0xFFFF
    for k in (0, tokens["ident"], tokens["number"], tokens["op"], tokens["error"], tokens["punct"]):
        crc = _crc16_u16(crc, k)
    return _crc16_u16(crc, changes)


def mark_mix(param):
    crc = cl = cm = cs = 0
    for it in range(param):
        seed = 0x6A09E667 ^ ((it * 0x9E3779B9) & M32) ^ crc
        rnd = XorShift32(seed or 1)
        cl = _mm_list(rnd)
        cm = _mm_matrix(rnd, it)
        cs = _mm_state(rnd)
        crc = _crc16_u16(_crc16_u16(_crc16_u16(crc, cl), cm), cs)
    return (crc << 16) | (cl ^ cm ^ cs)


# ----------------------------------------------------------------------------- soft_float

def _f32(bits):
    return struct.unpack("<f", struct.pack("<I", bits))[0]


def _bits(v):
    """The binary32 nearest to the double v (round to nearest-even): the double result of one
    +, -, * or / of two binary32 values rounded once more is the correctly rounded binary32 result,
    since 53 >= 2 * 24 + 2."""
    return struct.unpack("<I", struct.pack("<f", v))[0]


def soft_float(param):
    rnd = XorShift32(0x428A2F98)

    def random_float():
        r = rnd()
        exponent = 127 - 8 + (r >> 24) % 17
        return _f32((r & 0x80000000) | exponent << 23 | (rnd() & 0x7FFFFF))

    c3, c2, c1, c0 = 0.125, 0.75, -2.5, 1.0
    f = lambda v: _f32(_bits(v))  # noqa: E731
    dot, h = 0.0, FNV_OFFSET
    for _ in range(param):
        x = random_float()
        y = random_float()
        dot = f(dot + f(x * y))
        p = f(f(f(f(f(f(c3 * x) + c2) * x) + c1) * x) + c0)
        q = f(x / y)
        r = f(f(x + q) * f(y - p))
        h = fold(fold(fold(h, _bits(p)), _bits(q)), _bits(r))
    return fold(h, _bits(dot))


# ----------------------------------------------------------------------------- hash_map

def hash_map(param):
    """The same operations on a Python dict: the checksum depends only on the map's behaviour."""
    n = min(param, 1 << 19)
    d = {}

    def inserted():  # the (key, value) stream of the insertions, replayed by later phases
        rnd = XorShift32(0x9B05688C)
        for _ in range(n):
            k = rnd() % (2 * n) + 1
            yield k, rnd() & 0xFFFF

    for k, v in inserted():
        d[k] = (d.get(k, 0) + v) & M32
    h = fold(FNV_OFFSET, len(d))
    rnd = XorShift32(0x1F83D9AB)
    found = [d[k] for k in (rnd() % (4 * n) + 1 for _ in range(n)) if k in d]
    h = fold(fold(h, len(found)), sum(found))
    deleted = 0
    for i, (k, _) in enumerate(inserted()):
        if i % 3 == 0 and k in d:
            del d[k]
            deleted += 1
    h = fold(fold(h, deleted), len(d))
    hits = acc = 0
    for k, _ in inserted():
        if k in d:
            hits += 1
            acc = (acc * 31 + d[k]) & M32
    return fold(fold(h, hits), acc)


WORKLOADS = {name: globals()[name] for name in DEFAULTS}


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in WORKLOADS:
        raise SystemExit("usage: corpus_models.py {%s} PARAM" % "|".join(WORKLOADS))
    print("0x%08x" % WORKLOADS[sys.argv[1]](int(sys.argv[2])))
