"""Request and response models of the HTTP API, exactly the JSON shapes of ``docs/api.md`` (for OpenAPI too).

Hashes, keys and proofs are hex; tx bytes are base64; amounts are integers in base units.
"""
from __future__ import annotations

import functools
from typing import Annotated, Any, ClassVar, Literal, Union

import msgspec
from pydantic import BaseModel, Field, create_model

from suretychain.core.encoding import convert, to_builtins


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


# ---- models derived from the chain's own records ----------------------------------------------------------------
# A module read answers with one of the module's records (``staking.types.Validator``, ``staking.queries.PoolResponse``,
# ...). Its response model is derived from that record, field by field, so the two cannot drift: same names and
# nesting; bytes (keys) as hex, decimals and addresses as strings, enums as their integer value.
class RecordOut(BaseModel):
    """A response model derived from a chain record by :func:`record_model`; ``of`` shapes a query answer."""

    __record__: ClassVar[type]

    @classmethod
    def of(cls, value: Any) -> RecordOut:
        """The query answer ``value`` (the chain's JSON of the record) in the API's shapes (keys as hex)."""
        return cls.model_validate(to_builtins(convert(value, cls.__record__)))


@functools.cache
def record_model(record: type, prefix: str) -> type[RecordOut]:
    """The response model of ``record`` (a msgspec struct), named ``<prefix><record name>`` (unique in OpenAPI).

    Derived once per record and prefix, so a record nested in several answers has one model.
    """
    info = msgspec.inspect.type_info(record)
    if not isinstance(info, msgspec.inspect.StructType):
        raise TypeError(f"{record!r} is not a record (msgspec struct)")
    fields: dict[str, Any] = {field.encode_name: (_field_type(field.type, prefix), ...) for field in info.fields}
    model = create_model(f"{prefix}{record.__name__}", __base__=RecordOut, __module__=__name__,
                         __doc__=(record.__doc__ or "").strip() or None, **fields)
    model.__record__ = record
    return model


def _field_type(info: msgspec.inspect.Type, prefix: str) -> Any:
    """The JSON type of one record field."""
    if isinstance(info, msgspec.inspect.StructType):
        return record_model(info.cls, prefix)
    if isinstance(info, (msgspec.inspect.ListType, msgspec.inspect.VarTupleType)):
        return list[_field_type(info.item_type, prefix)]  # type: ignore[misc]
    if isinstance(info, msgspec.inspect.DictType):
        return dict[str, _field_type(info.value_type, prefix)]  # type: ignore[misc]
    if isinstance(info, msgspec.inspect.UnionType):
        return Union[tuple(_field_type(member, prefix) for member in info.types)]
    if isinstance(info, msgspec.inspect.NoneType):
        return None
    if isinstance(info, msgspec.inspect.EnumType):
        return int if issubclass(info.cls, int) else str
    if type(info) not in _SCALARS:
        raise TypeError(f"no JSON type for record field type {info!r}")
    return _SCALARS[type(info)]


_SCALARS: dict[type, Any] = {
    msgspec.inspect.IntType: int,
    msgspec.inspect.BoolType: bool,
    msgspec.inspect.StrType: str,
    msgspec.inspect.BytesType: Annotated[str, Field(description="hex")],
    msgspec.inspect.CustomType: str,  # Dec and addresses
    msgspec.inspect.AnyType: Any,
}
