"""A real 4-validator CometBFT testnet: consensus, a tx through the HTTP API, kill -9 and catch-up, state sync.

The tests share one testnet and run in file order.
"""
from __future__ import annotations

import base64
import os
import signal
import time

import httpx

from e2e_helpers import app_hash_at, height_of, rpc, wait_for
from suretychain.client.keyring import mnemonic_to_private_key
from suretychain.core.crypto import address_of
from suretychain.core.encoding import Address
from suretychain.core.tx import Coin, Fee, make_body, sign_tx
from suretychain.modules.bank.types import MsgSend
from suretychain.node.cometbft.testnet import add_node, pid_of, start_node_process

ALICE = mnemonic_to_private_key(__import__("suretychain.node.devnet.home", fromlist=["demo_accounts"])
                                .demo_accounts()[0].mnemonic)
RECIPIENT = Address.from_raw(b"\x42" * 20)


def api(node) -> str:
    return f"http://{node.api}"


def test_validators_agree_on_app_hashes(testnet):
    nodes = testnet.nodes
    wait_for(lambda: all(height_of(n) >= 5 for n in nodes), 120, "all 4 nodes at height >= 5")
    for height in (1, 5):
        hashes = {app_hash_at(n, height) for n in nodes}
        assert len(hashes) == 1, f"app hashes differ at height {height}: {hashes}"
    validators = rpc(nodes[0], "validators")["validators"]
    assert len(validators) == 4


def test_bank_tx_through_http_api_is_seen_by_all_nodes(testnet):
    nodes = testnet.nodes
    sender = Address.from_raw(address_of(ALICE.public_key.raw))
    account = httpx.get(f"{api(nodes[1])}/query/auth/account", params={"address": str(sender)}, timeout=10)
    sequence = int(account.json()["value"]["sequence"]) if account.status_code == 200 else 0
    msg = MsgSend(from_address=sender, to_address=RECIPIENT, amount=[Coin(denom="uusd", amount=777)])
    body = make_body("surety-e2e-1", [msg], sender, ALICE.public_key.raw, sequence,
                     Fee(amount=[Coin(denom="usrt", amount=200)], gas_limit=200_000))
    tx = sign_tx(body, ALICE)
    reply = httpx.post(f"{api(nodes[1])}/txs", json={"tx": base64.b64encode(tx).decode(), "mode": "commit"},
                       timeout=40).json()
    assert reply["code"] == 0, reply
    assert reply["height"] > 0
    tx_hash = reply["hash"]
    for node in nodes:
        record = wait_for(lambda: _get_tx(node, tx_hash), 30, f"tx on {node.moniker}")
        assert record["height"] == reply["height"] and record["result"]["code"] == 0
        wait_for(lambda: height_of(node) >= reply["height"], 30, f"{node.moniker} at the tx height")
        balance = httpx.get(f"{api(node)}/query/bank/balance", params={"address": str(RECIPIENT), "denom": "uusd",
                                                                       "height": reply["height"]}, timeout=10).json()
        assert balance["value"]["amount"] == 777, balance
    hashes = {app_hash_at(n, reply["height"]) for n in nodes}
    assert len(hashes) == 1
    found = httpx.get(f"{api(nodes[2])}/txs", params={"event": f"bank.Transfer.recipient={RECIPIENT}"},
                      timeout=10).json()
    assert [t["hash"] for t in found["txs"]] == [tx_hash]


def _get_tx(node, tx_hash):
    response = httpx.get(f"{api(node)}/txs/{tx_hash}", timeout=10)
    return response.json() if response.status_code == 200 else None


