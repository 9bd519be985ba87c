"""Delegation rules: delegate, undelegate, redelegate, cancel an unbonding; the shared ``delegate``/``unbond``."""
from __future__ import annotations

import msgspec

from suretychain.core.context import Context
from suretychain.core.encoding import Address, ValAddress
from suretychain.core.errors import require
from suretychain.core.tx import Coin
from suretychain.modules.staking import keys
from suretychain.modules.staking.keeper import StakingKeeper
from suretychain.modules.staking.shares import add_tokens, compute_shares_to_remove, compute_tokens_for_shares, remove_shares
from suretychain.modules.staking.types import (
    NOT_BONDED_POOL,
    BondStatus,
    Delegated,
    Delegation,
    ErrBadDenom,
    ErrCancelTooMuch,
    ErrDelegationNotFound,
    ErrNotEnoughDelegation,
    ErrSelfRedelegation,
    ErrTooManyEntries,
    ErrTransitiveRedelegation,
    ErrUnbondingNotFound,
    ErrValidatorJailed,
    ErrValidatorNotFound,
    ErrValidatorTombstoned,
    ErrZeroAmount,
    ErrZeroShares,
    HookBeforeDelegationCreated,
    HookBeforeDelegationRemoved,
    HookBeforeDelegationSharesModified,
    HookBeforeUnbond,
    HookDelegationModified,
    HookRedelegationStarted,
    HookUnbondingStarted,
    HookValidatorJailed,
    Jailed,
    MsgBeginRedelegate,
    MsgCancelUnbondingDelegation,
    MsgDelegate,
    MsgUndelegate,
    Redelegation,
    RedelegationBegun,
    RedelegationEntry,
    UnbondingBegun,
    UnbondingCancelled,
    UnbondingDelegation,
    UnbondingEntry,
    Validator,
)


def get_existing_validator(staking: StakingKeeper, ctx: Context, operator: ValAddress) -> Validator:
    """The validator at ``operator``, or ``ErrValidatorNotFound``."""
    validator = staking.get_validator(ctx, operator.raw)
    require(validator is not None, ErrValidatorNotFound, str(operator))
    return validator  # type: ignore[return-value]


def require_bond_amount(staking: StakingKeeper, ctx: Context, amount: Coin) -> None:
    """A positive amount of the bond denom."""
    bond_denom = staking.get_params(ctx).bond_denom
    require(amount.denom == bond_denom, ErrBadDenom, f"got {amount.denom}, staking uses {bond_denom}")
    require(amount.amount > 0, ErrZeroAmount)


def delegate(staking: StakingKeeper, ctx: Context, delegator: Address, operator: ValAddress, amount: int,
             source_pool: str | None = None) -> Delegation:
    """Add ``amount`` tokens to ``delegator``'s delegation: from its account, or from ``source_pool`` when the
    tokens are already bonded elsewhere (redelegation, cancelled unbonding)."""
    validator = get_existing_validator(staking, ctx, operator)
    # A tombstoned validator can never validate again: stake sent to it could only be lost
    require(not validator.tombstoned, ErrValidatorTombstoned, str(operator))
    existing = staking.get_delegation(ctx, delegator.raw, operator.raw)
    hook = HookBeforeDelegationCreated if existing is None else HookBeforeDelegationSharesModified
    staking.hooks.emit(ctx, hook(delegator=delegator, validator=operator))
    validator = staking.get_validator(ctx, operator.raw)  # hooks may not change it, but read it fresh
    assert validator is not None
    pool = staking.pool_of(validator.status)
    if source_pool is None:
        bond_denom = staking.get_params(ctx).bond_denom
        staking.bank.send_coins_from_account_to_module(ctx, delegator.raw, pool, [Coin(denom=bond_denom, amount=amount)])
    else:
        staking.move_between_pools(ctx, source_pool, pool, amount)
    validator, shares = add_tokens(validator, amount)
    require(shares.is_positive(), ErrZeroShares, f"{amount} tokens")
    staking.set_validator(ctx, validator)
    total = shares if existing is None else existing.shares + shares
    delegation = Delegation(delegator=delegator, validator=operator, shares=total)
    staking.set_delegation(ctx, delegation)
    staking.hooks.emit(ctx, HookDelegationModified(delegator=delegator, validator=operator, shares=total))
    ctx.emit(Delegated(delegator=delegator, validator=operator, amount=amount, shares=str(shares)))
    return delegation


