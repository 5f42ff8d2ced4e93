"""Tests for the dev chain (server.py) and its JobManager (JobManager.vy).

Run from the repo root with the venv that has devchain/requirements.txt installed:

    .venv/bin/python -m unittest discover -s devchain -v

Each test class starts its own server subprocess (`server.py --port 0 ...`) and stops it with
SIGTERM. Tests that replay the shared Ethereum vectors (../shared/eth/vectors.json, or $SHARED_DIR)
skip with a message when that folder is absent.

Client side, transactions are built and signed here with rlp + eth_keys (independent of py-evm's
builder that the server uses), and the signer is checked byte for byte against the vectors' raw tx.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.error
import urllib.request
from pathlib import Path

import rlp
from eth_hash.auto import keccak
from eth_keys import keys as eth_keys

HERE = Path(__file__).resolve().parent
SERVER = HERE / "server.py"
sys.path.insert(0, str(HERE))
import server as devchain  # noqa: E402  (constants only: dev keys, defaults)

SHARED = Path(os.environ.get("SHARED_DIR", HERE.parent.parent / "shared"))
VECTORS_PATH = SHARED / "eth" / "vectors.json"
VECTORS = json.loads(VECTORS_PATH.read_text()) if VECTORS_PATH.exists() else None
NEED_VECTORS = unittest.skipIf(VECTORS is None, f"shared vectors not found at {VECTORS_PATH}: skipping the vector replays")

KEYS = devchain.DEV_KEYS
DEPLOYER, RELAYER, USER, USER2, USER3, REQUEST_SIGNER, _, _, _, OPERATOR = KEYS
GWEI = 10**9

TOPIC_JOB_CREATED = bytes.fromhex("6746f3d160e2aee55f5b75a72021b8b806113443f64eed235b5f69af10d4890b")
TOPIC_JOB_COMPLETED = bytes.fromhex("18ce2a004e7924f4cafa86a73b66181a8015d42237947bf984673fd623ac644f")
VECTORS_TOPIC_CANCELLED = "9ccc861eaec2aceb9488758b457d6274b344707bc4e961cbaefacd208025410f"  # JobCancelled(bytes32)
SEL_CREATE_JOB = bytes.fromhex("a8f63fb6")
SEL_SUBMIT_RESULT = bytes.fromhex("ea253487")
SEL_SUBMIT_OFFCHAIN = bytes.fromhex("f4c67279")
SEL_GET_JOB_METADATA = bytes.fromhex("0b827bfc")
SEL_SET_OFFCHAIN_SIGNER = keccak(b"setOffchainSigner(address,address)")[:4]
SEL_SET_OPERATOR = keccak(b"setCoprocessorOperator(address)")[:4]
SEL_REQUEST_JOB = keccak(b"requestJob(address,uint64,bytes,bytes,uint64)")[:4]


# ---------------------------------------------------------------------------------------------
# encoding and signing helpers (independent of the server's code)

def h2b(s: str) -> bytes:
    return bytes.fromhex(s[2:] if s.startswith("0x") else s)


def b2h(b: bytes) -> str:
    return "0x" + b.hex()


def addr_of(key: str) -> bytes:
    return eth_keys.PrivateKey(h2b(key)).public_key.to_canonical_address()


def word(n: int) -> bytes:
    return n.to_bytes(32, "big")


def abi_encode(types: list[str], values: list) -> bytes:
    """Enough of the ABI for these structs: bytes32, uint*, address, bytes."""
    head, tail = b"", b""
    head_len = 32 * len(types)
    for t, v in zip(types, values):
        if t == "bytes":
            head += word(head_len + len(tail))
            tail += word(len(v)) + v + b"\0" * (-len(v) % 32)
        elif t == "address":
            head += v.rjust(32, b"\0")
        elif t == "bytes32":
            assert len(v) == 32
            head += v
        else:
            head += word(v)
    return head + tail


def encode_struct(types, values) -> bytes:
    # abi.encode(struct) of a dynamic struct: one tuple, so a leading 0x20 offset word
    return word(32) + abi_encode(types, values)


RESULT_TYPES = ["bytes32", "bytes32", "uint64", "bytes", "bytes"]
OFFCHAIN_RESULT_TYPES = ["bytes32", "bytes32", "bytes32", "bytes32", "uint64", "bytes", "bytes"]
REQUEST_TYPES = ["uint64", "uint64", "address", "bytes", "bytes", "bytes32", "bytes32"]


def job_id(nonce: int, consumer: bytes) -> bytes:
    return keccak(nonce.to_bytes(8, "big") + consumer)


def eip191_sign(key: str, message: bytes) -> bytes:
    digest = keccak(b"\x19Ethereum Signed Message:\n" + str(len(message)).encode() + message)
    sig = eth_keys.PrivateKey(h2b(key)).sign_msg_hash(digest)
    return sig.r.to_bytes(32, "big") + sig.s.to_bytes(32, "big") + bytes([sig.v + 27])


def sign_1559(key: str, *, nonce: int, to: bytes, data: bytes, gas: int = 1_000_000, tip: int = GWEI,
              fee_cap: int = 3 * GWEI, value: int = 0, chain_id: int = 31337) -> bytes:
    fields = [chain_id, nonce, tip, fee_cap, gas, to, value, data, []]
    sig = eth_keys.PrivateKey(h2b(key)).sign_msg_hash(keccak(b"\x02" + rlp.encode(fields)))
    return b"\x02" + rlp.encode(fields + [sig.v, sig.r, sig.s])


def sign_legacy(key: str, *, nonce: int, to: bytes, data: bytes, gas: int = 1_000_000, gas_price: int = 3 * GWEI,
                value: int = 0, chain_id: int = 31337) -> bytes:
    sig = eth_keys.PrivateKey(h2b(key)).sign_msg_hash(
        keccak(rlp.encode([nonce, gas_price, gas, to, value, data, chain_id, 0, 0])))
    return rlp.encode([nonce, gas_price, gas, to, value, data, sig.v + 35 + 2 * chain_id, sig.r, sig.s])


def revert_reason(msg: str) -> bytes:
    # Error(string) revert data as the contract emits it
    return bytes.fromhex("08c379a0") + abi_encode(["bytes"], [msg.encode()])


# ---------------------------------------------------------------------------------------------
# server process and RPC client


class RpcError(Exception):
    def __init__(self, err: dict):
        super().__init__(f"{err.get('code')}: {err.get('message')}")
        self.code, self.message, self.data = err.get("code"), err.get("message"), err.get("data")


class DevChainProcess:
    def __init__(self, *args: str):
        self.log = tempfile.NamedTemporaryFile(prefix="devchain-", suffix=".log", delete=False)
        self.proc = subprocess.Popen([sys.executable, str(SERVER), "--port", "0", "--watch-parent", *args],
                                     stdout=subprocess.PIPE, stderr=self.log, stdin=subprocess.DEVNULL, text=True)
        line: list[str] = []
        reader = threading.Thread(target=lambda: line.append(self.proc.stdout.readline()), daemon=True)
        reader.start()
        reader.join(60)
        if not line or not line[0].strip():
            self.proc.kill()
            raise RuntimeError(f"dev chain did not start: {Path(self.log.name).read_text()[-3000:]}")
        self.info = json.loads(line[0])
        self.url = self.info["rpc_url"]
        self.port = int(self.url.rsplit(":", 1)[1])
        self._id = 0

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc.stdout.close()
        return self.proc.returncode

    def raw(self, body: bytes | str, timeout: float = 30) -> tuple[int, bytes]:
        if isinstance(body, str):
            body = body.encode()
        req = urllib.request.Request(self.url, data=body, headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, resp.read()

    def rpc(self, method: str, *params):
        self._id += 1
        _, body = self.raw(json.dumps({"jsonrpc": "2.0", "id": self._id, "method": method, "params": list(params)}))
        resp = json.loads(body)
        if "error" in resp:
            raise RpcError(resp["error"])
        return resp["result"]

    # conveniences
    def nonce(self, key: str) -> int:
        return int(self.rpc("eth_getTransactionCount", b2h(addr_of(key)), "pending"), 16)

    def send(self, key: str, to: bytes, data: bytes, **kw) -> dict:
        raw = sign_1559(key, nonce=self.nonce(key), to=to, data=data, **kw)
        txh = self.rpc("eth_sendRawTransaction", b2h(raw))
        self.last_raw = raw
        rc = self.rpc("eth_getTransactionReceipt", txh)
        assert rc is not None, "every accepted tx is mined at once"
        return rc

    def call(self, key_or_addr: str | bytes | None, to: bytes, data: bytes) -> bytes:
        obj = {"to": b2h(to), "data": b2h(data)}
        if key_or_addr is not None:
            obj["from"] = b2h(addr_of(key_or_addr) if isinstance(key_or_addr, str) else key_or_addr)
        return h2b(self.rpc("eth_call", obj, "latest"))


class ChainTestCase(unittest.TestCase):
    server_args: tuple[str, ...] = ("--deploy",)

    @classmethod
    def setUpClass(cls):
        cls.chain = DevChainProcess(*cls.server_args)
        cls.jm = h2b(cls.chain.info["job_manager"]) if cls.chain.info.get("job_manager") else None

    @classmethod
    def tearDownClass(cls):
        code = cls.chain.stop()
        assert code == 0, f"server exited with {code}"

    # JobManager calls
    def create_job(self, key: str, nonce: int, program_id: bytes, onchain_input: bytes, max_cycles: int) -> dict:
        data = SEL_CREATE_JOB + abi_encode(["uint64", "bytes", "bytes", "uint64"], [nonce, program_id, onchain_input, max_cycles])
        return self.chain.send(key, self.jm, data)

    def submit_result_calldata(self, result_enc: bytes, sig: bytes) -> bytes:
        return SEL_SUBMIT_RESULT + abi_encode(["bytes", "bytes"], [result_enc, sig])

    def submit_offchain_calldata(self, result_enc: bytes, result_sig: bytes, request: bytes, request_sig: bytes) -> bytes:
        return SEL_SUBMIT_OFFCHAIN + abi_encode(["bytes", "bytes", "bytes", "bytes"], [result_enc, result_sig, request, request_sig])

    def job_metadata(self, jid: bytes, tag="latest") -> tuple[bytes, int, bytes, int]:
        out = h2b(self.chain.rpc("eth_call", {"to": b2h(self.jm), "data": b2h(SEL_GET_JOB_METADATA + jid)}, tag))
        self.assertEqual(int.from_bytes(out[:32], "big"), 32, "struct return is tuple-wrapped like Solidity's")
        body = out[32:]
        off = int.from_bytes(body[:32], "big")
        ln = int.from_bytes(body[off:off + 32], "big")
        return (body[off + 32:off + 32 + ln], int.from_bytes(body[32:64], "big"), body[76:96],
                int.from_bytes(body[96:128], "big"))

    def assert_reverts(self, key: str, data: bytes, reason: str, to: bytes | None = None):
        """Both paths: eth_call gives code 3 + geth's message + data; the mined tx gets status 0."""
        to = to or self.jm
        with self.assertRaises(RpcError) as cm:
            self.chain.call(key, to, data)
        err = cm.exception
        self.assertEqual(err.code, 3)
        self.assertEqual(err.message, "execution reverted: " + reason)
        self.assertEqual(h2b(err.data), revert_reason(reason))
        with self.assertRaises(RpcError) as cm:
            self.chain.rpc("eth_estimateGas", {"from": b2h(addr_of(key)), "to": b2h(to), "data": b2h(data)})
        self.assertEqual((cm.exception.code, cm.exception.message), (3, "execution reverted: " + reason))
        rc = self.chain.send(key, to, data)
        self.assertEqual(rc["status"], "0x0")
        self.assertEqual(rc["logs"], [])


