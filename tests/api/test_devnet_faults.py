"""Fault injection over HTTP: devnet only, validators by name, evidence in the next block's consensus data."""
from __future__ import annotations

import asyncio
import time

import httpx

from suretychain.api.server import create_api


def test_offline_and_double_sign(live_server):
    with httpx.Client(base_url=live_server.base_url, timeout=10) as http:
        reply = http.post("/devnet/faults/offline", json={"validator": "validator1", "blocks": 2})
        assert reply.status_code == 200 and reply.json()["validator"] == "validator1"
        reply = http.post("/devnet/faults/double-sign", json={"validator": "validator2"})
        assert reply.status_code == 200 and reply.json()["power"] == 10_000
        unknown = http.post("/devnet/faults/double-sign", json={"validator": "nobody"})
        assert unknown.status_code == 404 and unknown.json()["error"]["code"] == 38
        bad = http.post("/devnet/faults/offline", json={"validator": "validator1", "blocks": 0})
        assert bad.status_code == 400
    node = live_server.node
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not evidence_heights(node):
        time.sleep(0.05)
    assert evidence_heights(node), "the duplicate-vote evidence never reached a block"


def evidence_heights(node) -> list[int]:
    """Heights whose block carried misbehavior."""
    decided = [(h, node.blocks.consensus(h)) for h in range(1, node.status().latest_height + 1)]
    return [h for h, data in decided if data is not None and data.misbehavior]


def test_faults_are_unknown_on_other_networks():
    class OtherBackend:  # a node that is not the devnet has no fault methods
        pass

    async def post() -> httpx.Response:
        transport = httpx.ASGITransport(app=create_api(OtherBackend()))  # type: ignore[arg-type]
        async with httpx.AsyncClient(transport=transport, base_url="http://surety") as client:
            return await client.post("/devnet/faults/offline", json={"validator": "v", "blocks": 1})

    reply = asyncio.run(post())
    assert reply.status_code == 404 and reply.json()["error"]["codespace"] == "sdk"
