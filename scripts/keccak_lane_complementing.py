#!/usr/bin/env python3
"""Derives the chi formulas used in CSources/CKeccak/keccak.c (lane complementing) and prints them.

Keccak-f's chi is e[X] = b[X] ^ (~b[X+1] & b[X+2]). If some lanes of the state are stored
complemented, then every chi input b arrives with a known polarity, and every output must be
written with the polarity its position has in the stored state. For each output this script tries
all forms  [~]b[X] ^ ([~]b[X+1] (& or |) [~]b[X+2])  against the 8-row truth table, and per plane
keeps the choice that needs the fewest distinct NOTs. With the complemented set below, every plane
needs one NOT (5 per round instead of 25) and the set is a fixed point of the round.

Usage: python3 scripts/keccak_lane_complementing.py   (standard library only)
"""
import itertools

COMPLEMENTED = {(1, 0), (2, 0), (3, 1), (2, 2), (2, 3), (0, 4)}  # (x, y); lane index x + 5y

RHO = [[0] * 5 for _ in range(5)]
x, y = 1, 0
for t in range(24):
    RHO[x][y] = ((t + 1) * (t + 2) // 2) % 64
    x, y = y, (2 * x + 3 * y) % 5

stored = {(x, y): int((x, y) in COMPLEMENTED) for x in range(5) for y in range(5)}
# theta: a column parity is complemented when an odd number of its lanes are; so is d[x].
column = [sum(stored[(x, y)] for y in range(5)) % 2 for x in range(5)]
d_polarity = [column[(x - 1) % 5] ^ column[(x + 1) % 5] for x in range(5)]


def works(form, b_polarity, out_polarity):
    neg_self, neg_left, neg_right, op = form
    for b0, b1, b2 in itertools.product((0, 1), repeat=3):
        true_value = b0 ^ ((1 - b1) & b2)
        s0, s1, s2 = (b ^ p for b, p in zip((b0, b1, b2), b_polarity))
        left, right = s1 ^ neg_left, s2 ^ neg_right
        got = (s0 ^ neg_self) ^ ((left & right) if op == "&" else (left | right))
        if got != true_value ^ out_polarity:
            return False
    return True


total_nots = 0
for Y in range(5):
    sources = [((X + 3 * Y) % 5, X) for X in range(5)]  # pi: output (X, Y) comes from (x, y)
    b_pol = [stored[src] ^ d_polarity[src[0]] for src in sources]
    options = []
    for X in range(5):
        polarity = (b_pol[X], b_pol[(X + 1) % 5], b_pol[(X + 2) % 5])
        options.append([f for f in itertools.product((0, 1), (0, 1), (0, 1), "&|")
                        if works(f, polarity, stored[(X, Y)])])
    best = None
    for choice in itertools.product(*options):
        negated = set()
        for X, (ns, nl, nr, _) in enumerate(choice):
            negated |= {X} if ns else set()
            negated |= {(X + 1) % 5} if nl else set()
            negated |= {(X + 2) % 5} if nr else set()
        if best is None or len(negated) < len(best[0]):
            best = (negated, choice)
    negated, choice = best
    assert len(negated) == 1, "this complemented set should need exactly one NOT per plane"
    total_nots += len(negated)
    (k,) = negated
    print(f"/* Y = {Y}: sources " + " ".join(f"({sx},{sy})" for sx, sy in sources) + " */")
    for X, (sx, sy) in enumerate(sources):
        r = RHO[sx][sy]
        lane = f"A##{sx}{sy} ^ d{sx}"
        print(f"b{X} = {lane};" if r == 0 else f"b{X} = ROL64({lane}, {r});")
    print(f"nb = ~b{k};")
    for X, (ns, nl, nr, op) in enumerate(choice):
        name = lambda i, neg: "nb" if neg else f"b{i}"
        print(f"E##{X}##{Y} = {name(X, ns)} ^ ({name((X + 1) % 5, nl)} {op} {name((X + 2) % 5, nr)});")
    if Y == 0:
        print("E##00 ^= (rc);")
print(f"/* NOTs per round: {total_nots} */")
