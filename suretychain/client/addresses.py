"""Addresses as people type them: bech32 (``sure1...``, ``surevaloper1...``) or the name of a key in the keyring.

A key's operator address is its account address under the ``surevaloper`` prefix (the same 20 bytes), so a
validator run by key ``validator0`` may be named ``validator0``. Text that is neither a key name nor a valid address
raises the chain's coded ``ErrInvalidAddress`` (``sdk/7``), exactly as the node would.
"""
from __future__ import annotations

from typing import TypeVar

from suretychain.client.keyring import KEY_NAME_PATTERN, Keyring, KeyringError
from suretychain.core.encoding import Address, ValAddress, parse_address

A = TypeVar("A", bound=Address)


def resolve_address(text: str, keyring: Keyring | None = None,
                    kind: type[A] = Address) -> A:  # type: ignore[assignment]
    """``text`` as an address of ``kind``: bech32 with ``kind``'s prefix, or the address of the key named ``text``."""
    if not text.startswith(f"{kind.HRP}1") and keyring is not None and KEY_NAME_PATTERN.fullmatch(text):
        try:
            return kind.from_raw(Address(keyring.show(text).address).raw)  # type: ignore[return-value]
        except KeyringError:
            pass  # not a key here: report it as the malformed address it then is
    return parse_address(text, kind)  # type: ignore[return-value]


def resolve_validator(text: str, keyring: Keyring | None = None) -> ValAddress:
    """A validator's operator address (``surevaloper1...``), or that of the key named ``text``."""
    return resolve_address(text, keyring, ValAddress)
