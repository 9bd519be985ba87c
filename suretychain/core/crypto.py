"""Keys and addresses: ed25519 signatures (PyNaCl) and bech32 account addresses.

An account address is the first 20 bytes of sha256(public key). Its text form is bech32 (the
original BIP-173 checksum, not bech32m) with the prefix ``sure`` for accounts and ``surevaloper``
for validator operators. ``encode_address`` always writes lowercase, and ``decode_address``
accepts lowercase only, so every address has exactly one text form (BIP-173 would also accept an
all-uppercase string; we do not, because addresses are also used as text keys).

Module accounts (``module_address``) are derived from a name and have no private key.
"""

from __future__ import annotations

import functools
import hashlib
import hmac

import bech32
import nacl.exceptions
import nacl.signing

ACCOUNT_HRP = "sure"
VALOPER_HRP = "surevaloper"

SEED_LENGTH = 32
PUBLIC_KEY_LENGTH = 32
SIGNATURE_LENGTH = 64
ADDRESS_LENGTH = 20
MODULE_ADDRESS_DOMAIN = b"surety-module:"

BECH32_MAX_LENGTH = 90  # BIP-173 limit on the whole string
BECH32_CHECKSUM_LENGTH = 6
BECH32_CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"


# Keys


class PublicKey:
    """An ed25519 public key: 32 raw bytes."""

    __slots__ = ("_raw",)

    def __init__(self, raw: bytes) -> None:
        if not isinstance(raw, bytes):
            raise TypeError(f"public key must be bytes, got {type(raw).__name__}")
        if len(raw) != PUBLIC_KEY_LENGTH:
            raise ValueError(f"public key must be {PUBLIC_KEY_LENGTH} bytes, got {len(raw)}")
        self._raw = raw

    @property
    def raw(self) -> bytes:
        """The 32 raw bytes of the key."""
        return self._raw

    @property
    def address(self) -> bytes:
        """The 20-byte account address of this key."""
        return address_of(self._raw)

    def verify(self, msg: bytes, sig: bytes) -> bool:
        """Check if ``sig`` is a valid signature of ``msg`` by this key; never raises on bad input."""
        if not isinstance(msg, bytes) or not isinstance(sig, bytes) or len(sig) != SIGNATURE_LENGTH:
            return False
        try:
            nacl.signing.VerifyKey(self._raw).verify(msg, sig)
        except (nacl.exceptions.CryptoError, ValueError, TypeError):
            return False
        return True

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PublicKey) and self._raw == other._raw

    def __hash__(self) -> int:
        return hash(self._raw)

    def __repr__(self) -> str:
        return f"PublicKey({self._raw.hex()})"


class PrivateKey:
    """An ed25519 signing key, made from a 32-byte seed."""

    __slots__ = ("_signing_key",)

    def __init__(self, signing_key: nacl.signing.SigningKey) -> None:
        if not isinstance(signing_key, nacl.signing.SigningKey):
            raise TypeError("use PrivateKey.from_seed or PrivateKey.generate")
        self._signing_key = signing_key

    @classmethod
    def from_seed(cls, seed: bytes) -> PrivateKey:
        """Return the key for a 32-byte seed."""
        if not isinstance(seed, bytes):
            raise TypeError(f"seed must be bytes, got {type(seed).__name__}")
        if len(seed) != SEED_LENGTH:
            raise ValueError(f"seed must be {SEED_LENGTH} bytes, got {len(seed)}")
        return cls(nacl.signing.SigningKey(seed))

    @classmethod
    def generate(cls) -> PrivateKey:
        """Return a fresh random key (operating-system randomness; never call this inside a rule)."""
        return cls(nacl.signing.SigningKey.generate())

    @property
    def seed(self) -> bytes:
        """The 32-byte seed; keep it secret."""
        return bytes(self._signing_key)

    @property
    def public_key(self) -> PublicKey:
        """The matching public key."""
        return PublicKey(bytes(self._signing_key.verify_key))

    def sign(self, msg: bytes) -> bytes:
        """Return the 64-byte detached signature of ``msg``."""
        if not isinstance(msg, bytes):
            raise TypeError(f"message must be bytes, got {type(msg).__name__}")
        return self._signing_key.sign(msg).signature

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PrivateKey) and hmac.compare_digest(self.seed, other.seed)

    def __hash__(self) -> int:
        return hash(self.public_key)

    def __repr__(self) -> str:
        return f"PrivateKey(public_key={self.public_key.raw.hex()})"


