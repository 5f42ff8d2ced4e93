#!/usr/bin/env python3
"""Runs many guest ELFs through ../shared/sp1/refexec64.py (the SP1 v6 reference model) in one
process and prints one JSON object per case, for the engine's differential tests
(Tests/ZKVMTests/RV64DifferentialTests.swift). Standard library only.

usage: refexec64_batch.py REFEXEC64_PY CASES.json
CASES.json: [{"elf": path, "stdin": [hex, ...], "max_cycles": n or null}, ...]
output (stdout): a JSON array of {"ok", "error", "exit_code", "cycles", "public_values", "stdout"}
"""
import importlib.util
import json
import sys


def main():
    spec = importlib.util.spec_from_file_location("refexec64", sys.argv[1])
    rx = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(rx)
    results = []
    for case in json.load(open(sys.argv[2])):
        elf = open(case["elf"], "rb").read()
        items = [bytes.fromhex(h) for h in case.get("stdin", [])]
        r = rx.run_elf(elf, items, max_cycles=case.get("max_cycles"), quiet=True)
        results.append({"ok": r["ok"], "error": r["error"], "exit_code": r.get("exit_code"), "cycles": r.get("cycles"),
                        "public_values": r.get("public_values_hex"), "stdout": r.get("stdout")})
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
