"""``CometRpcBackend``: the HTTP API's NodeBackend over a CometBFT node's RPC, so the API and CLI work on any node.

Reads map to CometBFT RPC routes: ``abci_info``/``status`` (status), ``block`` + ``block_results`` (blocks),
``tx`` and ``tx_search`` (txs), ``abci_query`` (queries, proofs and simulation), ``broadcast_tx_sync`` /
``broadcast_tx_commit`` (broadcast) and the websocket ``subscribe`` to ``tm.event='NewBlock'`` (the block stream).
URI-style GET requests are used: bytes go as ``0x``-hex, strings quoted.

A block's ``app_hash`` here is the state root *after* the block (``block_results.app_hash``, as in the devnet),
not the header's (which is the root before it).
"""
from __future__ import annotations

import asyncio
import base64
import json
import logging
from typing import Any

import httpx
import msgspec

from suretychain.core.app import ProvenRead, QueryResult, TxResult, count_entry_txs
from suretychain.core.encoding import to_builtins
from suretychain.core.errors import ErrInternal, ErrTxInMempool, ErrMempoolFull
from suretychain.core.events import Attribute, Event
from suretychain.core.genesis import parse_time
from suretychain.core.tx import compute_tx_hash
from suretychain.node.backend import BlockRecord, BroadcastResult, NodeStatus, TxRecord

log = logging.getLogger("surety.rpc")

SEARCH_PAGE = 100


class RpcError(Exception):
    """CometBFT's RPC answered with an error (or not at all)."""


def decode_b64(text: str | None) -> bytes:
    return base64.b64decode(text) if text else b""


def decode_events(raw: list[dict[str, Any]] | None) -> list[Event]:
    """ABCI events (type ``module.Type``) back into the App's events."""
    out = []
    for event in raw or []:
        module, _, kind = str(event.get("type", "")).partition(".")
        attributes = [Attribute(key=a.get("key") or "", value=a.get("value") or "") for a in event.get("attributes") or []]
        out.append(Event(module=module, type=kind, attributes=attributes))
    return out


def decode_tx_result(raw: dict[str, Any]) -> TxResult:
    return TxResult(code=int(raw.get("code") or 0), codespace=raw.get("codespace") or "", log=raw.get("log") or "",
                    gas_wanted=int(raw.get("gas_wanted") or 0), gas_used=int(raw.get("gas_used") or 0),
                    events=decode_events(raw.get("events")), data=decode_b64(raw.get("data")))


def decode_proof_op(op: dict[str, Any]) -> ProvenRead:
    """A ``surety/smt`` ProofOp: ``data`` is the msgpack ProvenRead (key, value or nil, encoded proof)."""
    return msgspec.msgpack.decode(decode_b64(op.get("data")), type=ProvenRead)


def quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


