"""The staking hooks insurance subscribes to (wired in ``suretychain/app.py``), and only those.

Jailing is not subscribed: a jail for an infraction refunds through the slash that comes with it, and a jail for a
self-delegation below the minimum slashes nothing, so it refunds nothing.
"""
from __future__ import annotations

import msgspec

from suretychain.core.context import Context
from suretychain.core.dec import Dec
from suretychain.core.encoding import Address, ValAddress
from suretychain.core.errors import require
from suretychain.modules.insurance.errors import ErrMaxUnbondExceeded
from suretychain.modules.insurance.events import InsurancesFinalized, InsuredStakeReduced
from suretychain.modules.insurance.keeper import InsuranceKeeper
from suretychain.modules.insurance.lifecycle import get_self_bond, get_total_refund, remove_insurance, set_insured_stake
from suretychain.modules.insurance.refunds import process_slash_refunds
from suretychain.modules.insurance.solvency import compute_max_unbond
from suretychain.modules.staking.shares import compute_tokens_for_shares
from suretychain.modules.staking.types import (
    HookBeforeUnbond,
    HookRedelegationCompleted,
    HookUnbondingCompleted,
    HookValidatorSlashed,
    HookValidatorTombstoned,
)


def process_validator_slashed(keeper: InsuranceKeeper, ctx: Context, record: HookValidatorSlashed) -> None:
    """Every slash refunds its covering insurances (several slashes in one period each refund)."""
    process_slash_refunds(keeper, ctx, record)


def process_validator_tombstoned(keeper: InsuranceKeeper, ctx: Context, record: HookValidatorTombstoned) -> None:
    """Finalize every insurance with a tombstoned validator (its slash has already been refunded): they cover
    nothing more and leave its liability; the records stay until their expiry for the refund history."""
    exposure = keeper.get_exposure(ctx, record.validator)
    keeper.set_exposure(ctx, msgspec.structs.replace(exposure, tombstoned=True, count=0, downtime_only=Dec.ZERO,
                                                     double_sign_only=Dec.ZERO, both=Dec.ZERO))
    ctx.emit(InsurancesFinalized(validator=record.validator, insurances=exposure.count))


def process_before_unbond(keeper: InsuranceKeeper, ctx: Context, record: HookBeforeUnbond) -> None:
    """An operator with insurances cannot unbond or redelegate self-bond beyond ``MaxUnbond``."""
    if record.delegator.raw != record.validator.raw:
        return
    exposure = keeper.get_exposure(ctx, record.validator)
    total = get_total_refund(keeper, ctx, exposure)
    if total == 0:
        return
    max_unbond = compute_max_unbond(get_self_bond(keeper, ctx, record.validator), total,
                                    keeper.slashing.get_params(ctx))
    # MaxUnbond = SelfBond − TotalRefund / (1 − worst fraction): the cap keeps holding after the unbond
    require(record.tokens <= max_unbond, ErrMaxUnbondExceeded, f"{record.tokens} > {max_unbond}")


def get_delegated_tokens(keeper: InsuranceKeeper, ctx: Context, delegator: Address, validator: ValAddress) -> int:
    record = keeper.staking.get_validator(ctx, validator.raw)
    delegation = keeper.staking.get_delegation(ctx, delegator.raw, validator.raw)
    return compute_tokens_for_shares(record, delegation.shares) if record and delegation else 0


def apply_min_rule(keeper: InsuranceKeeper, ctx: Context, delegator: Address, validator: ValAddress) -> None:
    """``insured_stake = min(insured_stake, remaining delegation)``, shared oldest first among the delegator's
    insurances with the validator; an insurance left with zero stake is deleted."""
    remaining = get_delegated_tokens(keeper, ctx, delegator, validator)
    for insurance in keeper.iter_delegation_insurances(ctx, delegator.raw, validator.raw):
        stake = min(insurance.insured_stake, remaining)
        remaining -= stake
        if stake == insurance.insured_stake:
            continue
        if stake == 0:
            remove_insurance(keeper, ctx, insurance)
        else:
            set_insured_stake(keeper, ctx, insurance, stake)
        ctx.emit(InsuredStakeReduced(insurance_id=insurance.id, insured_stake=stake))


def process_unbonding_completed(keeper: InsuranceKeeper, ctx: Context, record: HookUnbondingCompleted) -> None:
    """The insurance stayed active while unbonding; now it follows the delegation that is left."""
    apply_min_rule(keeper, ctx, record.delegator, record.validator)


def process_redelegation_completed(keeper: InsuranceKeeper, ctx: Context, record: HookRedelegationCompleted) -> None:
    """Stake redelegated away is no longer answerable to the insurer: the insurance follows what is left."""
    apply_min_rule(keeper, ctx, record.delegator, record.src_validator)