def make_onchain_result(jid: bytes, onchain_input: bytes, max_cycles: int, program_id: bytes, result: bytes) -> bytes:
    return encode_struct(RESULT_TYPES, [jid, keccak(onchain_input), max_cycles, program_id, result])


# ---------------------------------------------------------------------------------------------


class TestRpcBasics(ChainTestCase):
    def test_chain_identity_and_accounts(self):
        c = self.chain
        self.assertEqual(c.rpc("eth_chainId"), "0x7a69")
        self.assertEqual(c.rpc("net_version"), "31337")
        self.assertEqual(c.info["chain_id"], 31337)
        self.assertTrue(c.url.startswith("http://127.0.0.1:"))
        self.assertEqual(c.info["deployer"], "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266")
        self.assertEqual(c.info["operator"], devchain.DEFAULT_OPERATOR)
        self.assertEqual(c.info["relayer"], devchain.DEFAULT_RELAYER)
        accounts = c.rpc("eth_accounts")
        self.assertEqual(len(accounts), 10)
        for key, acct in zip(KEYS, accounts):
            self.assertEqual(h2b(acct), addr_of(key))
        for key in (RELAYER, REQUEST_SIGNER, OPERATOR, USER):
            self.assertGreaterEqual(int(c.rpc("eth_getBalance", b2h(addr_of(key)), "latest"), 16), 9_999 * 10**18)
        self.assertGreater(len(h2b(c.rpc("eth_getCode", c.info["job_manager"], "latest"))), 1000)
        self.assertEqual(c.rpc("devchain_info"), c.info)

    def test_blocks_fees_and_quantities(self):
        c = self.chain
        head = int(c.rpc("eth_blockNumber"), 16)
        blk = c.rpc("eth_getBlockByNumber", "latest", False)
        self.assertEqual(int(blk["number"], 16), head)
        self.assertEqual(blk["gasLimit"], hex(30_000_000))
        self.assertIsNone(c.rpc("eth_getBlockByNumber", hex(head + 1000), False))
        self.assertEqual(c.rpc("eth_getBlockByNumber", "earliest", False)["number"], "0x0")
        self.assertEqual(c.rpc("eth_maxPriorityFeePerGas"), hex(GWEI))
        self.assertGreater(int(c.rpc("eth_gasPrice"), 16), int(blk["baseFeePerGas"], 16))
        fh = c.rpc("eth_feeHistory", "0x3", "latest", [10, 50, 90])
        n = min(3, head + 1)
        self.assertEqual(int(fh["oldestBlock"], 16), head - n + 1)
        self.assertEqual(len(fh["baseFeePerGas"]), n + 1)
        self.assertEqual(len(fh["gasUsedRatio"]), n)
        self.assertEqual(len(fh["reward"]), n)
        self.assertTrue(all(len(r) == 3 for r in fh["reward"]))
        self.assertNotIn("reward", c.rpc("eth_feeHistory", "0x2", "latest", []))
        # quantities are minimal hex
        self.assertRegex(c.rpc("eth_getTransactionCount", b2h(addr_of(USER3)), "latest"), r"^0x(0|[1-9a-f][0-9a-f]*)$")

    def test_jsonrpc_envelope(self):
        c = self.chain
        with self.assertRaises(RpcError) as cm:
            c.rpc("eth_noSuchMethod")
        self.assertEqual(cm.exception.code, -32601)
        _, body = c.raw("{not json")
        self.assertEqual(json.loads(body)["error"]["code"], -32700)
        _, body = c.raw(json.dumps({"jsonrpc": "2.0", "id": 7}))
        self.assertEqual(json.loads(body)["error"]["code"], -32600)
        _, body = c.raw(json.dumps([
            {"jsonrpc": "2.0", "id": 1, "method": "eth_chainId", "params": []},
            {"jsonrpc": "2.0", "id": "two", "method": "eth_blockNumber"},
            {"jsonrpc": "2.0", "id": 3, "method": "nope", "params": []},
        ]))
        batch = json.loads(body)
        self.assertEqual([r["id"] for r in batch], [1, "two", 3])
        self.assertEqual(batch[0]["result"], "0x7a69")
        self.assertEqual(batch[2]["error"]["code"], -32601)
        with self.assertRaises(RpcError) as cm:
            c.rpc("eth_getBalance", "0x1234", "latest")
        self.assertEqual(cm.exception.code, -32602)

    def test_send_raw_transaction_errors(self):
        c = self.chain
        sender = USER3
        n = c.nonce(sender)
        raw = sign_1559(sender, nonce=n, to=b"\x11" * 20, data=b"", gas=21_000, value=1)
        txh = c.rpc("eth_sendRawTransaction", b2h(raw))
        self.assertEqual(h2b(txh), keccak(raw))
        rc = c.rpc("eth_getTransactionReceipt", txh)
        self.assertEqual((rc["status"], rc["type"], rc["gasUsed"]), ("0x1", "0x2", hex(21_000)))
        # resending a mined tx: geth's "nonce too low" (code -32000)
        with self.assertRaises(RpcError) as cm:
            c.rpc("eth_sendRawTransaction", b2h(raw))
        self.assertEqual(cm.exception.code, -32000)
        self.assertEqual(cm.exception.message, f"nonce too low: next nonce {n + 1}, tx nonce {n}")
        # an account with no ether
        poor = "0x" + "42" * 32
        with self.assertRaises(RpcError) as cm:
            c.rpc("eth_sendRawTransaction", b2h(sign_1559(poor, nonce=0, to=b"\x11" * 20, data=b"", gas=21_000)))
        self.assertEqual(cm.exception.code, -32000)
        self.assertTrue(cm.exception.message.startswith("insufficient funds for gas * price + value: balance 0, tx cost "),
                        cm.exception.message)
        # wrong chain id, fee cap below base fee, tip above fee cap, intrinsic gas, garbage
        cases = [
            (sign_1559(sender, nonce=n + 1, to=b"\x11" * 20, data=b"", gas=21_000, chain_id=1),
             "invalid sender: invalid chain id for signer: have 1 want 31337"),
            (sign_1559(sender, nonce=n + 1, to=b"\x11" * 20, data=b"", gas=21_000, tip=0, fee_cap=1),
             "max fee per gas less than block base fee"),
            (sign_1559(sender, nonce=n + 1, to=b"\x11" * 20, data=b"", gas=21_000, tip=5 * GWEI, fee_cap=GWEI),
             "max priority fee per gas higher than max fee per gas"),
            (sign_1559(sender, nonce=n + 1, to=b"\x11" * 20, data=b"", gas=20_000), "intrinsic gas too low: have 20000, want 21000"),
            (b"\x02\xc0", "rlp: "),
        ]
        for raw_bad, prefix in cases:
            with self.assertRaises(RpcError, msg=prefix) as cm:
                c.rpc("eth_sendRawTransaction", b2h(raw_bad))
            self.assertEqual(cm.exception.code, -32000)
            self.assertTrue(cm.exception.message.startswith(prefix), cm.exception.message)
        self.assertEqual(c.nonce(sender), n + 1, "rejected txs change nothing")

    def test_legacy_transaction_and_tx_lookup(self):
        c = self.chain
        n = c.nonce(USER3)
        raw = sign_legacy(USER3, nonce=n, to=b"\x22" * 20, data=b"\x01\x02", gas=30_000, value=5)
        txh = c.rpc("eth_sendRawTransaction", b2h(raw))
        rc = c.rpc("eth_getTransactionReceipt", txh)
        self.assertEqual((rc["status"], rc["type"], rc["effectiveGasPrice"]), ("0x1", "0x0", hex(3 * GWEI)))
        tx = c.rpc("eth_getTransactionByHash", txh)
        self.assertEqual((tx["hash"], tx["nonce"], tx["input"], tx["blockNumber"]), (txh, hex(n), "0x0102", rc["blockNumber"]))
        self.assertEqual(h2b(tx["from"]), addr_of(USER3))
        self.assertIsNone(c.rpc("eth_getTransactionByHash", "0x" + "00" * 32))
        self.assertIsNone(c.rpc("eth_getTransactionReceipt", "0x" + "00" * 32))

    def test_future_nonce_is_queued_then_mined(self):
        c = self.chain
        n = c.nonce(USER2)
        later = sign_1559(USER2, nonce=n + 1, to=b"\x33" * 20, data=b"", gas=21_000)
        first = sign_1559(USER2, nonce=n, to=b"\x33" * 20, data=b"", gas=21_000)
        h_later = c.rpc("eth_sendRawTransaction", b2h(later))
        self.assertIsNone(c.rpc("eth_getTransactionReceipt", h_later))
        self.assertIsNone(c.rpc("eth_getTransactionByHash", h_later)["blockNumber"])
        self.assertEqual(c.nonce(USER2), n, "a gapped tx is not pending")
        h_first = c.rpc("eth_sendRawTransaction", b2h(first))
        r1 = c.rpc("eth_getTransactionReceipt", h_first)
        r2 = c.rpc("eth_getTransactionReceipt", h_later)
        self.assertEqual((r1["status"], r2["status"]), ("0x1", "0x1"))
        self.assertEqual(int(r2["blockNumber"], 16), int(r1["blockNumber"], 16) + 1)
        self.assertEqual(c.nonce(USER2), n + 2)

    def test_estimate_gas_and_send_transaction(self):
        c = self.chain
        est = int(c.rpc("eth_estimateGas", {"from": b2h(addr_of(USER)), "to": b2h(b"\x44" * 20), "value": "0x1"}), 16)
        self.assertEqual(est, 21_000)
        # eth_sendTransaction signs for the (unlocked) dev accounts, like anvil
        data = SEL_CREATE_JOB + abi_encode(["uint64", "bytes", "bytes", "uint64"], [999, b"\x01" * 32, b"", 5])
        txh = c.rpc("eth_sendTransaction", {"from": b2h(addr_of(USER2)), "to": b2h(self.jm), "input": b2h(data)})
        rc = c.rpc("eth_getTransactionReceipt", txh)
        self.assertEqual(rc["status"], "0x1")
        self.assertEqual(h2b(rc["logs"][0]["topics"][1]), job_id(999, addr_of(USER2)))
        with self.assertRaises(RpcError):
            c.rpc("eth_sendTransaction", {"from": "0x" + "99" * 20, "to": b2h(self.jm), "input": b2h(data)})

    def test_mine_snapshot_revert(self):
        c = self.chain
        head = int(c.rpc("eth_blockNumber"), 16)
        self.assertEqual(c.rpc("devchain_mine", "0x5"), hex(head + 5))
        self.assertEqual(int(c.rpc("eth_blockNumber"), 16), head + 5)
        snap = c.rpc("devchain_snapshot")
        rc = self.create_job(USER2, 4242, b"\x07" * 32, b"snap", 10)
        jid = h2b(rc["logs"][0]["topics"][1])
        self.assertEqual(self.job_metadata(jid)[3], 1)
        self.assertTrue(c.rpc("devchain_revert", snap))
        self.assertEqual(int(c.rpc("eth_blockNumber"), 16), head + 5)
        self.assertEqual(self.job_metadata(jid)[3], 0)
        self.assertIsNone(c.rpc("eth_getTransactionReceipt", rc["transactionHash"]))
        self.assertEqual(c.rpc("eth_getLogs", {"fromBlock": hex(head + 6), "toBlock": "latest"}), [])
        # the same tx can go in again after the revert
        rc2 = self.create_job(USER2, 4242, b"\x07" * 32, b"snap", 10)
        self.assertEqual(rc2["status"], "0x1")


