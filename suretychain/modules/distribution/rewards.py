"""F1 fee distribution: periods, cumulative reward ratios, delegator starting infos and slash events.

A validator's life is cut into periods. While a period is current its delegators' rewards (after commission)
accumulate in ``ValidatorCurrentRewards``; when anything changes the stake behind it (a delegation is created,
modified or withdrawn, a slash) the period is closed: its rewards divided by the validator's tokens are added to
the cumulative reward ratio, stored as ``ValidatorHistoricalRewards`` for that period. A delegation records the
period before it began and its stake; its rewards are ``(ratio(end) − ratio(start)) × stake``, with the stake
scaled by ``1 − fraction`` at every slash in between. Constant work per delegation, whatever the number of blocks.

Rounding: ratios, stakes and rewards are rounded down, so the sum of every delegation's rewards never exceeds what
was allocated; the difference stays in the validator's outstanding rewards as dust.
"""
from __future__ import annotations

import msgspec

from suretychain.core.context import Context
from suretychain.core.dec import SCALE, Dec, Rounding, compute_rounded_quotient
from suretychain.core.encoding import Address, ValAddress
from suretychain.core.errors import require
from suretychain.core.tx import Coin
from suretychain.modules.distribution.deccoins import (
    DecCoins,
    compute_difference,
    compute_intersection,
    compute_scaled,
    compute_share,
    compute_sum,
    compute_truncated,
    is_nonnegative,
)
from suretychain.modules.distribution.errors import (
    ErrAccountingBroken,
    ErrBadSlashFraction,
    ErrNoDelegationDistInfo,
    ErrNoValidatorDistInfo,
    ErrNoValidatorExists,
)
from suretychain.modules.distribution.events import RewardsWithdrawn
from suretychain.modules.distribution.keeper import DistributionKeeper
from suretychain.modules.distribution.types import (
    DISTRIBUTION_ACCOUNT,
    DelegatorStartingInfo,
    ValidatorCurrentRewards,
    ValidatorHistoricalRewards,
    ValidatorSlashEvent,
)
from suretychain.modules.staking.types import Delegation, Validator


# ---- pure rules ----------------------------------------------------------------------------------------------------
def compute_stake(validator: Validator, shares: Dec) -> Dec:
    """The tokens ``shares`` of ``validator`` are worth, to 18 places, rounded down."""
    if validator.delegator_shares.is_zero():
        return Dec.ZERO
    return Dec.from_atoms(compute_rounded_quotient(shares.atoms * validator.tokens * SCALE,
                                                   validator.delegator_shares.atoms, Rounding.DOWN))


def compute_period_ratio(rewards: DecCoins, tokens: int) -> DecCoins:
    """The reward per token of a closing period: ``rewards / tokens``, rounded down (the rest stays as dust)."""
    return compute_share(rewards, 1, tokens)


def compute_rewards_between(starting_ratio: DecCoins, ending_ratio: DecCoins, stake: Dec) -> DecCoins:
    """``(ending − starting) × stake``, rounded down: a stake's rewards over a run of periods with no slash."""
    difference = compute_difference(ending_ratio, starting_ratio)
    # Cumulative ratios only grow: a negative difference means the periods were mixed up
    require(is_nonnegative(difference), ErrAccountingBroken, "cumulative reward ratio decreased")
    require(not stake.is_negative(), ErrAccountingBroken, "negative stake")
    return compute_scaled(difference, stake)


def compute_slashed_stake(stake: Dec, fraction: Dec) -> Dec:
    """The stake left after a slash of ``fraction``: ``stake × (1 − fraction)``, rounded down."""
    return stake.mul(Dec.ONE - fraction, Rounding.DOWN)


def compute_slash_fraction(tokens_before: int, tokens_after: int) -> Dec:
    """The share of a validator's tokens a slash burned, rounded up (so stakes after it are rounded down)."""
    return Dec.from_ratio(tokens_before - tokens_after, tokens_before, Rounding.UP)


