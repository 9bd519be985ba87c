"""Helpers of the API tests: a real devnet behind a real uvicorn server on 127.0.0.1; signing and sending txs."""
from __future__ import annotations

import asyncio
import base64
import socket
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import httpx
import uvicorn

from suretychain.api.server import create_api
from suretychain.core.crypto import PrivateKey
from suretychain.core.encoding import Address
from suretychain.core.tx import Coin, Fee, make_body, sign_tx
from suretychain.modules.bank.types import MsgSend
from suretychain.node.devnet.node import DevnetNode
from suretychain.node.devnet.run import open_devnet

KEEPALIVE_S = 0.3
START_TIMEOUT_S = 10.0
GAS_LIMIT = 200_000
MIN_FEE = 200  # 0.001 usrt/gas * 200_000 gas


class LiveServer:
    """A DevnetNode (block time 0: a block as soon as a tx waits) served by uvicorn in a background thread; a fresh
    one at ``home`` unless ``node`` is given."""

    def __init__(self, home: Path, block_time_s: float = 0.0, node: DevnetNode | None = None) -> None:
        self.node: DevnetNode = node if node is not None else open_devnet(home, reset=True)[0]
        self.api = create_api(self.node, keepalive_s=KEEPALIVE_S)
        self.block_time_s = block_time_s
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.base_url = f"http://127.0.0.1:{self.port}"
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._thread = threading.Thread(target=self._run, name=f"surety-api-{self.port}", daemon=True)

    def start(self) -> "LiveServer":
        self._thread.start()
        if not self._ready.wait(START_TIMEOUT_S) or self._error is not None:
            self.close()
            raise RuntimeError(f"API server did not start: {self._error!r}")
        return self

    def _run(self) -> None:
        try:
            asyncio.run(self._serve())
        except BaseException as exc:  # reported by start() or close()
            self._error = exc
            self._ready.set()

    async def _serve(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        config = uvicorn.Config(self.api, log_level="warning", lifespan="on", timeout_graceful_shutdown=2)
        server = uvicorn.Server(config)
        server_task = asyncio.ensure_future(server.serve(sockets=[self.sock]))
        producer = asyncio.ensure_future(self.node.run(self.block_time_s, self._stop))
        while not server.started and not server_task.done():
            await asyncio.sleep(0.01)
        self._ready.set()
        await self._stop.wait()
        await producer
        server.should_exit = True
        await server_task

    def close(self) -> None:
        """Stop the producer and the server, join the thread, close the node and the socket."""
        if self._loop is not None and self._stop is not None and self._thread.is_alive():
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(15)
        alive = self._thread.is_alive()
        self.node.close()
        self.sock.close()
        assert not alive, "API server thread did not stop"
        if self._error is not None:
            raise self._error


@dataclass(frozen=True)
class Wallet:
    """A demo account: its address and private key."""

    name: str
    address: Address
    key: PrivateKey


@dataclass
class Chain:
    """The live server plus helpers that build, sign and send txs through the HTTP API."""

    server: LiveServer
    http: httpx.Client
    wallets: dict[str, Wallet]

    @property
    def node(self) -> DevnetNode:
        return self.server.node

    def chain_id(self) -> str:
        return self.http.get("/status").json()["chain_id"]

    def sequence(self, name: str) -> int:
        return self.http.get(f"/accounts/{self.wallets[name].address}").json()["sequence"]

    def balance(self, address: str, denom: str = "usrt") -> int:
        return self.http.get(f"/bank/balances/{address}/{denom}").json()["amount"]

    def send_tx(self, sender: str, recipient: str, amount: int, *, fee: int = MIN_FEE, sequence: int | None = None,
                chain_id: str | None = None, key: PrivateKey | None = None) -> bytes:
        """Signed tx bytes of a MsgSend of ``amount`` usrt from wallet ``sender`` to address ``recipient``."""
        wallet = self.wallets[sender]
        msg = MsgSend(from_address=wallet.address, to_address=Address(recipient),
                      amount=[Coin(denom="usrt", amount=amount)])
        body = make_body(chain_id or self.chain_id(), [msg], wallet.address, wallet.key.public_key.raw,
                         self.sequence(sender) if sequence is None else sequence,
                         Fee(amount=[Coin(denom="usrt", amount=fee)], gas_limit=GAS_LIMIT))
        return sign_tx(body, key or wallet.key)

    def broadcast(self, tx: bytes, mode: str = "sync") -> httpx.Response:
        return self.http.post("/txs", json={"tx": base64.b64encode(tx).decode(), "mode": mode})

    def wait_for_tx(self, tx_hash: str, timeout_s: float = 10.0) -> dict[str, Any]:
        """Poll ``GET /txs/{hash}`` until the tx is committed."""
        return wait_for(lambda: _found(self.http.get(f"/txs/{tx_hash}")), timeout_s, f"tx {tx_hash}")


def _found(response: httpx.Response) -> dict[str, Any] | None:
    return response.json() if response.status_code == 200 else None


def wait_for(probe: Callable[[], Any], timeout_s: float, what: str) -> Any:
    """Call ``probe`` until it returns something truthy, or fail after ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = probe()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def assert_error(response: httpx.Response, status: int, codespace: str, code: int) -> dict[str, Any]:
    """``response`` is the error answer ``{"error": {codespace, code, message}}`` with this status and code."""
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"codespace", "code", "message"}, body
    assert (body["error"]["codespace"], body["error"]["code"]) == (codespace, code), body
    assert body["error"]["message"]
    return body["error"]
