#!/usr/bin/env python3
"""Deterministic cost proxies of benchmark builds (build.sh with BENCH_CFLAGS=-gdwarf-4, which
valgrind 3.19 can read): under cachegrind, host instructions, data reads and writes, and
conditional and indirect branches per guest instruction, per ELF and as geomeans.

    cgcount.py BIN [BIN...] -- ELF[@hex,...] ...

Use small parameters (a few million guest instructions): each run takes ~0.1 s per million.
"""
import math, re, subprocess, sys, tempfile, os

args = sys.argv[1:]
sep = args.index('--')
bins, elfs = args[:sep], args[sep + 1:]
keys = ('Ir', 'Dr', 'Dw', 'Bc', 'Bi', 'Bim')
res = {b: {} for b in bins}
for e in elfs:
    row = []
    for b in bins:
        with tempfile.NamedTemporaryFile(suffix='.cg') as out:
            p = subprocess.run(['valgrind', '--tool=cachegrind', '--cache-sim=yes', '--branch-sim=yes',
                                f'--cachegrind-out-file={out.name}', b, '-n', '1', e],
                               capture_output=True, text=True)
            line = p.stdout.splitlines()[0]
            cycles = int(line.split()[4])
            text = open(out.name).read()
            events = re.search(r'^events: (.*)$', text, re.M).group(1).split()
            summary = [int(x) for x in re.search(r'^summary: (.*)$', text, re.M).group(1).split()]
            d = dict(zip(events, summary))
            d['Dr'] = d.get('Dr', 0); d['Dw'] = d.get('Dw', 0)
            res[b][e] = {k: d.get(k, 0) / cycles for k in keys}
            row.append(res[b][e])
    name = e.split('/')[-1].split('@')[0]
    print(f'{name:28s}', '  '.join('Ir %5.2f Bi %4.2f' % (r['Ir'], r['Bi']) for r in row), flush=True)
for b in bins:
    g = {k: math.exp(sum(math.log(max(1e-9, res[b][e][k])) for e in elfs) / len(elfs)) for k in keys}
    print(f'{os.path.basename(b):16s}', ' '.join(f'{k} {g[k]:6.3f}' for k in keys))
