"""Maturing queues, processed at end-block in order of completion time."""
from __future__ import annotations

import msgspec

from suretychain.core.context import Context
from suretychain.core.tx import Coin
from suretychain.modules.staking import keys
from suretychain.modules.staking.keeper import StakingKeeper, compute_consensus_address
from suretychain.modules.staking.types import (
    NOT_BONDED_POOL,
    BondStatus,
    HookRedelegationCompleted,
    HookUnbondingCompleted,
    HookValidatorRemoved,
    RedelegationCompleted,
    UnbondingCompleted,
    ValidatorStatusChanged,
)


def process_mature_unbondings(staking: StakingKeeper, ctx: Context) -> None:
    """Pay out every unbonding entry whose completion time has come (what a slash left of it)."""
    now = ctx.block.time_ns
    denom = staking.get_params(ctx).bond_denom
    for queue_key in staking.iter_queue_until(ctx, keys.UNBONDING_QUEUE, now):
        staking.queue_remove(ctx, queue_key)
        delegator, operator = queue_key[9:29], queue_key[29:49]
        ubd = staking.get_unbonding(ctx, delegator, operator)
        if ubd is None:
            continue  # already paid out or cancelled
        due = [e for e in ubd.entries if e.completion_time_ns <= now]
        staking.set_unbonding(ctx, msgspec.structs.replace(ubd, entries=[e for e in ubd.entries
                                                                          if e.completion_time_ns > now]))
        for entry in due:
            if entry.balance > 0:
                staking.bank.send_coins_from_module_to_account(ctx, NOT_BONDED_POOL, delegator,
                                                               [Coin(denom=denom, amount=entry.balance)])
            staking.hooks.emit(ctx, HookUnbondingCompleted(delegator=ubd.delegator, validator=ubd.validator,
                                                           creation_height=entry.creation_height,
                                                           amount_paid=entry.balance))
            ctx.emit(UnbondingCompleted(delegator=ubd.delegator, validator=ubd.validator, amount=entry.balance))


def process_mature_redelegations(staking: StakingKeeper, ctx: Context) -> None:
    """Drop redelegation entries whose completion time has come: the source can no longer slash them."""
    now = ctx.block.time_ns
    for queue_key in staking.iter_queue_until(ctx, keys.REDELEGATION_QUEUE, now):
        staking.queue_remove(ctx, queue_key)
        delegator, src, dst = queue_key[9:29], queue_key[29:49], queue_key[49:69]
        red = staking.get_redelegation(ctx, delegator, src, dst)
        if red is None:
            continue
        due = [e for e in red.entries if e.completion_time_ns <= now]
        staking.set_redelegation(ctx, msgspec.structs.replace(red, entries=[e for e in red.entries
                                                                             if e.completion_time_ns > now]))
        for entry in due:
            staking.hooks.emit(ctx, HookRedelegationCompleted(delegator=red.delegator, src_validator=red.src_validator,
                                                              dst_validator=red.dst_validator,
                                                              creation_height=entry.creation_height))
            ctx.emit(RedelegationCompleted(delegator=red.delegator, src_validator=red.src_validator,
                                           dst_validator=red.dst_validator))


def process_mature_validators(staking: StakingKeeper, ctx: Context) -> None:
    """Validators whose unbonding period ended become unbonded; one with no shares left is removed."""
    now, height = ctx.block.time_ns, ctx.block.height
    for queue_key in staking.iter_queue_until(ctx, keys.VALIDATOR_QUEUE, now):
        if int.from_bytes(queue_key[9:17], "big") > height:
            continue
        staking.queue_remove(ctx, queue_key)
        validator = staking.get_validator(ctx, queue_key[17:37])
        if validator is None or validator.status != BondStatus.UNBONDING:
            continue  # re-bonded meanwhile
        validator = msgspec.structs.replace(validator, status=BondStatus.UNBONDED)
        staking.set_validator(ctx, validator)
        ctx.emit(ValidatorStatusChanged(validator=validator.operator, status="unbonded"))
        if validator.delegator_shares.is_zero():
            remove_validator(staking, ctx, validator)


def remove_validator(staking: StakingKeeper, ctx: Context, validator) -> None:  # noqa: ANN001
    """Delete an unbonded validator with no shares (its leftover tokens, if any, are dust in the pool)."""
    staking.delete_validator(ctx, validator)
    staking.hooks.emit(ctx, HookValidatorRemoved(validator=validator.operator,
                                                 consensus_address=compute_consensus_address(validator.consensus_pubkey)))


