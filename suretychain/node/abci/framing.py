"""ABCI socket framing (CometBFT v0.37+): each message is an unsigned varint length, then the protobuf bytes.

CometBFT's ``libs/protoio`` writes ``binary.PutUvarint(len)`` before each message; v0.34 used the signed (zigzag)
varint instead, which is not spoken here.
"""
from __future__ import annotations

MAX_MESSAGE_BYTES = 2**31 - 1  # CometBFT's own limit (MaxInt32)


class FramingError(Exception):
    """A malformed or oversized frame: the connection cannot continue."""


def encode_uvarint(value: int) -> bytes:
    """``value`` (>= 0) as a protobuf/Go unsigned varint."""
    if value < 0:
        raise ValueError("uvarint of a negative number")
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def encode_frame(message: bytes) -> bytes:
    """One framed message: uvarint length prefix, then the bytes."""
    return encode_uvarint(len(message)) + message


def decode_frames(buffer: bytearray) -> list[bytes]:
    """Remove and return every complete message at the start of ``buffer``; a partial one stays."""
    messages: list[bytes] = []
    view = memoryview(buffer)
    start = 0
    try:
        while True:
            parsed = _parse_length(view, start)
            if parsed is None:
                break
            length, header = parsed
            if len(buffer) < start + header + length:
                break
            messages.append(bytes(view[start + header:start + header + length]))
            start += header + length
    finally:
        view.release()
    del buffer[:start]  # once per read, not once per message
    return messages


def _parse_length(buffer: memoryview, start: int = 0) -> tuple[int, int] | None:
    """(message length, prefix length) if the whole prefix starting at ``start`` is in ``buffer``, else None."""
    value = shift = 0
    for index in range(len(buffer) - start):
        byte = buffer[start + index]
        if index >= 10:
            raise FramingError("length prefix longer than 10 bytes")
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            if value > MAX_MESSAGE_BYTES:
                raise FramingError(f"message of {value} bytes exceeds {MAX_MESSAGE_BYTES}")
            return value, index + 1
        shift += 7
    return None
