"""Read-only distribution queries served through ``App.query`` as ``distribution/<route>``."""
from __future__ import annotations

from suretychain.core.context import Context
from suretychain.core.errors import require
from suretychain.modules.distribution.deccoins import compute_sum
from suretychain.modules.distribution.errors import ErrNoDelegationDistInfo
from suretychain.modules.distribution.keeper import DistributionKeeper
from suretychain.modules.distribution.params import Params
from suretychain.modules.distribution.rewards import get_delegation_rewards, get_existing_validator
from suretychain.modules.distribution.types import (
    CommissionResponse,
    CommunityPoolResponse,
    DecCoin,
    DelegationRewards,
    OutstandingResponse,
    QueryDelegator,
    QueryParams,
    QueryRewards,
    QueryValidator,
    RewardsResponse,
    WithdrawAddressResponse,
)
from suretychain.modules.staking.types import Delegation


def query_rewards(k: DistributionKeeper, ctx: Context, req: QueryRewards) -> RewardsResponse:
    """A delegator's unpaid rewards as of the queried height: from one validator, or from each it delegates to."""
    if req.validator is not None:
        get_existing_validator(k, ctx, req.validator.raw)
        delegation = k.staking.get_delegation(ctx, req.delegator.raw, req.validator.raw)
        require(delegation is not None, ErrNoDelegationDistInfo, f"{req.delegator} -> {req.validator}")
        delegations: list[Delegation] = [delegation]  # type: ignore[list-item]
    else:
        delegations = list(k.staking.iter_delegator_delegations(ctx, req.delegator.raw))
    rewards = []
    for delegation in delegations:
        validator = get_existing_validator(k, ctx, delegation.validator.raw)
        rewards.append(DelegationRewards(validator=delegation.validator,
                                         reward=get_delegation_rewards(k, ctx, validator, delegation)))
    total: list[DecCoin] = []
    for entry in rewards:
        total = compute_sum(total, entry.reward)
    return RewardsResponse(rewards=rewards, total=total)


def query_commission(k: DistributionKeeper, ctx: Context, req: QueryValidator) -> CommissionResponse:
    """A validator's accumulated, unwithdrawn commission."""
    return CommissionResponse(commission=k.get_accumulated_commission(ctx, req.validator.raw))


def query_outstanding(k: DistributionKeeper, ctx: Context, req: QueryValidator) -> OutstandingResponse:
    """Everything allocated to a validator and not yet paid (commission and delegators' rewards)."""
    return OutstandingResponse(rewards=k.get_outstanding_rewards(ctx, req.validator.raw))


def query_community_pool(k: DistributionKeeper, ctx: Context, req: QueryParams) -> CommunityPoolResponse:
    """The community pool."""
    return CommunityPoolResponse(pool=k.get_community_pool(ctx))


def query_params(k: DistributionKeeper, ctx: Context, req: QueryParams) -> Params:
    """The distribution params."""
    return k.get_params(ctx)


def query_withdraw_address(k: DistributionKeeper, ctx: Context, req: QueryDelegator) -> WithdrawAddressResponse:
    """Where a delegator's rewards are paid."""
    return WithdrawAddressResponse(withdraw_address=k.get_withdraw_address(ctx, req.delegator.raw))
