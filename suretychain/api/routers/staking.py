"""Staking reads through ``staking/<route>``: validators, delegations, unbondings, redelegations, pool, params."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Query

from suretychain.api.deps import ChainView, chain_view
from suretychain.api.models import record_model
from suretychain.core.encoding import ValAddress, parse_address
from suretychain.modules.staking import queries
from suretychain.modules.staking.types import Params, Validator

router = APIRouter(prefix="/staking", tags=["staking"])

ValidatorOut = record_model(Validator, "Staking")
ValidatorsOut = record_model(queries.ValidatorsResponse, "Staking")
DelegationOut = record_model(queries.DelegationResponse, "Staking")
DelegationsOut = record_model(queries.DelegationsResponse, "Staking")
UnbondingsOut = record_model(queries.UnbondingsResponse, "Staking")
RedelegationsOut = record_model(queries.RedelegationsResponse, "Staking")
PoolOut = record_model(queries.PoolResponse, "Staking")
ParamsOut = record_model(Params, "Staking")


@router.get("/validators", response_model=ValidatorsOut)
async def get_validators(status: str = Query("", description="bonded, unbonding or unbonded; empty = all"),
                         view: ChainView = Depends(chain_view)) -> ValidatorsOut:
    """Every validator (or those of one status), by operator address."""
    return ValidatorsOut.of(view.query("staking/validators", status=status))


@router.get("/validators/{valoper}", response_model=ValidatorOut)
async def get_validator(valoper: str, view: ChainView = Depends(chain_view)) -> ValidatorOut:
    """One validator, by operator address (``surevaloper1...``)."""
    return ValidatorOut.of(view.query("staking/validator", validator=parse_address(valoper, ValAddress)))


@router.get("/delegations/{delegator}", response_model=DelegationsOut)
async def get_delegations(delegator: str, view: ChainView = Depends(chain_view)) -> DelegationsOut:
    """Every delegation of a delegator, with the tokens its shares are worth now."""
    return DelegationsOut.of(view.query("staking/delegations", delegator=parse_address(delegator)))


@router.get("/delegations/{delegator}/{valoper}", response_model=DelegationOut)
async def get_delegation(delegator: str, valoper: str, view: ChainView = Depends(chain_view)) -> DelegationOut:
    """One delegation, with the tokens its shares are worth now."""
    return DelegationOut.of(view.query("staking/delegation", delegator=parse_address(delegator),
                                       validator=parse_address(valoper, ValAddress)))


@router.get("/unbonding/{delegator}", response_model=UnbondingsOut)
async def get_unbondings(delegator: str, view: ChainView = Depends(chain_view)) -> UnbondingsOut:
    """A delegator's unbonding delegations (one per validator, each with its entries)."""
    return UnbondingsOut.of(view.query("staking/unbonding", delegator=parse_address(delegator)))


@router.get("/redelegations/{delegator}", response_model=RedelegationsOut)
async def get_redelegations(delegator: str, view: ChainView = Depends(chain_view)) -> RedelegationsOut:
    """A delegator's maturing redelegations (one per source and destination, each with its entries)."""
    return RedelegationsOut.of(view.query("staking/redelegations", delegator=parse_address(delegator)))


@router.get("/pool", response_model=PoolOut)
async def get_pool(view: ChainView = Depends(chain_view)) -> PoolOut:
    """Tokens in the bonded and not-bonded pools."""
    return PoolOut.of(view.query("staking/pool"))


@router.get("/params", response_model=ParamsOut)
async def get_params(view: ChainView = Depends(chain_view)) -> ParamsOut:
    """The staking params."""
    return ParamsOut.of(view.query("staking/params"))
