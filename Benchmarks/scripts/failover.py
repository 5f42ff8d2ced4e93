#!/usr/bin/env python3
"""Relay failover time of two nodes on one PostgreSQL database (Benchmarks, issue: scale-out).

Each round: a fresh database, two node processes relaying to the dev chain, one warm-up job
RELAYED; then `kill -9` of the node holding the chain lease, and at once a job submitted to the
survivor. The failover time is from the kill to that job's RELAYED status: the dead leader's lease
running out (at most --lease-seconds), the survivor's next try for it (every second), its
relayer starting, and one relay. The same job's time on a healthy two-node cluster is the baseline.

    scripts/with-postgres.sh python3 Benchmarks/scripts/failover.py \
        --node-binary .build-bench-root/release/coprocessor-node --output Benchmarks/results/raw/failover.json

Needs the dev chain's Python packages (.venv, `scripts/bootstrap.sh --test-peers`) and psql.
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

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RELAYER_KEY = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d"
CONSUMER = "0x5FbDB2315678afecb367f032d93F642f64180aa3"
INPUT = "0x0000000000000000000000004545454545454545454545454545454545454545"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def post(port, method, body):
    request = urllib.request.Request(f"http://127.0.0.1:{port}/v1/coprocessor_node/{method}",
                                     data=json.dumps(body).encode(), headers={"content-type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


def psql(url, sql):
    return subprocess.run(["psql", url, "-Atc", sql], check=True, capture_output=True, text=True).stdout.strip()


class Node:
    def __init__(self, binary, name, url, chain, lease, work):
        self.name, self.http = name, free_port()
        self.log = open(os.path.join(work, f"{name}.log"), "w")
        self.process = subprocess.Popen(
            [binary, "--dev", "--database-url", url, "--node-name", name, "--lease-seconds", str(lease),
             "--http-address", f"127.0.0.1:{self.http}", "--grpc-address", f"127.0.0.1:{free_port()}",
             "--metrics-address", "off", "--log-level", "warning", "--worker-count", "1",
             "--eth-rpc-url", chain["rpc_url"], "--job-manager-address", chain["job_manager"],
             "--start-block", "0", "--poll-interval-ms", "100"],
            env={**os.environ, "RELAYER_PRIVATE_KEY": RELAYER_KEY}, stdout=self.log, stderr=self.log)
        deadline = time.time() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.http}/readyz", timeout=2)
                return
            except OSError:
                if time.time() > deadline or self.process.poll() is not None:
                    raise RuntimeError(f"{name} did not start: see {self.log.name}")
                time.sleep(0.05)

    def stop(self, sig=signal.SIGTERM):
        if self.process.poll() is None:
            self.process.send_signal(sig)
            self.process.wait(timeout=60)


def submit(binary, node, program_id, nonce):
    body = subprocess.run([binary, "make-job", "--program-id", program_id, "--consumer", CONSUMER, "--nonce", str(nonce),
                           "--onchain-input", INPUT], check=True, capture_output=True, text=True).stdout
    return bytes(post(node.http, "submit_job", json.loads(body))["jobId"]).hex()


def wait_relayed(nodes, job_id, timeout=120):
    deadline = time.time() + timeout
    while time.time() < deadline:
        for node in nodes:
            if node.process.poll() is not None:
                continue
            try:
                result = post(node.http, "get_result", {"jobId": job_id})["jobResult"]
                if result["status"]["status"] == 4:
                    return time.time()
            except OSError:
                pass
            break
        time.sleep(0.01)
    raise RuntimeError(f"job {job_id} not RELAYED within {timeout} s")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--node-binary", default=os.path.join(ROOT, ".build-bench-root/release/coprocessor-node"))
    parser.add_argument("--database-url", default=os.environ.get("ZKVM_TEST_DATABASE_URL"),
                        help="a PostgreSQL server's URL (default: scripts/with-postgres.sh's)")
    parser.add_argument("--lease-seconds", type=float, default=5, help="the node's default")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--output")
    args = parser.parse_args()
    if not args.database_url:
        sys.exit("failover: no --database-url (run under scripts/with-postgres.sh)")

    work = tempfile.mkdtemp(prefix="failover-")
    chain_process = subprocess.Popen([os.path.join(ROOT, ".venv/bin/python3"), os.path.join(ROOT, "devchain/server.py"),
                                      "--port", str(free_port()), "--deploy", "--watch-parent"],
                                     stdout=subprocess.PIPE, stderr=open(os.path.join(work, "chain.log"), "w"), text=True)
    chain = json.loads(chain_process.stdout.readline())
    elf = open(os.path.join(ROOT, "guest-programs/bin/mock-consumer.elf"), "rb").read().hex()
    rounds, nonce = [], 0
    try:
        for r in range(args.rounds):
            database = f"failover_{os.getpid()}_{r}"
            psql(args.database_url, f"CREATE DATABASE {database}")
            url = args.database_url.rsplit("/", 1)[0] + f"/{database}?sslmode=disable"
            nodes = [Node(args.node_binary, name, url, chain, args.lease_seconds, work) for name in ("node-a", "node-b")]
            try:
                program_id = post(nodes[0].http, "submit_program", {"programElf": elf, "vmType": 1})["programId"]
                # Healthy cluster: a job's submission → RELAYED (after a warm-up job).
                for _ in range(2):
                    nonce += 1
                    t0 = time.time()
                    baseline = wait_relayed(nodes, submit(args.node_binary, nodes[1], program_id, nonce)) - t0
                leader, epoch = psql(url, "SELECT split_part(holder, '/', 1), epoch FROM leases WHERE name = 'chain'").split("|")
                dead = next(n for n in nodes if n.name == leader)
                survivor = next(n for n in nodes if n is not dead)
                nonce += 1
                killed = time.time()
                dead.stop(signal.SIGKILL)
                job = submit(args.node_binary, survivor, program_id, nonce)
                failover = wait_relayed([survivor], job) - killed
                new_leader, new_epoch = psql(url, "SELECT split_part(holder, '/', 1), epoch FROM leases WHERE name = 'chain'").split("|")
                rounds.append({"round": r, "baseline_seconds": round(baseline, 3), "failover_seconds": round(failover, 3),
                               "killed_leader": leader, "epoch_before": int(epoch), "new_leader": new_leader,
                               "epoch_after": int(new_epoch)})
                print(f"failover round {r}: killed {leader} (epoch {epoch}); {new_leader} relayed a new job "
                      f"{failover:.2f} s after the kill (epoch {new_epoch}); healthy cluster {baseline:.2f} s", file=sys.stderr)
            finally:
                for node in nodes:
                    node.stop()
                psql(args.database_url, f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
    finally:
        chain_process.terminate()
        chain_process.wait(timeout=30)
    report = {"lease_seconds": args.lease_seconds, "rounds": rounds,
              "median_failover_seconds": statistics.median(r["failover_seconds"] for r in rounds),
              "median_baseline_seconds": statistics.median(r["baseline_seconds"] for r in rounds)}
    text = json.dumps(report, indent=2)
    if args.output:
        open(args.output, "w").write(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
