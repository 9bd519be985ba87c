"""Insurance reads through ``insurance/<route>``: terms, insurances, solvency (with proofs if asked), refunds."""
from __future__ import annotations

from typing import Any

import msgspec
from fastapi import APIRouter, Depends, Query

from suretychain.api.codec import present_query
from suretychain.api.deps import ChainView, chain_view, get_backend
from suretychain.api.models import QueryOut, record_model
from suretychain.core.encoding import Address, ValAddress, parse_address, to_json
from suretychain.modules.insurance.types import InsurancesResponse, RefundsResponse, SolvencyResponse, TermsResponse
from suretychain.node.backend import NodeBackend

router = APIRouter(prefix="/insurance", tags=["insurance"])

TermsOut = record_model(TermsResponse, "Insurance")
InsurancesOut = record_model(InsurancesResponse, "Insurance")
SolvencyOut = record_model(SolvencyResponse, "Insurance")
RefundsOut = record_model(RefundsResponse, "Insurance")


def filters(delegator: str | None, validator: str | None) -> dict[str, Any]:
    """The ``delegator`` and ``validator`` filters that are given, parsed (a malformed one is the chain's error)."""
    request: dict[str, Any] = {}
    if delegator:
        request["delegator"] = parse_address(delegator, Address)
    if validator:
        request["validator"] = parse_address(validator, ValAddress)
    return request


@router.get("/terms/{valoper}", response_model=TermsOut)
async def get_terms(valoper: str, view: ChainView = Depends(chain_view)) -> TermsOut:
    """A validator's current terms, by id."""
    return TermsOut.of(view.query("insurance/terms", validator=parse_address(valoper, ValAddress)))


@router.get("/insurances", response_model=InsurancesOut)
async def get_insurances(delegator: str | None = Query(None, description="sure1...: a delegator's insurances"),
                         validator: str | None = Query(None, description="surevaloper1...: a validator's insurances"),
                         view: ChainView = Depends(chain_view)) -> InsurancesOut:
    """Insurances of a delegator, of a validator, of both, or all; oldest first."""
    return InsurancesOut.of(view.query("insurance/insurances", **filters(delegator, validator)))


@router.get("/solvency/{valoper}", response_model=SolvencyOut | QueryOut)
async def get_solvency(valoper: str, height: int = Query(0, ge=0, description="0 = latest"),
                       prove: bool = Query(False, description="answer {height, value, proofs}: the value with the "
                                           "Merkle proofs of every key read, against the app hash at that height"),
                       backend: NodeBackend = Depends(get_backend)) -> Any:
    """Self-bond, TotalRefund, headroom and MaxUnbond of a validator at a height (the seed's transparency check)."""
    view = ChainView(backend, height, prove)
    request = {"validator": parse_address(valoper, ValAddress)}
    if not prove:
        return SolvencyOut.of(view.query("insurance/solvency", **request))
    result = view.query_result("insurance/solvency", to_json(request))
    return present_query(result, msgspec.json.decode(result.value))


@router.get("/refunds", response_model=RefundsOut)
async def get_refunds(delegator: str | None = Query(None, description="sure1..."),
                      validator: str | None = Query(None, description="surevaloper1..."),
                      view: ChainView = Depends(chain_view)) -> RefundsOut:
    """What each insurance still in the state was refunded and was short, with totals."""
    return RefundsOut.of(view.query("insurance/refunds", **filters(delegator, validator)))
