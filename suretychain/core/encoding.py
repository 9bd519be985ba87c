"""The one canonical binary encoding: msgpack through msgspec typed structs.

Every tx, msg, state record and event is a ``msgspec.Struct``. Structs encode as msgpack maps with their fields in
declaration order and integers in their shortest form, so one value has one byte string. Decoding validates types,
ranges and sizes (declared on the struct fields with :class:`msgspec.Meta`), and then **re-encodes and compares**:
bytes that decode to a value but are not that value's canonical encoding (a wider integer, reordered keys, a
non-minimal string form of a ``Dec``) are rejected, so a tx has exactly one hash and one signature body.

Named types carry units (``Amount``, ``Height``, ``Address``), as the pyspec does.
"""
from __future__ import annotations

import functools
from typing import Annotated, Any, TypeVar

import msgspec

from suretychain.core import crypto
from suretychain.core.dec import Dec
from suretychain.core.errors import ErrInvalidAddress, ErrTxDecode, SuretyError

U64_MAX = 2**64 - 1

# Named integer types: units in the type (base units, heights, nonces, gas).
# msgspec bounds must fit int64, so the 64-bit upper bound of amounts is enforced by msgpack itself (and by
# validate_coins for JSON input).
Amount = Annotated[int, msgspec.Meta(ge=0)]
Height = Annotated[int, msgspec.Meta(ge=0, le=2**63 - 1)]
Sequence = Annotated[int, msgspec.Meta(ge=0)]
Gas = Annotated[int, msgspec.Meta(ge=0, le=2**63 - 1)]
Timestamp = Annotated[int, msgspec.Meta(ge=0, le=2**63 - 1)]  # unix nanoseconds, from consensus only
Hash32 = Annotated[bytes, msgspec.Meta(min_length=32, max_length=32)]
# A denom: 3..64 chars, starts with a letter, then letters, digits and / : . _ - (the Cosmos SDK denom regex).
Denom = Annotated[str, msgspec.Meta(pattern=r"^[a-zA-Z][a-zA-Z0-9/:._-]{2,63}$")]


class Address(str):
    """A bech32 account address (``sure1...``). Constructing one validates it; ``.raw`` is the 20-byte form."""

    HRP = crypto.ACCOUNT_HRP
    raw: bytes

    def __new__(cls, text: str) -> "Address":
        try:
            raw = _decode_address(text, cls.HRP)
        except (ValueError, TypeError) as exc:
            raise ValueError(f"invalid address {str(text)[:100]!r}: {exc}") from None
        self = super().__new__(cls, text)
        self.raw = raw
        return self

    @classmethod
    def from_raw(cls, raw: bytes) -> "Address":
        """The address whose 20-byte form is ``raw``."""
        if len(raw) != 20:
            raise ValueError(f"an address has 20 bytes, got {len(raw)}")
        return _address_from_raw(cls, bytes(raw))


@functools.lru_cache(maxsize=1 << 16)
def _address_from_raw(cls: type[Address], raw: bytes) -> Address:
    """One shared instance per (kind, raw): addresses are immutable values, so handing out the same one is safe."""
    self = str.__new__(cls, _encode_address(raw, cls.HRP))
    self.raw = raw
    return self


# bech32 (the reference library, pure Python) costs ~40 us per address; txs repeat the same few addresses many
# times (CheckTx, proposal, block, events), so both directions are memoised. Both are pure functions of their
# arguments, so the caches hold no state of the chain.
@functools.lru_cache(maxsize=1 << 16)
def _decode_address(text: str, hrp: str) -> bytes:
    return crypto.decode_address(text, hrp)


@functools.lru_cache(maxsize=1 << 16)
def _parse_address_text(cls: type[Address], text: str) -> Address:
    """One shared instance per (kind, text), for decoding: the same few addresses recur in every tx (a failed parse
    raises and is not cached)."""
    return cls(text)


@functools.lru_cache(maxsize=1 << 16)
def _encode_address(raw: bytes, hrp: str) -> str:
    return crypto.encode_address(raw, hrp)


class ValAddress(Address):
    """A validator operator address (``surevaloper1...``): the same 20 bytes as the operator's account."""

    HRP = crypto.VALOPER_HRP


def parse_address(text: str, kind: type[Address] = Address) -> Address:
    """Parse user input into an address, or raise the coded ``ErrInvalidAddress``."""
    try:
        return kind(text)
    except ValueError as exc:
        raise ErrInvalidAddress(str(exc).removeprefix("invalid address ")) from None


