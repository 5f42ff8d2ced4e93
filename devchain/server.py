#!/usr/bin/env python3
"""Loopback Ethereum JSON-RPC dev chain around alysis (py-evm), for tests and demos.

    python3 devchain/server.py --port 0 --deploy

prints one JSON line ({"rpc_url", "chain_id", "job_manager", "deployer", "operator", "relayer"}) on
stdout once it is serving, logs to stderr, and runs until SIGTERM/SIGINT. See devchain/README.md.

Every accepted transaction is mined at once into its own block (one tx per block, so a log's
logIndex within its receipt is also its index within the block).
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import json
import logging
import os
import signal
import socket
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

try:
    from alysis import BlockNotFound, EVMVersion, Node, RPCNode, TransactionFailed, TransactionReverted, ValidationError
    from alysis import _backend as alysis_backend  # pinned alysis==0.6.3; see _make_node
    from eth.chains.base import MiningChain
    from eth.constants import BLANK_ROOT_HASH, POST_MERGE_DIFFICULTY, POST_MERGE_MIX_HASH, POST_MERGE_NONCE
    from eth.db import get_db_backend
    from eth_keys import keys as eth_keys
    from ethereum_rpc import (Address, Amount, Block, BlockHash, BlockLabel, EstimateGasParams, EthCallParams, LogEntry,
                              RPCError, keccak, structure, unstructure)
except ImportError as _exc:
    # `python3 devchain/server.py` with a bare interpreter: use the project's venv if it has one.
    _venv = Path(__file__).resolve().parent.parent / ".venv"
    if __name__ == "__main__" and (_venv / "bin" / "python3").exists() and Path(sys.prefix).resolve() != _venv.resolve():
        os.execv(str(_venv / "bin" / "python3"), [str(_venv / "bin" / "python3"), __file__, *sys.argv[1:]])
    sys.exit(f"devchain: {_exc}; install the dev chain first: python3 -m venv .venv && "
             f".venv/bin/pip install -r devchain/requirements.txt")

log = logging.getLogger("devchain")

HERE = Path(__file__).resolve().parent
CHAIN_ID = 31337
GWEI = 10**9
ETHER = 10**18
GAS_LIMIT = 30_000_000

# anvil's default dev accounts #0-#9 (mnemonic "test test ... junk"). #1 is the vectors' relayer,
# #5 the offchain request signer, #9 InfinityVM's DEV_SECRET (the vectors' operator).
DEV_KEYS = [
    "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
    "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
    "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
    "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6",
    "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a",
    "0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba",
    "0x92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e",
    "0x4bbbf85ce3377467afe5d46f804f221813b2bb87f24d81f60f1fcdbf7cbf4356",
    "0xdbda1821b80551c9d65939329250298aa3472ba22feea921c0cf5d620ea67b97",
    "0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6",
]
DEFAULT_OPERATOR = "0xa0Ee7A142d267C1f36714E4a8F75612F20a79720"  # anvil #9
DEFAULT_RELAYER = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"  # anvil #1

# JSON-RPC error codes (geth conventions).
PARSE_ERROR, INVALID_REQUEST, METHOD_NOT_FOUND, INVALID_PARAMS = -32700, -32600, -32601, -32602
SERVER_ERROR, EXECUTION_REVERTED = -32000, 3
ERROR_SELECTOR = bytes.fromhex("08c379a0")  # Error(string)
MAX_QUEUED_TXS = 1024


class RpcFail(Exception):
    def __init__(self, code: int, message: str, data: Any = None):
        super().__init__(message)
        self.code, self.message, self.data = code, message, data

    def to_json(self) -> dict:
        err = {"code": self.code, "message": self.message}
        if self.data is not None:
            err["data"] = self.data
        return err


# ------------------------------------------------------------------------------------------------
# small codecs


def hexq(n: int) -> str:
    return hex(n)


def hexb(b: bytes) -> str:
    return "0x" + bytes(b).hex()


def parse_quantity(v: Any, what: str = "quantity") -> int:
    if isinstance(v, bool):
        raise RpcFail(INVALID_PARAMS, f"invalid {what}: {v!r}")
    if isinstance(v, int):
        return v
    if isinstance(v, str) and v[:2] in ("0x", "0X") and len(v) > 2:
        try:
            return int(v, 16)
        except ValueError:
            pass
    raise RpcFail(INVALID_PARAMS, f"invalid {what}: {v!r} (want a 0x-prefixed hex quantity)")


def parse_data(v: Any, what: str = "data") -> bytes:
    if isinstance(v, str) and v[:2] in ("0x", "0X"):
        s = v[2:]
        if len(s) % 2 == 0:
            try:
                return bytes.fromhex(s)
            except ValueError:
                pass
    raise RpcFail(INVALID_PARAMS, f"invalid {what}: {v!r} (want 0x-prefixed hex bytes)")


def parse_address(v: Any, what: str = "address") -> bytes:
    b = parse_data(v, what)
    if len(b) != 20:
        raise RpcFail(INVALID_PARAMS, f"invalid {what}: {v!r} (want 20 bytes)")
    return b


def checksum(addr: bytes) -> str:
    h = keccak(addr.hex().encode()).hex()
    return "0x" + "".join(c.upper() if int(h[i], 16) >= 8 else c for i, c in enumerate(addr.hex()))


def revert_message(data: bytes) -> str:
    """geth's wording: 'execution reverted: <reason>' when the data is Error(string)."""
    if data[:4] == ERROR_SELECTOR and len(data) >= 68:
        try:
            off = int.from_bytes(data[4:36], "big")
            ln = int.from_bytes(data[4 + off:36 + off], "big")
            reason = data[36 + off:36 + off + ln]
            if len(reason) == ln:
                return "execution reverted: " + reason.decode("utf-8", "replace")
        except (ValueError, OverflowError):
            pass
    return "execution reverted"