# Addresses


def address_of(pubkey_raw: bytes) -> bytes:
    """Return the account address of a public key: the first 20 bytes of sha256(key)."""
    if not isinstance(pubkey_raw, bytes) or len(pubkey_raw) != PUBLIC_KEY_LENGTH:
        raise ValueError(f"public key must be {PUBLIC_KEY_LENGTH} bytes")
    return hashlib.sha256(pubkey_raw).digest()[:ADDRESS_LENGTH]


def module_address(name: str) -> bytes:
    """Return the address of module account ``name``: sha256("surety-module:" + name)[:20]; no key exists."""
    if not isinstance(name, str) or not name:
        raise ValueError("module name must be a non-empty str")
    return _module_address(name)


@functools.lru_cache(maxsize=256)
def _module_address(name: str) -> bytes:
    return hashlib.sha256(MODULE_ADDRESS_DOMAIN + name.encode()).digest()[:ADDRESS_LENGTH]


def encode_address(raw20: bytes, hrp: str = ACCOUNT_HRP) -> str:
    """Return the lowercase bech32 text of a 20-byte address."""
    if not isinstance(raw20, bytes) or len(raw20) != ADDRESS_LENGTH:
        raise ValueError(f"address must be {ADDRESS_LENGTH} bytes")
    words = bech32.convertbits(raw20, 8, 5, True)
    if words is None:  # cannot happen: 8-to-5 bits with padding always converts
        raise ValueError("address could not be converted to bech32 words")
    return bech32.bech32_encode(hrp, words)


def _check_bech32_text(text: str, hrp: str) -> str:
    """Raise ``ValueError`` naming the first thing wrong with the form of ``text``; return its data part."""
    if not isinstance(text, str):
        raise ValueError(f"address must be a str, got {type(text).__name__}")
    if not text:
        raise ValueError("address is empty")
    if len(text) > BECH32_MAX_LENGTH:
        raise ValueError(f"address is longer than {BECH32_MAX_LENGTH} characters")
    if any(ord(c) < 33 or ord(c) > 126 for c in text):
        raise ValueError("address contains characters outside printable ASCII")
    if text.lower() != text:
        kind = "mixed case" if text.upper() != text else "uppercase"
        raise ValueError(f"address is {kind}; addresses are written in lowercase")
    separator = text.rfind("1")
    if separator < 0:
        raise ValueError("address has no '1' separator")
    prefix, data = text[:separator], text[separator + 1 :]
    if prefix != hrp:
        raise ValueError(f"wrong address prefix {prefix!r}, expected {hrp!r}")
    bad = sorted({c for c in data if c not in BECH32_CHARSET})
    if bad:
        raise ValueError(f"address contains non-bech32 characters {''.join(bad)!r}")
    if len(data) < BECH32_CHECKSUM_LENGTH:
        raise ValueError("address is too short to hold a checksum")
    return data


def decode_address(text: str, hrp: str = ACCOUNT_HRP) -> bytes:
    """Return the 20 raw bytes of a bech32 address with prefix ``hrp``; ``ValueError`` says what is wrong."""
    _check_bech32_text(text, hrp)
    decoded_hrp, words = bech32.bech32_decode(text)
    if decoded_hrp is None or words is None:
        raise ValueError("address has a bad checksum")
    raw = bech32.convertbits(words, 5, 8, False)
    if raw is None:
        raise ValueError("address has invalid padding bits")
    if len(raw) != ADDRESS_LENGTH:
        raise ValueError(f"address must hold {ADDRESS_LENGTH} bytes, got {len(raw)}")
    return bytes(raw)


def is_valid_address(text: str, hrp: str = ACCOUNT_HRP) -> bool:
    """Check if ``text`` is a canonical bech32 address with prefix ``hrp``."""
    try:
        decode_address(text, hrp)
    except ValueError:
        return False
    return True
