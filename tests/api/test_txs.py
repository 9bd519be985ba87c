"""Txs over HTTP: broadcast (sync and commit), look-up, search, simulate, and every kind of bad input."""
from __future__ import annotations

import base64

from suretychain.core.encoding import decode_record, encode
from suretychain.core.tx import Tx

from api_helpers import MIN_FEE, assert_error


def test_broadcast_sync_then_lookup_and_search(chain):
    recipient = chain.wallets["bob"].address
    before = (chain.balance(chain.wallets["alice"].address), chain.balance(recipient))
    tx = chain.send_tx("alice", recipient, 5)
    response = chain.broadcast(tx, "sync")
    assert response.status_code == 200, response.text
    answer = response.json()
    assert set(answer) == {"hash", "code", "codespace", "log", "height", "gas_wanted", "gas_used", "events"}
    assert answer["code"] == 0 and answer["height"] == 0
    committed = chain.wait_for_tx(answer["hash"])  # block time 0: the API woke the producer
    assert set(committed) == {"hash", "height", "index", "tx", "tx_bytes", "result"}
    assert base64.b64decode(committed["tx_bytes"]) == tx
    assert committed["result"]["code"] == 0 and committed["height"] > 0
    assert set(committed["result"]) == {"code", "codespace", "log", "gas_wanted", "gas_used", "events"}
    msg = committed["tx"]["body"]["msgs"][0]
    assert msg == {"type": "bank/MsgSend", "from_address": chain.wallets["alice"].address,
                   "to_address": recipient, "amount": [{"denom": "usrt", "amount": 5}]}
    assert committed["tx"]["body"]["chain_id"] == chain.chain_id()
    found = chain.http.get("/txs", params={"event": f"bank.Transfer.recipient={recipient}"}).json()["txs"]
    assert answer["hash"] in [t["hash"] for t in found]
    by_height = chain.http.get("/txs", params={"event": f"tx.height={committed['height']}"}).json()["txs"]
    assert [t["hash"] for t in by_height] == [answer["hash"]]
    assert chain.balance(recipient) == before[1] + 5
    assert chain.balance(chain.wallets["alice"].address) == before[0] - 5 - MIN_FEE
    block = chain.http.get(f"/blocks/{committed['height']}").json()
    assert block["txs"] == [answer["hash"]]


def test_broadcast_commit(chain):
    recipient = chain.wallets["dave"].address
    before = chain.balance(recipient)
    answer = chain.broadcast(chain.send_tx("carol", recipient, 11), "commit").json()
    assert answer["code"] == 0 and answer["height"] > 0, answer
    assert ("bank", "Transfer") in [(e["module"], e["type"]) for e in answer["events"]]
    assert chain.balance(recipient) == before + 11
    assert chain.http.get(f"/txs/{answer['hash']}").json()["height"] == answer["height"]
    account = chain.http.get(f"/accounts/{chain.wallets['carol'].address}").json()
    assert account["sequence"] == 1 and len(bytes.fromhex(account["public_key"])) == 32


def test_simulate(chain):
    tx = chain.send_tx("erin", chain.wallets["bob"].address, 1)
    answer = chain.http.post("/txs/simulate", json={"tx": base64.b64encode(tx).decode()}).json()
    assert set(answer) == {"code", "codespace", "log", "gas_wanted", "gas_used", "events"}
    assert answer["code"] == 0 and answer["gas_used"] > 0
    assert chain.sequence("erin") == 0  # nothing was kept


def test_invalid_tx_encodings(chain):
    assert_error(chain.http.post("/txs", json={"tx": "not base64!!", "mode": "sync"}), 400, "sdk", 2)
    assert_error(chain.http.post("/txs/simulate", json={"tx": "%%%"}), 400, "sdk", 2)
    malformed = base64.b64encode(b"\x93\x01\x02").decode()
    assert_error(chain.http.post("/txs", json={"tx": malformed, "mode": "sync"}), 400, "sdk", 2)
    assert_error(chain.http.post("/txs", json={"tx": malformed, "mode": "later"}), 400, "api", 400)


def test_invalid_txs_rejected_by_check_tx(chain):
    bob = chain.wallets["bob"].address
    assert_error(chain.broadcast(chain.send_tx("erin", bob, 1, chain_id="other-chain")), 400, "sdk", 17)
    assert_error(chain.broadcast(chain.send_tx("erin", bob, 1, key=chain.wallets["dave"].key)), 400, "sdk", 4)
    signed = decode_record(chain.send_tx("erin", bob, 1), Tx)
    forged = encode(Tx(body=signed.body, signature=bytes(64)))
    assert_error(chain.broadcast(forged), 400, "sdk", 4)
    assert_error(chain.broadcast(chain.send_tx("erin", bob, 1, fee=MIN_FEE - 1)), 400, "sdk", 13)
    assert_error(chain.broadcast(chain.send_tx("erin", bob, 1, sequence=5)), 400, "sdk", 3)
    assert chain.http.get("/status").json()["mempool_size"] == 0


def test_invalid_replayed_sequence(chain):
    bob = chain.wallets["bob"].address
    first = chain.broadcast(chain.send_tx("dave", bob, 1), "commit").json()
    assert first["code"] == 0, first
    replay = chain.send_tx("dave", bob, 2, sequence=0)
    assert_error(chain.broadcast(replay), 400, "sdk", 3)


def test_invalid_tx_lookups(chain):
    assert_error(chain.http.get("/txs/" + "ab" * 32), 404, "sdk", 38)
    assert_error(chain.http.get("/txs/xyz"), 400, "sdk", 18)
    assert_error(chain.http.get("/txs", params={"event": "no-equals-sign"}), 400, "sdk", 18)
    assert_error(chain.http.get("/txs", params={"event": "tx.height=1", "limit": 0}), 400, "api", 400)
    assert_error(chain.http.get("/txs", params={"event": "tx.height=1", "offset": 10**30}), 400, "api", 400)


def test_mempool_full_is_503(chain):
    mempool = chain.node.mempool
    limit, mempool.max_txs = mempool.max_txs, 0
    try:
        assert_error(chain.broadcast(chain.send_tx("erin", chain.wallets["bob"].address, 1)), 503, "sdk", 45)
    finally:
        mempool.max_txs = limit


def test_metrics(chain):
    chain.broadcast(chain.send_tx("bob", chain.wallets["alice"].address, 1), "commit")
    response = chain.http.get("/metrics")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain")
    text = response.text
    height = chain.http.get("/status").json()["latest_height"]
    assert f"surety_latest_height {float(height)}" in text
    assert "surety_mempool_size 0.0" in text
    assert 'surety_txs_broadcast_total{code="0",codespace=""}' in text
    assert 'surety_txs_broadcast_total{code="45",codespace="sdk"}' in text
    assert 'surety_http_requests_total{method="GET",route="/status",status="200"}' in text
    assert 'surety_http_requests_total{method="GET",route="/txs/{tx_hash}",status="404"}' in text