def unbond(staking: StakingKeeper, ctx: Context, delegator: Address, operator: ValAddress, shares) -> int:  # noqa: ANN001
    """Remove ``shares`` from a delegation and the validator; return the tokens they were worth. Jails the
    validator (no slash) when its operator's own delegation falls below the minimum self-delegation."""
    delegation = staking.get_delegation(ctx, delegator.raw, operator.raw)
    require(delegation is not None, ErrDelegationNotFound)
    assert delegation is not None
    require(shares <= delegation.shares, ErrNotEnoughDelegation, f"{shares} > {delegation.shares} shares")
    staking.hooks.emit(ctx, HookBeforeDelegationSharesModified(delegator=delegator, validator=operator))
    remaining = delegation.shares - shares
    if remaining.is_zero():
        staking.hooks.emit(ctx, HookBeforeDelegationRemoved(delegator=delegator, validator=operator))
        staking.remove_delegation(ctx, delegation)
    else:
        staking.set_delegation(ctx, msgspec.structs.replace(delegation, shares=remaining))
        staking.hooks.emit(ctx, HookDelegationModified(delegator=delegator, validator=operator, shares=remaining))
    validator = get_existing_validator(staking, ctx, operator)
    if delegator.raw == operator.raw and not validator.jailed and \
            compute_tokens_for_shares(validator, remaining) < validator.min_self_delegation:
        validator = jail_validator(staking, ctx, validator, "self_delegation_below_min")
    validator, tokens = remove_shares(validator, shares)
    staking.set_validator(ctx, validator)
    return tokens


def jail_validator(staking: StakingKeeper, ctx: Context, validator: Validator, reason: str) -> Validator:
    """Take a validator out of the power index; it leaves the set at the next end-block."""
    jailed = msgspec.structs.replace(validator, jailed=True)
    staking.set_validator(ctx, jailed)
    staking.hooks.emit(ctx, HookValidatorJailed(validator=validator.operator, reason=reason))
    ctx.emit(Jailed(validator=validator.operator, reason=reason))
    return jailed


def compute_shares_for_amount(validator: Validator, delegation: Delegation, amount: int) -> object:
    """Shares to take ``amount`` tokens out of ``delegation``; ``ErrNotEnoughDelegation`` if it holds less."""
    held = compute_tokens_for_shares(validator, delegation.shares)
    require(amount <= held, ErrNotEnoughDelegation, f"{amount} > {held} delegated")
    shares = compute_shares_to_remove(validator, amount)
    return delegation.shares if shares > delegation.shares or amount == held else shares


def process_delegate(staking: StakingKeeper, ctx: Context, msg: MsgDelegate) -> None:
    """Bond the delegator's tokens to a validator."""
    require_bond_amount(staking, ctx, msg.amount)
    delegate(staking, ctx, msg.delegator, msg.validator, msg.amount.amount)


