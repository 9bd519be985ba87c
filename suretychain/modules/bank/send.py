"""Sending rules: coin validity, MsgSend and MsgMultiSend."""
from __future__ import annotations

from suretychain.core.context import Context
from suretychain.core.encoding import U64_MAX
from suretychain.core.errors import ErrInvalidCoins, require
from suretychain.core.tx import Coin
from suretychain.modules.bank.keeper import BankKeeper
from suretychain.modules.bank.types import (
    ErrBlockedRecipient,
    ErrInputOutputMismatch,
    ErrMultipleInputs,
    ErrNoOutputs,
    ErrSendDisabled,
    MsgMultiSend,
    MsgSend,
)


def validate_coins(coins: list[Coin]) -> None:
    """Coins are valid when non-empty, every amount is positive and denoms are strictly ascending (one form each)."""
    require(len(coins) > 0, ErrInvalidCoins, "no coins")
    for coin in coins:
        # A zero amount is no transfer at all: reject it rather than emit an empty event
        require(coin.amount > 0, ErrInvalidCoins, lambda: f"amount of {coin.denom} must be positive")
        require(coin.amount <= U64_MAX, ErrInvalidCoins, lambda: f"amount of {coin.denom} exceeds 64 bits")
    for left, right in zip(coins, coins[1:]):
        # Sorted and unique: ``[1usrt, 1usrt]`` or ``[uusd, usrt]`` would give one value two encodings
        require(left.denom < right.denom, ErrInvalidCoins, "denoms must be sorted and unique")


def compute_coins_sum(groups: list[list[Coin]]) -> dict[str, int]:
    """Total per denom over several coin lists."""
    total: dict[str, int] = {}
    for coins in groups:
        for coin in coins:
            total[coin.denom] = total.get(coin.denom, 0) + coin.amount
    return total


def process_send(bank: BankKeeper, ctx: Context, msg: MsgSend) -> None:
    """Move ``msg.amount`` from the sender to the recipient."""
    require(bank.get_params(ctx).send_enabled, ErrSendDisabled)
    validate_coins(msg.amount)
    # Module accounts are escrows moved only by their module's rules
    require(not bank.is_module_account(msg.to_address.raw), ErrBlockedRecipient, msg.to_address)
    bank.send_coins(ctx, msg.from_address.raw, msg.to_address.raw, msg.amount)


def process_multi_send(bank: BankKeeper, ctx: Context, msg: MsgMultiSend) -> None:
    """Pay every output from the single input; the input must equal the sum of the outputs."""
    require(bank.get_params(ctx).send_enabled, ErrSendDisabled)
    require(len(msg.inputs) == 1, ErrMultipleInputs)
    require(len(msg.outputs) > 0, ErrNoOutputs)
    validate_coins(msg.inputs[0].coins)
    for output in msg.outputs:
        validate_coins(output.coins)
        require(not bank.is_module_account(output.address.raw), ErrBlockedRecipient, str(output.address))
    require(compute_coins_sum([msg.inputs[0].coins]) == compute_coins_sum([o.coins for o in msg.outputs]),
            ErrInputOutputMismatch)
    sender = msg.inputs[0].address.raw
    for output in msg.outputs:
        bank.send_coins(ctx, sender, output.address.raw, output.coins)
