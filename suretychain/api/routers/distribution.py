"""Distribution reads through ``distribution/<route>``: delegators' rewards, validators' commission and outstanding
rewards, withdraw addresses, the community pool and params. Amounts are decimal strings (18 places) until paid."""
from __future__ import annotations

from fastapi import APIRouter, Depends

from suretychain.api.deps import ChainView, chain_view
from suretychain.api.models import record_model
from suretychain.core.encoding import ValAddress, parse_address
from suretychain.modules.distribution.params import Params
from suretychain.modules.distribution.types import (
    CommissionResponse,
    CommunityPoolResponse,
    OutstandingResponse,
    RewardsResponse,
    WithdrawAddressResponse,
)

router = APIRouter(prefix="/distribution", tags=["distribution"])

RewardsOut = record_model(RewardsResponse, "Distribution")
CommissionOut = record_model(CommissionResponse, "Distribution")
OutstandingOut = record_model(OutstandingResponse, "Distribution")
WithdrawAddressOut = record_model(WithdrawAddressResponse, "Distribution")
CommunityPoolOut = record_model(CommunityPoolResponse, "Distribution")
ParamsOut = record_model(Params, "Distribution")


@router.get("/rewards/{delegator}", response_model=RewardsOut)
async def get_rewards(delegator: str, view: ChainView = Depends(chain_view)) -> RewardsOut:
    """A delegator's unpaid rewards from each validator it delegates to, and their total."""
    return RewardsOut.of(view.query("distribution/rewards", delegator=parse_address(delegator)))


@router.get("/rewards/{delegator}/{valoper}", response_model=RewardsOut)
async def get_rewards_from(delegator: str, valoper: str, view: ChainView = Depends(chain_view)) -> RewardsOut:
    """A delegator's unpaid rewards from one validator."""
    return RewardsOut.of(view.query("distribution/rewards", delegator=parse_address(delegator),
                                    validator=parse_address(valoper, ValAddress)))


@router.get("/commission/{valoper}", response_model=CommissionOut)
async def get_commission(valoper: str, view: ChainView = Depends(chain_view)) -> CommissionOut:
    """A validator's accumulated, unwithdrawn commission."""
    return CommissionOut.of(view.query("distribution/commission", validator=parse_address(valoper, ValAddress)))


@router.get("/outstanding/{valoper}", response_model=OutstandingOut)
async def get_outstanding(valoper: str, view: ChainView = Depends(chain_view)) -> OutstandingOut:
    """Everything allocated to a validator and not yet paid (its commission and its delegators' rewards)."""
    return OutstandingOut.of(view.query("distribution/outstanding", validator=parse_address(valoper, ValAddress)))


@router.get("/withdraw-address/{delegator}", response_model=WithdrawAddressOut)
async def get_withdraw_address(delegator: str, view: ChainView = Depends(chain_view)) -> WithdrawAddressOut:
    """Where a delegator's rewards (and an operator's commission) are paid."""
    return WithdrawAddressOut.of(view.query("distribution/withdraw-address", delegator=parse_address(delegator)))


@router.get("/community-pool", response_model=CommunityPoolOut)
async def get_community_pool(view: ChainView = Depends(chain_view)) -> CommunityPoolOut:
    """The community pool."""
    return CommunityPoolOut.of(view.query("distribution/community-pool"))


@router.get("/params", response_model=ParamsOut)
async def get_params(view: ChainView = Depends(chain_view)) -> ParamsOut:
    """The distribution params."""
    return ParamsOut.of(view.query("distribution/params"))
