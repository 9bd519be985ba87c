"""Slashing mechanics owned by staking (the slashing module decides *when*; this decides *what burns*).

Cosmos SDK rules: a slash for an infraction at height ``h`` with fraction ``f`` takes ``f`` of the stake the
validator had then (``power × 10^6``). Unbonding and redelegation entries created at or after ``h`` (and not yet
mature) each lose ``f × initial balance`` (capped at what is left of them); the rest comes from the validator's
tokens, capped at what it holds. Every burned unit and every figure before and after is reported to the hooks.
"""
from __future__ import annotations

import msgspec

from suretychain.core.context import Context
from suretychain.core.dec import Dec, Rounding
from suretychain.core.errors import ErrInvalidRequest, require
from suretychain.core.tx import Coin
from suretychain.modules.staking.delegation import jail_validator, unbond
from suretychain.modules.staking.keeper import StakingKeeper
from suretychain.modules.staking.types import (
    NOT_BONDED_POOL,
    POWER_REDUCTION,
    EntrySlash,
    HookBeforeValidatorSlashed,
    HookValidatorSlashed,
    HookValidatorTombstoned,
    HookValidatorUnjailed,
    InfractionKind,
    Slashed,
    Tombstoned,
    Unjailed,
    Validator,
)


def slash(staking: StakingKeeper, ctx: Context, cons_address: bytes, infraction_height: int, infraction_time_ns: int,
          power: int, fraction: Dec, kind: InfractionKind) -> int:
    """Burn ``fraction`` of the stake the validator had at ``infraction_height``; return the total burned."""
    require(Dec.ZERO <= fraction <= Dec.ONE, ErrInvalidRequest, f"slash fraction {fraction} outside [0, 1]")
    require(infraction_height <= ctx.block.height, ErrInvalidRequest, "infraction in the future")
    validator = staking.get_validator_by_consensus(ctx, cons_address)
    if validator is None:
        return 0  # unbonded and removed meanwhile: nothing left to slash
    target = fraction.mul_int(power * POWER_REDUCTION, Rounding.DOWN)
    entry_slashes: list[EntrySlash] = []
    if infraction_height < ctx.block.height:
        target -= slash_unbonding_entries(staking, ctx, validator, infraction_height, fraction, entry_slashes)
        target -= slash_redelegation_entries(staking, ctx, validator, infraction_height, fraction, entry_slashes)
    validator = staking.get_validator_by_consensus(ctx, cons_address)
    assert validator is not None
    return burn_validator_tokens(staking, ctx, validator, max(0, target), kind, infraction_height,
                                 infraction_time_ns, fraction, entry_slashes)


def burn_validator_tokens(staking: StakingKeeper, ctx: Context, validator: Validator, amount: int,
                          kind: InfractionKind, infraction_height: int, infraction_time_ns: int, fraction: Dec,
                          entry_slashes: list[EntrySlash]) -> int:
    """Burn up to ``amount`` of the validator's own tokens and report the slash to the hooks."""
    burned = min(amount, validator.tokens)
    effective = Dec.from_ratio(burned, validator.tokens, Rounding.DOWN) if validator.tokens else Dec.ZERO
    staking.hooks.emit(ctx, HookBeforeValidatorSlashed(validator=validator.operator, fraction=effective))
    tokens_before = validator.tokens
    after = msgspec.structs.replace(validator, tokens=validator.tokens - burned)
    staking.set_validator(ctx, after)
    if burned:
        staking.bank.burn_coins(ctx, staking.pool_of(validator.status),
                                [Coin(denom=staking.get_params(ctx).bond_denom, amount=burned)])
    total = burned + sum(e.amount for e in entry_slashes)
    staking.hooks.emit(ctx, HookValidatorSlashed(
        validator=validator.operator, infraction=kind, infraction_height=infraction_height,
        infraction_time_ns=infraction_time_ns, fraction=fraction, burned=burned, tokens_before=tokens_before,
        tokens_after=after.tokens, shares=after.delegator_shares, entry_slashes=entry_slashes))
    ctx.emit(Slashed(validator=validator.operator, infraction=kind.name.lower(), infraction_height=infraction_height,
                     fraction=str(fraction), burned=total))
    return total


