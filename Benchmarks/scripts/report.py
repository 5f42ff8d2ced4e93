#!/usr/bin/env python3
"""Turns one benchmark run into Benchmarks/results/latest.md and latest.json.

Inputs (written by scripts/bench.sh):
  RAW/engine/*.histogram.percentiles.tsv   package-benchmark export (--format histogramPercentiles)
  RAW/node-load.json                       node-load's results
  RAW/cluster-*.json, RAW/failover.json    node-load end to end on SQLite / PostgreSQL / two nodes; failover.py
  RAW/qemu-peer.json                       qemu-user timings of the unseen corpus (qemu_peer.py)
  RAW/jit-fuzz.txt                         the summary of make jit-fuzz (scripts/jit-fuzz.sh)
  RAW/fuzz.txt                             the summary of make fuzz (scripts/fuzz.sh)
It also times ../shared/sp1/refexec.py once per heavy SP1 ELF (skipped with a note when
../shared is absent or with --no-refexec) and describes the machine.

Every engine figure is the median (p50) of the per-iteration values the benchmark recorded.
"""
import argparse
import datetime
import glob
import json
import math
import os
import platform
import re
import resource
import subprocess
import sys
import time

BARS = {"mips_geomean": 1000.0, "load_1mb_ms": 5.0, "e2e_http_jobs_per_s": 6000.0, "e2e_grpc_jobs_per_s": 5000.0,
        "node_cpu_per_job_us": 150.0, "uncached_get_result_us": 50.0, "get_result_fraction": 0.80,
        "image_id_1mb_ms": 20.0, "rv64_over_rv32_mips": 0.90, "corpus_mips_geomean": 1000.0,
        "jit_mips_geomean": 3000.0, "corpus_jit_mips_geomean": 3000.0, "jit_translate_ms_per_mb": 50.0}

GUESTS = [  # benchmark suffix, label, native note
    ("fib", "fib (400,000 iterations)", ""),
    ("keccak_soft", "keccak, software (300 hashes)", ""),
    ("sort", "sort (40,000 u32)", ""),
    ("coremark_like", "CoreMark-like (75 iterations)", ""),
    ("keccak_precompile", "keccak via KECCAK_PERMUTE (12,000 hashes)", "native: software Keccak, same output"),
    ("intensity_1000", "intensity-test, 1000 rounds (SHA-256 precompile)", "native: portable C SHA-256"),
    ("mock_consumer", "mock-consumer (one job's program)", "native: per-call, setup-free"),
]
GEOMEAN_SET = ["fib", "keccak_soft", "sort", "coremark_like"]
# The same workloads built with the SDK's RISC Zero flavour and run under the RISC Zero ABI.
RISC0_GUESTS = ["fib", "keccak_soft", "sort", "coremark_like", "intensity_1000", "mock_consumer"]
# The unseen corpus (guest-programs/corpus/corpus.h): Engine rows corpus-<key>-<O2|Os> (RV32),
# corpus64-<key>-<O2|Os> (RV64), native-corpus-<key>; qemu_peer.py's timings of the same programs.
CORPUS = [  # key, character, what one default run does
    ("bytecode_vm", "branchy", "register-VM bytecode interpreter, Collatz of 1..3,000"),
    ("pointer_chase", "memory-bound", "random cycle through 384 Ki nodes (3 MiB), strided sweeps"),
    ("mul_div", "mul/div-heavy", "trial division, Newton isqrt, signed div, mod 2^31-1 powers, 180,000 numbers"),
    ("call_tree", "call-heavy", "recursive fib, recursive tree walks, function-pointer table; 600 rounds"),
    ("byte_scan", "byte-oriented", "bitwise CRC-32, substring search, histogram, to-upper over 384 KiB"),
    ("aes_table", "table-driven", "AES-128 T-tables, 48,000 counter blocks, table CRC-32"),
    ("bigint_modexp", "bigint", "16 Montgomery modexps, 512-bit, 32-bit limbs"),
    ("json_parse", "parser", "generate and parse a 1.9 MB JSON document (14,000 records)"),
    ("lz_compress", "compressor", "LZ77 with hash chains over 384 KiB, then decompress"),
    ("mark_mix", "CoreMark-like", "list, 16x16 matrix, token state machine, CRC-16; 350 iterations"),
    ("soft_float", "soft-float", "IEEE binary32 add/mul/div in integer code, 60,000 elements"),
    ("hash_map", "hashing", "open-addressing hash table, 300,000 keys: insert, look up, delete"),
]
CORPUS_BUILDS = [("rv32-O2", "corpus", "O2"), ("rv32-Os", "corpus", "Os"), ("rv64-O2", "corpus64", "O2"),
                 ("rv64-Os", "corpus64", "Os")]
PRECOMPILES = ["KECCAK_PERMUTE", "SHA_COMPRESS", "SECP256K1_ADD", "BN254_FP2_MUL", "UINT256_MUL", "HINT_LEN_baseline"]
# Curve and field precompile rows (Engine.swift) and OpenSSL's equivalents (native_ec-<curve>-<op>): the
# syscall, the curve, its Jacobian (or plain field) operation and the affine one (None: no equivalent).
CURVE_PRECOMPILES = [
    ("SECP256K1_ADD", "secp256k1", "add", "add_affine"), ("SECP256K1_DOUBLE", "secp256k1", "dbl", "dbl_affine"),
    ("SECP256K1_DECOMPRESS", "secp256k1", "decompress", None),
    ("SECP256R1_ADD", "secp256r1", "add", "add_affine"), ("SECP256R1_DOUBLE", "secp256r1", "dbl", "dbl_affine"),
    ("SECP256R1_DECOMPRESS", "secp256r1", "decompress", None),
    ("BN254_ADD", "bn254", "add", "add_affine"), ("BN254_DOUBLE", "bn254", "dbl", "dbl_affine"),
    ("BN254_FP_ADD", "bn254", "field_add", None), ("BN254_FP_SUB", "bn254", "field_add", None),
    ("BN254_FP_MUL", "bn254", "field_mul", None), ("BN254_FP2_ADD", None, None, None), ("BN254_FP2_SUB", None, None, None),
    ("BN254_FP2_MUL", None, None, None),
    ("BLS12381_ADD", "bls12381", "add", "add_affine"), ("BLS12381_DOUBLE", "bls12381", "dbl", "dbl_affine"),
    ("BLS12381_DECOMPRESS", "bls12381", "decompress", None),
    ("BLS12381_FP_ADD", "bls12381", "field_add", None), ("BLS12381_FP_SUB", "bls12381", "field_add", None),
    ("BLS12381_FP_MUL", "bls12381", "field_mul", None), ("BLS12381_FP2_ADD", None, None, None),
    ("BLS12381_FP2_SUB", None, None, None), ("BLS12381_FP2_MUL", None, None, None),
    ("ED_ADD", None, None, None), ("ED_DECOMPRESS", None, None, None),
]
NATIVE_OP_LABEL = {"add": "EC_POINT_add", "dbl": "EC_POINT_dbl", "decompress": "EC_POINT_set_compressed_coordinates",
                   "field_add": "BN_mod_add_quick", "field_mul": "BN_mod_mul_montgomery"}
SP1_ELFS = ["examples-bn254", "tests-uint256-mul", "tests-bls12381-double", "examples-patch-testing"]
SP1_V6 = [  # benchmark suffix, label (Engine.swift: sp1v6-<suffix>)
    ("loop-1m", "gpu-loop, n = 1,000,000 (supervisor mode)"),
    ("fibonacci-1000", "gpu-fibonacci, n = 1,000"),
    ("sha2-1000", "gpu-sha2, 1,000 zero bytes (SHA precompiles)"),
    ("trap", "gpu-trap (untrusted mode: page permissions, 6,333 traps)"),
]


def read_engine(directory):
    """{benchmark: {metric: {percentile(int): value}}} from the percentiles export."""
    out = {}
    suffix = ".histogram.percentiles.tsv"
    for path in glob.glob(os.path.join(directory, "*" + suffix)):
        base = os.path.basename(path)[: -len(suffix)]
        m = re.search(r"\.Engine\.(.+)\.([A-Za-z0-9_]+)$", base)
        if not m:
            continue
        name, metric = m.group(1), m.group(2)
        values = {}
        scale = 1.0
        with open(path) as f:
            for line in f:
                parts = line.strip().split("\t")
                if len(parts) == 2 and parts[0] == "Percentile":
                    # The header names the unit when the export scaled the values: "(K)", "(μs)", ...
                    unit = re.search(r"\((K|M|G|ns|μs|us|ms|s)\)", parts[1])
                    scale = {"K": 1e3, "M": 1e6, "G": 1e9, "ns": 1, "μs": 1e3, "us": 1e3, "ms": 1e6, "s": 1e9}.get(
                        unit.group(1) if unit else "", 1.0)
                    if metric == "wallClock" and not unit:
                        scale = 1.0
                elif len(parts) == 2 and parts[0].isdigit():
                    values[int(parts[0])] = float(parts[1]) * scale
        out.setdefault(name, {})[metric] = values
    return out