# ---- reads ---------------------------------------------------------------------------------------------------------
def get_existing_validator(k: DistributionKeeper, ctx: Context, operator: bytes) -> Validator:
    """The staking validator at ``operator``, or ``ErrNoValidatorExists``."""
    validator = k.staking.get_validator(ctx, operator)
    require(validator is not None, ErrNoValidatorExists, str(ValAddress.from_raw(operator)))
    return validator  # type: ignore[return-value]


def get_current_rewards(k: DistributionKeeper, ctx: Context, operator: bytes) -> ValidatorCurrentRewards:
    """The open period of a validator, or ``ErrNoValidatorDistInfo``."""
    current = k.get_current_rewards(ctx, operator)
    require(current is not None, ErrNoValidatorDistInfo, str(ValAddress.from_raw(operator)))
    return current  # type: ignore[return-value]


def get_historical_rewards(k: DistributionKeeper, ctx: Context, operator: bytes,
                           period: int) -> ValidatorHistoricalRewards:
    """The record of a closed ``period`` (it must still be referenced, hence stored)."""
    historical = k.get_historical_rewards(ctx, operator, period)
    require(historical is not None, ErrAccountingBroken, f"no historical rewards for period {period}")
    return historical  # type: ignore[return-value]


def get_historical_ratio(k: DistributionKeeper, ctx: Context, operator: bytes, period: int) -> DecCoins:
    """The cumulative reward ratio at the end of ``period``."""
    return get_historical_rewards(k, ctx, operator, period).cumulative_reward_ratio


def get_pending_ratio(k: DistributionKeeper, ctx: Context, validator: Validator) -> DecCoins:
    """The cumulative ratio the open period would close at now (read-only: queries and invariants)."""
    operator = validator.operator.raw
    current = get_current_rewards(k, ctx, operator)
    previous = get_historical_ratio(k, ctx, operator, current.period - 1)
    if validator.tokens == 0:
        return previous
    return compute_sum(previous, compute_period_ratio(current.rewards, validator.tokens))


def get_rewards_until(k: DistributionKeeper, ctx: Context, validator: Validator, info: DelegatorStartingInfo,
                      ending_ratio: DecCoins, current_stake: Dec) -> DecCoins:
    """F1: a delegation's rewards from its starting period to ``ending_ratio``, segment by segment between the
    slashes since it started, the stake shrinking by each slash's fraction."""
    operator = validator.operator.raw
    stake, period, rewards = info.stake, info.previous_period, []
    for _, _, event in k.iter_slash_events(ctx, operator, from_height=info.height):
        if event.validator_period <= period:
            continue  # a slash earlier in the block the delegation started in: it never hit this stake
        segment_end = get_historical_ratio(k, ctx, operator, event.validator_period)
        rewards = compute_sum(rewards, compute_rewards_between(
            get_historical_ratio(k, ctx, operator, period), segment_end, stake))
        stake, period = compute_slashed_stake(stake, event.fraction), event.validator_period
    # Defensive, as Cosmos: never credit more stake than the shares are worth now
    stake = min(stake, current_stake)
    return compute_sum(rewards, compute_rewards_between(get_historical_ratio(k, ctx, operator, period),
                                                        ending_ratio, stake))


def get_delegation_rewards(k: DistributionKeeper, ctx: Context, validator: Validator,
                           delegation: Delegation) -> DecCoins:
    """A delegation's unpaid rewards as of now, without writing anything."""
    info = k.get_starting_info(ctx, validator.operator.raw, delegation.delegator.raw)
    require(info is not None, ErrNoDelegationDistInfo, f"{delegation.delegator} -> {validator.operator}")
    assert info is not None
    return get_rewards_until(k, ctx, validator, info, get_pending_ratio(k, ctx, validator),
                             compute_stake(validator, delegation.shares))