def slash_unbonding_entries(staking: StakingKeeper, ctx: Context, validator: Validator, infraction_height: int,
                            fraction: Dec, out: list[EntrySlash]) -> int:
    """Slash unbonding entries created at or after the infraction; return the amount they owed (uncapped)."""
    owed_total = 0
    denom = staking.get_params(ctx).bond_denom
    for ubd in list(staking.iter_validator_unbondings(ctx, validator.operator.raw)):
        entries = []
        for entry in ubd.entries:
            if entry.creation_height < infraction_height or entry.completion_time_ns <= ctx.block.time_ns:
                entries.append(entry)
                continue
            owed = fraction.mul_int(entry.initial_balance, Rounding.DOWN)
            owed_total += owed
            burned = min(owed, entry.balance)
            if burned:
                staking.bank.burn_coins(ctx, NOT_BONDED_POOL, [Coin(denom=denom, amount=burned)])
                out.append(EntrySlash(delegator=ubd.delegator, kind="unbonding", creation_height=entry.creation_height,
                                      amount=burned))
            entries.append(msgspec.structs.replace(entry, balance=entry.balance - burned))
        staking.set_unbonding(ctx, msgspec.structs.replace(ubd, entries=entries))
    return owed_total


def slash_redelegation_entries(staking: StakingKeeper, ctx: Context, validator: Validator, infraction_height: int,
                               fraction: Dec, out: list[EntrySlash]) -> int:
    """Slash stake redelegated away at or after the infraction: unbond ``fraction`` of the entry's shares at the
    destination and burn the tokens. Return the amount the entries owed (uncapped)."""
    owed_total = 0
    denom = staking.get_params(ctx).bond_denom
    for red in list(staking.iter_redelegations_from(ctx, validator.operator.raw)):
        for entry in red.entries:
            if entry.creation_height < infraction_height or entry.completion_time_ns <= ctx.block.time_ns:
                continue
            owed_total += fraction.mul_int(entry.initial_balance, Rounding.DOWN)
            delegation = staking.get_delegation(ctx, red.delegator.raw, red.dst_validator.raw)
            if delegation is None:
                continue  # the delegator already left the destination: nothing to take there
            shares = min(entry.shares_dst.mul(fraction, Rounding.DOWN), delegation.shares)
            if shares.is_zero():
                continue
            dst = staking.get_validator(ctx, red.dst_validator.raw)
            assert dst is not None
            tokens = unbond(staking, ctx, red.delegator, red.dst_validator, shares)
            if tokens:
                staking.bank.burn_coins(ctx, staking.pool_of(dst.status), [Coin(denom=denom, amount=tokens)])
                out.append(EntrySlash(delegator=red.delegator, kind="redelegation",
                                      creation_height=entry.creation_height, amount=tokens,
                                      dst_validator=red.dst_validator))
    return owed_total


def jail(staking: StakingKeeper, ctx: Context, cons_address: bytes, reason: str) -> None:
    """Jail the validator with this consensus address (it leaves the set at end-block)."""
    validator = staking.get_validator_by_consensus(ctx, cons_address)
    if validator is not None and not validator.jailed:
        jail_validator(staking, ctx, validator, reason)


def unjail(staking: StakingKeeper, ctx: Context, validator: Validator) -> None:
    """Put a jailed validator back in the power index (the slashing module checks when this is allowed)."""
    freed = msgspec.structs.replace(validator, jailed=False)
    staking.set_validator(ctx, freed)
    staking.hooks.emit(ctx, HookValidatorUnjailed(validator=validator.operator))
    ctx.emit(Unjailed(validator=validator.operator))


def tombstone(staking: StakingKeeper, ctx: Context, cons_address: bytes) -> None:
    """Mark a validator as never able to validate again."""
    validator = staking.get_validator_by_consensus(ctx, cons_address)
    if validator is not None and not validator.tombstoned:
        staking.set_validator(ctx, msgspec.structs.replace(validator, tombstoned=True))
        staking.hooks.emit(ctx, HookValidatorTombstoned(validator=validator.operator))
        ctx.emit(Tombstoned(validator=validator.operator))
