"""User keys: BIP-39 mnemonics, SLIP-0010 ed25519 derivation and an on-disk keyring.

Derivation: mnemonic (+ optional BIP-39 passphrase) -> 64-byte BIP-39 seed -> SLIP-0010 ed25519
master key -> hardened children along ``DEFAULT_HD_PATH`` -> 32-byte ed25519 seed.

Keyring layout: ``<home>/keys/<name>.json`` (directory 0700, files 0600, written atomically).
Each file holds the name, bech32 address and hex public key, plus the 32-byte ed25519 seed:
- backend ``"file"``: sealed with ``nacl.secret.SecretBox`` under a key stretched from the
  passphrase by argon2id (random salt; opslimit, memlimit and salt are stored in the file);
- backend ``"test"``: in clear text under ``"seed_unencrypted"`` (tests and devnets only).
The mnemonic itself is never stored: ``add`` returns it once.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import hashlib
import hmac
import json
import os
import re
import tempfile
import unicodedata
from pathlib import Path
from typing import Any

import nacl.exceptions
import nacl.pwhash
import nacl.secret
import nacl.utils
from mnemonic import Mnemonic

from suretychain.core.crypto import PrivateKey, encode_address

DEFAULT_HD_PATH = "m/44'/118'/0'/0'/0'"
HARDENED_OFFSET = 2**31
SLIP10_ED25519_KEY = b"ed25519 seed"
MNEMONIC_WORD_COUNTS = (12, 15, 18, 21, 24)
BACKENDS = ("file", "test")
FILE_VERSION = 1
KEY_NAME_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}", re.ASCII)
ARMOR_BEGIN = "-----BEGIN SURETY PRIVATE KEY-----"
ARMOR_END = "-----END SURETY PRIVATE KEY-----"
ARMOR_LINE_LENGTH = 64


class KeyringError(Exception):
    """A keyring operation failed; the message says why and is safe to show to the user."""


@dataclasses.dataclass(frozen=True)
class KdfLimits:
    """argon2id cost: ``opslimit`` passes over ``memlimit`` bytes."""

    opslimit: int
    memlimit: int


KDF_MIN = KdfLimits(nacl.pwhash.argon2id.OPSLIMIT_MIN, nacl.pwhash.argon2id.MEMLIMIT_MIN)  # tests only
KDF_INTERACTIVE = KdfLimits(nacl.pwhash.argon2id.OPSLIMIT_INTERACTIVE, nacl.pwhash.argon2id.MEMLIMIT_INTERACTIVE)
KDF_MODERATE = KdfLimits(nacl.pwhash.argon2id.OPSLIMIT_MODERATE, nacl.pwhash.argon2id.MEMLIMIT_MODERATE)
KDF_MAX = KdfLimits(nacl.pwhash.argon2id.OPSLIMIT_SENSITIVE, nacl.pwhash.argon2id.MEMLIMIT_SENSITIVE)


@dataclasses.dataclass(frozen=True)
class KeyInfo:
    """What the keyring shows about a key without a passphrase."""

    name: str
    address: str  # bech32, prefix "sure"
    public_key: str  # hex of the 32 raw bytes


# BIP-39


def normalize_mnemonic(mnemonic: str) -> str:
    """Return ``mnemonic`` lowercased with single spaces between words."""
    return " ".join(mnemonic.lower().split())


def is_valid_mnemonic(mnemonic: str) -> bool:
    """Check if ``mnemonic`` is an English BIP-39 phrase with a correct checksum."""
    words = normalize_mnemonic(mnemonic)
    if len(words.split()) not in MNEMONIC_WORD_COUNTS:
        return False
    try:
        return bool(Mnemonic("english").check(words))
    except (ValueError, LookupError):
        return False


def generate_mnemonic(words: int = 24) -> str:
    """Return a fresh English BIP-39 mnemonic of ``words`` words (12, 15, 18, 21 or 24)."""
    if words not in MNEMONIC_WORD_COUNTS:
        raise KeyringError(f"a mnemonic has 12, 15, 18, 21 or 24 words, not {words}")
    return Mnemonic("english").generate(strength=words * 32 // 3)


def compute_bip39_seed(mnemonic: str, bip39_passphrase: str = "") -> bytes:
    """Return the 64-byte BIP-39 seed of a checked mnemonic; ``KeyringError`` on a bad checksum."""
    if not is_valid_mnemonic(mnemonic):
        raise KeyringError("invalid mnemonic: unknown word, wrong word count or bad checksum")
    return Mnemonic.to_seed(normalize_mnemonic(mnemonic), passphrase=bip39_passphrase)


# SLIP-0010 (ed25519: hardened derivation only)


def compute_slip10_master(seed: bytes) -> tuple[bytes, bytes]:
    """Return the SLIP-0010 ed25519 master (private key, chain code) of a seed."""
    digest = hmac.new(SLIP10_ED25519_KEY, seed, hashlib.sha512).digest()
    return digest[:32], digest[32:]


def compute_slip10_child(key: bytes, chain_code: bytes, index: int) -> tuple[bytes, bytes]:
    """Return the hardened child (private key, chain code) at ``index`` (which includes 2^31)."""
    if not HARDENED_OFFSET <= index < 2**32:
        raise KeyringError(f"ed25519 derivation supports hardened indexes only, got {index}")
    data = b"\x00" + key + index.to_bytes(4, "big")
    digest = hmac.new(chain_code, data, hashlib.sha512).digest()
    return digest[:32], digest[32:]


def parse_hd_path(path: str) -> list[int]:
    """Return the indexes of a path like ``m/44'/118'/0'/0'/0'``; every step must be hardened."""
    parts = path.split("/")
    if parts[0] != "m":
        raise KeyringError(f"invalid HD path {path!r}: must start with 'm'")
    indexes = []
    for part in parts[1:]:
        if re.fullmatch(r"[0-9]{1,10}['hH]", part, re.ASCII) is None:
            raise KeyringError(f"invalid HD path {path!r}: step {part!r} is not a hardened index like 44'")
        number = int(part[:-1])
        if number >= HARDENED_OFFSET:
            raise KeyringError(f"invalid HD path {path!r}: index {number} is too large")
        indexes.append(number + HARDENED_OFFSET)
    return indexes


