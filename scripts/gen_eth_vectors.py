#!/usr/bin/env python3
"""Independent expected values for Tests/EthereumTests (the ones that do not come from ../shared).

Run in a throwaway virtualenv, outside the repository:
    python3 -m venv /tmp/ethvenv
    /tmp/ethvenv/bin/pip install eth-account==0.14.0 eth-abi==6.0.0 pycryptodome
    /tmp/ethvenv/bin/python scripts/gen_eth_vectors.py

Sources of truth, none of them this project's code:
  * Keccak-256 digests: pycryptodome's Crypto.Hash.keccak.
  * Keccak-f[1600] on the zero state: the straightforward reference below, written from FIPS 202
    section 3 and checked here against pycryptodome (it must reproduce keccak256(b"abc")) and
    against the first lane F1258F7940E1DDE7 published in the Keccak team's
    KeccakF-1600-IntermediateValues.txt.
  * EIP-55 checksums: eth-utils to_checksum_address (the first four are the examples in EIP-55).
  * "r = 5 has no curve point": 5^3 + 7 is a quadratic non-residue mod p (Euler's criterion below).
  * Signatures: eth-account (RFC 6979, low-s, v in {27, 28}).
  * ABI encodings: eth-abi.
"""
from Crypto.Hash import keccak
from eth_abi import encode as abi_encode
from eth_account import Account
from eth_account.messages import encode_defunct
from eth_utils import to_checksum_address


def keccak256(data: bytes) -> bytes:
    return keccak.new(digest_bits=256, data=data).digest()


# ---- Keccak-f[1600], reference style (slow, obviously correct) ----
def rc_bit(t):
    if t % 255 == 0:
        return 1
    r = [1, 0, 0, 0, 0, 0, 0, 0]
    for _ in range(t % 255):
        r = [0] + r
        r[0] ^= r[8]; r[4] ^= r[8]; r[5] ^= r[8]; r[6] ^= r[8]
        r = r[:8]
    return r[0]


ROUND_CONSTANTS = []
for ir in range(24):
    rc = 0
    for j in range(7):
        if rc_bit(j + 7 * ir):
            rc |= 1 << ((1 << j) - 1)
    ROUND_CONSTANTS.append(rc)

RHO = [[0] * 5 for _ in range(5)]
x, y = 1, 0
for t in range(24):
    RHO[x][y] = ((t + 1) * (t + 2) // 2) % 64
    x, y = y, (2 * x + 3 * y) % 5

M64 = (1 << 64) - 1


def rol(v, n):
    return ((v << n) | (v >> (64 - n))) & M64 if n else v


def keccak_f1600(lanes):
    a = [[lanes[x + 5 * y] for y in range(5)] for x in range(5)]
    for rnd in range(24):
        c = [a[x][0] ^ a[x][1] ^ a[x][2] ^ a[x][3] ^ a[x][4] for x in range(5)]
        d = [c[(x - 1) % 5] ^ rol(c[(x + 1) % 5], 1) for x in range(5)]
        a = [[a[x][y] ^ d[x] for y in range(5)] for x in range(5)]
        b = [[0] * 5 for _ in range(5)]
        for x in range(5):
            for y in range(5):
                b[y][(2 * x + 3 * y) % 5] = rol(a[x][y], RHO[x][y])
        a = [[b[x][y] ^ ((~b[(x + 1) % 5][y]) & b[(x + 2) % 5][y]) for y in range(5)] for x in range(5)]
        a[0][0] ^= ROUND_CONSTANTS[rnd]
    return [a[i % 5][i // 5] for i in range(25)]


def reference_keccak256(data: bytes) -> bytes:
    rate = 136
    padded = bytearray(data) + bytearray(rate - len(data) % rate)
    padded[len(data)] ^= 0x01
    padded[-1] ^= 0x80
    state = [0] * 25
    for off in range(0, len(padded), rate):
        for i in range(rate // 8):
            state[i] ^= int.from_bytes(padded[off + 8 * i: off + 8 * i + 8], "little")
        state = keccak_f1600(state)
    return b"".join(state[i].to_bytes(8, "little") for i in range(4))


assert reference_keccak256(b"abc") == keccak256(b"abc")
zero_once = keccak_f1600([0] * 25)
assert zero_once[0] == 0xF1258F7940E1DDE7
zero_twice = keccak_f1600(zero_once)


def swift_lanes(name, lanes):
    rows = ",\n".join("    " + ", ".join("0x%016x" % v for v in lanes[i:i + 5]) for i in range(0, 25, 5))
    return f"let {name}: [UInt64] = [\n{rows},\n]"


def pattern(n):
    """The test inputs' byte pattern: byte i = (i * 7 + 3) mod 256."""
    return bytes((i * 7 + 3) & 0xFF for i in range(n))


print("// ---- Keccak-256 (pycryptodome) ----")
print("empty", keccak256(b"").hex())
print("abc", keccak256(b"abc").hex())
print("200 x 0xa3", keccak256(b"\xa3" * 200).hex())
print("1 MiB pattern", keccak256(pattern(1 << 20)).hex())
for n in (1, 55, 135, 136, 137, 271, 272, 273, 1000):
    print(f"pattern({n})", keccak256(pattern(n)).hex())
print()
print("// ---- Keccak-f[1600] of the zero state, once and twice ----")
print(swift_lanes("zeroStateOnce", zero_once))
print(swift_lanes("zeroStateTwice", zero_twice))
print()

print("// ---- EIP-55 ----")
for a in ["0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed", "0xfb6916095ca1df60bb79ce92ce3ea74c37c5d359",
          "0xdbf03b407c01e7cd3cbea99509d93f8dddc8c6fb", "0xd1220a0cf47c7b9be7a2e6ba89f429762e7b9adb",
          "0x0000000000000000000000000000000000000000", "0xffffffffffffffffffffffffffffffffffffffff"]:
    print(a, to_checksum_address(a))
print()

print("// ---- eth-account signatures ----")
# anvil / hardhat dev account #0 (a public test key).
key = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"
acct = Account.from_key(key)
print("address", acct.address)
print("address of private key 1", Account.from_key(b"\0" * 31 + b"\x01").address)
for msg in [b"", b"hello world", pattern(1000)]:
    signed = Account.sign_message(encode_defunct(primitive=msg), key)
    print(f"personal len={len(msg)} hash={signed.message_hash.hex()} sig={signed.signature.hex()}")
digest = keccak256(b"raw digest")
signed = Account.unsafe_sign_hash(digest, key)
print(f"raw digest={digest.hex()} sig={signed.signature.hex()}")
print()

P = 2**256 - 2**32 - 977
assert pow(5**3 + 7, (P - 1) // 2, P) == P - 1
print("x = 5 is not on secp256k1: checked")
print()

print("// ---- eth-abi encodings ----")
print("uint256 max, bool true, bytes32, address",
      abi_encode(["uint256", "bool", "bytes32", "address"],
                 [2**256 - 1, True, b"\x11" * 32, "0x00000000000000000000000000000000DeaDBeef"]).hex())
print("(uint64,(bytes32,bool),bytes,(bytes,uint64))",
      abi_encode(["(uint64,(bytes32,bool),bytes,(bytes,uint64))"],
                 [(7, (b"\x22" * 32, False), b"\x01\x02\x03", (b"x" * 33, 2**64 - 1))]).hex())
print("bytes empty, bytes 32, bytes 64",
      abi_encode(["bytes", "bytes", "bytes"], [b"", b"\xab" * 32, b"\xcd" * 64]).hex())
