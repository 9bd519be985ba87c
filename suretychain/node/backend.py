"""What the HTTP API needs from a node: the devnet implements it in-process; a CometBFT node will implement it too.

Every read goes through ``App.query`` or the block store; nothing here touches module state directly.
All methods are called from the asyncio event loop thread of the API server.
"""
from __future__ import annotations

import asyncio
from typing import Any, Protocol

from suretychain.core.app import QueryResult, TxResult
from suretychain.core.encoding import Record
from suretychain.core.events import Event


class NodeStatus(Record):
    """What ``surety status`` shows."""

    chain_id: str
    latest_height: int
    latest_app_hash: bytes
    latest_block_time_ns: int
    earliest_height: int
    mempool_size: int
    catching_up: bool = False
    node: str = "devnet"


class BlockRecord(Record):
    """A committed block as the block store keeps it. ``app_hash`` is the state root *after* this block."""

    height: int
    hash: bytes
    time_ns: int
    proposer: bytes
    app_hash: bytes
    tx_hashes: list[bytes]
    events: list[Event]  # begin/end block events


class TxRecord(Record):
    """A committed tx with its result and position."""

    hash: bytes
    height: int
    index: int
    tx: bytes
    result: TxResult


class BroadcastResult(Record):
    """The answer to a broadcast: CheckTx's result (sync) or the tx's result in its block (commit)."""

    hash: bytes
    code: int
    codespace: str = ""
    log: str = ""
    height: int = 0  # 0 until committed
    gas_wanted: int = 0
    gas_used: int = 0
    events: list[Event] = []


class NodeBackend(Protocol):
    """The node operations the API serves."""

    def status(self) -> NodeStatus: ...
    def block(self, height: int | None) -> BlockRecord | None: ...          # None height = latest
    def tx(self, tx_hash: bytes) -> TxRecord | None: ...
    def search_txs(self, event: str, limit: int, offset: int) -> list[TxRecord]: ...  # event = "module.Type.key=value"
    async def broadcast(self, tx: bytes, mode: str, timeout_s: float = 30.0) -> BroadcastResult: ...  # mode sync|commit
    def simulate(self, tx: bytes) -> TxResult: ...
    def decode_tx(self, tx: bytes) -> dict[str, Any]: ...  # the tx as JSON for display; coded error if malformed
    def query(self, path: str, data: bytes, height: int, prove: bool) -> QueryResult: ...
    def subscribe(self) -> "asyncio.Queue[dict[str, Any]]": ...   # each new block as a JSON-able dict (see docs)
    def unsubscribe(self, queue: "asyncio.Queue[dict[str, Any]]") -> None: ...
