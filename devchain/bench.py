#!/usr/bin/env python3
"""Measures what the dev chain sustains, which bounds the node's relaying figures.

    .venv/bin/python devchain/bench.py [--count 200] [--result-bytes 64]

Starts its own server (like the tests), then from the relayer account, one tx at a time over one
keep-alive HTTP connection (sign -> eth_sendRawTransaction -> eth_getTransactionReceipt):
  1. submitResultForOffchainJob for fresh offchain jobs (the node's main relay path),
  2. createJob (from a user) + submitResult for onchain jobs (only the submitResult is timed).
Prints one JSON object with txs/s, latency percentiles and gas used.
"""

from __future__ import annotations

import argparse
import http.client
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_devchain import (  # noqa: E402  (helpers shared with the tests)
    OFFCHAIN_RESULT_TYPES, OPERATOR, RELAYER, REQUEST_SIGNER, REQUEST_TYPES, SEL_CREATE_JOB, SEL_SUBMIT_OFFCHAIN,
    SEL_SUBMIT_RESULT, USER, DevChainProcess, abi_encode, addr_of, b2h, eip191_sign, encode_struct, h2b, job_id,
    keccak, make_onchain_result, sign_1559,
)


class Client:
    def __init__(self, port: int):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.id = 0

    def rpc(self, method, *params):
        self.id += 1
        self.conn.request("POST", "/", json.dumps({"jsonrpc": "2.0", "id": self.id, "method": method, "params": list(params)}),
                          {"Content-Type": "application/json"})
        resp = json.loads(self.conn.getresponse().read())
        if "error" in resp:
            raise RuntimeError(resp["error"])
        return resp["result"]


def run(count: int, result_bytes: int) -> dict:
    t0 = time.monotonic()
    chain = DevChainProcess("--deploy")
    startup = time.monotonic() - t0
    try:
        cl = Client(chain.port)
        jm = h2b(chain.info["job_manager"])
        program, onchain_input, result = keccak(b"bench"), b"\x00" * 12 + b"\x45" * 20, b"\xab" * result_bytes

        def timed_sends(key: str, calldatas: list[bytes], gas: int) -> tuple[list[float], list[int], float]:
            nonce = int(cl.rpc("eth_getTransactionCount", b2h(addr_of(key)), "pending"), 16)
            lat, gas_used = [], []
            start = time.monotonic()
            for i, data in enumerate(calldatas):
                t = time.monotonic()
                raw = sign_1559(key, nonce=nonce + i, to=jm, data=data, gas=gas, fee_cap=10 * 10**9)
                rc = cl.rpc("eth_getTransactionReceipt", cl.rpc("eth_sendRawTransaction", b2h(raw)))
                assert rc["status"] == "0x1", rc
                lat.append(time.monotonic() - t)
                gas_used.append(int(rc["gasUsed"], 16))
            return lat, gas_used, time.monotonic() - start

        # offchain jobs: request + signatures prepared up front, so only the chain path is timed
        consumer = addr_of(USER)
        off = []
        for nonce in range(1, count + 1):
            req = encode_struct(REQUEST_TYPES, [nonce, 1_000_000, consumer, program, onchain_input, keccak(b""), keccak(b"")])
            res = encode_struct(OFFCHAIN_RESULT_TYPES, [job_id(nonce, consumer), keccak(onchain_input), keccak(b""), keccak(b""),
                                                        1_000_000, program, result])
            off.append(SEL_SUBMIT_OFFCHAIN + abi_encode(["bytes"] * 4, [res, eip191_sign(OPERATOR, res), req,
                                                                        eip191_sign(REQUEST_SIGNER, req)]))
        lat_off, gas_off, wall_off = timed_sends(RELAYER, off, 1_000_000)

        # onchain jobs: create them (untimed), then time the submitResults
        create = [SEL_CREATE_JOB + abi_encode(["uint64", "bytes", "bytes", "uint64"], [10_000 + i, program, onchain_input, 1_000_000])
                  for i in range(count)]
        _, gas_create, wall_create = timed_sends(USER, create, 1_000_000)
        sub = []
        for i in range(count):
            enc = make_onchain_result(job_id(10_000 + i, consumer), onchain_input, 1_000_000, program, result)
            sub.append(SEL_SUBMIT_RESULT + abi_encode(["bytes", "bytes"], [enc, eip191_sign(OPERATOR, enc)]))
        lat_on, gas_on, wall_on = timed_sends(RELAYER, sub, 1_000_000)

        t = time.monotonic()
        for _ in range(200):
            cl.rpc("eth_blockNumber")
        rpc_rtt = (time.monotonic() - t) / 200

        def pct(xs, p):
            return round(sorted(xs)[min(len(xs) - 1, int(len(xs) * p))] * 1000, 2)

        return {
            "count": count,
            "result_bytes": result_bytes,
            "startup_s_with_deploy": round(startup, 2),
            "submitResultForOffchainJob": {"tx_per_s": round(count / wall_off, 1), "p50_ms": pct(lat_off, 0.5),
                                           "p95_ms": pct(lat_off, 0.95), "gas_used": statistics.median(gas_off)},
            "submitResult": {"tx_per_s": round(count / wall_on, 1), "p50_ms": pct(lat_on, 0.5), "p95_ms": pct(lat_on, 0.95),
                             "gas_used": statistics.median(gas_on)},
            "createJob": {"tx_per_s": round(count / wall_create, 1), "gas_used": statistics.median(gas_create)},
            "eth_blockNumber_rtt_ms": round(rpc_rtt * 1000, 3),
            "final_block": int(cl.rpc("eth_blockNumber"), 16),
        }
    finally:
        chain.stop()


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description="dev chain throughput")
    ap.add_argument("--count", type=int, default=200)
    ap.add_argument("--result-bytes", type=int, default=64)
    a = ap.parse_args()
    print(json.dumps(run(a.count, a.result_bytes), indent=1))
