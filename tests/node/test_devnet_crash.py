"""``kill -9`` the devnet during a stream of txs: after restart it is at a committed height with the same app
hashes, and every tx that was reported committed is there, at the height it was reported at."""
from __future__ import annotations

import base64
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from suretychain.client.keyring import mnemonic_to_private_key
from suretychain.core.crypto import address_of
from suretychain.core.encoding import Address
from suretychain.core.tx import Coin, Fee, make_body, sign_tx
from suretychain.modules.bank.types import MsgSend
from suretychain.node.devnet.home import demo_accounts

KILLS = 3
SENDERS = 3


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_devnet(home: Path, port: int, block_time: float) -> subprocess.Popen:
    cmd = [sys.executable, "-c", "from suretychain.cli.main import main; main()", "devnet", "--home", str(home),
           "--listen", f"127.0.0.1:{port}", "--block-time", str(block_time)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"devnet exited: {proc.stderr.read().decode()[-2000:]}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/status", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    proc.kill()
    raise RuntimeError("devnet did not start")


def sender_loop(base: str, name: str, stop: threading.Event, committed: dict[str, int], lock: threading.Lock) -> None:
    """Send commit-mode txs one after another; record those the node reports committed."""
    account = next(a for a in demo_accounts() if a.name == name)
    key = mnemonic_to_private_key(account.mnemonic)
    sender = Address.from_raw(address_of(key.public_key.raw))
    recipient = Address.from_raw(bytes(20))
    with httpx.Client(base_url=base, timeout=10) as http:
        try:
            chain_id = http.get("/status").json()["chain_id"]
            sequence = http.get(f"/accounts/{sender}").json()["sequence"]
            while not stop.is_set():
                msg = MsgSend(from_address=sender, to_address=recipient, amount=[Coin(denom="uusd", amount=1)])
                body = make_body(chain_id, [msg], sender, key.public_key.raw, sequence,
                                 Fee(amount=[Coin(denom="usrt", amount=100)], gas_limit=100_000))
                tx = sign_tx(body, key)
                reply = http.post("/txs", json={"tx": base64.b64encode(tx).decode(), "mode": "commit"}).json()
                if reply.get("code") == 0 and reply.get("height", 0) > 0:
                    with lock:
                        committed[reply["hash"]] = reply["height"]
                    sequence += 1
        except (httpx.HTTPError, ValueError, KeyError):
            return  # the node died under us


def watch_hashes(base: str, stop: threading.Event, seen: dict[int, str]) -> None:
    """Record (height, app hash) pairs the node reports while it runs."""
    with httpx.Client(base_url=base, timeout=5) as http:
        while not stop.is_set():
            try:
                status = http.get("/status").json()
                seen[status["latest_height"]] = status["latest_app_hash"]
            except (httpx.HTTPError, ValueError, KeyError):
                return
            time.sleep(0.05)


def test_kill_9_during_tx_stream_loses_nothing(tmp_path):
    rng = random.Random(int.from_bytes(os.urandom(4), "big"))
    home, port = tmp_path / "devnet", free_port()
    base = f"http://127.0.0.1:{port}"
    committed: dict[str, int] = {}
    seen: dict[int, str] = {}
    lock = threading.Lock()
    for cycle in range(KILLS):
        proc = start_devnet(home, port, block_time=0.05)
        stop = threading.Event()
        threads = [threading.Thread(target=sender_loop, args=(base, a.name, stop, committed, lock), daemon=True)
                   for a in demo_accounts()[:SENDERS]]
        threads.append(threading.Thread(target=watch_hashes, args=(base, stop, seen), daemon=True))
        for t in threads:
            t.start()
        time.sleep(rng.uniform(1.0, 2.5))
        os.killpg(proc.pid, signal.SIGKILL)  # no chance to flush or clean up
        proc.wait(10)
        stop.set()
        for t in threads:
            t.join(15)
    assert len(committed) > 10, "the stream should have committed txs before the kills"

    proc = start_devnet(home, port, block_time=3600)  # no new blocks while we check
    try:
        with httpx.Client(base_url=base, timeout=10) as http:
            status = http.get("/status").json()
            latest = http.get("/blocks/latest").json()
            assert status["latest_height"] == latest["height"]
            assert status["latest_app_hash"] == latest["app_hash"]  # state and block store agree
            assert status["latest_height"] >= max(committed.values())
            for height, app_hash in seen.items():
                if height <= status["latest_height"]:
                    assert http.get(f"/blocks/{height}").json()["app_hash"] == app_hash, f"height {height}"
            for tx_hash, height in committed.items():
                record = http.get(f"/txs/{tx_hash}")
                assert record.status_code == 200, f"committed tx {tx_hash} lost"
                assert record.json()["height"] == height and record.json()["result"]["code"] == 0
            supply = http.get("/bank/supply").json()["supply"]
            assert {c["denom"] for c in supply} == {"usrt", "uusd"}
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            pytest.fail("devnet did not stop on SIGTERM")
