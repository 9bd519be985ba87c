"""Validator commission: withdrawal by the operator, and the final settlement when a validator is removed."""
from __future__ import annotations

from suretychain.core.context import Context
from suretychain.core.encoding import ValAddress
from suretychain.core.errors import require
from suretychain.core.tx import Coin
from suretychain.modules.distribution.deccoins import compute_dec_coins, compute_difference, compute_truncated
from suretychain.modules.distribution.errors import ErrNoValidatorCommission
from suretychain.modules.distribution.events import CommissionWithdrawn
from suretychain.modules.distribution.keeper import DistributionKeeper
from suretychain.modules.distribution.rewards import (
    add_to_community_pool,
    pay_to_withdraw_address,
    take_from_outstanding,
)


def withdraw_validator_commission(k: DistributionKeeper, ctx: Context, validator: ValAddress) -> list[Coin]:
    """Pay the whole units of the accumulated commission to the operator's withdraw address; the fraction stays
    accumulated for a later withdrawal."""
    operator = validator.raw
    commission = k.get_accumulated_commission(ctx, operator)
    # Nothing accumulated, nothing to withdraw (a fraction of a unit still counts, as in Cosmos)
    require(len(commission) > 0, ErrNoValidatorCommission, str(validator))
    paid, remainder = compute_truncated(commission)
    k.set_accumulated_commission(ctx, operator, remainder)
    take_from_outstanding(k, ctx, operator, compute_dec_coins(paid))
    recipient = pay_to_withdraw_address(k, ctx, operator, paid)
    ctx.emit(CommissionWithdrawn(validator=validator, recipient=recipient, amount=paid))
    return paid


def remove_validator_records(k: DistributionKeeper, ctx: Context, validator: ValAddress) -> None:
    """A removed validator (no delegations left): pay out its commission, move what remains outstanding (dust) to
    the community pool, and delete every record it had."""
    operator = validator.raw
    outstanding = k.get_outstanding_rewards(ctx, operator)
    commission = k.get_accumulated_commission(ctx, operator)
    if commission:
        outstanding = compute_difference(outstanding, commission)
        paid, remainder = compute_truncated(commission)
        add_to_community_pool(k, ctx, remainder)
        recipient = pay_to_withdraw_address(k, ctx, operator, paid)
        ctx.emit(CommissionWithdrawn(validator=validator, recipient=recipient, amount=paid))
    add_to_community_pool(k, ctx, outstanding)
    delete_validator_records(k, ctx, operator)


def delete_validator_records(k: DistributionKeeper, ctx: Context, operator: bytes) -> None:
    """Delete a validator's outstanding rewards, commission, periods and slash events."""
    k.delete_outstanding_rewards(ctx, operator)
    k.delete_accumulated_commission(ctx, operator)
    k.delete_current_rewards(ctx, operator)
    for _, period, _ in list(k.iter_historical_rewards(ctx, operator)):
        k.delete_historical_rewards(ctx, operator, period)
    for _, height, event in list(k.iter_slash_events(ctx, operator)):
        k.delete_slash_event(ctx, operator, height, event.validator_period)
