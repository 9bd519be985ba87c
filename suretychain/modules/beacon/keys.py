r"""Beacon store layout: the only place beacon key bytes are assembled.

| key | value |
|---|---|
| `beacon/ 0x01 \| height(8, BE)` | the 32-byte seed of that height (point keys: a query with `prove=true` proves one) |
| `beacon/ 0x02` | the latest seeded height (8, BE) |
"""
from __future__ import annotations

STORE_PREFIX = b"beacon/"
SEED = b"\x01"
LATEST_HEIGHT = b"\x02"


def u64(value: int) -> bytes:
    """Big-endian 8 bytes: byte order equals numeric order."""
    return value.to_bytes(8, "big")


def seed_key(height: int) -> bytes:
    return SEED + u64(height)


def split_seed_key(key: bytes) -> int:
    """The height of a seed key (without the store prefix)."""
    return int.from_bytes(key[len(SEED):], "big")
