#!/usr/bin/env python3
"""Alternates benchmark binaries (build.sh) on the same ELFs and reports per-ELF MIPS (the best run
over all rounds: on a shared, noisy machine the fastest run is the least disturbed one; --median:
the median of the per-process medians) and the geomean of each, checking that status, cycles and
public values agree.

    compare.py [-r rounds] [-n runs per process] [--risc0] BIN_A BIN_B [...] -- ELF[@hex,...] ...
"""
import math, subprocess, sys, statistics

args = sys.argv[1:]
rounds, runs, extra, use_median = 5, 3, [], False
while args and args[0].startswith('-') and args[0] != '--':
    if args[0] == '-r': rounds = int(args[1]); args = args[2:]
    elif args[0] == '--median': use_median = True; args = args[1:]
    elif args[0] == '-n': runs = int(args[1]); args = args[2:]
    else: extra.append(args[0]); args = args[1:]
sep = args.index('--')
bins, elfs = args[:sep], args[sep + 1:]
pick = statistics.median if use_median else max
mips = {b: {e: [] for e in elfs} for b in bins}
outcome = {}
for e in elfs:
    for _ in range(rounds):
        for b in bins:
            line = subprocess.run([b, '-n', str(runs), *extra, e], capture_output=True, text=True, check=True).stdout.splitlines()[0]
            f = line.split()
            key = (f[2], f[4], f[6])  # status, cycles, public-values hash
            if outcome.setdefault(e, key) != key:
                print(f'MISMATCH {e}: {b} gives {key}, expected {outcome[e]}')
            mips[b][e].append(float(f[-5]) if use_median else float(f[-2]))
    name = e.split('/')[-1].split('@')[0]
    print(f'{name:36s}', ' '.join(f'{pick(mips[b][e]):8.1f}' for b in bins),
          f'  {pick(mips[bins[-1]][e]) / pick(mips[bins[0]][e]) - 1:+6.1%}', flush=True)
geo = [math.exp(statistics.mean(math.log(pick(mips[b][e])) for e in elfs)) for b in bins]
print(f'{"geomean":36s}', ' '.join(f'{g:8.1f}' for g in geo), f'  {geo[-1] / geo[0] - 1:+6.1%}')
