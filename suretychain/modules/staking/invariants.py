"""Staking invariants, registered as ``staking/<name>``."""
from __future__ import annotations

from suretychain.core.context import Context
from suretychain.core.dec import Dec
from suretychain.modules.staking.keeper import StakingKeeper
from suretychain.modules.staking.types import BONDED_POOL, NOT_BONDED_POOL, BondStatus


def check_pools(staking: StakingKeeper, ctx: Context) -> str | None:
    """The bonded pool holds exactly the bonded validators' tokens; the not-bonded pool holds the others' tokens
    plus every unbonding entry's balance."""
    bonded = not_bonded = 0
    for validator in staking.iter_validators(ctx):
        if validator.status == BondStatus.BONDED:
            bonded += validator.tokens
        else:
            not_bonded += validator.tokens
    not_bonded += sum(e.balance for ubd in staking.iter_unbondings(ctx) for e in ubd.entries)
    held_bonded, held_not_bonded = staking.pool_balance(ctx, BONDED_POOL), staking.pool_balance(ctx, NOT_BONDED_POOL)
    if (bonded, not_bonded) != (held_bonded, held_not_bonded):
        return f"bonded pool {held_bonded} vs {bonded}; not-bonded pool {held_not_bonded} vs {not_bonded}"
    return None


def check_delegator_shares(staking: StakingKeeper, ctx: Context) -> str | None:
    """For every validator, its delegations' shares add up to its delegator shares."""
    for validator in staking.iter_validators(ctx):
        total = sum((d.shares for d in staking.iter_validator_delegations(ctx, validator.operator.raw)), Dec.ZERO)
        if total != validator.delegator_shares:
            return f"{validator.operator}: delegations hold {total} shares, validator records {validator.delegator_shares}"
        if validator.delegator_shares.is_negative():
            return f"{validator.operator}: negative shares"
    return None


def check_positive_delegations(staking: StakingKeeper, ctx: Context) -> str | None:
    """No delegation has zero or negative shares (they are removed when emptied)."""
    for delegation in staking.iter_delegations(ctx):
        if not delegation.shares.is_positive():
            return f"delegation {delegation.delegator} -> {delegation.validator} has {delegation.shares} shares"
    return None