class CometRpcBackend:
    """NodeBackend over CometBFT RPC at ``rpc_url`` (``http://127.0.0.1:26657``)."""

    def __init__(self, rpc_url: str, timeout_s: float = 15.0) -> None:
        self.rpc_url = rpc_url.rstrip("/")
        self.http = httpx.Client(base_url=self.rpc_url, timeout=timeout_s)
        self._subscribers: list[asyncio.Queue[dict[str, Any]]] = []
        self._stream_task: asyncio.Task[None] | None = None
        self._decoder_app: Any = None

    # ---- plumbing ---------------------------------------------------------------------------------------------
    def call(self, method: str, **params: Any) -> Any:
        """GET ``/<method>?...``; the ``result`` or :class:`RpcError`."""
        query = {k: v for k, v in params.items() if v is not None}
        try:
            reply = self.http.get(f"/{method}", params=query).json()
        except (httpx.HTTPError, json.JSONDecodeError) as exc:
            raise RpcError(f"{method}: {exc}") from None
        if "error" in reply and reply["error"]:
            error = reply["error"]
            raise RpcError(f"{method}: {error.get('message', '')} {error.get('data', '')}".strip())
        return reply["result"]

    # ---- NodeBackend ------------------------------------------------------------------------------------------
    def status(self) -> NodeStatus:
        status = self.call("status")
        info = self.call("abci_info")["response"]
        sync = status["sync_info"]
        unconfirmed = self.call("num_unconfirmed_txs")
        height = int(info.get("last_block_height") or 0)
        block_time = parse_time(_trim_time(sync["latest_block_time"])) if int(sync["latest_block_height"]) else 0
        return NodeStatus(chain_id=status["node_info"]["network"], latest_height=height,
                          latest_app_hash=decode_b64(info.get("last_block_app_hash")),
                          latest_block_time_ns=block_time, earliest_height=int(sync["earliest_block_height"]),
                          mempool_size=int(unconfirmed.get("n_txs") or 0), catching_up=bool(sync["catching_up"]),
                          node=f"cometbft {status['node_info']['version']} {status['node_info']['moniker']}")

    def block(self, height: int | None) -> BlockRecord | None:
        try:
            block = self.call("block", height=height)
            if block.get("block") is None:
                return None
            number = int(block["block"]["header"]["height"])
            results = self.call("block_results", height=number)
        except RpcError:
            return None
        header = block["block"]["header"]
        txs = [decode_b64(t) for t in block["block"]["data"].get("txs") or []]
        txs = txs[count_entry_txs(txs):]  # the proposal entries tx is not a tx (as on the devnet)
        return BlockRecord(height=number, hash=bytes.fromhex(block["block_id"]["hash"]),
                           time_ns=parse_time(_trim_time(header["time"])),
                           proposer=bytes.fromhex(header["proposer_address"]),
                           app_hash=decode_b64(results.get("app_hash")), tx_hashes=[compute_tx_hash(t) for t in txs],
                           events=decode_events(results.get("finalize_block_events")))

    def tx(self, tx_hash: bytes) -> TxRecord | None:
        try:
            raw = self.call("tx", hash="0x" + tx_hash.hex())
        except RpcError:
            return None
        return _tx_record(raw)

    def search_txs(self, event: str, limit: int, offset: int) -> list[TxRecord]:
        """``module.Type.key=value`` (or ``tx.height=N``) as a tx_search query, oldest first."""
        key, _, value = event.partition("=")
        query = f"{key}={value}" if key == "tx.height" else f"{key}={_quote_value(value)}"
        out: list[TxRecord] = []
        page = offset // SEARCH_PAGE + 1
        skip = offset % SEARCH_PAGE
        while len(out) < limit:
            try:
                result = self.call("tx_search", query=quote(query), page=page, per_page=SEARCH_PAGE,
                                   order_by=quote("asc"))
            except RpcError:
                break
            batch = result.get("txs") or []
            out.extend(_tx_record(t) for t in batch[skip:])
            skip = 0
            if len(batch) < SEARCH_PAGE or page * SEARCH_PAGE >= int(result.get("total_count") or 0):
                break
            page += 1
        return out[:limit]

    async def broadcast(self, tx: bytes, mode: str, timeout_s: float = 30.0) -> BroadcastResult:
        """``broadcast_tx_sync`` (CheckTx only) or ``broadcast_tx_commit`` (waits for the block)."""
        tx_hash = compute_tx_hash(tx)
        method = "broadcast_tx_commit" if mode == "commit" else "broadcast_tx_sync"
        try:
            async with httpx.AsyncClient(base_url=self.rpc_url, timeout=timeout_s + 5) as client:
                reply = (await client.get(f"/{method}", params={"tx": "0x" + tx.hex()})).json()
        except (httpx.HTTPError, json.JSONDecodeError) as exc:
            return _broadcast_error(tx_hash, ErrInternal(f"{method}: {exc}"))
        if reply.get("error"):
            return _broadcast_error(tx_hash, _rpc_broadcast_error(reply["error"]))
        result = reply["result"]
        if mode != "commit":
            return _broadcast(tx_hash, decode_tx_result(result), 0)
        check = decode_tx_result(result.get("check_tx") or {})
        if check.code != 0:
            return _broadcast(tx_hash, check, 0)
        return _broadcast(tx_hash, decode_tx_result(result.get("tx_result") or {}), int(result.get("height") or 0))

    def simulate(self, tx: bytes) -> TxResult:
        result = self.query("app/simulate", tx, 0, False)
        if result.code != 0:
            return TxResult(code=result.code, codespace=result.codespace, log=result.log)
        return msgspec.json.decode(result.value, type=TxResult)

    def decode_tx(self, tx: bytes) -> dict[str, Any]:
        """Decoded locally with the App's own decoder (decoding needs no state)."""
        if self._decoder_app is None:
            from suretychain.app import make_app
            from suretychain.core.store import CommitStore

            self._decoder_app = make_app(CommitStore(None))
        decoded, msgs = self._decoder_app.decode_tx(tx)
        body = to_builtins(decoded.body)
        body["msgs"] = to_builtins(msgs)
        return {"body": body, "signature": decoded.signature.hex()}

    def query(self, path: str, data: bytes, height: int, prove: bool) -> QueryResult:
        try:
            raw = self.call("abci_query", path=quote(path), data="0x" + data.hex(), height=height or None,
                            prove="true" if prove else "false")["response"]
        except RpcError as exc:
            err = ErrInternal(str(exc))
            return QueryResult(code=err.code, codespace=err.codespace, log=err.log)
        ops = ((raw.get("proofOps") or raw.get("proof_ops") or {}).get("ops")) or []
        return QueryResult(code=int(raw.get("code") or 0), codespace=raw.get("codespace") or "",
                           log=raw.get("log") or "", value=decode_b64(raw.get("value")),
                           height=int(raw.get("height") or 0), proofs=[decode_proof_op(op) for op in ops])

    # ---- block stream -----------------------------------------------------------------------------------------
    def subscribe(self) -> asyncio.Queue[dict[str, Any]]:
        queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self._subscribers.append(queue)
        if self._stream_task is None or self._stream_task.done():
            self._stream_task = asyncio.get_running_loop().create_task(self._stream())
        return queue

    def unsubscribe(self, queue: asyncio.Queue[dict[str, Any]]) -> None:
        if queue in self._subscribers:
            self._subscribers.remove(queue)

    async def _stream(self) -> None:
        """Follow NewBlock events over CometBFT's websocket while anyone is subscribed (reconnecting on errors)."""
        import websockets

        url = self.rpc_url.replace("http://", "ws://").replace("https://", "wss://") + "/websocket"
        request = {"jsonrpc": "2.0", "id": 1, "method": "subscribe", "params": {"query": "tm.event='NewBlock'"}}
        while self._subscribers:
            try:
                async with websockets.connect(url, max_size=64 * 1024 * 1024) as ws:
                    await ws.send(json.dumps(request))
                    async for text in ws:
                        message = json.loads(text)
                        value = ((message.get("result") or {}).get("data") or {}).get("value")
                        if value and "block" in value:
                            self._publish(compute_block_message(value))
                        if not self._subscribers:
                            return
            except Exception as exc:  # noqa: BLE001 - reconnect on any websocket trouble
                log.warning("block stream: %s; reconnecting", exc)
                await asyncio.sleep(1.0)

    def _publish(self, message: dict[str, Any]) -> None:
        for queue in list(self._subscribers):
            if queue.qsize() < 1000:
                queue.put_nowait(message)

    def close(self) -> None:
        self.http.close()


