"""The consensus set: the top ``max_validators`` non-jailed validators by power, updated at every end-block.

Updates are returned from ``finalize_block``; CometBFT (and the devnet, which models it) applies them two heights
later. Bonding moves a validator's tokens into the bonded pool; leaving the set starts its unbonding period.
"""
from __future__ import annotations

import msgspec

from suretychain.core.context import Context
from suretychain.core.module import ValidatorUpdate
from suretychain.modules.staking import keys
from suretychain.modules.staking.keeper import StakingKeeper, compute_power
from suretychain.modules.staking.types import (
    BONDED_POOL,
    NOT_BONDED_POOL,
    BondStatus,
    HookValidatorBeginUnbonding,
    HookValidatorBonded,
    LastPower,
    Validator,
    ValidatorSetChanged,
    ValidatorStatusChanged,
)


def process_validator_set_updates(staking: StakingKeeper, ctx: Context) -> list[ValidatorUpdate]:
    """Recompute the set; return the power changes (0 removes a validator) in a deterministic order."""
    max_validators = staking.get_params(ctx).max_validators
    last = {p.operator.raw: p.power for p in staking.iter_last_powers(ctx)}
    updates: list[ValidatorUpdate] = []
    chosen: set[bytes] = set()
    for operator in staking.iter_validators_by_power(ctx):
        if len(chosen) >= max_validators:
            break
        validator = staking.get_validator(ctx, operator)
        assert validator is not None
        power = compute_power(validator.tokens)
        if power == 0:
            break  # the index is sorted by power: everyone after has none
        if validator.status != BondStatus.BONDED:
            validator = bond_validator(staking, ctx, validator)
        chosen.add(operator)
        if last.get(operator) != power:
            staking.set_last_power(ctx, LastPower(operator=validator.operator, power=power))
            updates.append(ValidatorUpdate(pub_key=validator.consensus_pubkey, power=power))
            ctx.emit(ValidatorSetChanged(validator=validator.operator, power=power))
    for operator in sorted(set(last) - chosen):
        validator = staking.get_validator(ctx, operator)
        assert validator is not None
        begin_unbonding_validator(staking, ctx, validator)
        staking.set_last_power(ctx, LastPower(operator=validator.operator, power=0))
        updates.append(ValidatorUpdate(pub_key=validator.consensus_pubkey, power=0))
        ctx.emit(ValidatorSetChanged(validator=validator.operator, power=0))
    return updates


def bond_validator(staking: StakingKeeper, ctx: Context, validator: Validator) -> Validator:
    """Enter the set: tokens to the bonded pool, any unbonding period cancelled."""
    staking.move_between_pools(ctx, NOT_BONDED_POOL, BONDED_POOL, validator.tokens)
    if validator.status == BondStatus.UNBONDING:
        staking.queue_remove(ctx, keys.validator_queue_key(validator.unbonding_time_ns, validator.unbonding_height,
                                                           validator.operator.raw))
    bonded = msgspec.structs.replace(validator, status=BondStatus.BONDED, unbonding_height=0, unbonding_time_ns=0)
    staking.set_validator(ctx, bonded)
    staking.hooks.emit(ctx, HookValidatorBonded(validator=bonded.operator))
    ctx.emit(ValidatorStatusChanged(validator=bonded.operator, status="bonded"))
    return bonded


def begin_unbonding_validator(staking: StakingKeeper, ctx: Context, validator: Validator) -> Validator:
    """Leave the set: tokens to the not-bonded pool, slashable for ``unbonding_time`` more."""
    staking.move_between_pools(ctx, BONDED_POOL, NOT_BONDED_POOL, validator.tokens)
    completion = ctx.block.time_ns + staking.get_params(ctx).unbonding_time_ns
    unbonding = msgspec.structs.replace(validator, status=BondStatus.UNBONDING, unbonding_height=ctx.block.height,
                                        unbonding_time_ns=completion)
    staking.set_validator(ctx, unbonding)
    staking.queue_insert(ctx, keys.validator_queue_key(completion, ctx.block.height, validator.operator.raw))
    staking.hooks.emit(ctx, HookValidatorBeginUnbonding(validator=unbonding.operator))
    ctx.emit(ValidatorStatusChanged(validator=unbonding.operator, status="unbonding"))
    return unbonding
