"""Random bytes never crash the decoder: only coded errors come out."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from suretychain.core.errors import SuretyError
from support import make_chain, make_send

CHAIN = make_chain()
VALID = CHAIN.sign("alice", make_send(CHAIN, "alice", "bob", 1))


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2048))
def test_random_bytes_give_coded_errors(data):
    try:
        CHAIN.app.decode_tx(data)
    except SuretyError as exc:
        assert exc.codespace == "sdk" and exc.code in (2, 21, 42)


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=len(VALID) - 1), st.integers(min_value=0, max_value=255))
def test_mutated_valid_tx_never_crashes(position, byte):
    data = bytearray(VALID)
    data[position] = byte
    result = CHAIN.app.check_tx(bytes(data))
    assert result.code == 0 or result.codespace in ("sdk", "bank")
    CHAIN.app.reset_check_state()
