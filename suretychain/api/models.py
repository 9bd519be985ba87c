"""Request and response models of the HTTP API, exactly the JSON shapes of ``docs/api.md`` (for OpenAPI too).

Hashes, keys and proofs are hex; tx bytes are base64; amounts are integers in base units.
"""
from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field


class Attribute(BaseModel):
    key: str
    value: str


class Event(BaseModel):
    """A module event: ``{module, type, attributes: [{key, value}]}``."""

    module: str
    type: str
    attributes: list[Attribute]


class StatusOut(BaseModel):
    chain_id: str
    latest_height: int
    latest_app_hash: str = Field(description="hex state root after the latest block")
    latest_block_time: str = Field(description="RFC 3339 UTC")
    latest_block_time_ns: int
    earliest_height: int
    mempool_size: int
    catching_up: bool
    node: str


class BlockOut(BaseModel):
    height: int
    hash: str
    time: str
    time_ns: int
    proposer: str
    app_hash: str = Field(description="hex state root after this block")
    txs: list[str] = Field(description="hex tx hashes in block order")
    events: list[Event]


class TxResultOut(BaseModel):
    code: int
    codespace: str
    log: str
    gas_wanted: int
    gas_used: int
    events: list[Event]


class TxOut(BaseModel):
    hash: str
    height: int
    index: int
    tx: dict[str, Any] | None = Field(description="the decoded tx")
    tx_bytes: str = Field(description="base64")
    result: TxResultOut


class TxListOut(BaseModel):
    txs: list[TxOut]


class BroadcastIn(BaseModel):
    tx: str = Field(description="base64 tx bytes")
    mode: Literal["sync", "commit"] = "sync"


class BroadcastOut(BaseModel):
    hash: str
    code: int
    codespace: str
    log: str
    height: int = Field(description="0 until committed")
    gas_wanted: int
    gas_used: int
    events: list[Event]


class SimulateIn(BaseModel):
    tx: str = Field(description="base64 tx bytes")


class AccountOut(BaseModel):
    address: str
    public_key: str = Field(description="hex; empty until the account's first tx")
    sequence: int


class CoinOut(BaseModel):
    denom: str
    amount: int


class BalancesOut(BaseModel):
    address: str
    coins: list[CoinOut]


class SupplyOut(BaseModel):
    supply: list[CoinOut]


class ProofOut(BaseModel):
    key: str
    value: str | None = Field(description="hex; null when the key is absent")
    proof: str


class QueryIn(BaseModel):
    height: int = Field(0, ge=0, description="0 = latest")
    prove: bool = False
    request: dict[str, Any] = Field(default_factory=dict)


class QueryOut(BaseModel):
    height: int
    value: Any
    proofs: list[ProofOut]