def derive_slip10_ed25519(seed: bytes, path: str) -> bytes:
    """Return the 32-byte ed25519 private key (seed) at ``path`` under SLIP-0010."""
    key, chain_code = compute_slip10_master(seed)
    for index in parse_hd_path(path):
        key, chain_code = compute_slip10_child(key, chain_code, index)
    return key


def mnemonic_to_private_key(mnemonic: str, bip39_passphrase: str = "", hd_path: str = DEFAULT_HD_PATH) -> PrivateKey:
    """Return the key a mnemonic derives to (BIP-39 seed, then SLIP-0010 along ``hd_path``)."""
    seed = compute_bip39_seed(mnemonic, bip39_passphrase)
    return PrivateKey.from_seed(derive_slip10_ed25519(seed, hd_path))


def compute_key_info(name: str, key: PrivateKey) -> KeyInfo:
    """Return the public description of ``key`` under ``name``."""
    public = key.public_key
    return KeyInfo(name=name, address=encode_address(public.address), public_key=public.raw.hex())


# Sealing a seed with a passphrase


def _passphrase_bytes(passphrase: str | None, what: str) -> bytes:
    """Return the NFKD UTF-8 bytes of a non-empty passphrase, else raise ``KeyringError``."""
    if not isinstance(passphrase, str) or not passphrase:
        raise KeyringError(f"{what} is required and must not be empty")
    return unicodedata.normalize("NFKD", passphrase).encode()


