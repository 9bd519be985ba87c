"""The ante step: every check a tx passes before its msgs run, and the fee it pays.

Order (each a coded error, nothing written on failure): gas for size; chain id; timeout height; memo size; gas
limit within the block; every msg signed by the tx signer; public key matches the signer; sequence; signature;
fee covers ``gas_limit * min_gas_price`` (rounded up, against the payer); fee deducted to the fee collector;
sequence incremented and the public key recorded.
"""
from __future__ import annotations

from dataclasses import dataclass

from suretychain.core import crypto
from suretychain.core.context import Context
from suretychain.core.errors import (
    ErrInsufficientFee,
    ErrInvalidChainID,
    ErrInvalidGasLimit,
    ErrInvalidPubKey,
    ErrInvalidSequence,
    ErrMemoTooLarge,
    ErrTxTimeoutHeight,
    ErrUnauthorized,
    require,
)
from suretychain.core.dec import Rounding
from suretychain.core.tx import Coin, Msg, Tx, compute_sign_bytes
from suretychain.modules.auth.expected import BankKeeper
from suretychain.modules.auth.keeper import AuthKeeper
from suretychain.modules.auth.types import FEE_COLLECTOR, Account, FeePaid, Params


def compute_required_fee(params: Params, gas_limit: int) -> int:
    """The least fee for ``gas_limit`` gas: ``gas_limit * min_gas_price``, rounded up (against the payer)."""
    return params.min_gas_price.mul_int(gas_limit, Rounding.UP)


def get_fee_in_denom(fee: list[Coin], denom: str) -> int:
    """The part of the fee paid in ``denom``."""
    return sum(c.amount for c in fee if c.denom == denom)


@dataclass(frozen=True)
class AnteHandler:
    """The auth module's ante step, with the keepers it needs."""

    auth: AuthKeeper
    bank: BankKeeper

    def __call__(self, ctx: Context, tx: Tx, msgs: list[Msg], tx_size: int, simulate: bool) -> None:
        params = self.auth.get_params(ctx)
        body = tx.body
        ctx.gas_meter.consume(params.tx_size_cost_per_byte * tx_size, "tx size")
        check_tx_envelope(ctx, tx, msgs, params)
        account = self.auth.get_account(ctx, body.signer)
        check_signer(ctx, tx, account, params, simulate)
        if not simulate:
            # The fee must cover the gas asked for, at the minimum price
            required = compute_required_fee(params, body.fee.gas_limit)
            paid = get_fee_in_denom(body.fee.amount, params.fee_denom)
            require(paid >= required, ErrInsufficientFee,
                    lambda: f"got {paid}{params.fee_denom}, need {required}{params.fee_denom}")
        deduct_fee(self.bank, ctx, tx)
        self.auth.set_account(ctx, Account(address=body.signer, public_key=body.public_key,
                                           sequence=account.sequence + 1))


def check_tx_envelope(ctx: Context, tx: Tx, msgs: list[Msg], params: Params) -> None:
    """Stateless checks of the body against the chain and the block."""
    body = tx.body
    # A tx signed for another chain is never valid here
    require(body.chain_id == ctx.block.chain_id, ErrInvalidChainID,
            lambda: f"got {body.chain_id!r}, expected {ctx.block.chain_id!r}")
    # A timeout height is the last height the tx may be included at
    require(body.timeout_height == 0 or ctx.block.height <= body.timeout_height, ErrTxTimeoutHeight,
            lambda: f"block {ctx.block.height} > timeout {body.timeout_height}")
    require(len(body.memo) <= params.max_memo_characters, ErrMemoTooLarge,
            lambda: f"{len(body.memo)} > {params.max_memo_characters} characters")
    require(body.fee.gas_limit > 0, ErrInvalidGasLimit, "gas limit must be positive")
    for msg in msgs:
        # One signer per tx: every msg must be authorised by it
        require(msg.signer() == body.signer, ErrUnauthorized,
                lambda: f"{type(msg).__struct_config__.tag} must be signed by {msg.signer()}")


def check_signer(ctx: Context, tx: Tx, account: Account, params: Params, simulate: bool) -> None:
    """The public key is the signer's, the sequence is the next one, and the signature verifies."""
    body = tx.body
    require(crypto.address_of(body.public_key) == body.signer.raw, ErrInvalidPubKey,
            "public key does not match the signer address")
    require(not account.public_key or account.public_key == body.public_key, ErrInvalidPubKey,
            "public key differs from the account's")
    # Each sequence is used once, in order: no replay, no gaps
    require(body.sequence == account.sequence, ErrInvalidSequence,
            lambda: f"account sequence mismatch, expected {account.sequence}, got {body.sequence}")
    ctx.gas_meter.consume(params.sig_verify_cost, "ed25519 signature")
    if simulate:
        return
    verify = ctx.verify_signature or (lambda pk, m, s: crypto.PublicKey(pk).verify(m, s))
    require(verify(body.public_key, compute_sign_bytes(body), tx.signature), ErrUnauthorized,
            "signature verification failed; check the chain id, sequence and key")


def deduct_fee(bank: BankKeeper, ctx: Context, tx: Tx) -> None:
    """Move the whole fee to the fee collector, credited at the block's end (insufficient funds fails the tx before
    any msg runs). The payment's tag is the tx's sequence, which the signer never uses twice."""
    fee = [c for c in tx.body.fee.amount if c.amount > 0]
    if fee:
        bank.send_coins_from_account_to_module_deferred(ctx, tx.body.signer.raw, FEE_COLLECTOR, fee,
                                                         tx.body.sequence.to_bytes(8, "big"))
    ctx.emit(FeePaid(payer=tx.body.signer, fee=fee, gas_limit=tx.body.fee.gas_limit))
