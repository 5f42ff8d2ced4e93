#!/usr/bin/env python3
"""Times qemu-user (qemu-riscv32 / qemu-riscv64) on the unseen corpus, the peer our interpreter is
compared with in the report's "Unseen corpus" section, and writes the raw timings as JSON.

What runs: `make -C guest-programs corpus-linux` links, for every workload, ISA (RV32IM, RV64IM)
and -O level (-O2, -Os), a Linux-user static binary from the *same workload object* the SP1 guest
ELF links (guest-programs/bin/corpus/<w>-<opt>.elf, bin/rv64/corpus/...), with its own tiny _start
and main (argv in, one line out through the write syscall, exit) in place of the SDK's startup,
stdin reading and public-values commit. Each binary runs at the workload's default parameter, as a
fresh process, `--runs` times; a run's time is the wall time of the whole process (qemu's start-up
and translation included, nothing subtracted), and its output must equal the host build's
(`make -C guest-programs native`: bench-native, the same C compiled for the host).

report.py turns these into MIPS with the instruction count our engine measured for the SP1 ELF of
the same workload, ISA and -O level at the same parameter (exact, from the Engine benchmark). The
two programs differ only in start-up: the guest's SDK start, stdin read, commit and SHA-256
public-values digest cost ~1,000 instructions, the Linux binary's a few hundred; against 20-100
million instructions per run that is below 0.01 %.

usage: qemu_peer.py [--runs N] [--output FILE] [--no-build]
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GUEST = os.path.join(ROOT, "guest-programs")
sys.path.insert(0, os.path.join(ROOT, "scripts"))
import corpus_models  # noqa: E402  (the workload names and default parameters)

BUILDS = [("rv32", "O2"), ("rv32", "Os"), ("rv64", "O2"), ("rv64", "Os")]
QEMU = {"rv32": "qemu-riscv32", "rv64": "qemu-riscv64"}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=7, help="runs per binary (the median is reported)")
    ap.add_argument("--output", default=os.path.join(ROOT, "Benchmarks", "results", "raw", "qemu-peer.json"))
    ap.add_argument("--no-build", action="store_true", help="use the binaries already in guest-programs/build")
    args = ap.parse_args()

    doc = {"runs": args.runs, "workloads": {}}
    missing = [q for q in QEMU.values() if shutil.which(q) is None]
    if missing:
        doc["skipped"] = "%s not installed (Debian package qemu-user; scripts/bootstrap.sh --bench-peers)" % ", ".join(missing)
        return write(doc, args.output)
    doc["qemu_version"] = subprocess.run([QEMU["rv32"], "--version"], capture_output=True,
                                         text=True).stdout.splitlines()[0]
    if not args.no_build:
        subprocess.run(["make", "-s", "-C", GUEST, "corpus-linux", "native"], check=True)
    native = os.path.join(GUEST, "build", "native", "bench-native")

    # For reference only (nothing is subtracted): the wall time of a run that does almost no work
    # (mark_mix with param 0: start-up, one line of output, exit), per ISA.
    doc["startup_s"] = {}
    for isa in QEMU:
        binary = os.path.join(GUEST, "build", "corpus-linux", isa, "mark_mix-O2")
        times = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            subprocess.run([QEMU[isa], binary, "0"], check=True, capture_output=True)
            times.append(time.perf_counter() - t0)
        doc["startup_s"][isa] = statistics.median(times)
        print("[qemu-peer] start-up (mark_mix, param 0) %s: median %.4f s" % (isa, doc["startup_s"][isa]), file=sys.stderr)

    failures = 0
    for workload, param in corpus_models.DEFAULTS.items():
        line = subprocess.run([native, workload, str(param)], check=True, capture_output=True, text=True).stdout
        expected = dict(kv.split("=", 1) for kv in line.split())["public_values"]
        entry = {"param": param, "native_public_values": expected}
        for isa, opt in BUILDS:
            binary = os.path.join(GUEST, "build", "corpus-linux", isa, "%s-%s" % (workload, opt))
            times, outputs = [], set()
            for _ in range(args.runs):
                t0 = time.perf_counter()
                proc = subprocess.run([QEMU[isa], binary, str(param)], capture_output=True, text=True)
                times.append(time.perf_counter() - t0)
                fields = dict(kv.split("=", 1) for kv in proc.stdout.split() if "=" in kv)
                outputs.add((proc.returncode, fields.get("public_values")))
            ok = outputs == {(0, expected)}
            failures += not ok
            entry["%s-%s" % (isa, opt)] = {"median_s": statistics.median(times), "runs_s": times, "ok": ok,
                                           "outputs": sorted("exit %d: %s" % o for o in outputs)}
            print("[qemu-peer] %-14s %s-%s  median %.3f s over %d runs  %s" % (
                workload, isa, opt, statistics.median(times), args.runs, "ok" if ok else "OUTPUT MISMATCH"),
                file=sys.stderr)
        doc["workloads"][workload] = entry
    doc["failures"] = failures
    write(doc, args.output)
    if failures:
        raise SystemExit("qemu-peer: %d binaries gave an output other than the native one" % failures)


def write(doc, path):
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w") as f:
        json.dump(doc, f, indent=2)
    print("[qemu-peer] wrote %s%s" % (path, " (skipped: %s)" % doc["skipped"] if "skipped" in doc else ""),
          file=sys.stderr)


if __name__ == "__main__":
    main()
