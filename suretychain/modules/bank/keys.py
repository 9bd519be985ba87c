"""Bank store layout: the only place bank key bytes are assembled.

| key | value |
|---|---|
| ``bank/ 0x00`` | ``Params`` |
| ``bank/ 0x01 | address(20) | denom`` | balance, msgpack uint |
| ``bank/ 0x02 | denom`` | total supply, msgpack uint |
| ``bank/ 0x03 | module address(20) | payer(20) | tag`` | a deferred credit to a module account (coins): transient |

Transient keys are read and written through ``ctx.transient_store`` and never committed (dropped with each block).
"""
from __future__ import annotations

STORE_PREFIX = b"bank/"
PARAMS_KEY = b"\x00"
BALANCE_PREFIX = b"\x01"
SUPPLY_PREFIX = b"\x02"
DEFERRED_PREFIX = b"\x03"
ADDRESS_LEN = 20


def balance_key(address: bytes, denom: str) -> bytes:
    """``0x01 | address | denom``."""
    return BALANCE_PREFIX + address + denom.encode()


def balances_prefix(address: bytes) -> bytes:
    """All balances of one address."""
    return BALANCE_PREFIX + address


def supply_key(denom: str) -> bytes:
    """``0x02 | denom``."""
    return SUPPLY_PREFIX + denom.encode()


def split_balance_key(key: bytes) -> tuple[bytes, str]:
    """``(address, denom)`` of a balance key (without the store prefix)."""
    return key[1 : 1 + ADDRESS_LEN], key[1 + ADDRESS_LEN :].decode()


def deferred_credit_key(recipient: bytes, payer_tag: bytes) -> bytes:
    """``0x03 | recipient | payer | tag``: one payer's deferred payment to a module account."""
    return DEFERRED_PREFIX + recipient + payer_tag


def split_deferred_credit_key(key: bytes) -> bytes:
    """The recipient of a deferred credit key (without the store prefix)."""
    return key[1 : 1 + ADDRESS_LEN]