def process_undelegate(staking: StakingKeeper, ctx: Context, msg: MsgUndelegate) -> None:
    """Start unbonding: the tokens stay slashable and are paid out after ``unbonding_time``."""
    require_bond_amount(staking, ctx, msg.amount)
    params = staking.get_params(ctx)
    validator = get_existing_validator(staking, ctx, msg.validator)
    delegation = staking.get_delegation(ctx, msg.delegator.raw, msg.validator.raw)
    require(delegation is not None, ErrDelegationNotFound)
    ubd = staking.get_unbonding(ctx, msg.delegator.raw, msg.validator.raw) or UnbondingDelegation(
        delegator=msg.delegator, validator=msg.validator, entries=[])
    require(len(ubd.entries) < params.max_entries, ErrTooManyEntries)
    shares = compute_shares_for_amount(validator, delegation, msg.amount.amount)  # type: ignore[arg-type]
    staking.hooks.emit(ctx, HookBeforeUnbond(delegator=msg.delegator, validator=msg.validator,
                                             tokens=msg.amount.amount, kind="undelegate"))
    was_bonded = validator.status == BondStatus.BONDED
    tokens = unbond(staking, ctx, msg.delegator, msg.validator, shares)
    require(tokens > 0, ErrZeroShares, "nothing to unbond")
    if was_bonded:
        staking.move_between_pools(ctx, staking.pool_of(BondStatus.BONDED), NOT_BONDED_POOL, tokens)
    completion = ctx.block.time_ns + params.unbonding_time_ns
    entry = UnbondingEntry(creation_height=ctx.block.height, completion_time_ns=completion, initial_balance=tokens,
                           balance=tokens)
    staking.set_unbonding(ctx, msgspec.structs.replace(ubd, entries=ubd.entries + [entry]))
    staking.queue_insert(ctx, keys.unbonding_queue_key(completion, msg.delegator.raw, msg.validator.raw))
    staking.hooks.emit(ctx, HookUnbondingStarted(delegator=msg.delegator, validator=msg.validator,
                                                 creation_height=ctx.block.height, completion_time_ns=completion,
                                                 amount=tokens))
    ctx.emit(UnbondingBegun(delegator=msg.delegator, validator=msg.validator, amount=tokens,
                            completion_time_ns=completion))


def process_begin_redelegate(staking: StakingKeeper, ctx: Context, msg: MsgBeginRedelegate) -> None:
    """Move stake to another validator at once; the source can still slash it until the entry matures."""
    require_bond_amount(staking, ctx, msg.amount)
    require(msg.src_validator.raw != msg.dst_validator.raw, ErrSelfRedelegation)
    params = staking.get_params(ctx)
    src = get_existing_validator(staking, ctx, msg.src_validator)
    dst = get_existing_validator(staking, ctx, msg.dst_validator)
    require(not dst.tombstoned, ErrValidatorTombstoned, str(msg.dst_validator))
    # No hopping: stake still answerable to one validator's faults cannot move on again
    require(not staking.has_receiving_redelegation(ctx, msg.delegator.raw, msg.src_validator.raw),
            ErrTransitiveRedelegation)
    delegation = staking.get_delegation(ctx, msg.delegator.raw, msg.src_validator.raw)
    require(delegation is not None, ErrDelegationNotFound)
    red = staking.get_redelegation(ctx, msg.delegator.raw, msg.src_validator.raw, msg.dst_validator.raw) or \
        Redelegation(delegator=msg.delegator, src_validator=msg.src_validator, dst_validator=msg.dst_validator,
                     entries=[])
    require(len(red.entries) < params.max_entries, ErrTooManyEntries)
    shares = compute_shares_for_amount(src, delegation, msg.amount.amount)  # type: ignore[arg-type]
    staking.hooks.emit(ctx, HookBeforeUnbond(delegator=msg.delegator, validator=msg.src_validator,
                                             tokens=msg.amount.amount, kind="redelegate"))
    src_pool = staking.pool_of(src.status)
    tokens = unbond(staking, ctx, msg.delegator, msg.src_validator, shares)
    require(tokens > 0, ErrZeroShares, "nothing to redelegate")
    before = staking.get_delegation(ctx, msg.delegator.raw, msg.dst_validator.raw)
    after = delegate(staking, ctx, msg.delegator, msg.dst_validator, tokens, source_pool=src_pool)
    shares_dst = after.shares - before.shares if before is not None else after.shares
    if src.status == BondStatus.UNBONDED:
        return  # an unbonded source can no longer be slashed for new faults: nothing to track
    completion = ctx.block.time_ns + params.unbonding_time_ns
    entry = RedelegationEntry(creation_height=ctx.block.height, completion_time_ns=completion,
                              initial_balance=tokens, shares_dst=shares_dst)
    staking.set_redelegation(ctx, msgspec.structs.replace(red, entries=red.entries + [entry]))
    staking.queue_insert(ctx, keys.redelegation_queue_key(completion, msg.delegator.raw, msg.src_validator.raw,
                                                          msg.dst_validator.raw))
    staking.hooks.emit(ctx, HookRedelegationStarted(delegator=msg.delegator, src_validator=msg.src_validator,
                                                    dst_validator=msg.dst_validator, creation_height=ctx.block.height,
                                                    completion_time_ns=completion, amount=tokens))
    ctx.emit(RedelegationBegun(delegator=msg.delegator, src_validator=msg.src_validator,
                               dst_validator=msg.dst_validator, amount=tokens, completion_time_ns=completion))


