#!/usr/bin/env python3
"""Superinstruction study and choice from per-slot profiles (bench --profile /dev/null --dump DIR).

    fusions.py choose [--triples N] [--triples64 N] --train32 DIR... --train64 DIR...
        prints the VM_FUSE_TRIPLES_COMMON / VM_FUSE_TRIPLES_RV64 lists for program.h: the N most
        frequent op triples (a VM_FUSE_FIRST op, a straight-line op, then any op) over the RV32 training
        programs, then the N most frequent over the RV64 ones that are not already listed. Each
        program weighs the same (frequencies are fractions of its instructions).
    fusions.py firsts --train32 DIR... --train64 DIR...
        ranks the straight-line ops by how often they are followed by another op of their block
        (the candidates for VM_FUSE_FIRST, whose pairs with every op get a handler).
    fusions.py eval [--triples N] --train DIR... --test DIR...
        simulates the dispatches per instruction (the pairs of program.h, plus the N most
        frequent triples of the training programs) on the training and the test programs.

A dump holds one line per slot: its op name and how many times it ran (superinstructions off).
"""
import argparse, collections, glob, math, os, re

CONTROL = set('BEQ BNE BLT BGE BLTU BGEU BEQZ BNEZ BLTZ BGEZ JAL JALR ECALL BRANCH_BAD_TARGET EBREAK UNIMP '
              'ILLEGAL NOT_TEXT END'.split())
RV64_ONLY = set('ADDW SUBW SLLW SRLW SRAW MULW DIVW DIVUW REMW REMUW ADDIW SLLIW SRLIW SRAIW LD LWU SD AUIPC'.split())
HERE = os.path.dirname(os.path.abspath(__file__))


def fuse_first():
    """The VM_FUSE_FIRST ops of program.h."""
    text = open(os.path.join(HERE, '../../CSources/CZKVM/program.h')).read()
    ops = set()
    for name in ('VM_FUSE_FIRST_COMMON', 'VM_FUSE_FIRST_RV64'):
        body = re.search(r'#define %s\(X\)(.*?)\n(?!\s)' % name, text, re.S).group(1)
        ops |= set(re.findall(r'X\((\w+)\)', body))
    return ops


def load(path):
    kinds, counts = [], []
    for line in open(path):
        k, c = line.split()
        kinds.append(k)
        counts.append(int(c))
    return kinds, counts


def programs(dirs):
    return [load(f) for d in dirs for f in sorted(glob.glob(os.path.join(d, '*.slots')))]


def weighted(dirs):
    """(kinds, counts, weight) of every program: each directory weighs 1, shared equally by its
    programs, and a program's counts are divided by its instruction count."""
    for d in dirs:
        progs = programs([d])
        for kinds, counts in progs:
            yield kinds, counts, 1 / (max(1, sum(counts)) * len(progs))


def firsts(dirs):
    """How often each straight-line op is followed by another op of its block."""
    acc = collections.Counter()
    for kinds, counts, w in weighted(dirs):
        for i in range(len(kinds) - 1):
            if counts[i] and kinds[i] not in CONTROL:
                acc[kinds[i]] += counts[i] * w
    return acc


def triples(dirs, first):
    """Frequencies of the triples that start with a VM_FUSE_FIRST op (a loop without triple
    handlers runs such a slot as its pair): each directory weighs 1, shared equally by its
    programs."""
    acc = collections.Counter()
    for kinds, counts, w in weighted(dirs):
        for i in range(len(kinds) - 2):
            if counts[i] and kinds[i] in first and kinds[i + 1] not in CONTROL:
                acc[(kinds[i], kinds[i + 1], kinds[i + 2])] += counts[i] * w
    return acc


def dispatch_ratio(kinds, counts, first, chosen):
    """Dispatches per instruction: every block entry starts a chain of handlers, each taking a
    triple, a pair or one op, as the decoder assigns them."""
    n = len(kinds) - 1
    def take(j):
        if kinds[j] in CONTROL: return 1
        if kinds[j + 1] not in CONTROL and j + 2 <= n and tuple(kinds[j:j + 3]) in chosen: return 3
        return 2 if kinds[j] in first else 1
    dispatches = 0
    for i in range(n):
        entries = counts[i] - (counts[i - 1] if i and kinds[i - 1] not in CONTROL else 0)
        j = i
        while entries > 0:
            dispatches += entries
            j += take(j)
            if kinds[j - 1] in CONTROL: break
    return dispatches / max(1, sum(counts[:n]))


def geomean(xs):
    return math.exp(sum(math.log(x) for x in xs) / len(xs))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('mode', choices=['choose', 'eval', 'firsts'])
    ap.add_argument('--triples', type=int, default=384)
    ap.add_argument('--triples64', type=int, default=128)
    ap.add_argument('--train32', nargs='*', default=[])
    ap.add_argument('--train64', nargs='*', default=[])
    ap.add_argument('--train', nargs='*', default=[])
    ap.add_argument('--test', nargs='*', default=[])
    a = ap.parse_args()
    first = fuse_first()
    if a.mode == 'firsts':
        for label, dirs in (('RV32', a.train32), ('RV64', a.train64)):
            print(label, ' '.join(f'{op} {f / len(dirs):.4f}' for op, f in firsts(dirs).most_common(32)))
        return
    if a.mode == 'eval':
        chosen = set(t for t, _ in triples(a.train, first).most_common(a.triples))
        for label, dirs in (('train', a.train), ('test', a.test)):
            for d in dirs:
                r = [dispatch_ratio(k, c, first, set()) for k, c in programs([d])]
                t = [dispatch_ratio(k, c, first, chosen) for k, c in programs([d])]
                print(f'{label} {d}: pairs {geomean(r):.3f}, pairs and {a.triples} triples {geomean(t):.3f} dispatches per instruction')
        return
    common = [t for t, _ in triples(a.train32, first).most_common(a.triples)]
    assert not any(op in RV64_ONLY for t in common for op in t)
    rv64 = [t for t, _ in triples(a.train64, first).most_common() if t not in set(common)][:a.triples64]
    def emit(name, ts):
        print(f'#define {name}(X)' + ' ' * max(1, 88 - len(name)) + '\\')
        line = '   '
        for t in ts:
            item = ' X(%s, %s, %s)' % t
            if len(line) + len(item) > 96:
                print(line + ' ' * (97 - len(line)) + '\\')
                line = '   '
            line += item
        print(line)
    emit('VM_FUSE_TRIPLES_COMMON', common)
    emit('VM_FUSE_TRIPLES_RV64', rv64)


if __name__ == '__main__':
    main()
