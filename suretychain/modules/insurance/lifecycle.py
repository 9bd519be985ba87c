"""Shared lifecycle rules: liveness of an insurance, the solvency check, adding and removing insurances."""
from __future__ import annotations

import msgspec

from suretychain.core.context import Context
from suretychain.core.encoding import ValAddress
from suretychain.core.errors import require
from suretychain.modules.insurance import keys
from suretychain.modules.insurance.errors import ErrInsuranceEnded, ErrInsuranceNotFound, ErrNotInsuranceOwner, ErrSolvencyCap
from suretychain.modules.insurance.keeper import InsuranceKeeper
from suretychain.modules.insurance.solvency import add_exposure, compute_total_refund, is_solvent
from suretychain.modules.insurance.types import Exposure, Insurance


def is_covering(insurance: Insurance, exposure: Exposure, now_ns: int) -> bool:
    """Check if ``insurance`` covers infractions at ``now_ns``: bought, not ended, its validator not tombstoned."""
    return not exposure.tombstoned and insurance.start_ns <= now_ns < insurance.end_ns


def get_self_bond(keeper: InsuranceKeeper, ctx: Context, validator: ValAddress) -> int:
    """The operator's own delegation to ``validator``, in tokens (0 if the validator is gone)."""
    record = keeper.staking.get_validator(ctx, validator.raw)
    return keeper.staking.get_self_delegation_tokens(ctx, record) if record is not None else 0


def get_total_refund(keeper: InsuranceKeeper, ctx: Context, exposure: Exposure) -> int:
    return compute_total_refund(exposure, keeper.slashing.get_params(ctx), keeper.get_params(ctx).refund_weight_per_slash)


def is_exposure_solvent(keeper: InsuranceKeeper, ctx: Context, exposure: Exposure) -> bool:
    """Check the seed's cap for ``exposure`` against the operator's current self-bond."""
    total = get_total_refund(keeper, ctx, exposure)
    return total == 0 or is_solvent(get_self_bond(keeper, ctx, exposure.validator), total, keeper.slashing.get_params(ctx))


def require_solvent(keeper: InsuranceKeeper, ctx: Context, exposure: Exposure) -> Exposure:
    """Accept new liability only while the cap holds; a passing check clears an earlier impairment."""
    # New insurances and extensions only while SelfBondAfterWorstSlash >= TotalRefund
    require(is_exposure_solvent(keeper, ctx, exposure), ErrSolvencyCap, str(exposure.validator))
    return msgspec.structs.replace(exposure, impaired=False)


def get_owned_insurance(keeper: InsuranceKeeper, ctx: Context, insurance_id: int, delegator: bytes) -> Insurance:
    """The insurance ``insurance_id``, bought by ``delegator``."""
    insurance = keeper.get_insurance(ctx, insurance_id)
    require(insurance is not None, ErrInsuranceNotFound, str(insurance_id))
    require(insurance.delegator.raw == delegator, ErrNotInsuranceOwner, str(insurance_id))  # type: ignore[union-attr]
    return insurance  # type: ignore[return-value]


def get_live_insurance(keeper: InsuranceKeeper, ctx: Context, insurance_id: int, delegator: bytes) -> Insurance:
    """An owned insurance that has not ended (nor been finalized by a tombstone)."""
    insurance = get_owned_insurance(keeper, ctx, insurance_id, delegator)
    exposure = keeper.get_exposure(ctx, insurance.validator)
    require(not exposure.tombstoned and ctx.block.time_ns < insurance.end_ns, ErrInsuranceEnded, str(insurance_id))
    return insurance


def compute_grace_ns(keeper: InsuranceKeeper, ctx: Context) -> int:
    """How long an insurance stays after its end date: evidence of an infraction inside the period may still come."""
    return keeper.slashing.get_params(ctx).max_evidence_age_ns


def reschedule(keeper: InsuranceKeeper, ctx: Context, old: Insurance, new: Insurance) -> None:
    """Move the queue entries of ``old`` to the dates of ``new``."""
    keeper.queue_remove(ctx, keys.expiry_queue_key(old.expire_ns, old.id))
    keeper.queue_insert(ctx, keys.expiry_queue_key(new.expire_ns, new.id))
    if old.subscribed:
        keeper.queue_remove(ctx, keys.renewal_queue_key(old.end_ns, old.id))
    if new.subscribed:
        keeper.queue_insert(ctx, keys.renewal_queue_key(new.end_ns, new.id))


def remove_insurance(keeper: InsuranceKeeper, ctx: Context, insurance: Insurance) -> None:
    """Delete an insurance and take it out of its validator's liability (a finalized one is already out)."""
    exposure = keeper.get_exposure(ctx, insurance.validator)
    if not exposure.tombstoned:
        keeper.set_exposure(ctx, add_exposure(exposure, insurance.term, -insurance.insured_stake, -1))
    keeper.delete_insurance(ctx, insurance)


def set_insured_stake(keeper: InsuranceKeeper, ctx: Context, insurance: Insurance, stake: int) -> Insurance:
    """Change the insured stake (the liability follows)."""
    exposure = keeper.get_exposure(ctx, insurance.validator)
    if not exposure.tombstoned:
        keeper.set_exposure(ctx, add_exposure(exposure, insurance.term, stake - insurance.insured_stake, 0))
    updated = msgspec.structs.replace(insurance, insured_stake=stake)
    keeper.update_insurance(ctx, updated)
    return updated