def _check_kdf_limits(limits: KdfLimits) -> KdfLimits:
    """Return ``limits`` if they lie between libsodium's minimum and the SENSITIVE level."""
    ops_ok = KDF_MIN.opslimit <= limits.opslimit <= KDF_MAX.opslimit
    mem_ok = KDF_MIN.memlimit <= limits.memlimit <= KDF_MAX.memlimit
    if not (ops_ok and mem_ok):
        raise KeyringError(f"argon2id limits out of range: {limits}")
    return limits


def _box_for(passphrase: bytes, salt: bytes, limits: KdfLimits) -> nacl.secret.SecretBox:
    """Return the SecretBox keyed by argon2id(passphrase, salt, limits)."""
    key = nacl.pwhash.argon2id.kdf(
        nacl.secret.SecretBox.KEY_SIZE, passphrase, salt, opslimit=limits.opslimit, memlimit=limits.memlimit
    )
    return nacl.secret.SecretBox(key)


def seal_seed(seed: bytes, passphrase: str | None, limits: KdfLimits, what: str = "passphrase") -> dict[str, Any]:
    """Return a JSON-ready record of ``seed`` encrypted under ``passphrase`` (argon2id + SecretBox)."""
    secret = _passphrase_bytes(passphrase, what)
    salt = nacl.utils.random(nacl.pwhash.argon2id.SALTBYTES)
    sealed = _box_for(secret, salt, _check_kdf_limits(limits)).encrypt(seed)
    return {
        "kdf": "argon2id",
        "opslimit": limits.opslimit,
        "memlimit": limits.memlimit,
        "salt": salt.hex(),
        "secretbox": bytes(sealed).hex(),  # nonce || ciphertext || tag
    }


def open_seed(record: dict[str, Any], passphrase: str | None, what: str = "passphrase") -> bytes:
    """Return the seed in a record made by ``seal_seed``; ``KeyringError`` if the passphrase is wrong."""
    secret = _passphrase_bytes(passphrase, what)
    try:
        if record["kdf"] != "argon2id":
            raise KeyringError(f"unsupported key derivation {record['kdf']!r}")
        limits = _check_kdf_limits(KdfLimits(int(record["opslimit"]), int(record["memlimit"])))
        salt = bytes.fromhex(record["salt"])
        sealed = bytes.fromhex(record["secretbox"])
    except (KeyError, TypeError, ValueError) as exc:
        raise KeyringError(f"malformed encrypted key record: {exc}") from None
    if len(salt) != nacl.pwhash.argon2id.SALTBYTES:
        raise KeyringError("malformed encrypted key record: bad salt length")
    try:
        return _box_for(secret, salt, limits).decrypt(sealed)
    except nacl.exceptions.CryptoError:
        raise KeyringError(f"wrong {what}") from None


# Armor (export format)


def armor(document: dict[str, Any]) -> str:
    """Return ``document`` as base64 JSON between BEGIN/END lines."""
    body = base64.b64encode(json.dumps(document, sort_keys=True).encode()).decode()
    lines = [body[i : i + ARMOR_LINE_LENGTH] for i in range(0, len(body), ARMOR_LINE_LENGTH)]
    return "\n".join([ARMOR_BEGIN, *lines, ARMOR_END]) + "\n"


def unarmor(text: str) -> dict[str, Any]:
    """Return the JSON document inside an armored string; ``KeyringError`` if it is malformed."""
    lines = [line.strip() for line in text.strip().splitlines()] if isinstance(text, str) else []
    if len(lines) < 3 or lines[0] != ARMOR_BEGIN or lines[-1] != ARMOR_END:
        raise KeyringError("malformed armored key: missing BEGIN/END lines")
    try:
        document = json.loads(base64.b64decode("".join(lines[1:-1]), validate=True))
    except (binascii.Error, ValueError) as exc:
        raise KeyringError(f"malformed armored key: {exc}") from None
    if not isinstance(document, dict) or document.get("type") != "surety-private-key":
        raise KeyringError("malformed armored key: not a Surety private key")
    return document


