"""Shares and tokens: a validator's tokens are divided among delegators by shares.

Every conversion rounds against the party that asks: a delegator buying shares gets them rounded down; a delegator
leaving gives up shares rounded up and receives tokens rounded down. So the tokens a validator owes its delegators
never exceed the tokens it holds.
"""
from __future__ import annotations

import msgspec

from suretychain.core.dec import Dec, Rounding
from suretychain.core.errors import require
from suretychain.modules.staking.types import ErrValidatorHasNoTokens, Validator


def compute_shares_for_tokens(validator: Validator, amount: int) -> Dec:
    """Shares issued for delegating ``amount`` tokens (rounded down)."""
    if validator.delegator_shares.is_zero():
        return Dec.from_int(amount)  # the first delegation sets the exchange rate at 1 share per token
    # A validator slashed to zero tokens has worthless shares: new stake would be diluted into them
    require(validator.tokens > 0, ErrValidatorHasNoTokens, str(validator.operator))
    return validator.delegator_shares.mul(Dec.from_int(amount), Rounding.DOWN).quo(Dec.from_int(validator.tokens),
                                                                                      Rounding.DOWN)


def compute_shares_to_remove(validator: Validator, amount: int) -> Dec:
    """Shares a delegator gives up to take ``amount`` tokens out (rounded up)."""
    if validator.tokens == 0:
        return validator.delegator_shares
    return validator.delegator_shares.mul(Dec.from_int(amount), Rounding.UP).quo(Dec.from_int(validator.tokens),
                                                                                    Rounding.UP)


def compute_tokens_for_shares(validator: Validator, shares: Dec) -> int:
    """Tokens that ``shares`` of ``validator`` are worth (rounded down)."""
    if validator.delegator_shares.is_zero():
        return 0
    return shares.mul(Dec.from_int(validator.tokens), Rounding.DOWN).quo(validator.delegator_shares,
                                                                           Rounding.DOWN).to_int(Rounding.DOWN)


def add_tokens(validator: Validator, amount: int) -> tuple[Validator, Dec]:
    """The validator after a delegation of ``amount`` tokens, and the shares issued."""
    shares = compute_shares_for_tokens(validator, amount)
    updated = msgspec.structs.replace(validator, tokens=validator.tokens + amount,
                                      delegator_shares=validator.delegator_shares + shares)
    return updated, shares


def remove_shares(validator: Validator, shares: Dec) -> tuple[Validator, int]:
    """The validator after ``shares`` leave it, and the tokens they take (all tokens if they are all the shares)."""
    if shares == validator.delegator_shares:
        tokens = validator.tokens
    else:
        tokens = compute_tokens_for_shares(validator, shares)
    updated = msgspec.structs.replace(validator, tokens=validator.tokens - tokens,
                                      delegator_shares=validator.delegator_shares - shares)
    return updated, tokens
