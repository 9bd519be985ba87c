r"""Court store layout: the only place court key bytes are assembled.

| key | value |
|---|---|
| `court/ 0x00` | `Params` |
| `court/ 0x01` | `Counters`: next dispute id, next withdrawal id |
| `court/ 0x11 \| court id(8, BE)` | `Court` |
| `court/ 0x21 \| juror(20) \| court id(8)` | `JurorStake`: a direct stake |
| `court/ 0x22 \| juror(20)` | `Juror`: totals (staked, locked) and affiliations |
| `court/ 0x23 \| release time(8, BE) \| withdrawal id(8)` | `Withdrawal`, oldest release first |
| `court/ 0x31 \| dispute id(8, BE)` | `Dispute` with its rounds, votes and evidence |
| `court/ 0x32 \| dispute id(8, BE)` | empty: open disputes (advanced by end-block) |
| `court/ 0x41 \| court id(8, BE)` | `CommunityShare`: remainders and unclaimed fees of a court |
"""
from __future__ import annotations

STORE_PREFIX = b"court/"
PARAMS_KEY = b"\x00"
COUNTERS_KEY = b"\x01"
COURT = b"\x11"
STAKE = b"\x21"
JUROR = b"\x22"
WITHDRAWAL = b"\x23"
DISPUTE = b"\x31"
OPEN_DISPUTE = b"\x32"
COMMUNITY = b"\x41"


def u64(value: int) -> bytes:
    """Big-endian 8 bytes: byte order equals numeric order."""
    return value.to_bytes(8, "big")


def court_key(court_id: int) -> bytes:
    return COURT + u64(court_id)


def stake_key(juror: bytes, court_id: int) -> bytes:
    return STAKE + juror + u64(court_id)


def juror_key(juror: bytes) -> bytes:
    return JUROR + juror


def withdrawal_key(release_ns: int, withdrawal_id: int) -> bytes:
    return WITHDRAWAL + u64(release_ns) + u64(withdrawal_id)


def withdrawals_until(release_ns: int) -> bytes:
    return WITHDRAWAL + u64(release_ns + 1)


def dispute_key(dispute_id: int) -> bytes:
    return DISPUTE + u64(dispute_id)


def open_dispute_key(dispute_id: int) -> bytes:
    return OPEN_DISPUTE + u64(dispute_id)


def community_key(court_id: int) -> bytes:
    return COMMUNITY + u64(court_id)
