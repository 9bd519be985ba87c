"""``insurance``: slashing insurance for delegators (seed 002, "A Slashing Insurance Scheme for BPoS")."""
from __future__ import annotations

from functools import partial

from suretychain.core.module import GenesisSpec, Module, ParamsSpec, QueryRoute
from suretychain.modules.insurance import blocks, genesis, hooks, invariants, queries
from suretychain.modules.insurance.handlers import msg_routes
from suretychain.modules.insurance.keeper import InsuranceKeeper
from suretychain.modules.insurance.params import Params, validate_params
from suretychain.modules.insurance.types import (
    INSURANCE_ACCOUNT,
    MODULE,
    TREASURY,
    GenesisState,
    QueryId,
    QueryInsurances,
    QueryParams,
    QueryValidator,
)

__all__ = ["InsuranceKeeper", "make_module", "hooks", "INSURANCE_ACCOUNT", "TREASURY"]


def make_module(keeper: InsuranceKeeper) -> Module:
    """The insurance module around its keeper (its staking hooks are subscribed in ``suretychain/app.py``)."""
    q = queries
    return Module(
        name=MODULE,
        keeper=keeper,
        genesis=GenesisSpec(GenesisState, genesis.default_genesis, genesis.validate_genesis,
                            partial(genesis.init_genesis, keeper), partial(genesis.export_genesis, keeper)),
        msgs=msg_routes(keeper),
        queries={
            "params": QueryRoute(QueryParams, partial(q.query_params, keeper)),
            "term": QueryRoute(QueryId, partial(q.query_term, keeper)),
            "terms": QueryRoute(QueryValidator, partial(q.query_terms, keeper)),
            "insurance": QueryRoute(QueryId, partial(q.query_insurance, keeper)),
            "insurances": QueryRoute(QueryInsurances, partial(q.query_insurances, keeper)),
            "solvency": QueryRoute(QueryValidator, partial(q.query_solvency, keeper)),
            "refunds": QueryRoute(QueryInsurances, partial(q.query_refunds, keeper)),
        },
        end_block=partial(blocks.end_block, keeper),
        invariants={
            "solvency": partial(invariants.check_solvency, keeper),
            "exposure-sums": partial(invariants.check_exposure_sums, keeper),
        },
        params=ParamsSpec(Params, keeper.get_params, keeper.set_params, validate_params),
    )