def process_cancel_unbonding(staking: StakingKeeper, ctx: Context, msg: MsgCancelUnbondingDelegation) -> None:
    """Return (part of) an unbonding entry to the delegation it left."""
    require_bond_amount(staking, ctx, msg.amount)
    validator = get_existing_validator(staking, ctx, msg.validator)
    require(not validator.jailed, ErrValidatorJailed, str(msg.validator))
    ubd = staking.get_unbonding(ctx, msg.delegator.raw, msg.validator.raw)
    require(ubd is not None, ErrUnbondingNotFound)
    assert ubd is not None
    index = next((i for i, e in enumerate(ubd.entries) if e.creation_height == msg.creation_height), None)
    require(index is not None, ErrUnbondingNotFound, f"no entry created at height {msg.creation_height}")
    entry = ubd.entries[index]  # type: ignore[index]
    require(msg.amount.amount <= entry.balance, ErrCancelTooMuch, f"{msg.amount.amount} > {entry.balance}")
    delegate(staking, ctx, msg.delegator, msg.validator, msg.amount.amount, source_pool=NOT_BONDED_POOL)
    left = msgspec.structs.replace(entry, balance=entry.balance - msg.amount.amount,
                                   initial_balance=entry.initial_balance - msg.amount.amount)
    entries = list(ubd.entries)
    if left.balance == 0:
        del entries[index]  # type: ignore[arg-type]
    else:
        entries[index] = left  # type: ignore[index]
    staking.set_unbonding(ctx, msgspec.structs.replace(ubd, entries=entries))
    ctx.emit(UnbondingCancelled(delegator=msg.delegator, validator=msg.validator, amount=msg.amount.amount,
                                creation_height=msg.creation_height))


def pay_from_self_bond(staking: StakingKeeper, ctx: Context, operator: ValAddress, amount: int,
                       recipient: Address) -> int:
    """Take up to ``amount`` tokens out of the operator's own delegation and pay them to ``recipient`` at once
    (no unbonding period: the collateral is forfeited). Returns what was paid. Shares are given up rounded up, so
    the tokens released may exceed the payment by a rounding unit: that excess goes to the operator's account,
    never lost. The validator may be jailed if its self-delegation falls below its minimum, as with any unbond."""
    validator = get_existing_validator(staking, ctx, operator)
    delegation = staking.get_delegation(ctx, operator.raw, operator.raw)
    if delegation is None or amount <= 0:
        return 0
    held = compute_tokens_for_shares(validator, delegation.shares)
    paid = min(amount, held)
    if paid == 0:
        return 0
    shares = delegation.shares if paid == held else min(compute_shares_to_remove(validator, paid), delegation.shares)
    pool = staking.pool_of(validator.status)
    operator_account = Address.from_raw(operator.raw)
    released = unbond(staking, ctx, operator_account, operator, shares)
    paid = min(paid, released)
    bond_denom = staking.get_params(ctx).bond_denom
    staking.bank.send_coins_from_module_to_account(ctx, pool, recipient.raw, [Coin(denom=bond_denom, amount=paid)])
    if released > paid:
        staking.bank.send_coins_from_module_to_account(ctx, pool, operator.raw,
                                                       [Coin(denom=bond_denom, amount=released - paid)])
    return paid
