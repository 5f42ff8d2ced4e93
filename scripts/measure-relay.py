#!/usr/bin/env python3
"""Measures relaying against the dev chain: relays per second and the delay from submission to
RELAYED, with a node built from this repository. Both are bounded by the chain (devchain/bench.py
gives the chain's own figure for the same transaction).

usage: measure-relay.py --node PATH/coprocessor-node [--jobs 200] [--latency-jobs 20]
Runs with the repository's .venv (dev chain packages). Prints one JSON object.
"""
import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RELAYER_KEY = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d"  # anvil #1 (public)
CONSUMER = "0x5FbDB2315678afecb367f032d93F642f64180aa3"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def post(port, method, body):
    req = urllib.request.Request(f"http://127.0.0.1:{port}/v1/coprocessor_node/{method}",
                                 data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.load(r)


def submit(port, body):
    """SubmitJob; the job ID as hex. The gateway answers it as an array of byte values (InfinityVM's
    shape); a hex string is taken too."""
    job_id = post(port, "submit_job", body)["jobId"]
    return job_id if isinstance(job_id, str) else bytes(job_id).hex()


def status(port, job_id):
    return post(port, "get_result", {"jobId": job_id})["jobResult"]["status"]["status"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--node", required=True)
    ap.add_argument("--jobs", type=int, default=200)
    ap.add_argument("--latency-jobs", type=int, default=20)
    args = ap.parse_args()
    python = os.path.join(ROOT, ".venv", "bin", "python3")

    chain = subprocess.Popen([python, os.path.join(ROOT, "devchain", "server.py"), "--port", "0", "--deploy"],
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    info = json.loads(chain.stdout.readline())
    db = tempfile.mkdtemp(prefix="relay-bench-")
    http = free_port()
    env = dict(os.environ, RELAYER_PRIVATE_KEY=RELAYER_KEY)
    node = subprocess.Popen([args.node, "--dev", "--db-dir", db, "--grpc-address", f"127.0.0.1:{free_port()}",
                             "--http-address", f"127.0.0.1:{http}", "--metrics-address", "off",
                             "--eth-rpc-url", info["rpc_url"], "--job-manager-address", info["job_manager"],
                             "--start-block", "0", "--log-level", "warning"],
                            env=env, stdout=subprocess.DEVNULL, stderr=open(os.environ.get("NODE_LOG", os.devnull), "w"))
    try:
        for _ in range(300):
            try:
                post(http, "contains_program", {"programId": "00" * 32})
                break
            except OSError:
                time.sleep(0.1)
        with open(os.path.join(ROOT, "guest-programs", "bin", "mock-consumer.elf"), "rb") as f:
            program = post(http, "submit_program", {"programElf": f.read().hex(), "vmType": 1})["programId"]
        total = args.jobs + args.latency_jobs
        bodies = []
        for nonce in range(1, total + 1):  # signed before anything is timed
            out = subprocess.run([args.node, "make-job", "--program-id", program, "--consumer", CONSUMER,
                                  "--nonce", str(nonce), "--onchain-input", "00" * 12 + "45" * 20],
                                 capture_output=True, text=True, check=True)
            bodies.append(json.loads(out.stdout))

        # Latency: one job at a time, submission to RELAYED.
        latencies = []
        for body in bodies[:args.latency_jobs]:
            start = time.perf_counter()
            job_id = submit(http, body)
            while status(http, job_id) != 4:
                time.sleep(0.001)
            latencies.append((time.perf_counter() - start) * 1000)

        # Throughput: submit a batch, time until every one is RELAYED.
        start = time.perf_counter()
        ids = [submit(http, b) for b in bodies[args.latency_jobs:]]
        pending = set(ids)
        while pending:
            pending = {i for i in pending if status(http, i) != 4}
            time.sleep(0.01)
        elapsed = time.perf_counter() - start
        print(json.dumps({
            "relays": len(ids), "seconds": round(elapsed, 3), "relays_per_second": round(len(ids) / elapsed, 1),
            "submit_to_relayed_ms_median": round(statistics.median(latencies), 1),
            "submit_to_relayed_ms_p90": round(sorted(latencies)[int(0.9 * (len(latencies) - 1))], 1),
        }))
    finally:
        node.send_signal(signal.SIGTERM)
        node.wait(timeout=30)
        chain.send_signal(signal.SIGTERM)
        chain.wait(timeout=30)


if __name__ == "__main__":
    sys.exit(main())
