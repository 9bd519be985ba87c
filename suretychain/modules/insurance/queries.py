"""Read-only insurance queries (``insurance/<route>``). The solvency query reads point records only (params, the
exposure record, the slashing params, the validator and its self-delegation), so ``prove=true`` proves every figure
against the app hash at that height."""
from __future__ import annotations

from suretychain.core.context import Context
from suretychain.core.errors import require
from suretychain.modules.insurance.errors import ErrInsuranceNotFound, ErrTermNotFound
from suretychain.modules.insurance.keeper import InsuranceKeeper
from suretychain.modules.insurance.lifecycle import get_self_bond, get_total_refund
from suretychain.modules.insurance.params import Params
from suretychain.modules.insurance.solvency import (
    compute_max_unbond,
    compute_self_bond_after_worst_slash,
    compute_worst_fraction,
)
from suretychain.modules.insurance.types import (
    Insurance,
    InsurancesResponse,
    InsuranceView,
    QueryId,
    QueryInsurances,
    QueryParams,
    QueryValidator,
    RefundRecord,
    RefundsResponse,
    SolvencyResponse,
    Term,
    TermsResponse,
)


def query_params(keeper: InsuranceKeeper, ctx: Context, req: QueryParams) -> Params:
    return keeper.get_params(ctx)


def query_term(keeper: InsuranceKeeper, ctx: Context, req: QueryId) -> Term:
    term = keeper.get_term(ctx, req.id)
    require(term is not None, ErrTermNotFound, str(req.id))
    return term  # type: ignore[return-value]


def query_terms(keeper: InsuranceKeeper, ctx: Context, req: QueryValidator) -> TermsResponse:
    """A validator's current terms, by id."""
    ids = keeper.get_validator_term_ids(ctx, req.validator.raw)
    return TermsResponse(terms=[t for t in (keeper.get_term(ctx, i) for i in ids) if t is not None])


def get_view(keeper: InsuranceKeeper, ctx: Context, insurance: Insurance) -> InsuranceView:
    return InsuranceView(insurance=insurance, finalized=keeper.get_exposure(ctx, insurance.validator).tombstoned)


def query_insurance(keeper: InsuranceKeeper, ctx: Context, req: QueryId) -> InsuranceView:
    insurance = keeper.get_insurance(ctx, req.id)
    require(insurance is not None, ErrInsuranceNotFound, str(req.id))
    return get_view(keeper, ctx, insurance)  # type: ignore[arg-type]


def get_matching_insurances(keeper: InsuranceKeeper, ctx: Context, req: QueryInsurances) -> list[Insurance]:
    """Insurances of a delegator (optionally with one validator), of a validator, or all; oldest first."""
    if req.delegator is not None and req.validator is not None:
        found = keeper.iter_delegation_insurances(ctx, req.delegator.raw, req.validator.raw)
    elif req.delegator is not None:
        found = keeper.iter_delegator_insurances(ctx, req.delegator.raw)
    elif req.validator is not None:
        found = keeper.iter_validator_insurances(ctx, req.validator.raw)
    else:
        found = list(keeper.iter_insurances(ctx))
    return found


def query_insurances(keeper: InsuranceKeeper, ctx: Context, req: QueryInsurances) -> InsurancesResponse:
    """Insurances of a delegator (optionally with one validator) or of a validator, oldest first."""
    return InsurancesResponse(insurances=[get_view(keeper, ctx, i) for i in get_matching_insurances(keeper, ctx, req)])


def query_refunds(keeper: InsuranceKeeper, ctx: Context, req: QueryInsurances) -> RefundsResponse:
    """The refund history (paid and short) of the insurances still in the state that match ``req``."""
    found = get_matching_insurances(keeper, ctx, req)
    refunds = [RefundRecord(insurance_id=i.id, delegator=i.delegator, validator=i.validator, refunded=i.refunded,
                            shortfall=i.shortfall) for i in found]
    return RefundsResponse(refunds=refunds, total_refunded=sum(r.refunded for r in refunds),
                           total_shortfall=sum(r.shortfall for r in refunds))


def query_solvency(keeper: InsuranceKeeper, ctx: Context, req: QueryValidator) -> SolvencyResponse:
    """Self-bond, TotalRefund, headroom and MaxUnbond of a validator (the seed's transparency check)."""
    exposure = keeper.get_exposure(ctx, req.validator)
    params = keeper.slashing.get_params(ctx)
    self_bond = get_self_bond(keeper, ctx, req.validator)
    total = get_total_refund(keeper, ctx, exposure)
    after = compute_self_bond_after_worst_slash(self_bond, params)
    return SolvencyResponse(validator=req.validator, self_bond=self_bond, worst_slash_fraction=compute_worst_fraction(params),
                            self_bond_after_worst_slash=after, total_refund=total, headroom=after - total,
                            max_unbond=compute_max_unbond(self_bond, total, params), active_insurances=exposure.count,
                            impaired=exposure.impaired, tombstoned=exposure.tombstoned, shortfall=exposure.shortfall)
