"""Tests for ``suretychain.core.crypto``: ed25519 keys, address derivation and bech32 addresses."""

import hashlib

import bech32
import pytest
from hypothesis import given
from hypothesis import strategies as st

from suretychain.core.crypto import (
    ACCOUNT_HRP,
    VALOPER_HRP,
    PrivateKey,
    PublicKey,
    address_of,
    decode_address,
    encode_address,
    is_valid_address,
    module_address,
)

SEED = bytes(range(32))
MSG = b"surety test message"


def raw_bech32(hrp: str, payload: bytes) -> str:
    """Encode ``payload`` of any length with the bech32 library, bypassing our length check."""
    return bech32.bech32_encode(hrp, bech32.convertbits(payload, 8, 5, True))


# Keys


def test_sign_and_verify():
    key = PrivateKey.from_seed(SEED)
    sig = key.sign(MSG)
    assert len(sig) == 64
    assert key.public_key.verify(MSG, sig)
    assert len(key.public_key.raw) == 32
    assert key.seed == SEED


def test_signatures_are_deterministic():
    assert PrivateKey.from_seed(SEED).sign(MSG) == PrivateKey.from_seed(SEED).sign(MSG)


def test_rfc8032_test_vector_1():
    # RFC 8032 section 7.1, TEST 1 (empty message)
    seed = bytes.fromhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
    key = PrivateKey.from_seed(seed)
    assert key.public_key.raw.hex() == "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
    assert key.sign(b"").hex() == (
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
        "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
    )


def test_generate_gives_distinct_keys():
    first, second = PrivateKey.generate(), PrivateKey.generate()
    assert first != second
    assert first.public_key.verify(MSG, first.sign(MSG))
    assert not second.public_key.verify(MSG, first.sign(MSG))


def test_key_equality_and_repr_hide_seed():
    key = PrivateKey.from_seed(SEED)
    assert key == PrivateKey.from_seed(SEED)
    assert SEED.hex() not in repr(key)
    assert PublicKey(key.public_key.raw) == key.public_key
    assert hash(PublicKey(key.public_key.raw)) == hash(key.public_key)


def test_invalid_mutated_signature():
    key = PrivateKey.from_seed(SEED)
    sig = key.sign(MSG)
    for index in range(len(sig)):
        mutated = bytearray(sig)
        mutated[index] ^= 0x01
        assert not key.public_key.verify(MSG, bytes(mutated))


def test_invalid_mutated_message():
    key = PrivateKey.from_seed(SEED)
    sig = key.sign(MSG)
    assert not key.public_key.verify(MSG + b"!", sig)
    assert not key.public_key.verify(MSG[:-1], sig)
    assert not key.public_key.verify(b"", sig)


def test_invalid_other_key():
    sig = PrivateKey.from_seed(SEED).sign(MSG)
    other = PrivateKey.from_seed(bytes(32)).public_key
    assert not other.verify(MSG, sig)
    raw = bytearray(PrivateKey.from_seed(SEED).public_key.raw)
    raw[0] ^= 0x01
    assert not PublicKey(bytes(raw)).verify(MSG, sig)


@pytest.mark.parametrize("sig", [b"", b"\x00" * 63, b"\x00" * 65, b"\x00" * 64, b"\xff" * 64, "x" * 64, None, 64])
def test_invalid_signature_inputs_return_false(sig):
    assert PrivateKey.from_seed(SEED).public_key.verify(MSG, sig) is False


@pytest.mark.parametrize("msg", [None, "text", 5, bytearray(b"x")])
def test_invalid_message_inputs_return_false(msg):
    key = PrivateKey.from_seed(SEED)
    assert key.public_key.verify(msg, key.sign(MSG)) is False


def test_invalid_public_key_bytes_return_false():
    # Not a valid curve point / small-order points: verification fails, never raises
    for raw in (b"\xff" * 32, bytes(32), b"\x01" + bytes(31)):
        assert PublicKey(raw).verify(MSG, PrivateKey.from_seed(SEED).sign(MSG)) is False


@pytest.mark.parametrize("seed", [b"", bytes(31), bytes(33)])
def test_invalid_seed_length(seed):
    with pytest.raises(ValueError):
        PrivateKey.from_seed(seed)


def test_invalid_key_types():
    with pytest.raises(TypeError):
        PrivateKey.from_seed("00" * 32)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        PublicKey("00" * 16)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        PublicKey(bytes(31))
    with pytest.raises(TypeError):
        PrivateKey.from_seed(SEED).sign("text")  # type: ignore[arg-type]


# Address derivation


