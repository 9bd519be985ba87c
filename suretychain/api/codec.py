"""The API's JSON shapes: node records to JSON (``present_*``), and request text to bytes (``parse_*``).

No rules live here: only formats (hex, base64, RFC 3339) and field names.
"""
from __future__ import annotations

import base64
import binascii
from typing import Any

from suretychain.core.app import QueryResult, TxResult
from suretychain.core.encoding import to_builtins
from suretychain.core.errors import ErrInvalidRequest, ErrTxDecode, SuretyError
from suretychain.core.events import Event
from suretychain.core.genesis import format_time
from suretychain.node.backend import BlockRecord, BroadcastResult, NodeBackend, NodeStatus, TxRecord

HASH_HEX_LENGTH = 64


# ---- request text -> bytes --------------------------------------------------------------------------------------
def parse_tx_base64(text: str) -> bytes:
    """Tx bytes from base64, or the coded tx parse error."""
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ErrTxDecode(f"tx is not valid base64: {exc}") from None


def parse_tx_hash(text: str) -> bytes:
    """A tx hash from 64 hex characters, or the coded invalid-request error."""
    try:
        raw = bytes.fromhex(text)
    except ValueError:
        raw = b""
    if len(raw) * 2 != HASH_HEX_LENGTH:
        raise ErrInvalidRequest(f"tx hash must be {HASH_HEX_LENGTH} hex characters, got {text[:100]!r}")
    return raw


# ---- records -> JSON --------------------------------------------------------------------------------------------
def present_events(events: list[Event]) -> list[dict[str, Any]]:
    return to_builtins(events)


def present_status(status: NodeStatus) -> dict[str, Any]:
    return {
        "chain_id": status.chain_id,
        "latest_height": status.latest_height,
        "latest_app_hash": status.latest_app_hash.hex(),
        "latest_block_time": format_time(status.latest_block_time_ns),
        "latest_block_time_ns": status.latest_block_time_ns,
        "earliest_height": status.earliest_height,
        "mempool_size": status.mempool_size,
        "catching_up": status.catching_up,
        "node": status.node,
    }


def present_block(block: BlockRecord) -> dict[str, Any]:
    return {
        "height": block.height,
        "hash": block.hash.hex(),
        "time": format_time(block.time_ns),
        "time_ns": block.time_ns,
        "proposer": block.proposer.hex(),
        "app_hash": block.app_hash.hex(),
        "txs": [tx_hash.hex() for tx_hash in block.tx_hashes],
        "events": present_events(block.events),
    }


def present_tx_result(result: TxResult) -> dict[str, Any]:
    return {
        "code": result.code,
        "codespace": result.codespace,
        "log": result.log,
        "gas_wanted": result.gas_wanted,
        "gas_used": result.gas_used,
        "events": present_events(result.events),
    }


def present_tx(record: TxRecord, backend: NodeBackend) -> dict[str, Any]:
    """A committed tx, decoded for display by the backend's App (``tx`` is null if it cannot be decoded)."""
    try:
        decoded: dict[str, Any] | None = backend.decode_tx(record.tx)
    except SuretyError:
        decoded = None
    return {
        "hash": record.hash.hex(),
        "height": record.height,
        "index": record.index,
        "tx": decoded,
        "tx_bytes": base64.b64encode(record.tx).decode(),
        "result": present_tx_result(record.result),
    }


def present_broadcast(result: BroadcastResult) -> dict[str, Any]:
    return {
        "hash": result.hash.hex(),
        "code": result.code,
        "codespace": result.codespace,
        "log": result.log,
        "height": result.height,
        "gas_wanted": result.gas_wanted,
        "gas_used": result.gas_used,
        "events": present_events(result.events),
    }


def present_query(result: QueryResult, value: Any) -> dict[str, Any]:
    """A query answer with its (hex) proofs; ``value`` is the decoded JSON value."""
    return {
        "height": result.height,
        "value": value,
        "proofs": [{"key": read.key.hex(), "value": None if read.value is None else read.value.hex(),
                    "proof": read.proof.hex()} for read in result.proofs],
    }
