r"""Distribution store layout: the only place distribution key bytes are assembled.

| key | value |
|---|---|
| `distribution/ 0x00` | `Params` |
| `distribution/ 0x01` | `FeePool` (the community pool) |
| `distribution/ 0x02` | last inflation time: inflation is minted up to it (msgpack uint, unix ns) |
| `distribution/ 0x10 \| operator(20)` | `ValidatorOutstandingRewards` |
| `distribution/ 0x11 \| operator(20)` | `ValidatorAccumulatedCommission` |
| `distribution/ 0x12 \| operator(20) \| period(8, BE)` | `ValidatorHistoricalRewards` |
| `distribution/ 0x13 \| operator(20)` | `ValidatorCurrentRewards` |
| `distribution/ 0x14 \| operator(20) \| delegator(20)` | `DelegatorStartingInfo` |
| `distribution/ 0x15 \| operator(20) \| height(8, BE) \| period(8, BE)` | `ValidatorSlashEvent` |
| `distribution/ 0x20 \| delegator(20)` | withdraw address (20 bytes), stored only when not the delegator |
"""
from __future__ import annotations

STORE_PREFIX = b"distribution/"
PARAMS_KEY = b"\x00"
FEE_POOL_KEY = b"\x01"
LAST_INFLATION_TIME_KEY = b"\x02"
OUTSTANDING_REWARDS = b"\x10"
ACCUMULATED_COMMISSION = b"\x11"
HISTORICAL_REWARDS = b"\x12"
CURRENT_REWARDS = b"\x13"
STARTING_INFO = b"\x14"
SLASH_EVENT = b"\x15"
WITHDRAW_ADDRESS = b"\x20"
ADDRESS_LEN = 20


def u64(value: int) -> bytes:
    """Big-endian 8 bytes: byte order equals numeric order."""
    return value.to_bytes(8, "big")


def outstanding_rewards_key(operator: bytes) -> bytes:
    return OUTSTANDING_REWARDS + operator


def accumulated_commission_key(operator: bytes) -> bytes:
    return ACCUMULATED_COMMISSION + operator


def historical_rewards_key(operator: bytes, period: int) -> bytes:
    return HISTORICAL_REWARDS + operator + u64(period)


def current_rewards_key(operator: bytes) -> bytes:
    return CURRENT_REWARDS + operator


def starting_info_key(operator: bytes, delegator: bytes) -> bytes:
    return STARTING_INFO + operator + delegator


def slash_event_key(operator: bytes, height: int, period: int) -> bytes:
    return SLASH_EVENT + operator + u64(height) + u64(period)


def withdraw_address_key(delegator: bytes) -> bytes:
    return WITHDRAW_ADDRESS + delegator


def split_operator_key(key: bytes) -> bytes:
    """The operator of a ``prefix | operator`` key."""
    return key[1 : 1 + ADDRESS_LEN]


def split_historical_key(key: bytes) -> tuple[bytes, int]:
    """``(operator, period)`` of a historical rewards key."""
    return key[1 : 1 + ADDRESS_LEN], int.from_bytes(key[1 + ADDRESS_LEN :], "big")


def split_starting_info_key(key: bytes) -> tuple[bytes, bytes]:
    """``(operator, delegator)`` of a starting info key."""
    return key[1 : 1 + ADDRESS_LEN], key[1 + ADDRESS_LEN :]


def split_slash_event_key(key: bytes) -> tuple[bytes, int, int]:
    """``(operator, height, period)`` of a slash event key."""
    operator, rest = key[1 : 1 + ADDRESS_LEN], key[1 + ADDRESS_LEN :]
    return operator, int.from_bytes(rest[:8], "big"), int.from_bytes(rest[8:], "big")
