"""Distribution invariants, registered as ``distribution/<name>``."""
from __future__ import annotations

from typing import Iterable

from suretychain.core.context import Context
from suretychain.core.encoding import ValAddress
from suretychain.core.errors import SuretyError
from suretychain.modules.distribution.deccoins import (
    DecCoins,
    compute_dec_coins,
    compute_difference,
    compute_sum,
    is_all_lte,
    is_nonnegative,
    render_dec_coins,
)
from suretychain.modules.distribution.errors import ErrAccountingBroken
from suretychain.modules.distribution.keeper import DistributionKeeper
from suretychain.modules.distribution.rewards import get_delegation_rewards
from suretychain.modules.distribution.types import (
    DISTRIBUTION_ACCOUNT,
    DelegatorStartingInfo,
    ValidatorSlashEvent,
)
from suretychain.modules.staking.types import Validator


def compute_expected_reference_counts(
        current_periods: Iterable[tuple[bytes, int]],
        starting_infos: Iterable[tuple[bytes, DelegatorStartingInfo]],
        slash_events: Iterable[tuple[bytes, ValidatorSlashEvent]]) -> dict[tuple[bytes, int], int]:
    """How many records need each ``(operator, period)``: the open period needs the one before it, each delegation
    its starting period, each slash event the period it ended."""
    counts: dict[tuple[bytes, int], int] = {}
    needs = [(op, period - 1) for op, period in current_periods]
    needs += [(op, info.previous_period) for op, info in starting_infos]
    needs += [(op, event.validator_period) for op, event in slash_events]
    for need in needs:
        counts[need] = counts.get(need, 0) + 1
    return counts


def get_module_balance(k: DistributionKeeper, ctx: Context) -> DecCoins:
    """What the distribution module account holds."""
    return compute_dec_coins(k.bank.get_all_balances(ctx, k.bank.module_account(DISTRIBUTION_ACCOUNT)))


def check_nonnegative_outstanding(k: DistributionKeeper, ctx: Context) -> str | None:
    """No outstanding rewards, accumulated commission or community pool amount is below zero."""
    for operator, rewards in k.iter_outstanding_rewards(ctx):
        if not is_nonnegative(rewards):
            return f"outstanding rewards of {ValAddress.from_raw(operator)} are negative: {render_dec_coins(rewards)}"
    for operator, commission in k.iter_accumulated_commissions(ctx):
        if not is_nonnegative(commission):
            return f"commission of {ValAddress.from_raw(operator)} is negative: {render_dec_coins(commission)}"
    if not is_nonnegative(k.get_community_pool(ctx)):
        return "community pool is negative"
    return None


def check_module_account(k: DistributionKeeper, ctx: Context) -> str | None:
    """The module account holds exactly every validator's outstanding rewards plus the community pool."""
    expected = k.get_community_pool(ctx)
    for _, rewards in k.iter_outstanding_rewards(ctx):
        expected = compute_sum(expected, rewards)
    balance = get_module_balance(k, ctx)
    if compute_difference(balance, expected):
        return f"module account holds {render_dec_coins(balance)}, records add up to {render_dec_coins(expected)}"
    return None


def check_can_withdraw(k: DistributionKeeper, ctx: Context) -> str | None:
    """For each validator, its delegators' rewards computed now plus its commission fit in its outstanding rewards;
    all of them plus the community pool fit in the module account's balance."""
    total = k.get_community_pool(ctx)
    try:
        for validator in k.staking.iter_validators(ctx):
            owed = get_validator_owed(k, ctx, validator)
            outstanding = k.get_outstanding_rewards(ctx, validator.operator.raw)
            if not is_all_lte(owed, outstanding):
                return (f"{validator.operator} owes {render_dec_coins(owed)} but has "
                        f"{render_dec_coins(outstanding)} outstanding")
            total = compute_sum(total, owed)
    except SuretyError as exc:
        return exc.log
    balance = get_module_balance(k, ctx)
    if not is_all_lte(total, balance):
        return f"withdrawable {render_dec_coins(total)} exceeds the module balance {render_dec_coins(balance)}"
    return None


def get_validator_owed(k: DistributionKeeper, ctx: Context, validator: Validator) -> DecCoins:
    """A validator's commission plus every delegator's rewards as of now."""
    operator = validator.operator.raw
    owed = k.get_accumulated_commission(ctx, operator)
    for _, delegator, _ in k.iter_starting_infos(ctx, operator):
        delegation = k.staking.get_delegation(ctx, delegator, operator)
        if delegation is None:
            raise ErrAccountingBroken(f"starting info of {validator.operator} without a delegation")
        owed = compute_sum(owed, get_delegation_rewards(k, ctx, validator, delegation))
    return owed


def check_reference_counts(k: DistributionKeeper, ctx: Context) -> str | None:
    """Every stored period is referenced exactly as often as its count says; every delegation has a starting info
    and every validator its records."""
    expected = compute_expected_reference_counts(
        ((op, current.period) for op, current in k.iter_current_rewards(ctx)),
        ((op, info) for op, _, info in k.iter_starting_infos(ctx)),
        ((op, event) for op, _, event in k.iter_slash_events(ctx)))
    stored = {(op, period): record.reference_count for op, period, record in k.iter_historical_rewards(ctx)}
    if stored != expected:
        wrong = sorted(set(stored.items()) ^ set(expected.items()))[:3]
        return "reference counts differ: " + ", ".join(
            f"{ValAddress.from_raw(op)} period {period}: stored {stored.get((op, period), 0)}, "
            f"needed {expected.get((op, period), 0)}" for (op, period), _ in wrong)
    for delegation in k.staking.iter_delegations(ctx):
        if k.get_starting_info(ctx, delegation.validator.raw, delegation.delegator.raw) is None:
            return f"delegation {delegation.delegator} -> {delegation.validator} has no starting info"
    for validator in k.staking.iter_validators(ctx):
        if k.get_current_rewards(ctx, validator.operator.raw) is None:
            return f"validator {validator.operator} has no distribution records"
    return None
