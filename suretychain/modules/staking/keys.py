r"""Staking store layout: the only place staking key bytes are assembled.

| key | value |
|---|---|
| `staking/ 0x00` | `Params` |
| `staking/ 0x11 \| operator(20)` | `LastPower`: power in the set as of the last end-block |
| `staking/ 0x21 \| operator(20)` | `Validator` |
| `staking/ 0x22 \| consensus address(20)` | operator(20) |
| `staking/ 0x23 \| power(8, BE) \| operator(20)` | empty: the power index of non-jailed validators |
| `staking/ 0x31 \| delegator(20) \| operator(20)` | `Delegation` |
| `staking/ 0x32 \| operator(20) \| delegator(20)` | empty: delegations by validator |
| `staking/ 0x41 \| delegator(20) \| operator(20)` | `UnbondingDelegation` |
| `staking/ 0x42 \| operator(20) \| delegator(20)` | empty: unbondings by validator |
| `staking/ 0x51 \| delegator \| src \| dst` | `Redelegation` |
| `staking/ 0x52 \| src \| delegator \| dst` | empty: redelegations by source |
| `staking/ 0x53 \| dst \| delegator \| src` | empty: redelegations by destination |
| `staking/ 0x61 \| time(8, BE) \| delegator \| operator` | empty: unbonding queue |
| `staking/ 0x62 \| time(8, BE) \| delegator \| src \| dst` | empty: redelegation queue |
| `staking/ 0x63 \| time(8, BE) \| height(8, BE) \| operator` | empty: validator unbonding queue |
"""
from __future__ import annotations

STORE_PREFIX = b"staking/"
PARAMS_KEY = b"\x00"
LAST_POWER = b"\x11"
VALIDATOR = b"\x21"
VALIDATOR_BY_CONS = b"\x22"
POWER_INDEX = b"\x23"
DELEGATION = b"\x31"
DELEGATION_BY_VAL = b"\x32"
UNBONDING = b"\x41"
UNBONDING_BY_VAL = b"\x42"
REDELEGATION = b"\x51"
REDELEGATION_BY_SRC = b"\x52"
REDELEGATION_BY_DST = b"\x53"
UNBONDING_QUEUE = b"\x61"
REDELEGATION_QUEUE = b"\x62"
VALIDATOR_QUEUE = b"\x63"


def u64(value: int) -> bytes:
    """Big-endian 8 bytes: byte order equals numeric order."""
    return value.to_bytes(8, "big")


def validator_key(operator: bytes) -> bytes:
    return VALIDATOR + operator


def validator_by_cons_key(cons_address: bytes) -> bytes:
    return VALIDATOR_BY_CONS + cons_address


def power_index_key(power: int, operator: bytes) -> bytes:
    return POWER_INDEX + u64(power) + operator


def last_power_key(operator: bytes) -> bytes:
    return LAST_POWER + operator


def delegation_key(delegator: bytes, operator: bytes) -> bytes:
    return DELEGATION + delegator + operator


def delegation_by_val_key(operator: bytes, delegator: bytes) -> bytes:
    return DELEGATION_BY_VAL + operator + delegator


def unbonding_key(delegator: bytes, operator: bytes) -> bytes:
    return UNBONDING + delegator + operator


def unbonding_by_val_key(operator: bytes, delegator: bytes) -> bytes:
    return UNBONDING_BY_VAL + operator + delegator


def redelegation_key(delegator: bytes, src: bytes, dst: bytes) -> bytes:
    return REDELEGATION + delegator + src + dst


def redelegation_by_src_key(src: bytes, delegator: bytes, dst: bytes) -> bytes:
    return REDELEGATION_BY_SRC + src + delegator + dst


def redelegation_by_dst_key(dst: bytes, delegator: bytes, src: bytes) -> bytes:
    return REDELEGATION_BY_DST + dst + delegator + src


def unbonding_queue_key(time_ns: int, delegator: bytes, operator: bytes) -> bytes:
    return UNBONDING_QUEUE + u64(time_ns) + delegator + operator


def redelegation_queue_key(time_ns: int, delegator: bytes, src: bytes, dst: bytes) -> bytes:
    return REDELEGATION_QUEUE + u64(time_ns) + delegator + src + dst


def validator_queue_key(time_ns: int, height: int, operator: bytes) -> bytes:
    return VALIDATOR_QUEUE + u64(time_ns) + u64(height) + operator


def queue_until(prefix: bytes, time_ns: int) -> bytes:
    """The end key of a queue scan: every entry with time <= ``time_ns``."""
    return prefix + u64(time_ns + 1)