def param(params: list, i: int, default: Any = None, required: bool = False) -> Any:
    if i < len(params) and params[i] is not None:
        return params[i]
    if required:
        raise RpcFail(INVALID_PARAMS, f"missing value for required argument {i}")
    return default


# ------------------------------------------------------------------------------------------------
# the JobManager contract


def compile_contract(name: str) -> tuple[list, bytes]:
    """Compiles devchain/<name>.vy with vyper (~1.3 s), cached by source hash outside the repo."""
    source = (HERE / f"{name}.vy").read_text()
    import vyper  # imported lazily: only deployments need it

    key = hashlib.sha256((vyper.__version__ + "\0" + source).encode()).hexdigest()[:32]
    cache = Path(tempfile.gettempdir()) / "devchain-vyper-cache" / f"{name}-{key}.json"
    try:
        art = json.loads(cache.read_text())
        return art["abi"], bytes.fromhex(art["bytecode"][2:])
    except (OSError, ValueError, KeyError):
        pass
    out = vyper.compile_code(source, contract_path=f"{name}.vy", output_formats=["abi", "bytecode"])
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps({"abi": out["abi"], "bytecode": out["bytecode"]}))
        os.replace(tmp, cache)
    except OSError as exc:  # a cache miss next time is fine
        log.debug("compile cache not written: %s", exc)
    return out["abi"], bytes.fromhex(out["bytecode"][2:])


# ------------------------------------------------------------------------------------------------
# the chain


def _make_node(chain_id: int, accounts: list[bytes], balance_wei: int) -> Node:
    """alysis.Node with a genesis that funds the dev accounts (alysis itself funds one root key).

    Uses alysis internals (PyEVMBackend._initialize / Node._initialize, the same hooks its own
    __deepcopy__ uses); fine because requirements pin alysis==0.6.3.
    """
    vm_class = alysis_backend.EVM_MAPPING[EVMVersion.PRAGUE]

    class DevMiningChain(MiningChain):
        vm_configuration = ((0, vm_class),)

        def create_header_from_parent(self, parent_header, **header_params):
            # keep the gas limit fixed like anvil, instead of drifting per block
            header_params["gas_limit"] = parent_header.gas_limit
            return super().create_header_from_parent(parent_header, **header_params)

    DevMiningChain.chain_id = chain_id
    genesis_params = {
        "coinbase": b"\0" * 20,
        "difficulty": POST_MERGE_DIFFICULTY,
        "extra_data": b"",
        "gas_limit": GAS_LIMIT,
        "mix_hash": POST_MERGE_MIX_HASH,
        "nonce": POST_MERGE_NONCE,
        "receipt_root": BLANK_ROOT_HASH,
        "timestamp": int(time.time()),
        "transaction_root": BLANK_ROOT_HASH,
    }
    genesis_state = {a: {"balance": balance_wei, "storage": {}, "code": b"", "nonce": 0} for a in accounts}
    chain = DevMiningChain.from_genesis(get_db_backend(), genesis_params, genesis_state)
    backend = object.__new__(alysis_backend.PyEVMBackend)
    backend._initialize(chain=chain, root_private_key=b"\0" * 31 + b"\1", total_difficulty=0)
    node = object.__new__(Node)
    node._initialize(
        backend=backend,
        net_version=chain_id,
        auto_mine_transactions=True,
        filter_counter=0,
        log_filters={},
        log_filter_entries={},
        block_filters={},
        pending_transaction_filters={},
    )
    return node