# ---- mutators ------------------------------------------------------------------------------------------------------
def add_to_community_pool(k: DistributionKeeper, ctx: Context, amount: DecCoins) -> None:
    """Credit the community pool (the coins are already in the module account)."""
    if amount:
        k.set_community_pool(ctx, compute_sum(k.get_community_pool(ctx), amount))


def take_from_outstanding(k: DistributionKeeper, ctx: Context, operator: bytes, amount: DecCoins) -> None:
    """Debit a validator's outstanding rewards; they can never go below zero."""
    left = compute_difference(k.get_outstanding_rewards(ctx, operator), amount)
    require(is_nonnegative(left), ErrAccountingBroken, f"outstanding rewards of {ValAddress.from_raw(operator)} < 0")
    k.set_outstanding_rewards(ctx, operator, left)


def move_to_community_pool(k: DistributionKeeper, ctx: Context, operator: bytes, amount: DecCoins) -> None:
    """Give part of a validator's outstanding rewards, which no one can claim, to the community pool."""
    if amount:
        take_from_outstanding(k, ctx, operator, amount)
        add_to_community_pool(k, ctx, amount)


def increment_reference_count(k: DistributionKeeper, ctx: Context, operator: bytes, period: int) -> None:
    """One more record needs the ratio at the end of ``period``."""
    historical = get_historical_rewards(k, ctx, operator, period)
    k.set_historical_rewards(ctx, operator, period, msgspec.structs.replace(
        historical, reference_count=historical.reference_count + 1))


def decrement_reference_count(k: DistributionKeeper, ctx: Context, operator: bytes, period: int,
                              historical: ValidatorHistoricalRewards) -> None:
    """One record fewer needs ``period`` (whose record the caller has read); the last one out deletes it."""
    require(historical.reference_count > 0, ErrAccountingBroken, f"reference count of period {period} below zero")
    if historical.reference_count == 1:
        k.delete_historical_rewards(ctx, operator, period)
    else:
        k.set_historical_rewards(ctx, operator, period, msgspec.structs.replace(
            historical, reference_count=historical.reference_count - 1))


def initialize_validator(k: DistributionKeeper, ctx: Context, operator: bytes) -> None:
    """A new validator: period 0 closed at ratio zero (referenced by the open period 1), nothing outstanding."""
    k.set_historical_rewards(ctx, operator, 0, ValidatorHistoricalRewards(cumulative_reward_ratio=[],
                                                                          reference_count=1))
    k.set_current_rewards(ctx, operator, ValidatorCurrentRewards(rewards=[], period=1))
    k.set_accumulated_commission(ctx, operator, [])
    k.set_outstanding_rewards(ctx, operator, [])


def increment_validator_period(k: DistributionKeeper, ctx: Context, validator: Validator) -> int:
    """Close the open period at the validator's current tokens and open the next; return the closed period.
    With no tokens there is no one to credit: the period's rewards go to the community pool."""
    operator = validator.operator.raw
    current = get_current_rewards(k, ctx, operator)
    if validator.tokens == 0:
        move_to_community_pool(k, ctx, operator, current.rewards)
        ratio: DecCoins = []
    else:
        ratio = compute_period_ratio(current.rewards, validator.tokens)
    previous = get_historical_rewards(k, ctx, operator, current.period - 1)
    decrement_reference_count(k, ctx, operator, current.period - 1, previous)
    k.set_historical_rewards(ctx, operator, current.period, ValidatorHistoricalRewards(
        cumulative_reward_ratio=compute_sum(previous.cumulative_reward_ratio, ratio), reference_count=1))
    k.set_current_rewards(ctx, operator, ValidatorCurrentRewards(rewards=[], period=current.period + 1))
    return current.period