def test_kill9_node_restarts_and_catches_up(testnet):
    nodes = testnet.nodes
    victim = testnet.home(3)
    pid = pid_of(victim)
    assert pid is not None
    os.killpg(pid, signal.SIGKILL)
    wait_for(lambda: pid_of(victim) is None or _is_zombie(pid), 10, "the killed node to be gone")
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass
    victim.pid_file.unlink(missing_ok=True)
    stopped_at = max(height_of(n) for n in nodes[:3])
    # the other three (75% of the power) keep making blocks
    wait_for(lambda: min(height_of(n) for n in nodes[:3]) >= stopped_at + 3, 60, "blocks without node3")
    start_node_process(victim)
    target = max(height_of(n) for n in nodes[:3])
    wait_for(lambda: height_of(nodes[3]) >= target, 120, "node3 to catch up",)
    assert app_hash_at(nodes[3], target) == app_hash_at(nodes[0], target)
    log = (victim.logs / "cometbft.log").read_text(errors="replace")
    assert "ABCI Replay Blocks" in log


def _is_zombie(pid: int) -> bool:
    try:
        return open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


def test_new_node_joins_by_state_sync(testnet):
    nodes = testnet.nodes
    wait_for(lambda: height_of(nodes[0]) >= 11, 60, "a second snapshot")
    joined = add_node(testnet.root, state_sync=True, base_port=testnet.base_port)
    start_node_process(testnet.home(4))
    def synced() -> bool:  # restored, caught up, and a first block stored (the store is empty just after restore)
        sync = rpc(joined, "status")["sync_info"]
        return height_of(joined) > 0 and not sync["catching_up"] and int(sync["earliest_block_height"]) > 0

    wait_for(synced, 120, "the new node to state-sync and catch up")
    status = rpc(joined, "status")["sync_info"]
    assert int(status["earliest_block_height"]) > 1  # it started from a snapshot, not from block 1
    height = height_of(joined)
    wait_for(lambda: height_of(nodes[0]) >= height, 30, "node0 at the new node's height")
    assert app_hash_at(joined, height) == app_hash_at(nodes[0], height)
    log = (testnet.home(4).logs / "cometbft.log").read_text(errors="replace")
    assert "Snapshot restored" in log
    time.sleep(0.1)


def test_crash_between_finalize_block_and_commit_replays_and_converges(testnet):
    """Issue test 6: node2's App dies after FinalizeBlock(H) and before Commit(H) (the test-only switch
    SURETY_ABCI_CRASH_BEFORE_COMMIT_HEIGHT); on restart CometBFT's handshake replays block H into the App, and the
    node converges to the others' app hash."""
    from e2e_helpers import kill_node, process_gone
    from suretychain.node.abci.server import CRASH_BEFORE_COMMIT_ENV

    nodes = testnet.nodes
    victim = testnet.home(2)
    kill_node(victim)
    crash_height = max(height_of(n) for n in (nodes[0], nodes[1], nodes[3])) + 6
    log = victim.logs / "cometbft.log"
    log_start = log.stat().st_size
    pid = start_node_process(victim, env={CRASH_BEFORE_COMMIT_ENV: str(crash_height)})
    wait_for(lambda: process_gone(pid), 90, f"node2 to crash before Commit of block {crash_height}")
    victim.pid_file.unlink(missing_ok=True)
    out = (victim.logs / "surety.out").read_text(errors="replace")
    assert f"crashing before Commit of block {crash_height}" in out
    crashed_log = log.read_bytes()[log_start:].decode(errors="replace")
    assert f"height={crash_height}" in crashed_log  # CometBFT had the block when the App died
    wait_for(lambda: height_of(nodes[0]) >= crash_height + 2, 60, "the others to go on")
    log_start = log.stat().st_size
    start_node_process(victim)  # no switch this time
    wait_for(lambda: height_of(nodes[2]) >= crash_height + 2, 120, "node2 to replay and catch up")
    replay = [line for line in log.read_bytes()[log_start:].decode(errors="replace").splitlines()
              if "ABCI Replay Blocks" in line]
    assert replay and f"appHeight={crash_height - 1}" in replay[0], replay  # the App had not committed block H
    for height in (crash_height, crash_height + 2):
        assert app_hash_at(nodes[2], height) == app_hash_at(nodes[0], height)
    wait_for(lambda: height_of(nodes[0]) >= height_of(nodes[2]), 30, "node0 at node2's height")
    top = height_of(nodes[2])
    assert app_hash_at(nodes[2], top) == app_hash_at(nodes[0], top)