class DevChain:
    """The chain plus the indexes alysis lacks (tx hash -> block, logs per block) and a queue for
    future-nonce transactions. All access goes through `lock` (py-evm is not thread-safe)."""

    def __init__(self, chain_id: int = CHAIN_ID, balance_wei: int = 10_000 * ETHER, dev_keys: list[str] = DEV_KEYS):
        self.chain_id = chain_id
        self.lock = threading.RLock()
        self.dev_keys = {}  # address bytes -> eth_keys PrivateKey
        for k in dev_keys:
            pk = eth_keys.PrivateKey(bytes.fromhex(k[2:]))
            self.dev_keys[pk.public_key.to_canonical_address()] = pk
        self.node = _make_node(chain_id, list(self.dev_keys), balance_wei)
        self.rpc = RPCNode(self.node)
        self.tx_index: dict[bytes, tuple[int, int]] = {}
        self.block_logs: list[list[dict]] = []
        self.queued: dict[bytes, dict[int, tuple[Any, bytes]]] = {}
        self.snapshots: dict[int, tuple] = {}
        self.next_snapshot = 1
        self.info: dict = {}
        self._sync_index()

    # ---- helpers over alysis / py-evm

    @property
    def backend(self):
        return self.node._backend

    @property
    def chain(self) -> MiningChain:
        return self.node._backend.chain

    def head(self) -> int:
        return self.backend.get_latest_block_number()

    def block(self, n: int):
        return self.chain.get_canonical_block_by_number(n)

    def next_base_fee(self) -> int:
        return self.chain.header.base_fee_per_gas  # the pending header already has it

    def state_nonce(self, addr: bytes) -> int:
        return self.backend.get_transaction_count(Address(addr), BlockLabel.LATEST)

    def state_balance(self, addr: bytes) -> int:
        return self.backend.get_balance(Address(addr), BlockLabel.LATEST)

    def _sync_index(self) -> None:
        """Index blocks mined since the last call (tx hash -> (block, index); logs as JSON)."""
        for n in range(len(self.block_logs), self.head() + 1):
            blk = self.block(n)
            for i, tx in enumerate(blk.transactions):
                self.tx_index[bytes(tx.hash)] = (n, i)
            self.block_logs.append(unstructure(self.backend.get_log_entries_by_block_number(n), list[LogEntry]))

    def mine(self, count: int = 1, timestamp: int | None = None) -> int:
        for i in range(count):
            self.node.mine_block(timestamp=timestamp if i == 0 else None)
        self._sync_index()
        return self.head()

    # ---- transactions

    def _admit(self, raw: bytes):
        """Checks a raw tx the way geth's pool does (same messages), returns (tx, sender)."""
        try:
            tx = self.backend.decode_transaction(raw)
        except Exception as exc:  # rlp errors, unknown tx type, bad field sizes
            raise RpcFail(SERVER_ERROR, f"rlp: {exc}") from exc
        tx_chain_id = getattr(tx, "chain_id", None)
        if tx_chain_id is not None and tx_chain_id != self.chain_id:
            raise RpcFail(SERVER_ERROR, f"invalid sender: invalid chain id for signer: have {tx_chain_id} want {self.chain_id}")
        if tx.gas > GAS_LIMIT:
            raise RpcFail(SERVER_ERROR, "exceeds block gas limit")
        if tx.max_priority_fee_per_gas > tx.max_fee_per_gas:
            raise RpcFail(SERVER_ERROR, "max priority fee per gas higher than max fee per gas")
        try:
            tx.check_signature_validity()
            sender = bytes(tx.sender)
        except Exception as exc:
            raise RpcFail(SERVER_ERROR, f"invalid sender: {exc}") from exc
        if tx.gas < tx.intrinsic_gas:
            raise RpcFail(SERVER_ERROR, f"intrinsic gas too low: have {tx.gas}, want {tx.intrinsic_gas}")
        next_nonce = self.state_nonce(sender)
        if tx.nonce < next_nonce:
            raise RpcFail(SERVER_ERROR, f"nonce too low: next nonce {next_nonce}, tx nonce {tx.nonce}")
        balance = self.state_balance(sender)
        cost = tx.gas * tx.max_fee_per_gas + tx.value
        if balance < cost:
            raise RpcFail(SERVER_ERROR, f"insufficient funds for gas * price + value: balance {balance}, tx cost {cost}, overshot {cost - balance}")
        return tx, sender

    def _check_fee_cap(self, tx, sender: bytes) -> None:
        base_fee = self.next_base_fee()
        if tx.max_fee_per_gas < base_fee:
            raise RpcFail(SERVER_ERROR, f"max fee per gas less than block base fee: address {checksum(sender)}, maxFeePerGas: {tx.max_fee_per_gas}, baseFee: {base_fee}")

    def _apply(self, raw: bytes) -> None:
        try:
            self.node.eth_send_raw_transaction(raw)  # applies and mines one block
        except Exception as exc:  # py-evm validation that our checks did not anticipate
            self._sync_index()
            raise RpcFail(SERVER_ERROR, str(exc)) from exc
        self._sync_index()

    def send_raw_transaction(self, raw: bytes) -> str:
        tx, sender = self._admit(raw)
        next_nonce = self.state_nonce(sender)
        if tx.nonce > next_nonce:
            # geth/anvil keep a future-nonce tx until the gap is filled; so do we, so that a
            # relayer sending nonces n, n+1 on parallel connections works in either arrival order.
            q = self.queued.setdefault(sender, {})
            old = q.get(tx.nonce)
            if old is not None and bytes(old[0].hash) == bytes(tx.hash):
                raise RpcFail(SERVER_ERROR, "already known")
            if old is not None and not (tx.max_fee_per_gas * 10 >= old[0].max_fee_per_gas * 11
                                        and tx.max_priority_fee_per_gas * 10 >= old[0].max_priority_fee_per_gas * 11):
                raise RpcFail(SERVER_ERROR, "replacement transaction underpriced")
            if old is None and sum(len(v) for v in self.queued.values()) >= MAX_QUEUED_TXS:
                raise RpcFail(SERVER_ERROR, "txpool is full")
            q[tx.nonce] = (tx, raw)
            log.info("queued tx %s from %s nonce %d (next nonce %d)", hexb(tx.hash), checksum(sender), tx.nonce, next_nonce)
            return hexb(tx.hash)
        self._check_fee_cap(tx, sender)
        self._apply(raw)
        self._promote(sender)
        return hexb(tx.hash)

    def _promote(self, sender: bytes) -> None:
        q = self.queued.get(sender)
        while q:
            nonce = self.state_nonce(sender)
            for stale in [n for n in q if n < nonce]:
                del q[stale]
            item = q.pop(nonce, None)
            if item is None:
                break
            tx, raw = item
            try:
                self._admit(raw)
                self._check_fee_cap(tx, sender)
                self._apply(raw)
            except RpcFail as exc:
                log.warning("dropped queued tx %s: %s", hexb(tx.hash), exc.message)
        if q is not None and not q:
            self.queued.pop(sender, None)

    def queued_tx(self, txhash: bytes):
        for q in self.queued.values():
            for tx, _raw in q.values():
                if bytes(tx.hash) == txhash:
                    return tx
        return None

    def sign_and_send(self, obj: dict) -> str:
        """eth_sendTransaction for the dev accounts (anvil keeps them unlocked too)."""
        sender = parse_address(obj.get("from"), "from")
        key = self.dev_keys.get(sender)
        if key is None:
            raise RpcFail(SERVER_ERROR, f"unknown account {checksum(sender)} (only the dev accounts are unlocked)")
        to = parse_address(obj["to"], "to") if obj.get("to") else b""
        data = parse_data(obj.get("input", obj.get("data", "0x")), "input")
        value = parse_quantity(obj.get("value", "0x0"), "value")
        nonce = parse_quantity(obj["nonce"], "nonce") if "nonce" in obj else self.state_nonce(sender)
        tip = parse_quantity(obj["maxPriorityFeePerGas"]) if "maxPriorityFeePerGas" in obj else GWEI
        fee_cap = parse_quantity(obj["maxFeePerGas"]) if "maxFeePerGas" in obj else 2 * self.next_base_fee() + tip
        if "gas" in obj:
            gas = parse_quantity(obj["gas"], "gas")
        else:
            est = {"from": obj["from"], "data": hexb(data), "value": hexq(value)}
            if to:
                est["to"] = hexb(to)
            gas = min(GAS_LIMIT, self.estimate_gas(est) * 6 // 5)
        builder = self.chain.get_vm().get_transaction_builder()
        unsigned = builder.new_unsigned_dynamic_fee_transaction(
            chain_id=self.chain_id, nonce=nonce, max_priority_fee_per_gas=tip, max_fee_per_gas=fee_cap,
            gas=gas, to=to, value=value, data=data, access_list=[])
        return self.send_raw_transaction(unsigned.as_signed_transaction(key).encode())

    # ---- calls

    def _call_params(self, obj: Any, for_estimate: bool):
        if not isinstance(obj, dict):
            raise RpcFail(INVALID_PARAMS, "call object must be a JSON object")
        frm = parse_address(obj["from"], "from") if obj.get("from") else b"\0" * 20
        to = parse_address(obj["to"], "to") if obj.get("to") else None
        data = obj.get("input", obj.get("data"))
        kw = dict(
            gas=parse_quantity(obj["gas"], "gas") if obj.get("gas") is not None else None,
            gas_price=Amount(parse_quantity(obj["gasPrice"], "gasPrice")) if obj.get("gasPrice") is not None else None,
            value=Amount(parse_quantity(obj["value"], "value")) if obj.get("value") is not None else None,
            data=parse_data(data, "input") if data is not None else None,
        )
        if for_estimate:
            return EstimateGasParams(from_=Address(frm), to=Address(to) if to else None, **kw)
        if to is None:
            raise RpcFail(INVALID_PARAMS, "eth_call needs a 'to' address")
        return EthCallParams(to=Address(to), from_=Address(frm), **kw)

    def _block_param(self, tag: Any):
        if isinstance(tag, dict):  # EIP-1898 {"blockNumber": ...} / {"blockHash": ...}
            if "blockHash" in tag:
                try:
                    return self.backend.get_block_number_by_hash(structure(BlockHash, tag["blockHash"]))
                except BlockNotFound as exc:
                    raise RpcFail(SERVER_ERROR, "header for hash not found") from exc
                except Exception as exc:
                    raise RpcFail(INVALID_PARAMS, f"invalid block hash {tag['blockHash']!r}") from exc
            tag = tag.get("blockNumber", "latest")
        try:
            return structure(Block, tag)
        except Exception as exc:
            raise RpcFail(INVALID_PARAMS, f"invalid block tag {tag!r}") from exc

    def _run_evm(self, fn, params, block) -> Any:
        try:
            return fn(params, block)
        except TransactionReverted as exc:
            data = bytes(exc.args[0])
            raise RpcFail(EXECUTION_REVERTED, revert_message(data), hexb(data)) from exc
        except (TransactionFailed, ValidationError) as exc:
            raise RpcFail(SERVER_ERROR, str(exc.args[0] if exc.args else exc)) from exc
        except BlockNotFound as exc:
            raise RpcFail(SERVER_ERROR, "header not found") from exc

    def call(self, obj: Any, tag: Any = "latest") -> str:
        return hexb(self._run_evm(self.node.eth_call, self._call_params(obj, False), self._block_param(tag)))

    def estimate_gas(self, obj: Any, tag: Any = "latest") -> int:
        return self._run_evm(self.node.eth_estimate_gas, self._call_params(obj, True), self._block_param(tag))

    # ---- reads

    def receipt(self, txhash: bytes):
        loc = self.tx_index.get(txhash)
        if loc is None:
            return None
        blk = self.block(loc[0])
        receipts = blk.get_receipts(self.chain.chaindb)
        return unstructure(alysis_backend.make_transaction_receipt(blk, blk.transactions[loc[1]], receipts, loc[1]))

    def transaction(self, txhash: bytes):
        loc = self.tx_index.get(txhash)
        if loc is None:
            tx = self.queued_tx(txhash)
            if tx is None:
                return None
            info = unstructure(alysis_backend.make_transaction_info(
                self.chain_id, self.chain.get_block(), tx, 0, is_pending=True))
            info.update(blockHash=None, blockNumber=None, transactionIndex=None)
            return info
        blk = self.block(loc[0])
        return unstructure(alysis_backend.make_transaction_info(self.chain_id, blk, blk.transactions[loc[1]], loc[1], is_pending=False))

    def _block_number(self, tag: Any, head: int) -> int:
        if tag is None or tag in ("latest", "safe", "finalized", "pending"):
            return head
        if tag == "earliest":
            return 0
        return parse_quantity(tag, "block number")

    def get_logs(self, flt: Any) -> list:
        if not isinstance(flt, dict):
            raise RpcFail(INVALID_PARAMS, "filter must be a JSON object")
        head = self.head()
        if flt.get("blockHash") is not None:
            if flt.get("fromBlock") is not None or flt.get("toBlock") is not None:
                raise RpcFail(INVALID_PARAMS, "cannot specify both BlockHash and FromBlock/ToBlock, choose one or the other")
            try:
                frm = to = self.backend.get_block_number_by_hash(structure(BlockHash, flt["blockHash"]))
            except BlockNotFound as exc:
                raise RpcFail(SERVER_ERROR, "unknown block") from exc
        else:
            frm = self._block_number(flt.get("fromBlock"), head)
            to = self._block_number(flt.get("toBlock"), head)
            if frm > to and flt.get("toBlock") not in (None, "latest", "safe", "finalized", "pending"):
                raise RpcFail(SERVER_ERROR, "invalid block range params")
        addrs = flt.get("address")
        if addrs is not None:
            addrs = {a.lower() for a in (addrs if isinstance(addrs, list) else [addrs])}
            for a in addrs:
                parse_address(a)
        topics = flt.get("topics") or []
        if not isinstance(topics, list) or len(topics) > 4:
            raise RpcFail(INVALID_PARAMS, "invalid topics")
        want = []
        for t in topics:
            if t is None:
                want.append(None)
            else:
                alts = t if isinstance(t, list) else [t]
                for a in alts:
                    if len(parse_data(a, "topic")) != 32:
                        raise RpcFail(INVALID_PARAMS, f"invalid topic {a!r}")
                want.append({a.lower() for a in alts} or None)
        out = []
        for n in range(frm, min(to, head) + 1):
            for entry in self.block_logs[n]:
                if addrs is not None and entry["address"].lower() not in addrs:
                    continue
                if len(want) > len(entry["topics"]):
                    continue
                if all(w is None or entry["topics"][i].lower() in w for i, w in enumerate(want)):
                    out.append(entry)
        return out

    def fee_history(self, count: int, newest: Any, percentiles: list | None) -> dict:
        head = self.head()
        last = self._block_number(newest, head)
        if last > head:
            raise RpcFail(SERVER_ERROR, f"request beyond head block: requested {last}, head {head}")
        count = max(0, min(count, 1024, last + 1))
        first = last - count + 1
        base_fees, ratios, rewards = [], [], []
        for n in range(first, last + 1):
            blk = self.block(n)
            hdr = blk.header
            base_fees.append(hexq(hdr.base_fee_per_gas))
            ratios.append(hdr.gas_used / hdr.gas_limit)
            if percentiles:
                receipts = blk.get_receipts(self.chain.chaindb)
                tips, prev = [], 0
                for tx, rc in zip(blk.transactions, receipts):
                    tip = min(tx.max_priority_fee_per_gas, tx.max_fee_per_gas - hdr.base_fee_per_gas)
                    tips.append((tip, rc.gas_used - prev))
                    prev = rc.gas_used
                tips.sort()
                row = []
                for p in percentiles:
                    if not tips:
                        row.append("0x0")
                        continue
                    threshold, acc, pick = hdr.gas_used * float(p) / 100, 0, tips[-1][0]
                    for tip, used in tips:
                        acc += used
                        if acc >= threshold:
                            pick = tip
                            break
                    row.append(hexq(pick))
                rewards.append(row)
        # the entry after the newest block is the base fee of the block after it
        base_fees.append(hexq(self.next_base_fee() if last == head else self.block(last + 1).header.base_fee_per_gas))
        out = {
            "oldestBlock": hexq(first),
            "baseFeePerGas": base_fees,
            "gasUsedRatio": ratios,
            "baseFeePerBlobGas": ["0x1"] * len(base_fees),
            "blobGasUsedRatio": [0.0] * len(ratios),
        }
        if percentiles:
            out["reward"] = rewards
        return out

    # ---- snapshots

    def snapshot(self) -> str:
        sid = self.next_snapshot
        self.next_snapshot += 1
        self.snapshots[sid] = (copy.deepcopy(self.node), dict(self.tx_index), list(self.block_logs),
                               {k: dict(v) for k, v in self.queued.items()})
        return hexq(sid)

    def revert(self, sid: int) -> bool:
        snap = self.snapshots.get(sid)
        if snap is None:
            return False
        # keep the snapshot reusable: restore from a copy
        node, tx_index, block_logs, queued = snap
        self.node = copy.deepcopy(node)
        self.rpc = RPCNode(self.node)
        self.tx_index, self.block_logs = dict(tx_index), list(block_logs)
        self.queued = {k: dict(v) for k, v in queued.items()}
        for later in [s for s in self.snapshots if s > sid]:
            del self.snapshots[later]
        return True

    # ---- deployment

    def deploy(self, name: str, deployer_key: str, ctor_args: bytes = b"") -> bytes:
        """Deploys devchain/<name>.vy from deployer_key (added to the unlocked accounts)."""
        _abi, code = compile_contract(name)
        pk = eth_keys.PrivateKey(bytes.fromhex(deployer_key[2:]))
        deployer = pk.public_key.to_canonical_address()
        self.dev_keys.setdefault(deployer, pk)
        txh = self.sign_and_send({"from": hexb(deployer), "input": hexb(code + ctor_args), "gas": hexq(8_000_000)})
        rc = self.receipt(bytes.fromhex(txh[2:]))
        if rc is None or rc["status"] != "0x1" or not rc.get("contractAddress"):
            raise RuntimeError(f"{name} deployment failed: {rc}")
        return parse_address(rc["contractAddress"])

    def deploy_job_manager(self, deployer_key: str, relayer: bytes, operator: bytes) -> bytes:
        # constructor(_relayer, _coprocessorOperator); the deployer becomes the owner
        return self.deploy("JobManager", deployer_key, relayer.rjust(32, b"\0") + operator.rjust(32, b"\0"))


# ------------------------------------------------------------------------------------------------
# JSON-RPC dispatch


class Dispatcher:
    def __init__(self, chain: DevChain, listener: "Listener | None" = None):
        self.chain = chain
        self.listener = listener

    def handle(self, req: Any, after: list) -> dict | None:
        """One JSON-RPC request object -> response object (None for a notification)."""
        if not isinstance(req, dict) or req.get("jsonrpc") != "2.0" or not isinstance(req.get("method"), str):
            return {"jsonrpc": "2.0", "id": req.get("id") if isinstance(req, dict) else None,
                    "error": {"code": INVALID_REQUEST, "message": "invalid request"}}
        rid = req.get("id")
        params = req.get("params", [])
        if params is None:
            params = []
        try:
            if not isinstance(params, list):
                raise RpcFail(INVALID_PARAMS, "params must be an array")
            result = self.dispatch(req["method"], params, after)
            resp = {"jsonrpc": "2.0", "id": rid, "result": result}
        except RpcFail as exc:
            resp = {"jsonrpc": "2.0", "id": rid, "error": exc.to_json()}
        except RPCError as exc:  # from alysis' own RPC layer (pass-through methods)
            data = exc.data
            resp = {"jsonrpc": "2.0", "id": rid, "error": {"code": int(exc.code), "message": exc.message,
                                                           **({"data": hexb(data)} if isinstance(data, bytes) else {})}}
        except Exception as exc:  # a bug here must not kill the connection
            log.exception("internal error in %s", req.get("method"))
            resp = {"jsonrpc": "2.0", "id": rid, "error": {"code": -32603, "message": f"internal error: {exc}"}}
        return resp if "id" in req else None

    def dispatch(self, method: str, p: list, after: list) -> Any:
        c = self.chain
        if method == "devchain_suspend":
            raw = param(p, 0, required=True)
            try:
                seconds = float(int(raw, 16) if isinstance(raw, str) and raw.startswith("0x") else raw)
            except (TypeError, ValueError) as exc:
                raise RpcFail(INVALID_PARAMS, f"invalid seconds: {raw!r}") from exc
            if not 0 <= seconds <= 3600:
                raise RpcFail(INVALID_PARAMS, "seconds must be within [0, 3600]")
            if self.listener is None:
                raise RpcFail(SERVER_ERROR, "no listener to suspend")
            after.append(lambda: self.listener.suspend(seconds))  # once the reply is on the wire
            return True
        with c.lock:
            return self._dispatch_locked(method, p)

    def _dispatch_locked(self, method: str, p: list) -> Any:
        c = self.chain
        if method == "eth_chainId":
            return hexq(c.chain_id)
        if method == "net_version":
            return str(c.chain_id)
        if method == "eth_blockNumber":
            return hexq(c.head())
        if method == "eth_gasPrice":
            return hexq(c.block(c.head()).header.base_fee_per_gas + GWEI)
        if method == "eth_maxPriorityFeePerGas":
            return hexq(GWEI)
        if method == "eth_feeHistory":
            return c.fee_history(parse_quantity(param(p, 0, required=True), "blockCount"),
                                 param(p, 1, "latest"), param(p, 2))
        if method == "eth_accounts":
            return [checksum(a) for a in c.dev_keys]
        if method == "eth_syncing":
            return False
        if method in ("eth_getTransactionCount", "eth_getBalance", "eth_getCode"):
            addr = parse_address(param(p, 0, required=True))
            tag = param(p, 1, "latest")
            if method == "eth_getTransactionCount" and tag == "pending":
                # queued future-nonce txs do not count, as in geth (they are not "pending")
                return hexq(c.state_nonce(addr))
            block = c._block_param(tag)
            fn = {"eth_getTransactionCount": c.backend.get_transaction_count,
                  "eth_getBalance": c.backend.get_balance, "eth_getCode": c.backend.get_code}[method]
            try:
                v = fn(Address(addr), block)
            except BlockNotFound as exc:
                raise RpcFail(SERVER_ERROR, "header not found") from exc
            return hexb(v) if isinstance(v, bytes) else hexq(v)
        if method == "eth_call":
            return c.call(param(p, 0, required=True), param(p, 1, "latest"))
        if method == "eth_estimateGas":
            return hexq(c.estimate_gas(param(p, 0, required=True), param(p, 1, "latest")))
        if method == "eth_sendRawTransaction":
            return c.send_raw_transaction(parse_data(param(p, 0, required=True), "raw transaction"))
        if method == "eth_sendTransaction":
            obj = param(p, 0, required=True)
            if not isinstance(obj, dict):
                raise RpcFail(INVALID_PARAMS, "transaction must be a JSON object")
            return c.sign_and_send(obj)
        if method == "eth_getTransactionReceipt":
            return c.receipt(parse_data(param(p, 0, required=True), "tx hash"))
        if method == "eth_getTransactionByHash":
            return c.transaction(parse_data(param(p, 0, required=True), "tx hash"))
        if method == "eth_getLogs":
            return c.get_logs(param(p, 0, {}))
        if method == "eth_getBlockByNumber":
            tag = param(p, 0, required=True)
            full = bool(param(p, 1, False))
            return c.rpc.rpc("eth_getBlockByNumber", tag, full)
        # test controls
        if method in ("devchain_mine", "evm_mine", "anvil_mine"):
            n = parse_quantity(param(p, 0, 1), "count") if method != "evm_mine" else 1
            ts = param(p, 1) if method != "evm_mine" else param(p, 0)
            if not 0 <= n <= 100_000:
                raise RpcFail(INVALID_PARAMS, "count must be within [0, 100000]")
            try:
                head = c.mine(n, parse_quantity(ts, "timestamp") if ts is not None else None)
            except ValidationError as exc:
                raise RpcFail(INVALID_PARAMS, str(exc)) from exc
            return hexq(head) if method == "devchain_mine" else "0x0"
        if method in ("devchain_snapshot", "evm_snapshot"):
            return c.snapshot()
        if method in ("devchain_revert", "evm_revert"):
            return c.revert(parse_quantity(param(p, 0, required=True), "snapshot id"))
        if method == "devchain_info":
            return c.info
        if method.startswith(("eth_", "net_", "web3_")) and method in c.rpc._methods:
            return c.rpc.rpc(method, *p)  # the rest of alysis' RPC surface, as is
        raise RpcFail(METHOD_NOT_FOUND, f"the method {method} does not exist/is not available")


# ------------------------------------------------------------------------------------------------
# HTTP


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive; connections are tracked so suspend can cut them
    server_version = "devchain"

    def setup(self):
        super().setup()
        # headers and body go out in two writes; without this, Nagle + delayed ACK add ~40 ms per reply
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.server.listener.track(self.connection, True)

    def finish(self):
        try:
            super().finish()
        finally:
            self.server.listener.track(self.connection, False)

    def log_message(self, fmt, *args):
        log.debug("%s %s", self.address_string(), fmt % args)

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            body = b""
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return body
                body += self.rfile.read(size)
                self.rfile.readline()
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def _send(self, status: int, body: bytes, ctype: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()

    def do_GET(self):
        if self._stale():
            return
        if self.path in ("/health", "/healthz"):
            self._send(200, b"ok\n", "text/plain")
        else:
            self._send(405, b"use POST with a JSON-RPC body\n", "text/plain")

    def _stale(self) -> bool:
        # a connection accepted just before a suspension: drop it without an answer
        if self.server.listener.server is not self.server:
            self.close_connection = True
            return True
        return False

    def do_POST(self):
        if self._stale():
            return
        dispatcher: Dispatcher = self.server.dispatcher
        after: list = []
        try:
            req = json.loads(self._read_body())
        except (ValueError, UnicodeDecodeError):
            resp: Any = {"jsonrpc": "2.0", "id": None, "error": {"code": PARSE_ERROR, "message": "parse error"}}
        else:
            if isinstance(req, list):
                if not req:
                    resp = {"jsonrpc": "2.0", "id": None, "error": {"code": INVALID_REQUEST, "message": "empty batch"}}
                else:
                    resp = [r for r in (dispatcher.handle(x, after) for x in req) if r is not None] or None
            else:
                resp = dispatcher.handle(req, after)
        if after:
            self.close_connection = True  # the listener is about to go away
        if resp is None:
            self._send(204, b"")
        else:
            self._send(200, json.dumps(resp).encode())
        for fn in after:
            fn()


class Listener:
    """Owns the HTTP server; can close it (and every open connection) and listen again later on the
    same port with the chain untouched."""

    def __init__(self, chain: DevChain, host: str, port: int):
        self.chain, self.host, self.port = chain, host, port
        self.dispatcher = Dispatcher(chain, self)
        self.server: ThreadingHTTPServer | None = None
        self.thread: threading.Thread | None = None
        self.conns: set = set()
        self.mu = threading.Lock()
        self.closing = False

    def track(self, conn, add: bool) -> None:
        with self.mu:
            (self.conns.add if add else self.conns.discard)(conn)

    def start(self, retry_for: float = 0.0) -> None:
        deadline = time.monotonic() + retry_for
        while True:
            try:
                srv = ThreadingHTTPServer((self.host, self.port), Handler)
                break
            except OSError:
                if time.monotonic() >= deadline:
                    raise
                time.sleep(0.05)
        srv.daemon_threads = True
        srv.block_on_close = False
        srv.listener, srv.dispatcher = self, self.dispatcher
        self.port = srv.server_address[1]
        self.server = srv
        self.thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        srv, self.server = self.server, None
        if srv is not None:
            srv.shutdown()
            srv.server_close()
        with self.mu:
            conns = list(self.conns)
        for conn in conns:  # keep-alive clients must see the chain go away too
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def suspend(self, seconds: float) -> None:
        def run():
            log.info("suspending the listener for %.3f s", seconds)
            self.stop()
            time.sleep(seconds)
            if not self.closing:
                self.start(retry_for=10.0)
                log.info("listening again on %s:%d", self.host, self.port)
        threading.Thread(target=run, name="suspend", daemon=True).start()


# ------------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--host", default="127.0.0.1", help="loopback address to bind (default 127.0.0.1)")
    ap.add_argument("--port", type=int, default=8545, help="port; 0 picks a free one (default 8545)")
    ap.add_argument("--chain-id", type=int, default=CHAIN_ID)
    ap.add_argument("--balance-eth", type=int, default=10_000, help="balance of each dev account (ETH)")
    ap.add_argument("--deploy", action="store_true", help="deploy JobManager.vy")
    ap.add_argument("--operator", default=DEFAULT_OPERATOR, help="allowed result signer (coprocessorOperator)")
    ap.add_argument("--relayer", default=DEFAULT_RELAYER, help="the only account allowed to submit results")
    ap.add_argument("--deployer-key", default=DEV_KEYS[0], help="key that deploys and owns JobManager (anvil #0)")
    ap.add_argument("--deploy-consumer", action="store_true",
                    help="first deploy TestConsumer.vy from anvil #0 (at 0x5FbDB2...0aa3 on a fresh chain, the "
                         "vectors' consumer); adds \"consumer\" to the JSON line")
    ap.add_argument("--watch-parent", action="store_true", help="exit when the parent process goes away")
    ap.add_argument("-v", "--verbose", action="store_true", help="log every HTTP request")
    args = ap.parse_args(argv)

    logging.basicConfig(stream=sys.stderr, level=logging.DEBUG if args.verbose else logging.INFO,
                        format="devchain %(asctime)s %(levelname)s %(message)s")
    if args.host not in ("127.0.0.1", "localhost", "::1") and not args.host.startswith("127."):
        ap.error("--host must be a loopback address")
    relayer = parse_address(args.relayer, "--relayer")
    operator = parse_address(args.operator, "--operator")

    t0 = time.monotonic()
    chain = DevChain(chain_id=args.chain_id, balance_wei=args.balance_eth * ETHER)
    deployer = eth_keys.PrivateKey(bytes.fromhex(args.deployer_key[2:])).public_key.to_canonical_address()
    job_manager = consumer = None
    if args.deploy_consumer:
        with chain.lock:
            consumer = checksum(chain.deploy("TestConsumer", DEV_KEYS[0]))
        log.info("TestConsumer deployed at %s", consumer)
    if args.deploy:
        with chain.lock:
            job_manager = checksum(chain.deploy_job_manager(args.deployer_key, relayer, operator))
        log.info("JobManager deployed at %s (owner %s, relayer %s, operator %s)",
                 job_manager, checksum(deployer), checksum(relayer), checksum(operator))

    listener = Listener(chain, args.host, args.port)
    listener.start()
    info = {
        "rpc_url": f"http://{args.host}:{listener.port}",
        "chain_id": args.chain_id,
        "job_manager": job_manager,
        "deployer": checksum(deployer),
        "operator": checksum(operator),
        "relayer": checksum(relayer),
    }
    if consumer is not None:
        info["consumer"] = consumer
    chain.info = info
    log.info("serving %s (chain id %d) after %.2f s", info["rpc_url"], args.chain_id, time.monotonic() - t0)
    sys.stdout.write(json.dumps(info) + "\n")
    sys.stdout.flush()

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    parent = os.getppid()
    while not stop.wait(0.25):
        if args.watch_parent and os.getppid() != parent:
            log.info("parent process went away")
            break
    listener.closing = True
    listener.stop()
    log.info("stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
