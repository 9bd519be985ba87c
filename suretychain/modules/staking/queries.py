"""Read-only staking queries (``staking/<route>``)."""
from __future__ import annotations

from suretychain.core.context import Context
from suretychain.core.encoding import Address, Record, ValAddress
from suretychain.core.errors import ErrNotFound, require
from suretychain.modules.staking.keeper import StakingKeeper
from suretychain.modules.staking.shares import compute_tokens_for_shares
from suretychain.modules.staking.types import (
    BONDED_POOL,
    NOT_BONDED_POOL,
    Delegation,
    Params,
    Redelegation,
    UnbondingDelegation,
    Validator,
)


class QueryValidators(Record):
    status: str = ""  # "", "bonded", "unbonding", "unbonded"


class QueryValidator(Record):
    validator: ValAddress


class QueryDelegation(Record):
    delegator: Address
    validator: ValAddress


class QueryDelegator(Record):
    delegator: Address


class QueryParams(Record):
    pass


class ValidatorsResponse(Record):
    validators: list[Validator]


class DelegationResponse(Record):
    delegation: Delegation
    balance: int  # the tokens the shares are worth now


class DelegationsResponse(Record):
    delegations: list[DelegationResponse]


class UnbondingsResponse(Record):
    unbonding_delegations: list[UnbondingDelegation]


class RedelegationsResponse(Record):
    redelegations: list[Redelegation]


class PoolResponse(Record):
    bonded_tokens: int
    not_bonded_tokens: int


def query_validators(staking: StakingKeeper, ctx: Context, req: QueryValidators) -> ValidatorsResponse:
    """All validators (optionally of one status), by operator."""
    return ValidatorsResponse(validators=[v for v in staking.iter_validators(ctx)
                                          if not req.status or v.status.name.lower() == req.status])


def query_validator(staking: StakingKeeper, ctx: Context, req: QueryValidator) -> Validator:
    validator = staking.get_validator(ctx, req.validator.raw)
    require(validator is not None, ErrNotFound, f"validator {req.validator}")
    return validator  # type: ignore[return-value]


def _with_balance(staking: StakingKeeper, ctx: Context, delegation: Delegation) -> DelegationResponse:
    validator = staking.get_validator(ctx, delegation.validator.raw)
    balance = compute_tokens_for_shares(validator, delegation.shares) if validator else 0
    return DelegationResponse(delegation=delegation, balance=balance)


def query_delegation(staking: StakingKeeper, ctx: Context, req: QueryDelegation) -> DelegationResponse:
    delegation = staking.get_delegation(ctx, req.delegator.raw, req.validator.raw)
    require(delegation is not None, ErrNotFound, f"delegation {req.delegator} -> {req.validator}")
    return _with_balance(staking, ctx, delegation)  # type: ignore[arg-type]


def query_delegations(staking: StakingKeeper, ctx: Context, req: QueryDelegator) -> DelegationsResponse:
    return DelegationsResponse(delegations=[_with_balance(staking, ctx, d)
                                            for d in staking.iter_delegator_delegations(ctx, req.delegator.raw)])


def query_unbondings(staking: StakingKeeper, ctx: Context, req: QueryDelegator) -> UnbondingsResponse:
    return UnbondingsResponse(unbonding_delegations=[u for u in staking.iter_unbondings(ctx)
                                                     if u.delegator.raw == req.delegator.raw])


def query_redelegations(staking: StakingKeeper, ctx: Context, req: QueryDelegator) -> RedelegationsResponse:
    return RedelegationsResponse(redelegations=[r for r in staking.iter_redelegations(ctx)
                                                if r.delegator.raw == req.delegator.raw])


def query_pool(staking: StakingKeeper, ctx: Context, req: QueryParams) -> PoolResponse:
    return PoolResponse(bonded_tokens=staking.pool_balance(ctx, BONDED_POOL),
                        not_bonded_tokens=staking.pool_balance(ctx, NOT_BONDED_POOL))


def query_params(staking: StakingKeeper, ctx: Context, req: QueryParams) -> Params:
    return staking.get_params(ctx)
