"""Framing: unsigned varint length prefix (CometBFT v0.37+ libs/protoio), as the Go side writes it."""
from __future__ import annotations

import pytest

from suretychain.node.abci import surety_abci_pb2 as pb
from suretychain.node.abci.framing import FramingError, decode_frames, encode_frame, encode_uvarint


def test_uvarint_matches_go_binary_put_uvarint():
    # Go: binary.PutUvarint(buf, v) for these values
    assert encode_uvarint(0) == b"\x00"
    assert encode_uvarint(1) == b"\x01"
    assert encode_uvarint(127) == b"\x7f"
    assert encode_uvarint(128) == b"\x80\x01"
    assert encode_uvarint(300) == b"\xac\x02"
    assert encode_uvarint(2**31 - 1) == b"\xff\xff\xff\xff\x07"


def test_not_zigzag():
    # v0.34's signed varint would write 2 as b"\x04"; 0.38 writes b"\x02"
    assert encode_frame(b"ab")[:1] == b"\x02"


def test_echo_request_bytes_are_the_go_encoding():
    # Request{echo: RequestEcho{message: "hi"}}: field 1 (len) -> field 1 (string "hi")
    raw = pb.Request(echo=pb.EchoRequest(message="hi")).SerializeToString()
    assert raw == b"\x0a\x04\x0a\x02hi"
    assert encode_frame(raw) == b"\x06" + raw
    # Response.flush is field 3; Response.exception is field 1
    assert pb.Response(flush=pb.FlushResponse()).SerializeToString() == b"\x1a\x00"
    assert pb.Response(exception=pb.ExceptionResponse(error="x")).SerializeToString() == b"\x0a\x03\x0a\x01x"


def test_decode_frames_keeps_partial_messages():
    a, b = b"first", b"x" * 200
    stream = encode_frame(a) + encode_frame(b)
    buffer = bytearray()
    got = []
    for i in range(len(stream)):  # byte by byte
        buffer.append(stream[i])
        got.extend(decode_frames(buffer))
    assert got == [a, b] and not buffer


def test_empty_message_frame():
    buffer = bytearray(b"\x00\x00")
    assert decode_frames(buffer) == [b"", b""]


def test_oversized_prefix_is_rejected():
    with pytest.raises(FramingError):
        decode_frames(bytearray(b"\xff" * 11))
    with pytest.raises(FramingError):
        decode_frames(bytearray(encode_uvarint(2**31)))
