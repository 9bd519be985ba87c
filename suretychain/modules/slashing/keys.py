r"""Slashing store layout: the only place slashing key bytes are assembled.

| key | value |
|---|---|
| `slashing/ 0x00` | `Params` |
| `slashing/ 0x01 \| consensus address(20)` | `SigningInfo` |
| `slashing/ 0x02 \| consensus address(20) \| index(8, BE)` | `0x01`: that window index was missed (absent: signed) |
| `slashing/ 0x03 \| consensus address(20) \| start height(8, BE)` | `SlashingPeriod` |
"""
from __future__ import annotations

from suretychain.core.keeper import PARAMS_KEY as CORE_PARAMS_KEY

STORE_PREFIX = b"slashing/"
PARAMS_KEY = CORE_PARAMS_KEY  # 0x00, read and written by ModuleKeeper
SIGNING_INFO = b"\x01"
MISSED_BLOCK = b"\x02"
SLASHING_PERIOD = b"\x03"
ADDRESS_LEN = 20
MISSED = b"\x01"


def u64(value: int) -> bytes:
    """Big-endian 8 bytes: byte order equals numeric order."""
    return value.to_bytes(8, "big")


def signing_info_key(address: bytes) -> bytes:
    return SIGNING_INFO + address


def missed_blocks_prefix(address: bytes) -> bytes:
    """Every missed-block bit of one validator."""
    return MISSED_BLOCK + address


def missed_block_key(address: bytes, index: int) -> bytes:
    return MISSED_BLOCK + address + u64(index)


def split_missed_block_key(key: bytes) -> tuple[bytes, int]:
    """``(address, index)`` of a missed-block key (without the store prefix)."""
    return key[1:1 + ADDRESS_LEN], int.from_bytes(key[1 + ADDRESS_LEN:], "big")


def slashing_periods_prefix(address: bytes) -> bytes:
    """Every slashing period of one validator, oldest first."""
    return SLASHING_PERIOD + address


def slashing_period_key(address: bytes, start_height: int) -> bytes:
    return SLASHING_PERIOD + address + u64(start_height)
