"""A validator's consensus and VRF keys on disk, for ``surety tx staking create-validator``.

``generate_validator_keys`` writes a fresh pair to a new file (mode 0600)::

    {"name": ..., "consensus_seed": hex, "consensus_pubkey": hex, "vrf_seed": hex, "vrf_pubkey": hex, "WARNING": ...}

``read_validator_pubkeys`` reads the public keys from such a file, from a devnet home's ``validators/<name>.json``
(seeds only), or from CometBFT's ``priv_validator_key.json`` (``pub_key.value``, base64; no VRF key). Only the file
formats are handled here: whether a key is acceptable is the chain's to say.
"""
from __future__ import annotations

import base64
import binascii
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from suretychain.client.keyring import KeyringError
from suretychain.core import vrf
from suretychain.core.crypto import PrivateKey

KEYS_DIR = "validator_keys"
WARNING = "validator consensus and VRF secret keys: whoever reads this file can sign (and double-sign) as the validator"


class ValidatorKeyError(KeyringError):
    """A validator key file is missing, unreadable or of an unknown format; the message says which and why."""


@dataclass(frozen=True)
class ValidatorPubKeys:
    """The public keys a ``MsgCreateValidator`` carries (``vrf`` is None when the file has no VRF key)."""

    consensus: bytes
    vrf: bytes | None


def compute_keys_path(home: Path, name: str) -> Path:
    """Where ``--generate-keys`` writes the keys of the validator run by key ``name``."""
    return Path(home) / KEYS_DIR / f"{name}.json"


def generate_validator_keys(path: Path, name: str) -> ValidatorPubKeys:
    """Write a fresh consensus and VRF key pair to the new file ``path``; never overwrites an existing file."""
    consensus, vrf_seed = PrivateKey.generate(), PrivateKey.generate().seed
    keys = ValidatorPubKeys(consensus=consensus.public_key.raw, vrf=vrf.public_key(vrf_seed))
    record = {"name": name, "consensus_seed": consensus.seed.hex(), "consensus_pubkey": keys.consensus.hex(),
              "vrf_seed": vrf_seed.hex(), "vrf_pubkey": keys.vrf.hex(), "WARNING": WARNING}  # type: ignore[union-attr]
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise ValidatorKeyError(f"{path} already exists: pass it with --consensus-key-file, or move it away") from None
    with os.fdopen(fd, "w") as handle:
        handle.write(json.dumps(record, indent=2) + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    return keys


def read_validator_pubkeys(path: Path) -> ValidatorPubKeys:
    """The consensus public key (and the VRF public key, if present) of a validator key file."""
    try:
        record = json.loads(Path(path).read_text())
    except (OSError, ValueError) as exc:
        raise ValidatorKeyError(f"cannot read validator key file {path}: {exc}") from None
    if not isinstance(record, dict):
        raise ValidatorKeyError(f"validator key file {path} is not a JSON object")
    consensus = _public_key(record, "consensus") or _cometbft_public_key(record)
    if consensus is None:
        raise ValidatorKeyError(f"validator key file {path} has no consensus key (consensus_pubkey, consensus_seed "
                                "or CometBFT pub_key)")
    return ValidatorPubKeys(consensus=consensus, vrf=_public_key(record, "vrf"))


def _public_key(record: dict[str, Any], role: str) -> bytes | None:
    """``<role>_pubkey`` (hex), else the public key of ``<role>_seed`` (hex)."""
    if f"{role}_pubkey" in record:
        return _hex(record[f"{role}_pubkey"], f"{role}_pubkey")
    if f"{role}_seed" in record:
        seed = _hex(record[f"{role}_seed"], f"{role}_seed")
        try:
            return PrivateKey.from_seed(seed).public_key.raw
        except ValueError as exc:
            raise ValidatorKeyError(f"{role}_seed: {exc}") from None
    return None


def _cometbft_public_key(record: dict[str, Any]) -> bytes | None:
    """``pub_key.value`` (base64) of CometBFT's ``priv_validator_key.json``."""
    pub_key = record.get("pub_key")
    if not isinstance(pub_key, dict) or not isinstance(pub_key.get("value"), str):
        return None
    try:
        return base64.b64decode(pub_key["value"], validate=True)
    except (binascii.Error, ValueError):
        raise ValidatorKeyError("pub_key.value is not base64") from None


def _hex(value: Any, field: str) -> bytes:
    try:
        return bytes.fromhex(value)
    except (TypeError, ValueError):
        raise ValidatorKeyError(f"{field} is not hex") from None