class TestJobManager(ChainTestCase):
    PROGRAM = keccak(b"program")
    INPUT = b"\x00" * 12 + b"\x45" * 20
    RESULT = b"result bytes " * 5
    MAX_CYCLES = 1_000_000

    def new_job(self, nonce: int, key: str = USER) -> bytes:
        rc = self.create_job(key, nonce, self.PROGRAM, self.INPUT, self.MAX_CYCLES)
        self.assertEqual(rc["status"], "0x1")
        return job_id(nonce, addr_of(key))

    def test_create_job_event_layout(self):
        c = self.chain
        rc = self.create_job(USER, 1, self.PROGRAM, self.INPUT, self.MAX_CYCLES)
        self.assertEqual(rc["status"], "0x1")
        self.assertEqual(len(rc["logs"]), 1)
        lg = rc["logs"][0]
        jid = job_id(1, addr_of(USER))
        self.assertEqual(h2b(lg["address"]), self.jm)
        self.assertEqual([h2b(t) for t in lg["topics"]],
                         [TOPIC_JOB_CREATED, jid, word(1), addr_of(USER).rjust(32, b"\0")])
        self.assertEqual(h2b(lg["data"]), abi_encode(["uint64", "bytes", "bytes"], [self.MAX_CYCLES, self.PROGRAM, self.INPUT]))
        for k in ("blockNumber", "transactionHash", "logIndex", "blockHash", "transactionIndex"):
            self.assertIn(k, lg)
        self.assertEqual((lg["blockNumber"], lg["transactionHash"], lg["logIndex"]), (rc["blockNumber"], rc["transactionHash"], "0x0"))
        self.assertEqual(self.job_metadata(jid), (self.PROGRAM, self.MAX_CYCLES, addr_of(USER), 1))
        # same nonce and consumer again
        data = SEL_CREATE_JOB + abi_encode(["uint64", "bytes", "bytes", "uint64"], [1, self.PROGRAM, self.INPUT, self.MAX_CYCLES])
        self.assert_reverts(USER, data, "JobManager.createJob: job already exists with this nonce and consumer")
        # the receipt fields the relayer reads
        for k in ("status", "gasUsed", "effectiveGasPrice", "contractAddress", "logs", "blockNumber", "transactionHash", "from", "to"):
            self.assertIn(k, rc)
        self.assertIsNone(rc["contractAddress"])

    def test_get_logs_filters(self):
        c = self.chain
        before = int(c.rpc("eth_blockNumber"), 16)
        self.new_job(100, USER)
        self.new_job(101, USER2)
        self.new_job(102, USER)
        jm = b2h(self.jm)
        created = b2h(TOPIC_JOB_CREATED)
        logs = c.rpc("eth_getLogs", {"fromBlock": hex(before + 1), "toBlock": "latest", "address": jm, "topics": [created]})
        self.assertEqual([int(l["topics"][2], 16) for l in logs], [100, 101, 102])
        only_user = c.rpc("eth_getLogs", {"fromBlock": hex(before + 1), "address": [jm.upper().replace("0X", "0x")],
                                          "topics": [created, None, None, b2h(addr_of(USER).rjust(32, b"\0"))]})
        self.assertEqual([int(l["topics"][2], 16) for l in only_user], [100, 102])
        either = c.rpc("eth_getLogs", {"fromBlock": hex(before + 1), "topics": [None, None, [b2h(word(101)), b2h(word(102))]]})
        self.assertEqual([int(l["topics"][2], 16) for l in either], [101, 102])
        one_block = c.rpc("eth_getLogs", {"fromBlock": hex(before + 2), "toBlock": hex(before + 2)})
        self.assertEqual([int(l["topics"][2], 16) for l in one_block], [101])
        by_hash = c.rpc("eth_getLogs", {"blockHash": one_block[0]["blockHash"]})
        self.assertEqual(by_hash, one_block)
        # a toBlock past the head is clamped; a fromBlock past it finds nothing
        self.assertEqual(len(c.rpc("eth_getLogs", {"fromBlock": hex(before + 1), "toBlock": hex(before + 10_000), "address": jm})), 3)
        self.assertEqual(c.rpc("eth_getLogs", {"fromBlock": hex(before + 10_000)}), [])
        self.assertEqual(c.rpc("eth_getLogs", {"fromBlock": hex(before + 1), "address": "0x" + "00" * 20}), [])
        with self.assertRaises(RpcError):
            c.rpc("eth_getLogs", {"fromBlock": hex(before + 3), "toBlock": hex(before + 1)})

    def test_submit_result_happy_path_and_duplicate(self):
        c = self.chain
        jid = self.new_job(2)
        enc = make_onchain_result(jid, self.INPUT, self.MAX_CYCLES, self.PROGRAM, self.RESULT)
        data = self.submit_result_calldata(enc, eip191_sign(OPERATOR, enc))
        est = int(c.rpc("eth_estimateGas", {"from": b2h(addr_of(RELAYER)), "to": b2h(self.jm), "data": b2h(data)}), 16)
        rc = c.send(RELAYER, self.jm, data, gas=est * 12 // 10)
        self.assertEqual(rc["status"], "0x1")
        self.assertLessEqual(int(rc["gasUsed"], 16), est)
        self.assertEqual(len(rc["logs"]), 1)
        self.assertEqual([h2b(t) for t in rc["logs"][0]["topics"]], [TOPIC_JOB_COMPLETED, jid])
        self.assertEqual(h2b(rc["logs"][0]["data"]), abi_encode(["bytes"], [self.RESULT]))
        self.assertEqual(self.job_metadata(jid)[3], 3)
        self.assert_reverts(RELAYER, data, "JobManager.submitResult: job is not in pending state")

    def test_submit_result_checks(self):
        jid = self.new_job(3)
        good = make_onchain_result(jid, self.INPUT, self.MAX_CYCLES, self.PROGRAM, self.RESULT)
        good_sig = eip191_sign(OPERATOR, good)
        call = self.submit_result_calldata
        self.assert_reverts(USER, call(good, good_sig), "JobManager.submitResult: caller is not the relayer")
        self.assert_reverts(OPERATOR, call(good, good_sig), "JobManager.submitResult: caller is not the relayer")
        self.assert_reverts(RELAYER, call(good, eip191_sign(REQUEST_SIGNER, good)), "JobManager.submitResult: Invalid signature")
        bad_v = good_sig[:64] + bytes([good_sig[64] - 27])
        self.assert_reverts(RELAYER, call(good, bad_v), "JobManager.submitResult: Invalid signature")
        self.assert_reverts(RELAYER, call(good, good_sig[:64]), "JobManager.submitResult: Invalid signature")
        cases = {
            "JobManager.submitResult: job is not in pending state":
                make_onchain_result(job_id(77, addr_of(USER)), self.INPUT, self.MAX_CYCLES, self.PROGRAM, self.RESULT),
            "JobManager.submitResult: onchain input signed by coprocessor doesn't match onchain input submitted with job":
                make_onchain_result(jid, self.INPUT + b"x", self.MAX_CYCLES, self.PROGRAM, self.RESULT),
            "JobManager.submitResult: program ID signed by coprocessor doesn't match program ID submitted with job":
                make_onchain_result(jid, self.INPUT, self.MAX_CYCLES, keccak(b"other"), self.RESULT),
            "JobManager.submitResult: max cycles signed by coprocessor doesn't match max cycles submitted with job":
                make_onchain_result(jid, self.INPUT, self.MAX_CYCLES + 1, self.PROGRAM, self.RESULT),
        }
        for reason, enc in cases.items():
            self.assert_reverts(RELAYER, call(enc, eip191_sign(OPERATOR, enc)), reason)
        # still pending and completable after all the failures
        self.assertEqual(self.job_metadata(jid)[3], 1)
        self.assertEqual(self.chain.send(RELAYER, self.jm, call(good, good_sig))["status"], "0x1")

    def test_offchain_job_checks(self):
        consumer = addr_of(USER2)
        onchain_input, off_input, state = b"\x01\x02", b"offchain", b"state!"
        req_vals = [5, self.MAX_CYCLES, consumer, self.PROGRAM, onchain_input, keccak(off_input), keccak(state)]
        request = encode_struct(REQUEST_TYPES, req_vals)
        req_sig = eip191_sign(REQUEST_SIGNER, request)
        jid = job_id(5, consumer)

        def result(**over):
            vals = dict(jobID=jid, onchainInputHash=keccak(onchain_input), offchainInputHash=keccak(off_input),
                        stateHash=keccak(state), maxCycles=self.MAX_CYCLES, programID=self.PROGRAM, result=self.RESULT)
            vals.update(over)
            return encode_struct(OFFCHAIN_RESULT_TYPES, list(vals.values()))

        def call(res, res_sig=None, req=request, rsig=req_sig):
            return self.submit_offchain_calldata(res, res_sig or eip191_sign(OPERATOR, res), req, rsig)

        P = "JobManager.submitResultForOffchainJob: "
        self.assert_reverts(USER, call(result()), P + "caller is not the relayer")
        self.assert_reverts(RELAYER, call(result(), rsig=b"\0" * 65), P + "Invalid signature on job request")
        self.assert_reverts(RELAYER, call(result(), res_sig=eip191_sign(USER, result())), P + "Invalid signature on result")
        self.assert_reverts(RELAYER, call(result(jobID=job_id(6, consumer))),
                            P + "job ID signed by coprocessor doesn't match job ID of job request")
        self.assert_reverts(RELAYER, call(result(offchainInputHash=keccak(b"x"))),
                            P + "offchain input hash signed by coprocessor doesn't match offchain input hash of job request")
        self.assert_reverts(RELAYER, call(result(stateHash=keccak(b"x"))),
                            P + "state hash signed by coprocessor doesn't match state hash of job request")
        self.assert_reverts(RELAYER, call(result(onchainInputHash=keccak(b"x"))),
                            "JobManager.submitResult: onchain input signed by coprocessor doesn't match onchain input submitted with job")
        self.assert_reverts(RELAYER, call(result(programID=b"\x09")),
                            "JobManager.submitResult: program ID signed by coprocessor doesn't match program ID submitted with job")
        self.assert_reverts(RELAYER, call(result(maxCycles=1)),
                            "JobManager.submitResult: max cycles signed by coprocessor doesn't match max cycles submitted with job")
        # a registered request signer for the consumer (stand-in for EIP-1271) must match
        set_signer = SEL_SET_OFFCHAIN_SIGNER + abi_encode(["address", "address"], [consumer, addr_of(REQUEST_SIGNER)])
        self.assertEqual(self.chain.send(USER2, self.jm, set_signer)["status"], "0x1")
        self.assert_reverts(RELAYER, call(result(), rsig=eip191_sign(USER3, request)), P + "Invalid signature on job request")
        self.assert_reverts(USER3, set_signer, "JobManager.setOffchainSigner: caller is not the consumer or JobManager owner")

        rc = self.chain.send(RELAYER, self.jm, call(result()))
        self.assertEqual(rc["status"], "0x1")
        self.assertEqual(len(rc["logs"]), 1, "JobCompleted only: offchain jobs emit no JobCreated")
        self.assertEqual([h2b(t) for t in rc["logs"][0]["topics"]], [TOPIC_JOB_COMPLETED, jid])
        self.assertEqual(self.job_metadata(jid), (self.PROGRAM, self.MAX_CYCLES, consumer, 3))
        self.assert_reverts(RELAYER, call(result()), "JobManager.createJob: job already exists with this nonce and consumer")

    def test_malformed_and_oversized_encodings_revert(self):
        c = self.chain
        jid = self.new_job(60)
        enc = make_onchain_result(jid, self.INPUT, self.MAX_CYCLES, self.PROGRAM, self.RESULT)
        # abi.encode of the fields without the tuple wrapper (the vectors' "params style" mistake)
        unwrapped = enc[32:]
        for bad in (unwrapped, enc[:100]):
            with self.assertRaises(RpcError) as cm:
                c.call(RELAYER, self.jm, self.submit_result_calldata(bad, eip191_sign(OPERATOR, bad)))
            self.assertEqual(cm.exception.code, 3)
            self.assertTrue(cm.exception.message.startswith("execution reverted"), cm.exception.message)
        # results above the contract's 8 KiB bound revert without a reason (Vyper's bounds check)
        big = make_onchain_result(jid, self.INPUT, self.MAX_CYCLES, self.PROGRAM, b"\1" * 9000)
        with self.assertRaises(RpcError) as cm:
            c.call(RELAYER, self.jm, self.submit_result_calldata(big, eip191_sign(OPERATOR, big)))
        self.assertEqual((cm.exception.code, cm.exception.message, cm.exception.data), (3, "execution reverted", "0x"))
        # 8 KiB itself is fine
        ok = make_onchain_result(jid, self.INPUT, self.MAX_CYCLES, self.PROGRAM, b"\1" * 8192)
        rc = c.send(RELAYER, self.jm, self.submit_result_calldata(ok, eip191_sign(OPERATOR, ok)), gas=2_000_000)
        self.assertEqual(rc["status"], "0x1")

    def test_block_tags_full_blocks_and_concurrency(self):
        c = self.chain
        rc = self.create_job(USER3, 70, self.PROGRAM, self.INPUT, self.MAX_CYCLES)
        jid = job_id(70, addr_of(USER3))
        for tag in ("latest", "pending", rc["blockNumber"], {"blockNumber": rc["blockNumber"]}, {"blockHash": rc["blockHash"]}):
            self.assertEqual(self.job_metadata(jid, tag)[3], 1, tag)
        self.assertEqual(self.job_metadata(jid, hex(int(rc["blockNumber"], 16) - 1))[3], 0, "state as of an older block")
        blk = c.rpc("eth_getBlockByNumber", rc["blockNumber"], True)
        self.assertEqual([t["hash"] for t in blk["transactions"]], [rc["transactionHash"]])
        self.assertEqual(c.rpc("eth_getBlockByHash", blk["hash"], False)["transactions"], [rc["transactionHash"]])
        self.assertIn("alysis", c.rpc("web3_clientVersion").lower())
        # parallel clients: each thread its own sender; everything lands, nothing is lost
        errors, hashes = [], []

        def worker(key, base):
            try:
                for i in range(5):
                    raw = sign_1559(key, nonce=base + i, to=b"\x55" * 20, data=b"", gas=21_000)
                    hashes.append(c.rpc("eth_sendRawTransaction", b2h(raw)))
            except Exception as exc:  # noqa: BLE001
                errors.append(exc)

        keys = [KEYS[6], KEYS[7], KEYS[8]]
        threads = [threading.Thread(target=worker, args=(k, c.nonce(k))) for k in keys]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(errors, [])
        self.assertEqual(len(hashes), 15)
        self.assertTrue(all(c.rpc("eth_getTransactionReceipt", h)["status"] == "0x1" for h in hashes))

    def test_cancel_job(self):
        jid = self.new_job(80)
        cancel = keccak(b"cancelJob(bytes32)")[:4] + jid
        self.assert_reverts(USER2, cancel, "JobManager.cancelJob: caller is not the job consumer or JobManager owner")
        rc = self.chain.send(USER, self.jm, cancel)
        self.assertEqual(rc["status"], "0x1")
        self.assertEqual([h2b(t) for t in rc["logs"][0]["topics"]],
                         [bytes.fromhex(VECTORS_TOPIC_CANCELLED), jid])
        self.assertEqual(self.job_metadata(jid)[3], 2)
        self.assert_reverts(USER, cancel, "JobManager.cancelJob: job is not in pending state")
        enc = make_onchain_result(jid, self.INPUT, self.MAX_CYCLES, self.PROGRAM, self.RESULT)
        self.assert_reverts(RELAYER, self.submit_result_calldata(enc, eip191_sign(OPERATOR, enc)),
                            "JobManager.submitResult: job is not in pending state")

    def test_owner_settable_operator_and_relayer(self):
        c = self.chain
        other = addr_of(USER3)
        set_op = SEL_SET_OPERATOR + other.rjust(32, b"\0")
        self.assert_reverts(USER, set_op, "Ownable: caller is not the owner")
        self.assertEqual(c.send(DEPLOYER, self.jm, set_op)["status"], "0x1")
        get_op = keccak(b"getCoprocessorOperator()")[:4]
        self.assertEqual(c.call(None, self.jm, get_op)[12:], other)
        jid = self.new_job(50)
        enc = make_onchain_result(jid, self.INPUT, self.MAX_CYCLES, self.PROGRAM, self.RESULT)
        self.assert_reverts(RELAYER, self.submit_result_calldata(enc, eip191_sign(OPERATOR, enc)), "JobManager.submitResult: Invalid signature")
        self.assertEqual(c.send(RELAYER, self.jm, self.submit_result_calldata(enc, eip191_sign(USER3, enc)))["status"], "0x1")
        restore = SEL_SET_OPERATOR + addr_of(OPERATOR).rjust(32, b"\0")
        self.assertEqual(c.send(DEPLOYER, self.jm, restore)["status"], "0x1")
        self.assertEqual(c.call(None, self.jm, keccak(b"getRelayer()")[:4])[12:], addr_of(RELAYER))
        self.assertEqual(c.call(None, self.jm, keccak(b"owner()")[:4])[12:], addr_of(DEPLOYER))


@NEED_VECTORS
class TestVectorReplays(ChainTestCase):
    """The vectors' exact bytes against the chain. The JobManager is deployed by anvil #3 so that
    anvil #0's first contract, TestConsumer, sits at the vectors' consumer 0x5FbDB...0aa3."""

    server_args = ("--deploy", "--deploy-consumer", "--deployer-key", KEYS[3])

    def test_keys_match(self):
        self.assertEqual(h2b(VECTORS["keys"]["operator"]["private_key"]), h2b(OPERATOR))
        self.assertEqual(h2b(VECTORS["keys"]["relayer"]["private_key"]), h2b(RELAYER))
        self.assertEqual(h2b(VECTORS["keys"]["offchain_request_signer"]["private_key"]), h2b(REQUEST_SIGNER))
        self.assertEqual(self.chain.info["consumer"], VECTORS["onchain_jobs"][0]["consumer"])

    def test_abi_has_the_vectors_selectors_and_topics(self):
        abi, _ = devchain.compile_contract("JobManager")
        sigs = {}
        for item in abi:
            if item["type"] in ("function", "event"):
                def canon(t):
                    return "(" + ",".join(canon(c) for c in t["components"]) + ")" if t["type"] == "tuple" else t["type"]
                sig = f"{item['name']}({','.join(canon(i) for i in item['inputs'])})"
                h = keccak(sig.encode())
                sigs[("topic0 " if item["type"] == "event" else "") + sig] = b2h(h if item["type"] == "event" else h[:4])
        for name, value in VECTORS["selectors_and_topics"].items():
            if name == "isValidSignature(bytes32,bytes)":
                continue  # the consumer's EIP-1271 hook; see README (signer registry instead)
            self.assertEqual(sigs.get(name), value, name)

    def test_eip1559_raw_tx_decodes_and_signer_matches(self):
        v = VECTORS["eip1559_transactions"][0]
        t = v["tx"]
        mine = sign_1559(RELAYER, nonce=int(t["nonce"]), to=h2b(t["to"]), data=h2b(t["data"]), gas=int(t["gas"]),
                         tip=int(t["maxPriorityFeePerGas"]), fee_cap=int(t["maxFeePerGas"]), chain_id=int(t["chainId"]))
        self.assertEqual(b2h(mine), v["raw_transaction"], "the test signer reproduces the vector byte for byte")
        c = self.chain
        # the relayer's nonce is 0 on this chain, as in the vector, so the server must accept it
        self.assertEqual(c.nonce(RELAYER), 0)
        txh = c.rpc("eth_sendRawTransaction", v["raw_transaction"])
        self.assertEqual(txh, v["tx_hash"])
        tx = c.rpc("eth_getTransactionByHash", txh)
        self.assertEqual(h2b(tx["from"]), h2b(v["sender"]))
        self.assertEqual((tx["type"], tx["nonce"], tx["gas"], tx["maxFeePerGas"], tx["maxPriorityFeePerGas"], tx["chainId"]),
                         ("0x2", "0x0", hex(1_000_000), hex(3 * GWEI), hex(GWEI), "0x7a69"))
        self.assertEqual(tx["input"], t["data"])
        self.assertEqual(h2b(tx["to"]), h2b(t["to"]))
        self.assertEqual((int(tx["r"], 16), int(tx["s"], 16)), (int(v["r"], 16), int(v["s"], 16)))
        rc = c.rpc("eth_getTransactionReceipt", txh)
        # no code at the vector's JobManager address here: a plain call that succeeds with no logs
        self.assertEqual((rc["status"], rc["logs"]), ("0x1", []))
        base = int(c.rpc("eth_getBlockByNumber", rc["blockNumber"], False)["baseFeePerGas"], 16)
        self.assertEqual(int(rc["effectiveGasPrice"], 16), min(3 * GWEI, base + GWEI))

    def test_onchain_job_vector_end_to_end(self):
        c = self.chain
        oj = VECTORS["onchain_jobs"][0]
        lv = VECTORS["job_created_logs"][0]
        d = lv["decoded"]
        consumer = h2b(c.info["consumer"])
        data = SEL_REQUEST_JOB + abi_encode(["address", "uint64", "bytes", "bytes", "uint64"],
                                            [self.jm, int(d["nonce"]), h2b(d["programID"]), h2b(d["onchainInput"]), int(d["maxCycles"])])
        rc = c.send(USER, consumer, data)
        self.assertEqual(rc["status"], "0x1")
        self.assertEqual(len(rc["logs"]), 1)
        self.assertEqual(rc["logs"][0]["topics"], lv["topics"])
        self.assertEqual(rc["logs"][0]["data"], lv["data"])
        # the vectors' exact submitResult calldata and operator signature, from the relayer
        calldata = h2b(oj["submitResult_calldata"])
        self.assertEqual(calldata, self.submit_result_calldata(h2b(oj["result_abi_encoding"]), h2b(oj["operator_signature"]["signature"])))
        self.assertEqual(c.call(RELAYER, self.jm, calldata), b"")
        rc = c.send(RELAYER, self.jm, calldata)
        self.assertEqual(rc["status"], "0x1")
        self.assertEqual([h2b(t) for t in rc["logs"][0]["topics"]], [TOPIC_JOB_COMPLETED, h2b(oj["job_id"])])
        self.assertEqual(h2b(rc["logs"][0]["data"]), abi_encode(["bytes"], [h2b(oj["result_with_metadata"]["result"])]))
        self.assertEqual(self.job_metadata(h2b(oj["job_id"]))[3], 3)

    def test_offchain_job_vectors(self):
        c = self.chain
        snap = c.rpc("devchain_snapshot")  # the typical vector shares its job id with the onchain one
        try:
            for job in VECTORS["offchain_jobs"]:
                with self.subTest(job=job["name"]):
                    req = job["request"]
                    enc = encode_struct(REQUEST_TYPES, [int(req["nonce"]), int(req["max_cycles"]), h2b(req["consumer"]),
                                                        h2b(req["program_id"]), h2b(req["onchain_input"]),
                                                        h2b(req["offchain_input_hash"]), h2b(req["state_hash"])])
                    self.assertEqual(b2h(enc), job["request_abi_encoding"])
                    self.assertEqual(eip191_sign(REQUEST_SIGNER, enc), h2b(job["request_signature"]["signature"]))
                    calldata = h2b(job["submitResultForOffchainJob_calldata"])
                    self.assertEqual(calldata, self.submit_offchain_calldata(
                        h2b(job["offchain_result_abi_encoding"]), h2b(job["operator_signature"]["signature"]),
                        enc, h2b(job["request_signature"]["signature"])))
                    bad_v = h2b(job["operator_signature"]["negative_signature_v_0_1"])
                    self.assert_reverts(RELAYER, self.submit_offchain_calldata(
                        h2b(job["offchain_result_abi_encoding"]), bad_v, enc, h2b(job["request_signature"]["signature"])),
                        "JobManager.submitResultForOffchainJob: Invalid signature on result")
                    rc = c.send(RELAYER, self.jm, calldata)
                    self.assertEqual(rc["status"], "0x1")
                    self.assertEqual([h2b(t) for t in rc["logs"][0]["topics"]], [TOPIC_JOB_COMPLETED, h2b(job["job_id"])])
                    self.assertEqual(h2b(rc["logs"][0]["data"]), abi_encode(["bytes"], [h2b(job["offchain_result_with_metadata"]["result"])]))
                    self.assertEqual(self.job_metadata(h2b(job["job_id"])),
                                     (h2b(req["program_id"]), int(req["max_cycles"]), h2b(req["consumer"]), 3))
        finally:
            self.assertTrue(c.rpc("devchain_revert", snap))


class TestSuspend(ChainTestCase):
    def test_suspend_refuses_connections_then_comes_back(self):
        c = self.chain
        rc = self.create_job(USER, 9, b"\x01" * 32, b"in", 10)
        jid = h2b(rc["logs"][0]["topics"][1])
        head = c.rpc("eth_blockNumber")
        # a keep-alive connection opened before the suspension must be cut too
        keep = http.client.HTTPConnection("127.0.0.1", c.port, timeout=5)
        body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "eth_chainId", "params": []})
        keep.request("POST", "/", body, {"Content-Type": "application/json"})
        self.assertEqual(json.loads(keep.getresponse().read())["result"], "0x7a69")

        t0 = time.monotonic()
        self.assertIs(c.rpc("devchain_suspend", 1.5), True)
        time.sleep(0.3)
        with self.assertRaises(ConnectionRefusedError):
            socket.create_connection(("127.0.0.1", c.port), timeout=2).close()
        with self.assertRaises(urllib.error.URLError) as cm:
            c.rpc("eth_blockNumber")
        self.assertIsInstance(cm.exception.reason, ConnectionRefusedError)
        with self.assertRaises((ConnectionError, http.client.HTTPException, OSError)):
            keep.request("POST", "/", body, {"Content-Type": "application/json"})
            keep.getresponse().read()
        keep.close()

        deadline = time.monotonic() + 15
        while True:
            try:
                back = c.rpc("eth_blockNumber")
                break
            except urllib.error.URLError:
                self.assertLess(time.monotonic(), deadline, "listener did not come back")
                time.sleep(0.05)
        self.assertGreaterEqual(time.monotonic() - t0, 1.4)
        self.assertEqual(back, head, "state intact")
        self.assertEqual(self.job_metadata(jid)[3], 1)
        self.assertEqual(self.create_job(USER, 10, b"\x01" * 32, b"in", 10)["status"], "0x1")


class TestProcess(unittest.TestCase):
    def test_json_line_without_deploy_and_clean_exit(self):
        p = DevChainProcess()
        try:
            self.assertEqual(set(p.info), {"rpc_url", "chain_id", "job_manager", "deployer", "operator", "relayer"})
            self.assertIsNone(p.info["job_manager"])
            self.assertEqual(p.rpc("eth_blockNumber"), "0x0")
            self.assertEqual(p.rpc("eth_getCode", "0x5FbDB2315678afecb367f032d93F642f64180aa3", "latest"), "0x")
        finally:
            self.assertEqual(p.stop(), 0)
        self.assertNotIn("Traceback", Path(p.log.name).read_text())


if __name__ == "__main__":
    unittest.main()
