"""Validator rules: create, edit (commission within its daily max), commission validity."""
from __future__ import annotations

import msgspec

from suretychain.core.context import Context
from suretychain.core.dec import Dec
from suretychain.core.encoding import ValAddress
from suretychain.core.errors import require
from suretychain.modules.staking.delegation import delegate
from suretychain.modules.staking.keeper import StakingKeeper, compute_consensus_address
from suretychain.modules.staking.types import (
    DAY_NS,
    Commission,
    ErrBadDenom,
    ErrCommissionChangeTooBig,
    ErrCommissionChangeTooSoon,
    ErrCommissionInvalid,
    ErrConsensusKeyTaken,
    ErrMinSelfDelegationDecreased,
    ErrSelfDelegationBelowMin,
    ErrValidatorExists,
    ErrValidatorNotFound,
    ErrZeroAmount,
    HookValidatorCreated,
    MsgCreateValidator,
    MsgEditValidator,
    Params,
    Validator,
    ValidatorCreated,
    ValidatorEdited,
)


def validate_commission(params: Params, commission: Commission) -> None:
    """0 <= min_commission_rate <= rate <= max_rate <= 1 and 0 <= max_change_rate <= max_rate."""
    require(Dec.ZERO <= commission.max_rate <= Dec.ONE, ErrCommissionInvalid, "max rate must be within [0, 1]")
    require(params.min_commission_rate <= commission.rate, ErrCommissionInvalid,
            f"rate below the minimum {params.min_commission_rate}")
    require(commission.rate <= commission.max_rate, ErrCommissionInvalid, "rate above max rate")
    require(Dec.ZERO <= commission.max_change_rate <= commission.max_rate, ErrCommissionInvalid,
            "max change rate must be within [0, max rate]")


def process_create_validator(staking: StakingKeeper, ctx: Context, msg: MsgCreateValidator) -> Validator:
    """Register a validator and bond its initial self-delegation."""
    params = staking.get_params(ctx)
    operator = ValAddress.from_raw(msg.operator.raw)
    require(staking.get_validator(ctx, operator.raw) is None, ErrValidatorExists, str(operator))
    cons_address = compute_consensus_address(msg.consensus_pubkey)
    require(staking.get_validator_by_consensus(ctx, cons_address) is None, ErrConsensusKeyTaken)
    require(msg.self_bond.denom == params.bond_denom, ErrBadDenom, f"self bond must be {params.bond_denom}")
    require(msg.self_bond.amount > 0, ErrZeroAmount)
    # The self-bond must meet the minimum the validator commits to
    require(msg.self_bond.amount >= msg.min_self_delegation, ErrSelfDelegationBelowMin,
            f"{msg.self_bond.amount} < {msg.min_self_delegation}")
    commission = Commission(rate=msg.commission_rate, max_rate=msg.commission_max_rate,
                            max_change_rate=msg.commission_max_change_rate, update_time_ns=ctx.block.time_ns)
    validate_commission(params, commission)
    validator = Validator(operator=operator, consensus_pubkey=msg.consensus_pubkey, vrf_pubkey=msg.vrf_pubkey,
                          description=msg.description, commission=commission,
                          min_self_delegation=msg.min_self_delegation)
    staking.set_validator(ctx, validator)
    staking.hooks.emit(ctx, HookValidatorCreated(validator=operator))
    delegate(staking, ctx, msg.operator, operator, msg.self_bond.amount)
    ctx.emit(ValidatorCreated(validator=operator, self_bond=str(msg.self_bond)))
    return staking.get_validator(ctx, operator.raw)  # type: ignore[return-value]


def process_edit_validator(staking: StakingKeeper, ctx: Context, msg: MsgEditValidator) -> None:
    """Change description, commission rate (at most max_change_rate, once per 24 h) or min self-delegation."""
    validator = staking.get_validator(ctx, msg.operator.raw)
    require(validator is not None, ErrValidatorNotFound, str(msg.operator))
    assert validator is not None
    if msg.description is not None:
        validator = msgspec.structs.replace(validator, description=msg.description)
    if msg.commission_rate is not None:
        validator = msgspec.structs.replace(validator, commission=compute_new_commission(
            staking.get_params(ctx), validator.commission, msg.commission_rate, ctx.block.time_ns))
    if msg.min_self_delegation is not None:
        # Raising the bar is always allowed; lowering it would let an operator quietly withdraw its skin in the game
        require(msg.min_self_delegation >= validator.min_self_delegation, ErrMinSelfDelegationDecreased)
        require(msg.min_self_delegation <= validator.tokens, ErrSelfDelegationBelowMin,
                "min self-delegation above the validator's tokens")
        validator = msgspec.structs.replace(validator, min_self_delegation=msg.min_self_delegation)
    staking.set_validator(ctx, validator)
    ctx.emit(ValidatorEdited(validator=validator.operator, commission_rate=str(validator.commission.rate),
                             min_self_delegation=validator.min_self_delegation))


def compute_new_commission(params: Params, commission: Commission, rate: Dec, now_ns: int) -> Commission:
    """The commission after a rate change, if the change is allowed."""
    require(now_ns - commission.update_time_ns >= DAY_NS, ErrCommissionChangeTooSoon)
    require(abs(rate - commission.rate) <= commission.max_change_rate, ErrCommissionChangeTooBig,
            f"{commission.rate} -> {rate} exceeds {commission.max_change_rate}")
    updated = msgspec.structs.replace(commission, rate=rate, update_time_ns=now_ns)
    validate_commission(params, updated)
    return updated