def compute_block_message(value: dict[str, Any]) -> dict[str, Any]:
    """A NewBlock event as the stream's ``new_block`` message (the devnet's shape)."""
    block = value["block"]
    results = value.get("result_finalize_block") or {}
    txs = [decode_b64(t) for t in block["data"].get("txs") or []]
    tx_results = [decode_tx_result(r) for r in results.get("tx_results") or []]
    entry_txs = count_entry_txs(txs)  # the proposal entries tx is not a tx (as on the devnet)
    txs, tx_results = txs[entry_txs:], tx_results[entry_txs:]
    return {
        "type": "new_block",
        "height": int(block["header"]["height"]),
        "hash": (value.get("block_id") or {}).get("hash", "").lower(),
        "time_ns": parse_time(_trim_time(block["header"]["time"])),
        "app_hash": decode_b64(results.get("app_hash")).hex(),
        "txs": [{"hash": compute_tx_hash(t).hex(), "code": r.code, "codespace": r.codespace, "log": r.log,
                 "events": to_builtins(r.events)} for t, r in zip(txs, tx_results)],
        "events": to_builtins(decode_events(results.get("events"))),
    }


def _trim_time(text: str) -> str:
    """CometBFT's RFC 3339 times, normalised to what ``parse_time`` takes (``Z``, at most 9 fraction digits)."""
    return text.replace("+00:00", "Z")


def _quote_value(value: str) -> str:
    return "'" + value.replace("'", "\\'") + "'"


def _tx_record(raw: dict[str, Any]) -> TxRecord:
    tx = decode_b64(raw.get("tx"))
    return TxRecord(hash=bytes.fromhex(raw["hash"]), height=int(raw["height"]), index=int(raw.get("index") or 0),
                    tx=tx, result=decode_tx_result(raw.get("tx_result") or {}))


def _broadcast(tx_hash: bytes, result: TxResult, height: int) -> BroadcastResult:
    return BroadcastResult(hash=tx_hash, code=result.code, codespace=result.codespace, log=result.log, height=height,
                           gas_wanted=result.gas_wanted, gas_used=result.gas_used, events=result.events)


def _broadcast_error(tx_hash: bytes, err: Any) -> BroadcastResult:
    return BroadcastResult(hash=tx_hash, code=err.code, codespace=err.codespace, log=err.log)


def _rpc_broadcast_error(error: dict[str, Any]) -> Any:
    """CometBFT's mempool refusals as the App's coded errors (as the devnet reports them)."""
    text = f"{error.get('message', '')} {error.get('data', '')}".strip()
    if "already exists in cache" in text:
        return ErrTxInMempool(text)
    if "mempool is full" in text:
        return ErrMempoolFull(text)
    return ErrInternal(text)
