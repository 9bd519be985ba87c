"""Live streams over HTTP: server-sent events and WebSocket each deliver a new_block message, then clean up."""
from __future__ import annotations

import json

import httpx
from websockets.sync.client import connect

from api_helpers import wait_for


def send_one_tx(chain, sender: str) -> str:
    """Broadcast a small send (sync) and return its hash; block time 0 makes the next block at once."""
    answer = chain.broadcast(chain.send_tx(sender, chain.wallets["erin"].address, 1), "sync").json()
    assert answer["code"] == 0, answer
    return answer["hash"]


def test_sse_stream_delivers_new_block(chain):
    with httpx.Client(base_url=chain.server.base_url, timeout=10.0) as client:
        with client.stream("GET", "/stream") as response:
            assert response.status_code == 200
            assert response.headers["content-type"].startswith("text/event-stream")
            lines = (line for line in response.iter_lines() if line)  # events end with a blank line
            assert next(lines) == ": subscribed"
            assert chain.node._subscribers, "the stream subscribed before its first comment"
            assert next(lines) == ": keepalive"  # no block yet: a keepalive comment every KEEPALIVE_S
            tx_hash = send_one_tx(chain, "alice")
            message = None
            for line in lines:
                if line.startswith("data: "):
                    message = json.loads(line[len("data: "):])
                    if tx_hash in [t["hash"] for t in message["txs"]]:
                        break
    assert message is not None and message["type"] == "new_block"
    assert set(message) == {"type", "height", "hash", "time_ns", "app_hash", "txs", "events"}
    assert message["txs"][0]["code"] == 0
    block = chain.http.get(f"/blocks/{message['height']}").json()
    assert (block["hash"], block["app_hash"]) == (message["hash"], message["app_hash"])
    wait_for(lambda: not chain.node._subscribers, 5.0, "the SSE subscription to end")


def test_websocket_delivers_new_block(chain):
    url = chain.server.base_url.replace("http://", "ws://") + "/ws"
    with connect(url, open_timeout=5.0) as websocket:
        tx_hash = send_one_tx(chain, "bob")
        while True:
            message = json.loads(websocket.recv(timeout=10.0))
            assert message["type"] == "new_block"
            if tx_hash in [t["hash"] for t in message["txs"]]:
                break
    assert message["height"] > 0
    wait_for(lambda: not chain.node._subscribers, 5.0, "the WebSocket subscription to end")