def p50(engine, name, metric):
    return engine.get(name, {}).get(metric, {}).get(50)


def machine():
    def first(path, key):
        try:
            with open(path) as f:
                for line in f:
                    if line.startswith(key):
                        return line.split(":", 1)[1].strip()
        except OSError:
            pass
        return None

    mem_kb = first("/proc/meminfo", "MemTotal")
    os_name = None
    try:
        with open("/etc/os-release") as f:
            for line in f:
                if line.startswith("PRETTY_NAME="):
                    os_name = line.split("=", 1)[1].strip().strip('"')
    except OSError:
        pass
    try:
        swift = subprocess.run(["swift", "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    except (OSError, IndexError):
        swift = None
    # The commit measured (with "+ changes" when the tree differs from it), so figures can be
    # quoted with what produced them.
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    try:
        commit = subprocess.run(["git", "-C", root, "rev-parse", "--short", "HEAD"], capture_output=True,
                                text=True).stdout.strip() or None
        dirty = subprocess.run(["git", "-C", root, "status", "--porcelain", "--untracked-files=no", "--", ".",
                                ":!Benchmarks/results"], capture_output=True, text=True).stdout.strip()
        if commit and dirty:
            commit += " + uncommitted changes"
    except OSError:
        commit = None
    # A report regenerated later from older raw data names the commit the data came from.
    commit = os.environ.get("REPORT_MEASURED_COMMIT") or commit
    return {
        "commit": commit,
        "cpu": first("/proc/cpuinfo", "model name") or platform.processor(),
        "cores": os.cpu_count(),
        "memory_gib": round(int(mem_kb.split()[0]) / 1048576, 1) if mem_kb else None,
        "os": os_name,
        "kernel": platform.release(),
        "swift": swift,
        "load_average": os.getloadavg(),
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    }


def run_refexec(sp1_dir, names):
    """One timed refexec.py run per ELF: wall and CPU seconds (the CPU time is robust to a busy machine)."""
    manifest = {e["file"]: e for e in json.load(open(os.path.join(sp1_dir, "manifest.json")))}
    results = {}
    for short in names:
        file = f"succinctlabs_sp1__{short}.elf"
        entry = manifest.get(file)
        if not entry:
            continue
        args = [sys.executable, os.path.join(sp1_dir, "refexec.py"), os.path.join(sp1_dir, "elfs", file)]
        for item in entry["stdin_items_hex"]:
            args += ["--stdin-hex", item]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.monotonic()
        proc = subprocess.run(args, capture_output=True, text=True)
        wall = time.monotonic() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        m = re.search(r"cycles\(global_clk\)=(\d+)", proc.stdout)
        results[short] = {"wall_s": round(wall, 3), "cpu_s": round(cpu, 3), "cycles": int(m.group(1)) if m else None,
                          "ok": proc.returncode == 0 and "result=OK" in proc.stdout}
        print(f"[report] refexec {short}: {wall:.2f} s wall, {cpu:.2f} s CPU", file=sys.stderr)
    return results


def fmt_ns(ns):
    if ns is None:
        return "—"
    if ns >= 1e9:
        return f"{ns / 1e9:.2f} s"
    if ns >= 1e6:
        return f"{ns / 1e6:.2f} ms"
    if ns >= 1e3:
        return f"{ns / 1e3:.1f} µs"
    return f"{ns:.0f} ns"


def fmt_int(v):
    return "—" if v is None else f"{v:,.0f}"


def fmt_us(us):
    if us is None:
        return "—"
    return f"{us / 1000:.2f} ms" if us >= 1000 else f"{us:.0f} µs"


def throughput_floors(phase, parts, cores):
    """Per transport: the least CPU an end-to-end job can take on this machine (see the report's text)."""
    out = []
    for t in ("http", "grpc"):
        e2e = phase(f"{t} end_to_end")
        sub, get = phase(f"{t} submit_job (ceiling)"), phase(f"{t} get_result (ceiling)")
        if not (e2e and sub and get) or any(p.get("serverCPUPercent") is None or p.get("clientCPUPercent") is None
                                            or not p["throughput"] for p in (sub, get)):
            continue
        polls = e2e.get("pollsPerJob") or 1.0
        per = lambda p, key: p[key] * 1e4 / p["throughput"]
        client = per(sub, "clientCPUPercent") + polls * per(get, "clientCPUPercent")
        stack = per(sub, "serverCPUPercent") + polls * per(get, "serverCPUPercent")
        node_parts = sum(v for k, v in parts.items() if t == "http" or k != "json")
        total = client + stack + node_parts
        out.append({"transport": t, "polls_per_job": polls, "client_us": client, "stack_us": stack,
                    "node_parts_us": node_parts, "sum_us": total, "max_jobs_per_s": cores * 1e6 / total,
                    "node_cpu_us": stack + node_parts})
    return out


def geomean(values):
    values = [v for v in values if v]
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else None


def cluster_section(args, doc, md):
    """Several nodes on one PostgreSQL database: the same end-to-end load on SQLite, on PostgreSQL,
    and on two nodes sharing it; then the relay failover after kill -9 of the leader."""
    runs = []
    for name, label in (("cluster-sqlite", "1 node, SQLite"), ("cluster-postgres-1", "1 node, PostgreSQL"),
                        ("cluster-postgres-2", "2 nodes, one PostgreSQL")):
        path = os.path.join(args.raw, name + ".json")
        if os.path.exists(path):
            runs.append((name, label, json.load(open(path))))
    failover_path = os.path.join(args.raw, "failover.json")
    failover = json.load(open(failover_path)) if os.path.exists(failover_path) else None
    if not runs and not failover:
        return
    doc["cluster"] = {name: run for name, _, run in runs}
    if failover:
        doc["cluster"]["failover"] = failover
    md.append("## Several nodes on PostgreSQL\n")
    # A report regenerated from older raw data for the rest names the commit these rows came from.
    cluster_commit = os.environ.get("REPORT_CLUSTER_COMMIT") or doc["machine"].get("commit")
    md.append(f"Measured at commit {cluster_commit or 'unknown'}.\n")
    if runs:
        r0 = runs[0][2]
        md.append(f"`node-load --phases end_to_end --transports http`: SubmitJob, then GetResult every "
                  f"{r0['pollIntervalMs']:g} ms until DONE, {r0['concurrency']} jobs in flight, {r0.get('rounds', 1)} round(s) of "
                  f"{r0['durationSeconds']:.0f} s; with two nodes each job's calls go to the node its ID picks. PostgreSQL 15 "
                  f"is a throwaway server on the same machine (`scripts/with-postgres.sh`: fsync off, so its commits cost "
                  f"no disk flush, unlike SQLite's `synchronous=FULL`). **Everything — load generator, nodes, PostgreSQL — "
                  f"shares this machine's {doc['machine']['cores']} cores**, so a second node adds no CPU: this shows what the "
                  f"shared database costs, not how a cluster of machines scales.\n")
        md.append("| configuration | jobs/s (median round) | rounds | p50 | p99 | node CPU per job | jobs lost | vs 1 node SQLite |\n"
                  "|---|---:|---|---:|---:|---:|---:|---:|")
        base = None
        for name, label, run in runs:
            p = next((x for x in run["phases"] if x["operation"] == "end_to_end"), None)
            if not p:
                continue
            if base is None:
                base = p["throughput"]
            lat = p["latencyMicros"]
            cpu = (f"{p['serverCPUPercent'] * 1e4 / p['throughput']:.0f} µs"
                   if p.get("serverCPUPercent") is not None and p["throughput"] else "—")
            rounds = " / ".join(f"{x:,.0f}" for x in p.get("roundThroughputs") or [])
            lost = run.get("jobs", {}).get("lost")
            md.append(f"| {label} | {p['throughput']:,.0f} | {rounds} | {fmt_us(lat['p50'])} | {fmt_us(lat['p99'])} | {cpu} | "
                      f"{lost if lost is not None else '—'} | {p['throughput'] / base:.0%} |")
            doc["cluster"][f"{name}_jobs_per_s"] = p["throughput"]
            if name == "cluster-postgres-1":
                ratio = p["throughput"] / base
                doc["cluster"]["postgres_vs_sqlite"] = ratio
        md.append("")
        if "postgres_vs_sqlite" in doc["cluster"]:
            r = doc["cluster"]["postgres_vs_sqlite"]
            lost = sum((run.get("jobs", {}).get("lost") or 0) for _, _, run in runs)
            md.append(f"Bars: one node on PostgreSQL ≥ 60 % of one node on SQLite: **{r:.0%}** "
                      f"({'met' if r >= 0.6 else 'not met'}); jobs lost across these runs: **{lost}** (bar 0).\n")
    if failover:
        md.append(f"Relay failover (`Benchmarks/scripts/failover.py`, `--lease-seconds {failover['lease_seconds']:g}`, the "
                  f"node's default): two nodes relaying to the dev chain; `kill -9` of the node holding the chain lease, "
                  f"and at once a job submitted to the survivor; the time from the kill to that job's RELAYED status. "
                  f"Baseline: the same on the healthy cluster.\n")
        md.append("| round | killed | epoch before → after | failover | healthy cluster |\n|---|---|---|---:|---:|")
        for r in failover["rounds"]:
            md.append(f"| {r['round']} | {r['killed_leader']} → {r['new_leader']} | {r['epoch_before']} → {r['epoch_after']} | "
                      f"{r['failover_seconds']:.2f} s | {r['baseline_seconds']:.2f} s |")
        met = "met" if failover["median_failover_seconds"] <= 10 else "not met"
        md.append(f"\nMedian failover **{failover['median_failover_seconds']:.2f} s** (bar ≤ 10 s: {met}).\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--raw", required=True)
    ap.add_argument("--out", required=True, help="directory for latest.md / latest.json")
    ap.add_argument("--refexec", default="all", choices=["all", "light", "none"])
    ap.add_argument("--mode", default="full")
    ap.add_argument("--sp1", default=None)
    args = ap.parse_args()

    engine = read_engine(os.path.join(args.raw, "engine"))
    node_path = os.path.join(args.raw, "node-load.json")
    node = json.load(open(node_path)) if os.path.exists(node_path) else None
    breakdown_path = os.path.join(args.raw, "node-breakdown.json")
    breakdown = json.load(open(breakdown_path)) if os.path.exists(breakdown_path) else None
    sp1_dir = args.sp1
    sp1_present = bool(sp1_dir) and os.path.exists(os.path.join(sp1_dir, "manifest.json"))

    doc = {"machine": machine(), "mode": args.mode, "bars": {}, "engine": {}, "node": node}
    md = []
    m = doc["machine"]
    md.append("# Benchmark results\n")
    md.append(f"Generated by `scripts/bench.sh{' --quick' if args.mode == 'quick' else ''}` on {m['date']}"
              f"{' (quick mode: fewer iterations, shorter phases — not for comparison)' if args.mode == 'quick' else ''}.\n")
    md.append("| machine | |\n|---|---|")
    md.append(f"| CPU | {m['cpu']} |")
    md.append(f"| cores | {m['cores']} (shared by load generator and server in the node test; other work may run in parallel) |")
    md.append(f"| memory | {m['memory_gib']} GiB |")
    md.append(f"| OS | {m['os']}, Linux {m['kernel']} |")
    md.append(f"| Swift | {m['swift']} |")
    md.append(f"| commit measured | {m.get('commit') or 'unknown'} |")
    md.append(f"| load average at report time | {', '.join(f'{x:.2f}' for x in m['load_average'])} |\n")

    # ---- Interpreter vs native
    rows = []
    for key, label, note in GUESTS:
        g_ns = p50(engine, f"guest-{key}", "ns_per_run")
        instr = p50(engine, f"guest-{key}", "guest_instructions")
        mips = p50(engine, f"guest-{key}", "MIPS")
        n_ns = p50(engine, f"native-{key}", "ns_per_run")
        ratio = g_ns / n_ns if g_ns and n_ns else None
        g64_ns = p50(engine, f"guest64-{key}", "ns_per_run")
        mips64 = p50(engine, f"guest64-{key}", "MIPS")
        rows.append({"workload": key, "label": label, "guest_instructions": instr, "guest_ns": g_ns, "mips": mips,
                     "native_ns": n_ns, "interpreter_over_native": ratio, "note": note,
                     "rv64_instructions": p50(engine, f"guest64-{key}", "guest_instructions"), "rv64_ns": g64_ns,
                     "rv64_mips": mips64, "rv64_over_rv32_mips": mips64 / mips if mips and mips64 else None,
                     "rv64_over_native": g64_ns / n_ns if g64_ns and n_ns else None})
    doc["engine"]["workloads"] = rows
    gm = geomean([r["mips"] for r in rows if r["workload"] in GEOMEAN_SET])
    gm_ratio = geomean([r["interpreter_over_native"] for r in rows if r["workload"] in GEOMEAN_SET])
    gm64 = geomean([r["rv64_mips"] for r in rows if r["workload"] in GEOMEAN_SET])
    rv64_ratio = gm64 / gm if gm and gm64 else None
    doc["engine"]["mips_geomean"] = gm
    doc["engine"]["interpreter_over_native_geomean"] = gm_ratio
    doc["engine"]["rv64_mips_geomean"] = gm64
    doc["engine"]["rv64_over_rv32_mips_geomean"] = rv64_ratio
    v6_rows = []
    for key, label in SP1_V6:
        ns = p50(engine, f"sp1v6-{key}", "ns_per_run")
        if ns is not None:
            v6_rows.append({"elf": key, "label": label, "cycles": p50(engine, f"sp1v6-{key}", "guest_instructions"), "ns": ns,
                            "mips": p50(engine, f"sp1v6-{key}", "MIPS")})
    doc["engine"]["sp1_v6"] = v6_rows

    load_small = p50(engine, "load-small_elf", "ns_per_run")
    load_big = p50(engine, "load-1mb_elf", "ns_per_run")
    setup = p50(engine, "exec-100_instructions", "ns_per_run")
    doc["engine"]["load"] = {"small_elf_ns": load_small, "one_mib_elf_ns": load_big, "exec_100_instructions_ns": setup}
    # Profiling (profile-<key> against guest-<key>, the same program and input; profile50m-fib: a
    # whole profile of a 50 M-cycle run with its folded, speedscope and flame-graph outputs).
    profile_rows = []
    for key, label, _ in GUESTS:
        ns = p50(engine, f"profile-{key}", "ns_per_run")
        if ns is None:
            continue
        plain = p50(engine, f"guest-{key}", "ns_per_run")
        jit = p50(engine, f"jit-{key}", "ns_per_run")
        profile_rows.append({"workload": key, "label": label, "cycles": p50(engine, f"profile-{key}", "guest_instructions"),
                             "profile_ns": ns, "interpreter_ns": plain, "jit_ns": jit,
                             "over_interpreter": ns / plain if plain else None, "over_jit": ns / jit if jit else None})
    doc["engine"]["profiling"] = {"workloads": profile_rows,
                                  "fib_50m": {"cycles": p50(engine, "profile50m-fib", "guest_instructions"),
                                              "ns": p50(engine, "profile50m-fib", "ns_per_run")}}
    pre = {}
    for name in PRECOMPILES:
        pre[name] = {"calls_per_s": p50(engine, f"precompile-{name}", "calls_per_s"),
                     "ns_per_call": p50(engine, f"precompile-{name}", "ns_per_run")}
    doc["engine"]["precompiles"] = pre
    curve_rows = []
    for name, curve, op, affine in CURVE_PRECOMPILES:
        ns = p50(engine, f"precompile-{name}", "ns_per_run")
        if ns is None:
            continue
        native = p50(engine, f"native_ec-{curve}-{op}", "ns_per_run") if curve else None
        native_affine = p50(engine, f"native_ec-{curve}-{affine}", "ns_per_run") if affine else None
        curve_rows.append({"syscall": name, "ns_per_call": ns, "curve": curve, "native_op": op, "native_ns": native,
                           "native_affine_ns": native_affine})
    doc["engine"]["curve_precompiles"] = curve_rows
    native_inv = {c: p50(engine, f"native_ec-{c}-field_inv", "ns_per_run") for c in ("secp256k1", "secp256r1", "bn254", "bls12381")}
    doc["engine"]["native_field_inv_ns"] = native_inv

    # ---- RISC Zero ABI on the same C workloads, and the v1 image ID
    r0_rows = []
    sp1_by_key = {r["workload"]: r for r in rows}
    for key in RISC0_GUESTS:
        ns = p50(engine, f"risc0-{key}", "ns_per_run")
        if ns is None:
            continue
        s = sp1_by_key.get(key, {})
        r0_rows.append({"workload": key, "label": next(l for k, l, _ in GUESTS if k == key),
                        "instructions": p50(engine, f"risc0-{key}", "guest_instructions"),
                        "user_cycles": p50(engine, f"risc0-{key}", "user_cycles"), "ns": ns,
                        "mips": p50(engine, f"risc0-{key}", "MIPS"),
                        "m_user_cycles_per_s": p50(engine, f"risc0-{key}", "M_user_cycles_per_s"),
                        "sp1_instructions": s.get("guest_instructions"), "sp1_ns": s.get("guest_ns"),
                        "sp1_mips": s.get("mips")})
    r0_gm = geomean([r["mips"] for r in r0_rows if r["workload"] in GEOMEAN_SET])
    image_id_1mb = p50(engine, "risc0-image_id-1mb_elf", "ns_per_run")
    r0_load_1mb = p50(engine, "risc0-load-1mb_elf", "ns_per_run")
    doc["engine"]["risc0"] = {"workloads": r0_rows, "mips_geomean": r0_gm, "image_id_1mb_elf_ns": image_id_1mb,
                              "load_1mb_elf_ns": r0_load_1mb}

    # ---- The unseen corpus: interpreter (four builds), native, qemu-user
    qemu_path = os.path.join(args.raw, "qemu-peer.json")
    qemu = json.load(open(qemu_path)) if os.path.exists(qemu_path) else None
    corpus_rows = []
    for key, character, what in CORPUS:
        r = {"workload": key, "character": character, "what": what}
        for build, prefix, opt in CORPUS_BUILDS:
            name = f"{prefix}-{key}-{opt}"
            instr, mips = p50(engine, name, "guest_instructions"), p50(engine, name, "MIPS")
            q = ((qemu or {}).get("workloads", {}).get(key) or {}).get(build)
            q_mips = instr / (q["median_s"] * 1e6) if instr and q and q.get("ok") and q["median_s"] else None
            r[build] = {"instructions": instr, "ns": p50(engine, name, "ns_per_run"), "mips": mips,
                        "qemu_median_s": q["median_s"] if q else None, "qemu_ok": q.get("ok") if q else None,
                        "qemu_mips": q_mips, "interpreter_over_qemu": mips / q_mips if mips and q_mips else None}
        r["jit_mips"] = {build: p50(engine, f"jit{prefix}-{key}-{opt}", "MIPS") for build, prefix, opt in CORPUS_BUILDS}
        r["native_ns"] = p50(engine, f"native-corpus-{key}", "ns_per_run")
        g = r["rv32-O2"]["ns"]
        r["interpreter_over_native"] = g / r["native_ns"] if g and r["native_ns"] else None
        if any(r[b]["mips"] or r[b]["qemu_mips"] for b, _, _ in CORPUS_BUILDS):
            corpus_rows.append(r)
    corpus_gm = {b: geomean([r[b]["mips"] for r in corpus_rows]) for b, _, _ in CORPUS_BUILDS}
    corpus_gm["all"] = geomean([r[b]["mips"] for r in corpus_rows for b, _, _ in CORPUS_BUILDS])
    corpus_qemu_gm = {b: geomean([r[b]["qemu_mips"] for r in corpus_rows]) for b, _, _ in CORPUS_BUILDS}
    corpus_ratio_gm = {b: geomean([r[b]["interpreter_over_qemu"] for r in corpus_rows]) for b, _, _ in CORPUS_BUILDS}
    corpus_native_gm = geomean([r["interpreter_over_native"] for r in corpus_rows])
    corpus_jit_gm = {b: geomean([r["jit_mips"][b] for r in corpus_rows if r["jit_mips"][b]]) for b, _, _ in CORPUS_BUILDS}
    doc["engine"]["corpus"] = {"workloads": corpus_rows, "mips_geomean": corpus_gm, "qemu_mips_geomean": corpus_qemu_gm,
                               "interpreter_over_qemu_geomean": corpus_ratio_gm,
                               "interpreter_over_native_geomean": corpus_native_gm, "jit_mips_geomean": corpus_jit_gm,
                               "qemu": {k: v for k, v in (qemu or {}).items() if k != "workloads"}}
    # ---- The JIT tier on the same workloads (jit-*, jit64-*, jitr0-*)
    jit_rows = []
    for key, label, _ in GUESTS:
        row = {"workload": key, "label": label}
        for prefix, field in (("jit", "mips"), ("jit64", "rv64_mips"), ("jitr0", "risc0_mips")):
            row[field] = p50(engine, f"{prefix}-{key}", "MIPS")
        row["interpreter_mips"] = sp1_by_key.get(key, {}).get("mips")
        if any(row[f] is not None for f in ("mips", "rv64_mips", "risc0_mips")):
            jit_rows.append(row)
    jit_gm = geomean([r["mips"] for r in jit_rows if r["workload"] in GEOMEAN_SET and r["mips"]])
    jit_gm64 = geomean([r["rv64_mips"] for r in jit_rows if r["workload"] in GEOMEAN_SET and r["rv64_mips"]])
    jit_gm_r0 = geomean([r["risc0_mips"] for r in jit_rows if r["workload"] in GEOMEAN_SET and r["risc0_mips"]])
    doc["engine"]["jit"] = {"workloads": jit_rows, "mips_geomean": jit_gm, "rv64_mips_geomean": jit_gm64,
                            "risc0_mips_geomean": jit_gm_r0}
    # Translation time (jit-translate-<name>): ns of one translation and the program's text bytes.
    translate_rows = []
    for name in sorted(n for n in engine if n.startswith("jit-translate-")):
        ns, text = p50(engine, name, "ns_per_run"), p50(engine, name, "text_bytes")
        if ns and text:
            translate_rows.append({"program": name[len("jit-translate-"):], "text_bytes": text, "ns": ns,
                                   "ms_per_mb": ns / text})  # ns per byte = ms per 10^6 bytes
    doc["engine"]["jit"]["translation"] = translate_rows
    # The 10^6-program differential run (make jit-fuzz), when bench.sh ran it.
    fuzz_path = os.path.join(args.raw, "jit-fuzz.txt")
    fuzz = open(fuzz_path).read().strip() if os.path.exists(fuzz_path) else None
    doc["engine"]["jit"]["fuzz"] = fuzz
    # The libFuzzer targets (make fuzz), when bench.sh ran them.
    lf_path = os.path.join(args.raw, "fuzz.txt")
    libfuzzer = open(lf_path).read().strip() if os.path.exists(lf_path) else None
    doc["engine"]["libfuzzer"] = libfuzzer

    # ---- SP1 ELFs vs refexec.py
    sp1_rows = []
    refexec = {}
    if sp1_present and args.refexec != "none":
        names = SP1_ELFS if args.refexec == "all" else [n for n in SP1_ELFS if n != "examples-bn254"]
        refexec = run_refexec(sp1_dir, names)
    for short in SP1_ELFS:
        ns = p50(engine, f"sp1-{short}", "ns_per_run")
        if ns is None and short not in refexec:
            continue
        r = refexec.get(short, {})
        sp1_rows.append({"elf": short, "cycles": p50(engine, f"sp1-{short}", "guest_instructions"), "ns": ns,
                         "mips": p50(engine, f"sp1-{short}", "MIPS"), "refexec_wall_s": r.get("wall_s"),
                         "refexec_cpu_s": r.get("cpu_s"), "refexec_cycles": r.get("cycles"),
                         "speedup_vs_refexec_cpu": (r["cpu_s"] * 1e9 / ns) if ns and r.get("cpu_s") else None})
    doc["engine"]["sp1"] = sp1_rows

    # ---- Node
    def phase(name):
        for p in (node or {}).get("phases", []) + (node or {}).get("external", []):
            if p["name"] == name:
                return p
        return None

    e2e_best = None
    getresult_fraction = {}
    if node:
        for t in ("grpc", "http"):
            e = phase(f"{t} end_to_end")
            if e:
                e2e_best = max(e2e_best or 0, e["throughput"])
            n, c = phase(f"{t} get_result"), phase(f"{t} get_result (ceiling)")
            if n and c and c["throughput"]:
                getresult_fraction[t] = n["throughput"] / c["throughput"]
    doc["node_summary"] = {"end_to_end_jobs_per_s_best": e2e_best, "get_result_fraction_of_ceiling": getresult_fraction}

    # ---- Bars
    bars = []
    bars.append(("Interpreter MIPS, geomean of fib / keccak / sort / CoreMark-like", f"≥ {BARS['mips_geomean']:,.0f}",
                 f"{gm:,.0f}" if gm else "—", gm is not None and gm >= BARS["mips_geomean"],
                 f"{(gm / BARS['mips_geomean'] - 1) * 100:+.0f}%" if gm else ""))
    bars.append(("RV64 interpreter MIPS / RV32, geomean of the same four workloads (same C sources, same run)",
                 f"≥ {BARS['rv64_over_rv32_mips']:.0%}", f"{rv64_ratio:.0%}" if rv64_ratio else "—",
                 rv64_ratio is not None and rv64_ratio >= BARS["rv64_over_rv32_mips"],
                 f"{(rv64_ratio / BARS['rv64_over_rv32_mips'] - 1) * 100:+.0f}%" if rv64_ratio else ""))
    cgm = corpus_gm["rv32-O2"]
    if corpus_rows:
        bars.append((f"Interpreter MIPS, geomean over the unseen corpus ({len(corpus_rows)} workloads written for breadth, "
                     "RV32 -O2; never used to tune the interpreter)", f"≥ {BARS['corpus_mips_geomean']:,.0f}",
                     fmt_int(cgm), cgm is not None and cgm >= BARS["corpus_mips_geomean"],
                     f"{(cgm / BARS['corpus_mips_geomean'] - 1) * 100:+.0f}%" if cgm else ""))
        jcgm = corpus_jit_gm["rv32-O2"]
        bars.append((f"JIT MIPS, geomean over the unseen corpus ({len(corpus_rows)} workloads, RV32 -O2)",
                     f"≥ {BARS['corpus_jit_mips_geomean']:,.0f}", fmt_int(jcgm),
                     jcgm is not None and jcgm >= BARS["corpus_jit_mips_geomean"],
                     f"{(jcgm / BARS['corpus_jit_mips_geomean'] - 1) * 100:+.0f}%" if jcgm else ""))
    if translate_rows:
        # The target is about big programs: measured on the largest text (small ones are dominated
        # by a fixed ~0.2 ms of mapping and sealing; the table below shows every program).
        worst = max(translate_rows, key=lambda r: r["text_bytes"])
        bars.append((f"JIT translation time per MB of text (the largest text measured: {worst['program']}, "
                     f"{worst['text_bytes'] / 1024:,.0f} KiB)",
                     f"≤ {BARS['jit_translate_ms_per_mb']:.0f} ms", f"{worst['ms_per_mb']:.1f} ms",
                     worst["ms_per_mb"] <= BARS["jit_translate_ms_per_mb"],
                     f"{(worst['ms_per_mb'] / BARS['jit_translate_ms_per_mb'] - 1) * 100:+.0f}%"))
    if jit_gm is not None:
        bars.append(("JIT MIPS, geomean of fib / keccak / sort / CoreMark-like (RV32)", f"≥ {BARS['jit_mips_geomean']:,.0f}",
                     f"{jit_gm:,.0f}", jit_gm >= BARS["jit_mips_geomean"],
                     f"{(jit_gm / BARS['jit_mips_geomean'] - 1) * 100:+.0f}%"))
    bars.append(("Program(elf:) + ID, 1 MiB ELF", f"< {BARS['load_1mb_ms']} ms", fmt_ns(load_big),
                 load_big is not None and load_big < BARS["load_1mb_ms"] * 1e6,
                 f"{(load_big / (BARS['load_1mb_ms'] * 1e6) - 1) * 100:+.0f}%" if load_big else ""))
    if image_id_1mb is not None:
        bars.append(("RISC Zero v1 image ID (the Risc0 program ID), 1 MB ELF", f"≤ {BARS['image_id_1mb_ms']:g} ms",
                     fmt_ns(image_id_1mb), image_id_1mb <= BARS["image_id_1mb_ms"] * 1e6,
                     f"{(image_id_1mb / (BARS['image_id_1mb_ms'] * 1e6) - 1) * 100:+.0f}%"))
    def cpu_per_request(p):
        return p["serverCPUPercent"] * 1e4 / p["throughput"] if p and p.get("serverCPUPercent") is not None and p["throughput"] else None
    for t, key in (("http", "e2e_http_jobs_per_s"), ("grpc", "e2e_grpc_jobs_per_s")):
        e = phase(f"{t} end_to_end")
        x = e["throughput"] if e else None
        bars.append((f"Node, end-to-end mock-consumer jobs/s over {t} (node-load, 64 in flight)", f"≥ {BARS[key]:,.0f}",
                     fmt_int(x), x is not None and x >= BARS[key], f"{(x / BARS[key] - 1) * 100:+.0f}%" if x else ""))
    replay = phase("http submit_job wrk replay")
    if replay and replay.get("verification"):
        x = replay["verification"]["completedPerSecond"]
        bars.append(("Node, end-to-end jobs/s with wrk replaying pre-signed jobs (submitted, run, DONE)",
                     f"≥ {BARS['e2e_http_jobs_per_s']:,.0f}", fmt_int(x), x >= BARS["e2e_http_jobs_per_s"],
                     f"{(x / BARS['e2e_http_jobs_per_s'] - 1) * 100:+.0f}%"))
    x = cpu_per_request(phase("http end_to_end"))
    bars.append(("Node CPU per end-to-end job over HTTP (SubmitJob, execution, signing, storage, its GetResult polls)",
                 f"≤ {BARS['node_cpu_per_job_us']:.0f} µs", f"{x:.0f} µs" if x else "—",
                 x is not None and x <= BARS["node_cpu_per_job_us"],
                 f"{(x / BARS['node_cpu_per_job_us'] - 1) * 100:+.0f}%" if x else ""))
    x = cpu_per_request(phase("http get_result wrk (node, oldest job)"))
    bars.append(("GetResult of a job in no cache (the run's first job), node CPU per request, wrk",
                 f"≤ {BARS['uncached_get_result_us']:.0f} µs", f"{x:.0f} µs" if x else "—",
                 x is not None and x <= BARS["uncached_get_result_us"],
                 f"{(x / BARS['uncached_get_result_us'] - 1) * 100:+.0f}%" if x else ""))
    if node:
        lost = node.get("jobs", {}).get("lost")
        bars.append(("Jobs lost (accepted but not DONE in the database after shutdown)", "0",
                     "not checked" if lost is None else str(lost), lost == 0, ""))
    for t, frac in getresult_fraction.items():
        bars.append((f"GetResult over {t}, fraction of the trivial-handler ceiling (same Swift client for both)", f"≥ {BARS['get_result_fraction']:.0%}",
                     f"{frac:.0%}", frac >= BARS["get_result_fraction"],
                     f"{(frac / BARS['get_result_fraction'] - 1) * 100:+.0f}%"))
    # Not the bar's method (the bar uses the same Swift client for node and ceiling), but the same
    # ratio when a C client leaves the server as the bottleneck.
    if node:
        for tool, t in (("h2load", "grpc"), ("wrk", "http")):
            for which, label in (("", "most recent job"), (" (node, oldest job)", "oldest job")):
                n, c = phase(f"{t} get_result {tool}{which}"), phase(f"{t} get_result {tool} (ceiling)")
                if n and c and c["throughput"]:
                    frac = n["throughput"] / c["throughput"]
                    bars.append((f"for reference: GetResult over {t}, {label}, driven by {tool} (C client)", "—",
                                 f"{frac:.0%}", None, ""))
    doc["bars"] = [{"bar": b[0], "target": b[1], "measured": b[2], "met": b[3], "vs_target": b[4]} for b in bars]
    md.append("## Bars\n")
    md.append("| bar | target | measured | met | vs. target |\n|---|---|---|---|---|")
    for b in bars:
        met = "—" if b[3] is None else ("yes" if b[3] else "**no**")
        md.append(f"| {b[0]} | {b[1]} | {b[2]} | {met} | {b[4]} |")
    md.append("")

    md.append("## Interpreter against native\n")
    md.append("Release build. Guest: `Program.execute` wall time (stdin in, public values out, arena reuse included); "
              "native: the same workload C sources compiled with clang -O2 for the host, called in-process. "
              "Medians of the iterations; both sides run in the same benchmark process run, one after the other. "
              "Every guest run's public values are checked against the native output.\n")
    md.append("| workload | guest instructions | guest wall | MIPS | native wall | interpreter / native |\n|---|---:|---:|---:|---:|---:|")
    for r in rows:
        ratio = f"{r['interpreter_over_native']:.1f}×" if r["interpreter_over_native"] else "—"
        note = f" ({r['note']})" if r["note"] else ""
        md.append(f"| {r['label']}{note} | {fmt_int(r['guest_instructions'])} | {fmt_ns(r['guest_ns'])} | "
                  f"{fmt_int(r['mips'])} | {fmt_ns(r['native_ns'])} | {ratio} |")
    md.append(f"| **geomean, fib / keccak / sort / CoreMark-like** | | | **{fmt_int(gm)}** | | "
              f"**{gm_ratio:.1f}×** |" if gm and gm_ratio else "| geomean | | | — | | — |")
    md.append("")

    md.append("## RV32 against RV64\n")
    md.append("The same workload C sources built by the guest SDK for RV32IM (SP1 v3-v5 guests, `guest-programs/bin`) "
              "and RV64IM (SP1 v6 guests, `guest-programs/bin/rv64`), run in the same benchmark process one after the "
              "other, each checked against the native output. RV64 code needs fewer instructions where the work is "
              "64-bit; MIPS compares the interpreter's speed per instruction.\n")
    md.append("| workload | RV32 instructions | RV32 MIPS | RV64 instructions | RV64 MIPS | RV64 / RV32 MIPS | RV64 wall | RV64 / native |\n"
              "|---|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        ratio = f"{r['rv64_over_rv32_mips']:.0%}" if r["rv64_over_rv32_mips"] else "—"
        nat = f"{r['rv64_over_native']:.1f}×" if r["rv64_over_native"] else "—"
        md.append(f"| {r['label']} | {fmt_int(r['guest_instructions'])} | {fmt_int(r['mips'])} | "
                  f"{fmt_int(r['rv64_instructions'])} | {fmt_int(r['rv64_mips'])} | {ratio} | {fmt_ns(r['rv64_ns'])} | {nat} |")
    md.append(f"| **geomean, fib / keccak / sort / CoreMark-like** | | **{fmt_int(gm)}** | | **{fmt_int(gm64)}** | "
              f"**{rv64_ratio:.0%}** | | |" if rv64_ratio else "| geomean | | — | | — | — | | |")
    md.append("")

    md.append("## Unseen corpus\n")
    if not corpus_rows:
        md.append("Not run.\n")
    else:
        md.append("Twelve workloads written for breadth, each of a different character (`guest-programs/corpus/`, described in "
                  "`corpus.h`): portable C with no libc, inputs generated in-program from a fixed seed, a 32-bit checksum "
                  "out. **These programs were not used to choose the interpreter's superinstructions** (they were written "
                  "after those were chosen, and nothing in the interpreter was tuned on them), so they measure it on code "
                  "nobody tuned it for. Each runs as four guests built from the same source — RV32IM (SP1 v4 rules, "
                  "`bin/corpus/`) and RV64IM (SP1 v6, `bin/rv64/corpus/`), each at -O2 and -Os — at its default parameter; "
                  "every run's public values are checked against the same C compiled for the host (clang -O2, "
                  "in-process: the native column). MIPS = the engine's exact instruction count / `Program.execute` wall "
                  "time, median of the iterations. The JIT columns: the same RV32 and RV64 -O2 builds on the JIT tier "
                  "(`engine: .jit`, translated before the first iteration).\n")
        md.append("| workload | character | one run | RV32 -O2 instructions | MIPS RV32 -O2 | RV32 -Os | RV64 -O2 | RV64 -Os | "
                  "native wall | interpreter / native (RV32 -O2) | JIT MIPS RV32 -O2 | JIT MIPS RV64 -O2 |\n"
                  "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for r in corpus_rows:
            nat = f"{r['interpreter_over_native']:.1f}×" if r["interpreter_over_native"] else "—"
            md.append(f"| {r['workload']} | {r['character']} | {r['what']} | {fmt_int(r['rv32-O2']['instructions'])} | "
                      + " | ".join(fmt_int(r[b]["mips"]) for b, _, _ in CORPUS_BUILDS)
                      + f" | {fmt_ns(r['native_ns'])} | {nat} | {fmt_int(r['jit_mips']['rv32-O2'])} | "
                      f"{fmt_int(r['jit_mips']['rv64-O2'])} |")
        md.append(f"| **geomean** (all four builds: **{fmt_int(corpus_gm['all'])}**) | | | | "
                  + " | ".join(f"**{fmt_int(corpus_gm[b])}**" for b, _, _ in CORPUS_BUILDS)
                  + f" | | {f'**{corpus_native_gm:.1f}×**' if corpus_native_gm else '—'} | "
                  f"**{fmt_int(corpus_jit_gm['rv32-O2'])}** | **{fmt_int(corpus_jit_gm['rv64-O2'])}** |")
        md.append("")
        md.append("### Against qemu-user on the same programs\n")
        if not qemu or qemu.get("skipped"):
            md.append(f"qemu-user not run{': ' + qemu['skipped'] if qemu and qemu.get('skipped') else ''}.\n")
        else:
            md.append(f"`{qemu.get('qemu_version', 'qemu')}` (`qemu-riscv32` / `qemu-riscv64`, Linux user mode, a JIT: TCG) "
                      f"running Linux static binaries (`make -C guest-programs corpus-linux`) that link the very workload "
                      f"object of the matching SP1 ELF, with their own `_start` and `main` (parameter from argv, checksum "
                      f"printed with the `write` syscall, then `exit`) instead of the SDK's start-up, stdin read and "
                      f"public-values commit — the two differ only in that start-up (about 1,000 guest instructions for the "
                      f"SP1 ELF, a few hundred for the Linux binary; under 0.01 % of a run), and every qemu output is checked "
                      f"against the native one. qemu time = wall time of the whole `qemu-riscv*` process (start-up and "
                      f"translation included, nothing subtracted), median of {qemu.get('runs')} runs each; qemu MIPS = the "
                      f"engine's exact instruction count for the SP1 ELF of the same workload, ISA and -O level at the same "
                      f"parameter / that time. interpreter / qemu = our MIPS / qemu's (above 1: we are faster)."
                      + (" For scale, a qemu run that does almost no work (mark_mix with parameter 0: start-up, one "
                         "line out, exit) takes " + " / ".join(f"{v * 1e3:.1f} ms ({k})" for k, v in
                                                             sorted(qemu.get("startup_s", {}).items()))
                         + "; it is included in every qemu time above." if qemu.get("startup_s") else "") + "\n")
            md.append("| workload | qemu MIPS RV32 -O2 | interpreter / qemu | qemu RV32 -Os | interpreter / qemu | "
                      "qemu RV64 -O2 | interpreter / qemu | qemu RV64 -Os | interpreter / qemu |\n"
                      "|---|---:|---:|---:|---:|---:|---:|---:|---:|")
            def ratio(v):
                return f"{v:.2f}" if v else "—"
            for r in corpus_rows:
                cells = []
                for b, _, _ in CORPUS_BUILDS:
                    bad = r[b]["qemu_ok"] is False
                    cells += ["output differs" if bad else fmt_int(r[b]["qemu_mips"]), ratio(r[b]["interpreter_over_qemu"])]
                md.append(f"| {r['workload']} | " + " | ".join(cells) + " |")
            md.append("| **geomean** | " + " | ".join(f"**{fmt_int(corpus_qemu_gm[b])}** | **{ratio(corpus_ratio_gm[b])}**"
                                                    for b, _, _ in CORPUS_BUILDS) + " |")
            md.append("")
    md.append("## JIT tier\n")
    if not jit_rows:
        md.append("Not run.\n")
    else:
        md.append("The same programs and inputs as above on the JIT tier (`execute(..., engine: .jit)`, the program translated "
                  "before the first iteration; results identical to the interpreter's, checked per run): RV32 (SP1), RV64 "
                  "(SP1 v6) and RISC Zero builds. MIPS, medians.\n")
        md.append("| workload | interpreter MIPS (RV32) | JIT MIPS (RV32) | JIT / interpreter | JIT MIPS (RV64) | JIT MIPS (RISC Zero) |\n"
                  "|---|---:|---:|---:|---:|---:|")
        for r in jit_rows:
            speedup = r["mips"] / r["interpreter_mips"] if r["mips"] and r["interpreter_mips"] else None
            md.append(f"| {r['label']} | {fmt_int(r['interpreter_mips'])} | {fmt_int(r['mips'])} | "
                      f"{f'{speedup:.1f}x' if speedup else '—'} | {fmt_int(r['rv64_mips'])} | {fmt_int(r['risc0_mips'])} |")
        md.append(f"| **geomean, fib / keccak / sort / CoreMark-like** | **{fmt_int(gm)}** | **{fmt_int(jit_gm)}** | | "
                  f"**{fmt_int(jit_gm64)}** | **{fmt_int(jit_gm_r0)}** |")
        md.append("")
    if translate_rows:
        md.append("Translation (`Program.prepareJIT()` on a freshly loaded program; the translator's own clock: "
                  "x86-64 emission from the pre-decoded slots, fix-ups, sealing the code read-only and executable), "
                  "median of the iterations:\n")
        md.append("| program | text | translation | per MB of text |\n|---|---:|---:|---:|")
        for r in translate_rows:
            md.append(f"| {r['program']} | {r['text_bytes'] / 1024:,.0f} KiB | {fmt_ns(r['ns'])} | {r['ms_per_mb']:.1f} ms |")
        md.append("")
    if fuzz:
        md.append("Differential fuzzing of the JIT against the interpreter (`make jit-fuzz`: random RV32IM / RV64IM "
                  "programs under SP1 v4, SP1 v6 and RISC Zero, each run to its end and at cycle limits N - 1, N, N + 1, "
                  "0 and a random one; status, cycles, pc, address, word, message, exit code, registers and data memory "
                  "compared):\n")
        md.append("```\n" + fuzz + "\n```\n")
    if libfuzzer:
        md.append("libFuzzer (`make fuzz`, `fuzz/`: the ELF loaders, both tiers on random code, syscalls with hostile "
                  "arguments; AddressSanitizer, leaks checked; any tier difference is a finding):\n")
        md.append("```\n" + libfuzzer + "\n```\n")

    md.append("## RISC Zero ABI on the same C workloads\n")
    if not r0_rows:
        md.append("Not run.\n")
    else:
        md.append("The workloads above built with the SDK's RISC Zero flavour (`guest-programs/bin/risc0/`) and run under "
                  "the RISC Zero 1.x ABI (`Program(elf:vm: .risc0)`), with the input of the matching "
                  "`vectors-risc0.json` case (the same parameter; journal checked against the native output and the "
                  "user cycles against the vector). MIPS counts instructions (the count `scripts/risc0_model.py` "
                  "recorded for the same run), so it compares with SP1's columns (the RV32 build, `guest-programs/bin`); "
                  "RISC Zero's user cycles charge 2 for "
                  "bitwise ops, right shifts and division, and 6 + 68 per SHA block. The RISC Zero builds use "
                  "software Keccak-f and the SHA ecall.\n")
        md.append("| workload | RISC Zero instructions | user cycles | RISC Zero wall | RISC Zero MIPS | M user cycles/s | "
                  "SP1 instructions | SP1 wall | SP1 MIPS |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|")
        for r in r0_rows:
            md.append(f"| {r['label']} | {fmt_int(r['instructions'])} | {fmt_int(r['user_cycles'])} | {fmt_ns(r['ns'])} | "
                      f"{fmt_int(r['mips'])} | {fmt_int(r['m_user_cycles_per_s'])} | {fmt_int(r['sp1_instructions'])} | "
                      f"{fmt_ns(r['sp1_ns'])} | {fmt_int(r['sp1_mips'])} |")
        md.append(f"| **geomean, fib / keccak / sort / CoreMark-like** | | | | **{fmt_int(r0_gm)}** | | | | "
                  f"**{fmt_int(gm)}** |")
        md.append("")
        md.append("| RISC Zero v1 image ID | median |\n|---|---:|")
        md.append(f"| `Risc0.image(elf:)` (the Risc0 program ID), 1 MiB ELF (risc0/fibonacci.elf + a 1 MiB pseudo-random "
                  f"read-only segment at 0x08000000) | {fmt_ns(image_id_1mb)} |")
        md.append(f"| `Program(elf:vm: .risc0)` of the same ELF: v1 loader, image ID, pre-decoding | {fmt_ns(r0_load_1mb)} |")
        md.append("")

    md.append("## SP1 v6 ELFs\n")
    if not v6_rows:
        md.append("Skipped: `../shared/sp1/manifest-v6.json` is not present next to the repository.\n")
    else:
        md.append("Real SP1 v6 (RV64IM) guests of `../shared/sp1/elfs-v6`: median `execute` wall time, each run checked "
                  "against the manifest's cycle count (loop-1m: the manifest's 4n + 4847).\n")
        md.append("| ELF | cycles | wall | MIPS |\n|---|---:|---:|---:|")
        for r in v6_rows:
            md.append(f"| {r['label']} | {fmt_int(r['cycles'])} | {fmt_ns(r['ns'])} | {fmt_int(r['mips'])} |")
        md.append("")

    md.append("## Loading and per-execution setup\n")
    md.append("| what | median |\n|---|---:|")
    md.append(f"| `Program(elf:)` + `id`, mock-consumer.elf (8,360 bytes) | {fmt_ns(load_small)} |")
    md.append(f"| `Program(elf:)` + `id`, 1 MiB ELF (fibonacci.elf + a 1 MiB pseudo-random read-only segment, built in code) | {fmt_ns(load_big)} |")
    md.append(f"| `execute` of a 100-instruction program (no stdin, no output): per-execution setup | {fmt_ns(setup)} |")
    md.append("")

    md.append("## Profiling\n")
    prof = doc["engine"]["profiling"]
    if not prof["workloads"]:
        md.append("Not run.\n")
    else:
        md.append("`Program.profile` (what `zkvm profile` runs: every retired instruction attributed to its function on a "
                  "shadow call stack) on the interpreter rows' programs and inputs, in the same run; each profiled run is "
                  "checked against `execute` (cycles, public values, self cycles summing to the total). Profiling is its "
                  "own run mode: `execute` never takes that path, so the rows above are unaffected.\n")
        md.append("| workload | cycles | profile | interpreter | JIT | profile / interpreter | profile / JIT |\n"
                  "|---|---:|---:|---:|---:|---:|---:|")
        for r in prof["workloads"]:
            md.append(f"| {r['label']} | {fmt_int(r['cycles'])} | {fmt_ns(r['profile_ns'])} | {fmt_ns(r['interpreter_ns'])} | "
                      f"{fmt_ns(r['jit_ns'])} | " + " | ".join(f"{v:.1f}×" if v else "—" for v in (r["over_interpreter"], r["over_jit"]))
                      + " |")
        big = prof["fib_50m"]
        if big["ns"]:
            md.append(f"\nA whole profile of a {big['cycles'] / 1e6:.1f} M-cycle run (fibonacci, 4,200,000 iterations: the "
                      f"profiled run, its folded stacks, speedscope file and flame graph): **{fmt_ns(big['ns'])}** (median).")
        md.append("")

    md.append("## Precompile throughput\n")
    md.append("One `SyscallMachine.syscall` per call (no interpreter loop), each call's output fed to the next; "
              "median over iterations of 20,000 calls (2,000 with --quick). `HINT_LEN` is the harness's own per-call cost "
              "(Swift wrapper, 512-byte error buffer), included in every other row.\n")
    md.append("| syscall | calls/s | ns/call |\n|---|---:|---:|")
    for name in PRECOMPILES:
        md.append(f"| {name} | {fmt_int(pre[name]['calls_per_s'])} | {fmt_int(pre[name]['ns_per_call'])} |")
    md.append("")

    if curve_rows:
        md.append("### Curve and field precompiles against OpenSSL\n")
        md.append("Each curve ADD / DOUBLE / DECOMPRESS and field syscall as above (2,000 calls per iteration, 200 with "
                  "--quick), beside the same operation in OpenSSL measured in the same run (`native_ec-*`: a C loop of "
                  "the same length, each call on the previous result; BN254 and BLS12-381 G1 built with "
                  "`EC_GROUP_new_curve_GFp`). OpenSSL's point operations stay in Jacobian coordinates; the syscalls "
                  "return affine points, one field inversion each, so the affine column (the operation, then "
                  "`EC_POINT_get_affine_coordinates`) is the like-for-like one. OpenSSL has no Edwards-curve point API "
                  "and no Fp2 type, and libsecp256k1 exports no point addition: those rows have no native figure. "
                  "FP_SUB is set beside `BN_mod_add_quick`'s cost (its subtraction twin).\n")
        md.append("| syscall | ns/call | net of HINT_LEN_baseline | OpenSSL | OpenSSL ns | ratio (net) | "
                  "OpenSSL + affine ns | ratio (net, affine) |\n|---|---:|---:|---|---:|---:|---:|---:|")
        def ratio(a, b):
            return f"{a / b:.2f}" if a and b else "—"
        base = pre["HINT_LEN_baseline"]["ns_per_call"] or 0
        for r in curve_rows:
            label = f"{NATIVE_OP_LABEL[r['native_op']]} ({r['curve']})" if r["native_op"] else "—"
            net = r["ns_per_call"] - base if r["ns_per_call"] > base else None  # None: within the harness's noise
            md.append(f"| {r['syscall']} | {fmt_int(r['ns_per_call'])} | {fmt_int(net)} | {label} | "
                      f"{fmt_int(r['native_ns'])} | {ratio(net, r['native_ns'])} | {fmt_int(r['native_affine_ns'])} | "
                      f"{ratio(net, r['native_affine_ns'])} |")
        md.append("")
        md.append("OpenSSL `BN_mod_inverse` in the same run, for scale: " + ", ".join(
            f"{c} {fmt_int(v)} ns" for c, v in native_inv.items() if v) + ".\n")

    md.append("## Heaviest SP1 ELFs of ../shared/sp1 against refexec.py\n")
    if not sp1_present:
        md.append("Skipped: `../shared/sp1` is not present next to the repository.\n")
    else:
        md.append("Our time: median `execute` wall time (the run is checked against the manifest's public values and "
                  "cycle count). refexec.py: one run each, wall and CPU seconds; the speedup uses refexec's CPU time "
                  "(its wall time grows with whatever else the machine runs).\n")
        md.append("| ELF | cycles | our wall | MIPS | refexec.py wall | refexec.py CPU | speedup (CPU) |\n|---|---:|---:|---:|---:|---:|---:|")
        for r in sp1_rows:
            sp = f"{r['speedup_vs_refexec_cpu']:,.0f}×" if r["speedup_vs_refexec_cpu"] else "—"
            rw = f"{r['refexec_wall_s']:.2f} s" if r["refexec_wall_s"] is not None else "not run"
            rc = f"{r['refexec_cpu_s']:.2f} s" if r["refexec_cpu_s"] is not None else "not run"
            md.append(f"| {r['elf']} | {fmt_int(r['cycles'])} | {fmt_ns(r['ns'])} | {fmt_int(r['mips'])} | {rw} | {rc} | {sp} |")
        md.append("")

    md.append("## Node under load\n")
    if not node:
        md.append("Not run.\n")
    else:
        args_ = " ".join((node.get("node") or {}).get("arguments", []))
        md.append(f"`node-load`: the release `coprocessor-node` started as its own process (`{args_}`) on a fresh "
                  f"temporary database; a closed loop of {node['concurrency']} requests in flight; each phase runs "
                  f"{node.get('rounds', 1)} round(s) of {node['durationSeconds']:.0f} s or at most {node['maxJobs']:,} jobs / "
                  f"{node['maxReads']:,} reads, node and ceiling rounds alternating; req/s is the median round "
                  f"(all rounds in parentheses), latencies are over all rounds' requests; "
                  f"gRPC over {node['grpcConnections']} HTTP/2 connection(s) (grpc-swift-2 client), HTTP/1.1 over "
                  f"{node['concurrency']} keep-alive connections (AsyncHTTPClient). SubmitJob requests are signed before "
                  f"each phase. End-to-end = SubmitJob, then GetResult every {node['pollIntervalMs']:g} ms until DONE. "
                  f"The ceiling is `ceiling-server` (same proto service and HTTP paths, handlers return a canned copy of "
                  f"the node's own response), one process per transport, driven by the same client code. "
                  f"**This machine has {node['cores']} cores shared by the load generator and the server**: client CPU "
                  f"is part of every figure (see the CPU columns; 100% = one core).\n")
        md.append("| phase | req/s (ok) | mean | p50 | p90 | p99 | max | errors | server CPU | server CPU per request | client CPU | node / ceiling |\n"
                  "|---|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|")
        def client_of(p):
            return (p.get("tool") or "swift").split()[0]

        everything = node["phases"] + node.get("external", [])
        ceilings = {(p["transport"], p["operation"], client_of(p)): p for p in everything if p["target"] == "ceiling"}
        for p in everything:
            lat = p["latencyMicros"]
            errors = ", ".join(f"{k}: {v}" for k, v in sorted(p["errors"].items())) or "0"
            frac = ""
            c = ceilings.get((p["transport"], p["operation"], client_of(p))) if p["target"] == "node" else None
            if c and c["throughput"]:
                frac = f"{p['throughput'] / c['throughput']:.0%}"
            extra = ""
            if p.get("pollsPerJob"):
                sub = p.get("submitLatencyMicros") or {}
                extra = (f" ({p['pollsPerJob']:.2f} polls/job; the SubmitJob part: p50 {fmt_us(sub.get('p50'))}, "
                         f"p99 {fmt_us(sub.get('p99'))})")
            rounds = p.get("roundThroughputs") or []
            per_round = f" (rounds: {' / '.join(f'{x:,.0f}' for x in rounds)})" if len(rounds) > 1 else ""
            name = p["name"] + per_round + extra + (f" — `{p['tool']}`" if p.get("tool") else "")
            server_cpu = "—" if p.get("serverCPUPercent") is None else f"{p['serverCPUPercent']:.0f}%"
            client_cpu = "—" if p.get("clientCPUPercent") is None else f"{p['clientCPUPercent']:.0f}%"
            lats = [fmt_us(lat[k]) if lat[k] else "—" for k in ("mean", "p50", "p90", "p99", "max")]
            per_request = (f"{p['serverCPUPercent'] * 1e4 / p['throughput']:.0f} µs"
                           if p.get("serverCPUPercent") is not None and p["throughput"] else "—")
            md.append(f"| {name} | {p['throughput']:,.0f} | {' | '.join(lats)} | {errors} | {server_cpu} | {per_request} | "
                      f"{client_cpu} | {frac} |")
        md.append("")
        md.append("Accepted jobs, checked after each phase through GetResult until none is PENDING, then counted in "
                  "the node's SQLite database after it stopped:\n")
        md.append("| phase | accepted | DONE | FAILED | not found | still PENDING | last job DONE after phase end | "
                  "jobs/s incl. that drain |\n|---|---:|---:|---:|---:|---:|---:|---:|")
        for p in node["phases"] + node.get("external", []):
            v = p.get("verification")
            if v:
                md.append(f"| {p['name']} | {v['accepted']:,} | {v['done']:,} | {v['failed']} | {v['notFound']} | "
                          f"{v['stillPending']} | {v['drainSeconds']:.2f} s (sum of rounds) | "
                          f"{v['completedPerSecond']:,.0f} (median round) |")
        jobs = node.get("jobs", {})
        db = jobs.get("database")
        lost = jobs.get("lost")
        md.append("")
        md.append(f"**Jobs lost: {lost if lost is not None else 'not checked in the database (running node)'}**; "
                  f"accepted jobs not DONE after their round's check through GetResult: {jobs.get('notDoneAfterDrain', 0)} "
                  f"(accepted {jobs.get('accepted', 0):,} + "
                  f"{jobs.get('probeJobs', 0)} probe; database after shutdown: "
                  f"{(str(db['done']) + ' DONE, ' + str(db['pending']) + ' PENDING, ' + str(db['failed']) + ' FAILED of ' + str(db['total'])) if db else 'not read'}; "
                  f"node exit status {(node.get('node') or {}).get('exitStatus')}).\n")

    if breakdown:
        parts = breakdown["cpu_us_per_job"]
        doc["node_breakdown"] = breakdown
        e2e = phase("http end_to_end") if node else None
        total = cpu_per_request(e2e)
        labels = [("signature_recovery", "recover the request's signer (libsecp256k1)"),
                  ("result_signing", "sign the result (libsecp256k1, RFC 6979)"),
                  ("abi_and_hashes", "ABI decode of the request, input hashes, job ID, result encoding"),
                  ("json", "JSON decode of SubmitJob and encode (the gateway's codec)"),
                  ("execution", "guest execution: mock-consumer, arena set-up and reset"),
                  ("storage", "durable insert and outcome update (group commit, writer thread)")]
        md.append("## Node CPU per job, by part\n")
        md.append(f"`node-profile breakdown {breakdown['count']}`: each part of the core's work for one mock-consumer job "
                  "timed on its own in-process (CPU time of the process over the repetitions). The remainder of the "
                  "end-to-end figure is the transports (HTTP parsing and writing, the GetResult polls), the hops "
                  "between threads and the bookkeeping between the parts.\n")
        md.append("| part | CPU per job |\n|---|---:|")
        known = 0.0
        for key, label in labels:
            if key in parts:
                known += parts[key]
                md.append(f"| {label} | {parts[key]:.1f} µs |")
        md.append(f"| **sum of the parts** | **{known:.1f} µs** |")
        if total:
            md.append(f"| transports, polls, hops and the rest (HTTP end-to-end {total:.0f} µs minus the parts) | {total - known:.1f} µs |")
        md.append("")
        floors = throughput_floors(phase, parts, cores=doc["machine"]["cores"]) if node else []
        doc["node_floors"] = floors
        if floors:
            md.append("## What the end-to-end bars need on this machine\n")
            md.append("A lower bound on the CPU of one end-to-end job, from figures of this same run: the client's and the "
                      "server stack's CPU per request as measured against the trivial-handler ceiling (SubmitJob, then the "
                      "end-to-end phase's GetResult polls per job), plus the node's own parts above (for gRPC without the "
                      "JSON codec), with nothing for hops between threads. With the load generator on the same cores, no "
                      "node on this stack can do more than the cores' CPU divided by that sum.\n")
            md.append("| transport | client per job | stack per job | node parts | sum | at most (jobs/s, "
                      f"{doc['machine']['cores']} cores) | bar | node CPU per job at least |\n|---|---:|---:|---:|---:|---:|---:|---:|")
            for f in floors:
                md.append(f"| {f['transport']} | {f['client_us']:.0f} µs | {f['stack_us']:.0f} µs | {f['node_parts_us']:.0f} µs | "
                          f"{f['sum_us']:.0f} µs | {f['max_jobs_per_s']:,.0f} | ≥ {BARS['e2e_' + f['transport'] + '_jobs_per_s']:,.0f} | "
                          f"{f['node_cpu_us']:.0f} µs |")
            md.append(f"\nThe node-CPU bar is ≤ {BARS['node_cpu_per_job_us']:.0f} µs per job.\n")

    cluster_section(args, doc, md)

    doc_path = os.path.join(args.out, "latest.json")
    with open(doc_path, "w") as f:
        json.dump(doc, f, indent=2, sort_keys=True, default=str)
    with open(os.path.join(args.out, "latest.md"), "w") as f:
        f.write("\n".join(md) + "\n")
    print(f"[report] wrote {os.path.join(args.out, 'latest.md')} and {doc_path}", file=sys.stderr)


if __name__ == "__main__":
    main()