def _enc_hook(obj: Any) -> Any:
    if isinstance(obj, Address):
        return str(obj)
    if isinstance(obj, Dec):
        return str(obj)
    raise NotImplementedError(f"cannot encode {type(obj).__name__}")


def _dec_hook(typ: type, obj: Any) -> Any:
    if isinstance(typ, type) and issubclass(typ, Address):
        if not isinstance(obj, str):
            raise TypeError(f"expected an address string, got {type(obj).__name__}")
        return _parse_address_text(typ, obj)
    if typ is Dec:
        if not isinstance(obj, str):
            raise TypeError(f"expected a decimal string, got {type(obj).__name__}")
        value = Dec.from_str(obj)
        if str(value) != obj:
            raise ValueError(f"non-canonical decimal {obj!r}")
        return value
    raise NotImplementedError(f"cannot decode {typ!r}")


_ENCODER = msgspec.msgpack.Encoder(enc_hook=_enc_hook)
_JSON_ENCODER = msgspec.json.Encoder(enc_hook=_enc_hook)
T = TypeVar("T")


class Record(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """Base of every stored record, msg and tx part: frozen, unknown fields rejected."""


def encode(value: Any) -> bytes:
    """The canonical bytes of ``value``."""
    return _ENCODER.encode(value)


def to_json(value: Any) -> bytes:
    """JSON for humans and the API (same field names as the binary form; bytes as base64)."""
    return _JSON_ENCODER.encode(value)


def to_builtins(value: Any) -> Any:
    """Plain dicts/lists/strs for JSON responses (bytes become hex)."""
    return _to_builtins(value)


def _to_builtins(value: Any) -> Any:
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).hex()
    if isinstance(value, (Address, Dec)):
        return str(value)
    if isinstance(value, msgspec.Struct):
        out: dict[str, Any] = {}
        cfg = value.__struct_config__
        if cfg.tag is not None:
            out[cfg.tag_field] = cfg.tag
        for name in value.__struct_fields__:
            out[name] = _to_builtins(getattr(value, name))
        return out
    if isinstance(value, (list, tuple)):
        return [_to_builtins(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _to_builtins(v) for k, v in value.items()}
    return value


class Decoder:
    """A reusable canonical decoder for one type (build once per type: msgspec decoders are compiled)."""

    def __init__(self, typ: Any) -> None:
        self.typ = typ
        self._decoder = msgspec.msgpack.Decoder(typ, dec_hook=_dec_hook)
        self._json = msgspec.json.Decoder(typ, dec_hook=_dec_hook)

    def decode(self, data: bytes) -> Any:
        """Decode and validate ``data``; raise ``ErrTxDecode`` unless it is the canonical encoding of a valid value."""
        try:
            value = self._decoder.decode(data)
        except (msgspec.DecodeError, msgspec.ValidationError, ValueError, TypeError, OverflowError) as exc:
            raise ErrTxDecode(str(exc)[:300]) from None
        except SuretyError:
            raise
        if _ENCODER.encode(value) != bytes(data):
            raise ErrTxDecode("non-canonical encoding")
        return value

    def decode_json(self, data: bytes | str) -> Any:
        """Decode JSON input (API bodies, genesis files, query params) with the same validation."""
        try:
            return self._json.decode(data)
        except (msgspec.DecodeError, msgspec.ValidationError, ValueError, TypeError, OverflowError) as exc:
            raise ErrTxDecode(str(exc)[:300]) from None


def convert(obj: Any, typ: type[T]) -> T:
    """Validate a builtin object (e.g. parsed JSON) into ``typ`` with the same hooks, or raise ``ErrTxDecode``."""
    try:
        return msgspec.convert(obj, typ, dec_hook=_dec_hook)
    except (msgspec.ValidationError, ValueError, TypeError) as exc:
        raise ErrTxDecode(str(exc)[:300]) from None


def decode_record(data: bytes, typ: type[T]) -> T:
    """Decode a trusted state record (written by this App): no canonical re-check, for speed."""
    return _record_decoder(typ).decode(data)


_RECORD_DECODERS: dict[Any, msgspec.msgpack.Decoder] = {}


def _record_decoder(typ: Any) -> msgspec.msgpack.Decoder:
    decoder = _RECORD_DECODERS.get(typ)
    if decoder is None:
        decoder = _RECORD_DECODERS[typ] = msgspec.msgpack.Decoder(typ, dec_hook=_dec_hook)
    return decoder
