"""Transactions: a signed body of one or more msgs from one signer.

``Tx = {body, signature}``; the signature is ed25519 over ``sha256(SIGN_DOMAIN || canonical body bytes)``. The body
carries the chain id (no cross-chain replay), the signer's sequence (no replay on this chain), the fee and gas limit,
an optional timeout height and the signer's public key (the address must be its hash). Msgs are kept as raw canonical
bytes inside the body, each a tagged struct (``{"type": "bank/MsgSend", ...}``), and decoded by the App against the
msg types its modules registered. The tx hash is ``sha256`` of the whole tx bytes.
"""
from __future__ import annotations

import hashlib
from typing import Annotated, Any, ClassVar

import msgspec

from suretychain.core.encoding import Address, Amount, Denom, Gas, Height, Record, Sequence, encode
from suretychain.core.events import register_renderer

SIGN_DOMAIN = b"surety/tx-sign/v1\x00"
MAX_MSGS_PER_TX = 64
MAX_MEMO_BYTES_HARD = 1024  # structural bound; the auth param max_memo_characters is the policy bound
MAX_COINS = 16


class Coin(Record):
    """An amount of one denom, in base units."""

    denom: Denom
    amount: Amount

    def __str__(self) -> str:
        return f"{self.amount}{self.denom}"


Coins = Annotated[list[Coin], msgspec.Meta(max_length=MAX_COINS)]
register_renderer(Coin, str)  # event attributes show coins as ``10usrt``


class Fee(Record):
    """What the signer pays for ``gas_limit`` gas, whether or not the msgs succeed."""

    amount: Coins
    gas_limit: Gas


class Msg(Record, tag_field="type"):
    """Base of every msg. Subclasses set ``tag="<module>/Msg<Verb><Noun>"`` and ``SIGNER_FIELD``."""

    SIGNER_FIELD: ClassVar[str] = ""

    def signer(self) -> Address:
        """The account that must sign a tx carrying this msg."""
        return getattr(self, self.SIGNER_FIELD)


class TxBody(Record):
    """The signed part of a tx."""

    chain_id: Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
    msgs: Annotated[list[msgspec.Raw], msgspec.Meta(min_length=1, max_length=MAX_MSGS_PER_TX)]
    memo: Annotated[str, msgspec.Meta(max_length=MAX_MEMO_BYTES_HARD)]
    fee: Fee
    signer: Address
    public_key: Annotated[bytes, msgspec.Meta(min_length=32, max_length=32)]
    sequence: Sequence
    timeout_height: Height = 0


class Tx(Record):
    """A body and the signer's ed25519 signature over its sign bytes."""

    body: TxBody
    signature: Annotated[bytes, msgspec.Meta(min_length=64, max_length=64)]


def compute_sign_bytes(body: TxBody) -> bytes:
    """The 32 bytes a signer signs: a domain-separated hash of the canonical body."""
    hit = _SIGN_BYTES.get(id(body))
    if hit is not None and hit[0] is body:
        return hit[1]
    sign_bytes = hashlib.sha256(SIGN_DOMAIN + encode(body)).digest()
    if len(_SIGN_BYTES) >= SIGN_BYTES_MEMO:
        _SIGN_BYTES.clear()
    _SIGN_BYTES[id(body)] = (body, sign_bytes)
    return sign_bytes


# The App decodes a tx once and hands the same frozen body to the mempool, the proposal and the block, which each
# need its sign bytes: they are remembered per body object (held here, so its id cannot be reused meanwhile).
SIGN_BYTES_MEMO = 50_000
_SIGN_BYTES: dict[int, tuple[TxBody, bytes]] = {}


def compute_tx_hash(tx_bytes: bytes) -> bytes:
    """The tx hash: sha256 of the tx bytes (as CometBFT computes it)."""
    return hashlib.sha256(tx_bytes).digest()


def make_body(
    chain_id: str,
    msgs: list[Msg],
    signer: Address,
    public_key: bytes,
    sequence: int,
    fee: Fee,
    memo: str = "",
    timeout_height: int = 0,
) -> TxBody:
    """Build a body from typed msgs (each encoded to its canonical bytes)."""
    return TxBody(
        chain_id=chain_id,
        msgs=[msgspec.Raw(encode(m)) for m in msgs],
        memo=memo,
        fee=fee,
        signer=signer,
        public_key=public_key,
        sequence=sequence,
        timeout_height=timeout_height,
    )


def sign_tx(body: TxBody, private_key: Any) -> bytes:
    """Sign ``body`` with a :class:`suretychain.core.crypto.PrivateKey` and return the tx bytes."""
    signature = private_key.sign(compute_sign_bytes(body))
    return encode(Tx(body=body, signature=signature))


def coins_str(coins: list[Coin]) -> str:
    """Coins as text, Cosmos style: ``10usrt,5uusd``."""
    return ",".join(str(c) for c in coins)
