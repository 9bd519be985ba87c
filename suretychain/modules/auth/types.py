"""Auth records, params, errors and events: accounts, sequences and the tx fee policy."""
from __future__ import annotations

from typing import Annotated, ClassVar

import msgspec

from suretychain.core.dec import Dec
from suretychain.core.encoding import Address, Denom, Record, Sequence
from suretychain.core.events import TypedEvent
from suretychain.core.tx import Coin

MODULE = "auth"
FEE_COLLECTOR = "fee_collector"


class Params(Record):
    """Tx policy params (changeable by governance).

    | name | default | unit | why |
    |---|---|---|---|
    | max_memo_characters | 256 | chars | memos are notes, not storage |
    | tx_size_cost_per_byte | 10 | gas/byte | bytes cost every node bandwidth and disk |
    | sig_verify_cost | 1000 | gas | an ed25519 verify is the most expensive step of a small tx |
    | min_gas_price | 0.001 | fee_denom/gas | floor that keeps spam costly; 100k gas = 100 usrt |
    | fee_denom | usrt | | fees are paid in the native token |
    """

    max_memo_characters: Annotated[int, msgspec.Meta(ge=0, le=1024)] = 256
    tx_size_cost_per_byte: Annotated[int, msgspec.Meta(ge=0, le=10_000)] = 10
    sig_verify_cost: Annotated[int, msgspec.Meta(ge=0, le=1_000_000)] = 1000
    min_gas_price: Dec = Dec.from_str("0.001")
    fee_denom: Denom = "usrt"


class Account(Record):
    """An account: its address, public key (empty until its first tx) and sequence (the next nonce)."""

    address: Address
    public_key: bytes = b""
    sequence: Sequence = 0


class GenesisState(Record):
    """Auth genesis: params and accounts (only those that have sent a tx need to be listed)."""

    params: Params = msgspec.field(default_factory=Params)
    accounts: list[Account] = []


class QueryAccount(Record):
    address: Address


class AuthEvent(TypedEvent):
    """Base of auth events."""

    MODULE: ClassVar[str] = MODULE


class QueryParams(Record):
    pass


class FeePaid(AuthEvent):
    """A tx's fee was charged (whether or not its msgs succeed)."""

    payer: Address
    fee: list[Coin]  # rendered as text like 200usrt (empty for a zero fee)
    gas_limit: int
