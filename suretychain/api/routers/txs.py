"""Txs: look up by hash, search by event, broadcast (sync or commit) and simulate."""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query

from suretychain.api.codec import (
    parse_tx_base64,
    parse_tx_hash,
    present_broadcast,
    present_tx,
    present_tx_result,
)
from suretychain.api.deps import get_backend, get_metrics
from suretychain.api.errors import raise_for_code
from suretychain.api.models import BroadcastIn, BroadcastOut, SimulateIn, TxListOut, TxOut, TxResultOut
from suretychain.api.telemetry import ApiMetrics
from suretychain.core.errors import ErrInvalidRequest, ErrNotFound
from suretychain.node.backend import BroadcastResult, NodeBackend

router = APIRouter(prefix="/txs", tags=["txs"])

MAX_SEARCH_LIMIT = 100
MAX_OFFSET = 2**63 - 1


@router.get("", response_model=TxListOut)
async def search_txs(
    event: str = Query(..., description="`module.Type.key=value`, or `tx.height=N`"),
    limit: int = Query(50, ge=1, le=MAX_SEARCH_LIMIT),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
    backend: NodeBackend = Depends(get_backend),
) -> dict[str, Any]:
    """Committed txs with an event attribute, oldest first."""
    key, sep, value = event.partition("=")
    if not sep or not key or not value:
        raise ErrInvalidRequest(f"event must look like module.Type.key=value, got {event[:100]!r}")
    return {"txs": [present_tx(record, backend) for record in backend.search_txs(event, limit, offset)]}


@router.post("", response_model=BroadcastOut)
async def broadcast_tx(body: BroadcastIn, backend: NodeBackend = Depends(get_backend),
                       metrics: ApiMetrics = Depends(get_metrics)) -> dict[str, Any]:
    """CheckTx into the mempool (``sync``), or also wait until the tx's block is committed (``commit``).

    A tx CheckTx rejects is an error answer with the chain's code; a tx that was included but failed in its block
    is answered with its non-zero ``code`` and its ``height``."""
    result = await backend.broadcast(parse_tx_base64(body.tx), body.mode)
    metrics.count_broadcast(result.codespace, result.code)
    if result.code == 0 and body.mode == "sync":
        wake_producer(backend)
    raise_if_rejected(result)
    return present_broadcast(result)


@router.post("/simulate", response_model=TxResultOut)
async def simulate_tx(body: SimulateIn, backend: NodeBackend = Depends(get_backend)) -> dict[str, Any]:
    """Run a tx against the latest state without keeping it: signature not checked, no gas limit."""
    result = backend.simulate(parse_tx_base64(body.tx))
    raise_for_code(result.codespace, result.code, result.log)
    return present_tx_result(result)


@router.get("/{tx_hash}", response_model=TxOut)
async def get_tx(tx_hash: str, backend: NodeBackend = Depends(get_backend)) -> dict[str, Any]:
    """A committed tx by its hex hash, decoded, with its result."""
    record = backend.tx(parse_tx_hash(tx_hash))
    if record is None:
        raise ErrNotFound(f"tx {tx_hash.lower()} is not in a committed block")
    return present_tx(record, backend)


def raise_if_rejected(result: BroadcastResult) -> None:
    """A tx that never entered the mempool (height 0, non-zero code) is answered with its error."""
    if result.height == 0:
        raise_for_code(result.codespace, result.code, result.log)


def wake_producer(backend: NodeBackend) -> None:
    """Tell an on-demand block producer (devnet ``--block-time 0``) that a tx is waiting."""
    notify = getattr(backend, "notify_tx", None)
    if callable(notify):
        notify()
