"""The genesis document: chain id, genesis time, initial height, consensus params and each module's state.

It is JSON (the same document CometBFT's ``genesis.json`` carries as ``app_state``), validated on load with errors
that name the offending field. Times are RFC 3339 in UTC with up to nanosecond precision, parsed by hand into unix
nanoseconds because the standard library's parser stops at microseconds.
"""
from __future__ import annotations

import calendar
import re
from typing import Annotated, Any

import msgspec

from suretychain.core.encoding import Record, _dec_hook, _enc_hook
from suretychain.core.errors import ErrInvalidGenesis

_RFC3339 = re.compile(r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?Z$")


class BlockParams(Record):
    """Per-block limits: bytes of txs and total gas (sum of tx gas limits); -1 means no gas limit."""

    max_bytes: Annotated[int, msgspec.Meta(ge=1, le=100 * 1024 * 1024)] = 4 * 1024 * 1024
    max_gas: Annotated[int, msgspec.Meta(ge=-1)] = 100_000_000


class EvidenceParams(Record):
    """How old evidence of misbehavior may be and still count."""

    max_age_num_blocks: Annotated[int, msgspec.Meta(ge=1)] = 100_000
    max_age_duration_ns: Annotated[int, msgspec.Meta(ge=1)] = 172_800 * 10**9
    max_bytes: Annotated[int, msgspec.Meta(ge=0)] = 1024 * 1024


class ConsensusParams(Record):
    """The consensus params the App and the consensus engine share."""

    block: BlockParams = msgspec.field(default_factory=BlockParams)
    evidence: EvidenceParams = msgspec.field(default_factory=EvidenceParams)


class GenesisDoc(Record):
    """The whole genesis document."""

    chain_id: Annotated[str, msgspec.Meta(pattern=r"^[a-zA-Z0-9][a-zA-Z0-9._-]{0,47}$")]
    genesis_time: str
    initial_height: Annotated[int, msgspec.Meta(ge=1)] = 1
    consensus_params: ConsensusParams = msgspec.field(default_factory=ConsensusParams)
    app_state: dict[str, msgspec.Raw] = msgspec.field(default_factory=dict)


def parse_time(text: str) -> int:
    """RFC 3339 UTC time (``2026-11-24T09:00:00.123456789Z``) to unix nanoseconds; ``ValueError`` if malformed."""
    match = _RFC3339.match(text)
    if not match:
        raise ValueError(f"time {text!r} is not RFC 3339 UTC (YYYY-MM-DDTHH:MM:SS[.fffffffff]Z)")
    year, month, day, hour, minute, second = (int(g) for g in match.groups()[:6])
    fraction = (match.group(7) or "").ljust(9, "0")
    if not (1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1] and hour < 24 and minute < 60
            and second < 60):
        raise ValueError(f"time {text!r} is out of range")
    seconds = calendar.timegm((year, month, day, hour, minute, second, 0, 0, 0))
    if seconds < 0:
        raise ValueError(f"time {text!r} is before 1970")
    return seconds * 10**9 + int(fraction)


def format_time(time_ns: int) -> str:
    """Unix nanoseconds to RFC 3339 UTC with nanoseconds (trailing zeros trimmed)."""
    seconds, nanos = divmod(time_ns, 10**9)
    import time as _time  # formatting only: no clock is read

    text = _time.strftime("%Y-%m-%dT%H:%M:%S", _time.gmtime(seconds))
    if nanos:
        text += "." + f"{nanos:09d}".rstrip("0")
    return text + "Z"


def decode_genesis(data: bytes | str) -> GenesisDoc:
    """Parse and validate a genesis document's envelope; raise ``ErrInvalidGenesis`` naming the bad field."""
    try:
        doc = msgspec.json.decode(data, type=GenesisDoc, dec_hook=_dec_hook)
    except (msgspec.DecodeError, msgspec.ValidationError) as exc:
        raise ErrInvalidGenesis(str(exc)) from None
    try:
        parse_time(doc.genesis_time)
    except ValueError as exc:
        raise ErrInvalidGenesis(f"genesis_time: {exc}") from None
    return doc


def decode_module_state(module: str, raw: bytes, state_type: type) -> Any:
    """Decode one module's ``app_state`` entry; errors name the module and the field path."""
    try:
        return msgspec.json.decode(raw, type=state_type, dec_hook=_dec_hook)
    except (msgspec.DecodeError, msgspec.ValidationError) as exc:
        raise ErrInvalidGenesis(f"app_state.{module}: {exc}") from None


def encode_genesis(doc: GenesisDoc) -> bytes:
    """Pretty JSON of a genesis document (stable: same doc, same bytes)."""
    return msgspec.json.format(msgspec.json.encode(doc, enc_hook=_enc_hook), indent=2) + b"\n"


def encode_module_state(state: Any) -> msgspec.Raw:
    """One module's state as the raw JSON that goes under ``app_state``."""
    return msgspec.Raw(msgspec.json.encode(state, enc_hook=_enc_hook))