# Files


def write_private_file(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically with mode 0600 (temp file in the same directory, then rename)."""
    fd, temp_name = tempfile.mkstemp(prefix=".tmp-", suffix=".json", dir=path.parent)
    try:
        os.chmod(temp_name, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    fsync_directory(path.parent)


def fsync_directory(directory: Path) -> None:
    """Flush a directory entry change to disk where the platform allows it."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _key_matching(seed: bytes, public_key_hex: object, source: str) -> PrivateKey:
    """Return the key of ``seed`` if its public key is ``public_key_hex``; else ``source`` is corrupt."""
    if len(seed) != 32:
        raise KeyringError(f"{source} is corrupt: seed is not 32 bytes")
    key = PrivateKey.from_seed(seed)
    if key.public_key.raw.hex() != public_key_hex:
        raise KeyringError(f"{source} is corrupt: seed does not match public key")
    return key


class Keyring:
    """Named ed25519 keys under ``<home>/keys``; backend ``"file"`` (encrypted) or ``"test"`` (clear)."""

    def __init__(self, home: Path | str, backend: str = "file", *, kdf: KdfLimits = KDF_MODERATE) -> None:
        if backend not in BACKENDS:
            raise KeyringError(f"unknown keyring backend {backend!r}; expected one of {', '.join(BACKENDS)}")
        self.home = Path(home)
        self.backend = backend
        self.kdf = _check_kdf_limits(kdf)
        self.keys_dir = self.home / "keys"

    # Public API

    def add(
        self,
        name: str,
        passphrase: str | None = None,
        words: int = 24,
        *,
        bip39_passphrase: str = "",
        hd_path: str = DEFAULT_HD_PATH,
    ) -> tuple[KeyInfo, str]:
        """Create a key from a fresh mnemonic; return its info and the mnemonic (shown once, never stored)."""
        self._require_new_name(name)
        phrase = generate_mnemonic(words)
        key = mnemonic_to_private_key(phrase, bip39_passphrase, hd_path)
        return self._store(name, key, passphrase), phrase

    def recover(
        self,
        name: str,
        mnemonic: str,
        passphrase: str | None = None,
        *,
        bip39_passphrase: str = "",
        hd_path: str = DEFAULT_HD_PATH,
    ) -> KeyInfo:
        """Store the key derived from an existing mnemonic under ``name``."""
        self._require_new_name(name)
        key = mnemonic_to_private_key(mnemonic, bip39_passphrase, hd_path)
        return self._store(name, key, passphrase)

    def list(self) -> list[KeyInfo]:
        """Return every key's info, sorted by name."""
        if not self.keys_dir.is_dir():
            return []
        names = [p.stem for p in self.keys_dir.glob("*.json") if KEY_NAME_PATTERN.fullmatch(p.stem)]
        return [self.show(name) for name in sorted(names)]

    def show(self, name: str) -> KeyInfo:
        """Return the info of key ``name``."""
        record = self._read(name)
        return KeyInfo(name=record["name"], address=record["address"], public_key=record["public_key"])

    def load_private_key(self, name: str, passphrase: str | None = None) -> PrivateKey:
        """Return the private key ``name``, decrypting it with ``passphrase`` on the file backend."""
        record = self._read(name)
        if self.backend == "test":
            seed = self._test_seed(record)
        elif isinstance(record.get("seed"), dict):
            seed = open_seed(record["seed"], passphrase, f"passphrase for key {name!r}")
        else:
            raise KeyringError(f"key file for {name!r} has no encrypted seed")
        return _key_matching(seed, record["public_key"], f"key file for {name!r}")

    def export(self, name: str, passphrase: str | None, export_passphrase: str) -> str:
        """Return key ``name`` as an armored document encrypted under ``export_passphrase``."""
        key = self.load_private_key(name, passphrase)
        document = {
            "type": "surety-private-key",
            "version": FILE_VERSION,
            "name": name,
            "public_key": key.public_key.raw.hex(),
            "seed": seal_seed(key.seed, export_passphrase, self.kdf, "export passphrase"),
        }
        return armor(document)

    def import_(self, name: str, armored: str, export_passphrase: str, passphrase: str | None = None) -> KeyInfo:
        """Store the key in an armored export under ``name``."""
        self._require_new_name(name)
        document = unarmor(armored)
        if not isinstance(document.get("seed"), dict):
            raise KeyringError("malformed armored key: no encrypted seed")
        seed = open_seed(document["seed"], export_passphrase, "export passphrase")
        key = _key_matching(seed, document.get("public_key"), "armored key")
        return self._store(name, key, passphrase)

    def delete(self, name: str) -> None:
        """Remove key ``name`` from the keyring."""
        path = self._existing_path(name)
        path.unlink()
        fsync_directory(path.parent)

    # Helpers

    def _path(self, name: str) -> Path:
        """Return the file of key ``name``; ``KeyringError`` if the name could escape the directory."""
        if not isinstance(name, str) or KEY_NAME_PATTERN.fullmatch(name) is None:
            raise KeyringError(
                f"invalid key name {name!r}: use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit"
            )
        return self.keys_dir / f"{name}.json"

    def _existing_path(self, name: str) -> Path:
        """Return the file of key ``name``; ``KeyringError`` if there is no such key."""
        path = self._path(name)
        if not path.is_file():
            raise KeyringError(f"no key named {name!r} in {self.keys_dir}")
        return path

    def _require_new_name(self, name: str) -> None:
        """Raise ``KeyringError`` if ``name`` is invalid or already taken."""
        if self._path(name).exists():
            raise KeyringError(f"a key named {name!r} already exists")

    def _ensure_dirs(self) -> None:
        """Create ``home`` and ``home/keys``; the keys directory is always 0700."""
        if not self.home.exists():
            self.home.mkdir(mode=0o700, parents=True)
        self.keys_dir.mkdir(mode=0o700, exist_ok=True)
        os.chmod(self.keys_dir, 0o700)

    def _store(self, name: str, key: PrivateKey, passphrase: str | None) -> KeyInfo:
        """Write the key file for ``key`` under ``name`` and return its info."""
        info = compute_key_info(name, key)
        record: dict[str, Any] = {"version": FILE_VERSION, "backend": self.backend, **dataclasses.asdict(info)}
        if self.backend == "test":
            record["WARNING"] = "UNENCRYPTED TEST KEY: anyone who can read this file controls the account"
            record["seed_unencrypted"] = key.seed.hex()
        else:
            record["seed"] = seal_seed(key.seed, passphrase, self.kdf)
        self._ensure_dirs()
        self._require_new_name(name)
        write_private_file(self._path(name), json.dumps(record, indent=2, sort_keys=True).encode() + b"\n")
        return info

    def _read(self, name: str) -> dict[str, Any]:
        """Return the parsed key file of ``name``, checked for its backend and public fields."""
        path = self._existing_path(name)
        try:
            record = json.loads(path.read_bytes())
            fields_ok = all(isinstance(record[k], str) for k in ("name", "address", "public_key", "backend"))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise KeyringError(f"key file {path} is unreadable or corrupt: {exc}") from None
        if not fields_ok or record["name"] != name:
            raise KeyringError(f"key file {path} is corrupt")
        if record["backend"] != self.backend:
            raise KeyringError(
                f"key {name!r} belongs to the {record['backend']!r} backend; open the keyring with "
                f"backend={record['backend']!r}"
            )
        return record

    def _test_seed(self, record: dict[str, Any]) -> bytes:
        """Return the clear seed of a test-backend record."""
        try:
            return bytes.fromhex(record["seed_unencrypted"])
        except (KeyError, TypeError, ValueError):
            raise KeyringError(f"key file for {record['name']!r} has no valid test seed") from None