def initialize_delegation(k: DistributionKeeper, ctx: Context, operator: bytes, delegator: bytes, shares: Dec) -> None:
    """Start a delegation's rewards at the last closed period, with the stake its shares are worth now."""
    validator = get_existing_validator(k, ctx, operator)
    previous_period = get_current_rewards(k, ctx, operator).period - 1
    increment_reference_count(k, ctx, operator, previous_period)
    k.set_starting_info(ctx, operator, delegator, DelegatorStartingInfo(
        previous_period=previous_period, stake=compute_stake(validator, shares), height=ctx.block.height))


def pay_to_withdraw_address(k: DistributionKeeper, ctx: Context, owner: bytes, coins: list[Coin]) -> Address:
    """Send whole coins from the module account to where ``owner`` withdraws; return that address."""
    recipient = k.get_withdraw_address(ctx, owner)
    if coins:
        k.bank.send_coins_from_module_to_account(ctx, DISTRIBUTION_ACCOUNT, recipient.raw, coins)
    return recipient


def withdraw_delegation_rewards(k: DistributionKeeper, ctx: Context, validator: Validator,
                                delegator: Address) -> list[Coin]:
    """Pay a delegation's rewards in whole units (the dust goes to the community pool) and end its starting info;
    the caller starts a new one if the delegation goes on."""
    operator = validator.operator.raw
    info = k.get_starting_info(ctx, operator, delegator.raw)
    delegation = k.staking.get_delegation(ctx, delegator.raw, operator)
    require(info is not None and delegation is not None, ErrNoDelegationDistInfo,
            f"{delegator} -> {validator.operator}")
    assert info is not None and delegation is not None
    ending_period = increment_validator_period(k, ctx, validator)
    owed = get_rewards_until(k, ctx, validator, info, get_historical_ratio(k, ctx, operator, ending_period),
                             compute_stake(validator, delegation.shares))
    # Never more than the validator holds (Cosmos' defensive intersection): outstanding cannot go below zero
    outstanding = k.get_outstanding_rewards(ctx, operator)
    owed = compute_intersection(owed, outstanding)
    paid, dust = compute_truncated(owed)
    k.set_outstanding_rewards(ctx, operator, compute_difference(outstanding, owed))
    add_to_community_pool(k, ctx, dust)
    recipient = pay_to_withdraw_address(k, ctx, delegator.raw, paid)
    decrement_reference_count(k, ctx, operator, info.previous_period,
                              get_historical_rewards(k, ctx, operator, info.previous_period))
    k.delete_starting_info(ctx, operator, delegator.raw)
    ctx.emit(RewardsWithdrawn(delegator=delegator, validator=validator.operator, recipient=recipient, amount=paid))
    return paid


def record_slash(k: DistributionKeeper, ctx: Context, validator: Validator, fraction: Dec) -> None:
    """Before a slash: close the period at the tokens before it and record the slash event that ends it."""
    # A fraction is a share of the tokens: anything outside [0, 1] is a staking bug
    require(Dec.ZERO <= fraction <= Dec.ONE, ErrBadSlashFraction, str(fraction))
    period = increment_validator_period(k, ctx, validator)
    increment_reference_count(k, ctx, validator.operator.raw, period)
    k.set_slash_event(ctx, validator.operator.raw, ctx.block.height,
                      ValidatorSlashEvent(validator_period=period, fraction=fraction))


def refine_slash_fraction(k: DistributionKeeper, ctx: Context, operator: bytes, tokens_before: int,
                          tokens_after: int) -> None:
    """After a slash: replace the recorded fraction (rounded down by staking) with the exact share burned,
    rounded up, so no stake is ever credited above what its shares are worth."""
    period = get_current_rewards(k, ctx, operator).period - 1
    event = k.get_slash_event(ctx, operator, ctx.block.height, period)
    require(event is not None, ErrAccountingBroken, "slash reported without a recorded slash event")
    assert event is not None
    if tokens_before > 0:
        exact = compute_slash_fraction(tokens_before, tokens_after)
        k.set_slash_event(ctx, operator, ctx.block.height, msgspec.structs.replace(event, fraction=exact))