def test_address_of_is_sha256_prefix():
    public = PrivateKey.from_seed(SEED).public_key
    assert address_of(public.raw) == hashlib.sha256(public.raw).digest()[:20]
    assert public.address == address_of(public.raw)
    assert len(address_of(public.raw)) == 20


def test_invalid_address_of_input():
    with pytest.raises(ValueError):
        address_of(bytes(20))


def test_module_address():
    assert module_address("insurance") == hashlib.sha256(b"surety-module:insurance").digest()[:20]
    assert module_address("insurance") != module_address("staking")
    with pytest.raises(ValueError):
        module_address("")


def test_golden_address():
    # Pinned: seed 00..1f -> this address. Changing it changes every account on every network.
    public = PrivateKey.from_seed(SEED).public_key
    assert public.raw.hex() == "03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8"
    assert encode_address(public.address) == "sure12er44f65vdr5cq59mawm7272ku76v5f44f29k6"


# bech32


@given(st.binary(min_size=20, max_size=20))
def test_bech32_round_trip(raw):
    for hrp in (ACCOUNT_HRP, VALOPER_HRP):
        text = encode_address(raw, hrp)
        assert text.startswith(hrp + "1")
        assert text == text.lower()
        assert decode_address(text, hrp) == raw
        assert is_valid_address(text, hrp)


def test_prefixes_are_not_interchangeable():
    raw = bytes(range(20))
    account, valoper = encode_address(raw), encode_address(raw, VALOPER_HRP)
    assert account.startswith("sure1") and valoper.startswith("surevaloper1")
    with pytest.raises(ValueError, match="prefix"):
        decode_address(valoper)
    with pytest.raises(ValueError, match="prefix"):
        decode_address(account, VALOPER_HRP)
    assert not is_valid_address(valoper)


def test_invalid_encode_length():
    for raw in (bytes(19), bytes(21), b""):
        with pytest.raises(ValueError):
            encode_address(raw)


VALID = encode_address(bytes(range(20)))


def _flip_checksum(text: str) -> str:
    """Change the last character to another bech32 character."""
    return text[:-1] + ("q" if text[-1] != "q" else "p")


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "empty"),
        (_flip_checksum(VALID), "checksum"),
        (VALID[:8] + ("q" if VALID[8] != "q" else "p") + VALID[9:], "checksum"),
        (VALID[:-1], "checksum"),
        (VALID.upper(), "uppercase"),
        (VALID[:6] + VALID[6].upper() + VALID[7:], "mixed case"),
        ("cosmos" + VALID[4:], "prefix"),
        ("sure" + VALID[4:].replace("1", "", 1), "separator|prefix"),
        (VALID.replace("1", "1b", 1), "non-bech32"),  # 'b' is not in the charset
        (VALID[:10] + "i" + VALID[11:], "non-bech32"),
        (VALID[:10] + "o" + VALID[11:], "non-bech32"),
        (VALID + " ", "printable"),
        (" " + VALID, "printable"),
        (VALID[:10] + "é" + VALID[11:], "printable"),
        ("sure1", "short"),
        ("sure1qqqq", "short"),
        ("sure1" + "q" * 100, "longer"),
        (raw_bech32("sure", bytes(19)), "20 bytes"),
        (raw_bech32("sure", bytes(21)), "20 bytes"),
        (raw_bech32("sure", bytes(32)), "20 bytes"),
        (raw_bech32("sure", b""), "20 bytes"),
        ("noseparator", "separator"),
    ],
)
def test_invalid_addresses(text, message):
    with pytest.raises(ValueError, match=message):
        decode_address(text)
    assert not is_valid_address(text)


def test_invalid_padding_bits():
    # 20 bytes = 160 bits = 32 five-bit words exactly; one extra word leaves 5 stray bits, nonzero padding
    words = bech32.convertbits(bytes(20), 8, 5, True) + [1]
    with pytest.raises(ValueError):
        decode_address(bech32.bech32_encode("sure", words))


def test_invalid_non_str_address():
    for value in (None, b"sure1...", 5):
        with pytest.raises(ValueError):
            decode_address(value)  # type: ignore[arg-type]
        assert not is_valid_address(value)  # type: ignore[arg-type]


@given(st.text(max_size=120))
def test_property_decode_only_raises_value_error(text):
    try:
        decode_address(text)
    except ValueError:
        pass


@given(st.text(alphabet="qpzry9x8gf2tvdw0s3jn54khce6mua7l1SUREQP", max_size=60))
def test_property_decode_near_miss_strings(text):
    for candidate in (text, "sure1" + text):
        try:
            raw = decode_address(candidate)
        except ValueError:
            continue
        assert encode_address(raw) == candidate
