"""Auth store layout.

| key | value |
|---|---|
| ``auth/ 0x00`` | ``Params`` |
| ``auth/ 0x01 | address(20)`` | ``Account`` |
"""
from __future__ import annotations

STORE_PREFIX = b"auth/"
PARAMS_KEY = b"\x00"
ACCOUNT_PREFIX = b"\x01"


def account_key(address: bytes) -> bytes:
    """``0x01 | address``."""
    return ACCOUNT_PREFIX + address
