#!/usr/bin/env python3
"""Checks the layering of the C core against the table in CSources/CZKVM/README.md.

Derives two graphs over the files of CSources/:
  - includes: `#include "..."` / `#include <...>` lines that resolve to a file of CSources/;
  - calls: compiles every .c file on its own and reads `nm -P`: an object that leaves a symbol
    undefined which another object defines depends on that object (calls and data references,
    e.g. a table naming a handler). Calls through function pointers at run time are not edges.
Fails (exit 1) if a file is in no layer or in two, if an edge of either graph points to a higher
layer, or if either graph has a cycle. Prints a summary; -v also lists the edges.

    scripts/check-c-layers.py [-v] [--root DIR] [--cc CC] [--nm NM]

--root: the repository to check (default: this script's); --cc / --nm: the tools (default: $CC
or cc, $NM or nm).
"""
import argparse
import fnmatch
import os
import re
import shlex
import subprocess
import sys
import tempfile

CSOURCES = CORE = README = ""
INCLUDE_DIRS = []


def set_root(root):
    global CSOURCES, CORE, README, INCLUDE_DIRS
    CSOURCES = os.path.join(os.path.abspath(root), "CSources")
    CORE = os.path.join(CSOURCES, "CZKVM")
    README = os.path.join(CORE, "README.md")
    INCLUDE_DIRS = [os.path.join(CORE, "include"), os.path.join(CSOURCES, "CKeccak", "include")]


def rel(path):
    return os.path.relpath(path, CSOURCES)


def read_layers():
    """[(number, name, [glob patterns relative to CSources/])] from the README's layer table."""
    layers = []
    for line in open(README, encoding="utf-8"):
        m = re.match(r"\|\s*(\d+)\s+([^|]+?)\s*\|([^|]*)\|", line)
        if m:
            patterns = [os.path.normpath(os.path.join("CZKVM", p)) for p in re.findall(r"`([^`]+)`", m.group(3))]
            layers.append((int(m.group(1)), m.group(2), patterns))
    return layers


def source_files():
    out = []
    for dirpath, _, names in os.walk(CSOURCES):
        out += [os.path.join(dirpath, n) for n in names if n.endswith((".c", ".h"))]
    return sorted(out)


def includes(path):
    """The CSources files that `path` includes directly."""
    found = []
    for line in open(path, encoding="utf-8"):
        m = re.match(r'\s*#\s*include\s*([<"])([^>"]+)[>"]', line)
        if not m:
            continue
        dirs = ([os.path.dirname(path)] if m.group(1) == '"' else []) + INCLUDE_DIRS
        for d in dirs:
            candidate = os.path.normpath(os.path.join(d, m.group(2)))
            if os.path.isfile(candidate):
                if candidate.startswith(CSOURCES + os.sep):
                    found.append(candidate)
                break
    return found


def symbols(objects, nm):
    """{object: (defined global symbols, undefined symbols)} from `nm -P`."""
    table = {}
    for src, obj in objects.items():
        defined, undefined = set(), set()
        for line in subprocess.run(nm + ["-P", obj], check=True, capture_output=True, text=True).stdout.splitlines():
            parts = line.split()
            if len(parts) < 2:
                continue
            name, kind = parts[0], parts[1]
            if kind == "U":
                undefined.add(name)
            elif kind.isupper():
                defined.add(name)
        table[src] = (defined, undefined)
    return table


def cycles(nodes, edges):
    """Strongly connected components with more than one node (Tarjan), as sorted lists."""
    index, low, stack, on_stack, result, counter = {}, {}, [], set(), [], [0]
    adjacency = {n: sorted({b for a, b in edges if a == n and b != n}) for n in nodes}

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in adjacency[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                result.append(sorted(component))

    sys.setrecursionlimit(10000)
    for n in nodes:
        if n not in index:
            visit(n)
    return result


def main():
    parser = argparse.ArgumentParser(description="Checks the layering of the C core.")
    parser.add_argument("-v", action="store_true", help="list the edges")
    parser.add_argument("--root", default=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    parser.add_argument("--cc", default=os.environ.get("CC", "cc"))
    parser.add_argument("--nm", default=os.environ.get("NM", "nm"))
    args = parser.parse_args()
    set_root(args.root)
    verbose = args.v
    layers = read_layers()
    if not layers:
        print(f"no layer table in {rel(README)}")
        return 1
    errors = []
    files = source_files()
    layer_of = {}
    for f in files:
        hits = [(n, name) for n, name, patterns in layers if any(fnmatch.fnmatch(rel(f), p) for p in patterns)]
        if len(hits) != 1:
            errors.append(f"{rel(f)}: in {len(hits)} layers of the README's table (needs exactly one)")
        elif hits:
            layer_of[f] = hits[0]

    include_edges = {(f, g) for f in files for g in includes(f) if g != f}

    cc = shlex.split(args.cc)
    cflags = ["-c", "-O0", "-D_GNU_SOURCE"] + [f"-I{d}" for d in INCLUDE_DIRS]
    sources = [f for f in files if f.endswith(".c")]
    with tempfile.TemporaryDirectory() as tmp:
        objects = {}
        for i, src in enumerate(sources):
            obj = os.path.join(tmp, f"{i}.o")
            r = subprocess.run(cc + cflags + [src, "-o", obj], capture_output=True, text=True)
            if r.returncode != 0:
                print(f"cannot compile {rel(src)}:\n{r.stderr}")
                return 1
            objects[src] = obj
        table = symbols(objects, shlex.split(args.nm))
    definer = {}
    for src, (defined, _) in table.items():
        for s in defined:
            if s in definer:
                errors.append(f"{s} is defined in both {rel(definer[s])} and {rel(src)}")
            definer[s] = src
    call_edges = {(src, definer[s]) for src, (_, undefined) in table.items() for s in undefined
                  if s in definer and definer[s] != src}

    for graph, edges, nodes in (("include", include_edges, files), ("call", call_edges, sources)):
        for a, b in sorted(edges):
            if a in layer_of and b in layer_of and layer_of[b][0] > layer_of[a][0]:
                errors.append(f"{graph} edge to a higher layer: {rel(a)} (layer {layer_of[a][0]}) -> "
                              f"{rel(b)} (layer {layer_of[b][0]})")
        for component in cycles(nodes, edges):
            errors.append(f"{graph} cycle among: " + ", ".join(rel(f) for f in component))
        if verbose:
            for a, b in sorted(edges):
                print(f"  {graph}: {rel(a)} -> {rel(b)}")

    print(f"layers ({rel(README)}): " + "; ".join(
        f"{n} {name}: {sum(1 for f in files if layer_of.get(f, (None,))[0] == n)} files" for n, name, _ in layers))
    print(f"include graph: {len(files)} files, {len(include_edges)} edges")
    print(f"call graph (nm): {len(sources)} objects, {len(call_edges)} edges")
    for e in errors:
        print("FAIL: " + e)
    if errors:
        return 1
    print("OK: no include or call cycle, no edge to a higher layer")
    return 0


if __name__ == "__main__":
    sys.exit(main())
