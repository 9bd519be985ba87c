r"""Insurance store layout: the only place insurance key bytes are assembled.

| key | value |
|---|---|
| `insurance/ 0x00` | `Params` |
| `insurance/ 0x01` | `Counters`: the next term id and the next insurance id |
| `insurance/ 0x11 \| term id(8, BE)` | `Term` (current terms only; edited or deleted ids are gone) |
| `insurance/ 0x12 \| validator(20) \| term id(8)` | empty: terms by validator |
| `insurance/ 0x21 \| insurance id(8, BE)` | `Insurance` (ids grow with issuance: id order is FIFO order) |
| `insurance/ 0x22 \| validator(20) \| insurance id(8)` | empty: insurances by validator, oldest first |
| `insurance/ 0x23 \| delegator(20) \| validator(20) \| insurance id(8)` | empty: insurances by delegator |
| `insurance/ 0x31 \| validator(20)` | `Exposure`: what backs the solvency query and invariant |
| `insurance/ 0x41 \| expire time(8, BE) \| insurance id(8)` | empty: expiry queue (end date + evidence grace) |
| `insurance/ 0x42 \| end date(8, BE) \| insurance id(8)` | empty: renewal queue of subscribed insurances |
"""
from __future__ import annotations

STORE_PREFIX = b"insurance/"
PARAMS_KEY = b"\x00"
COUNTERS_KEY = b"\x01"
TERM = b"\x11"
TERM_BY_VALIDATOR = b"\x12"
INSURANCE = b"\x21"
INSURANCE_BY_VALIDATOR = b"\x22"
INSURANCE_BY_DELEGATOR = b"\x23"
EXPOSURE = b"\x31"
EXPIRY_QUEUE = b"\x41"
RENEWAL_QUEUE = b"\x42"


def u64(value: int) -> bytes:
    """Big-endian 8 bytes: byte order equals numeric order."""
    return value.to_bytes(8, "big")


def term_key(term_id: int) -> bytes:
    return TERM + u64(term_id)


def term_by_validator_key(validator: bytes, term_id: int) -> bytes:
    return TERM_BY_VALIDATOR + validator + u64(term_id)


def insurance_key(insurance_id: int) -> bytes:
    return INSURANCE + u64(insurance_id)


def insurance_by_validator_key(validator: bytes, insurance_id: int) -> bytes:
    return INSURANCE_BY_VALIDATOR + validator + u64(insurance_id)


def insurance_by_delegator_key(delegator: bytes, validator: bytes, insurance_id: int) -> bytes:
    return INSURANCE_BY_DELEGATOR + delegator + validator + u64(insurance_id)


def exposure_key(validator: bytes) -> bytes:
    return EXPOSURE + validator


def expiry_queue_key(time_ns: int, insurance_id: int) -> bytes:
    return EXPIRY_QUEUE + u64(time_ns) + u64(insurance_id)


def renewal_queue_key(time_ns: int, insurance_id: int) -> bytes:
    return RENEWAL_QUEUE + u64(time_ns) + u64(insurance_id)


def queue_until(prefix: bytes, time_ns: int) -> bytes:
    """The end key of a queue scan: every entry with time <= ``time_ns``."""
    return prefix + u64(time_ns + 1)


def split_queue_id(key: bytes) -> int:
    """The insurance id at the end of a queue key."""
    return int.from_bytes(key[-8:], "big")
