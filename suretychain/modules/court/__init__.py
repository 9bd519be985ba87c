"""``court``: a Kleros-like court of staked jurors drawn by the beacon (issue 7; see README.md)."""
from __future__ import annotations

from functools import partial

from suretychain.core.module import GenesisSpec, Module, ParamsSpec, QueryRoute
from suretychain.modules.court import blocks, genesis, invariants, queries
from suretychain.modules.court.handlers import msg_routes
from suretychain.modules.court.keeper import CourtKeeper
from suretychain.modules.court.params import Params, validate_params
from suretychain.modules.court.types import (
    COURT_ACCOUNT,
    MODULE,
    GenesisState,
    QueryDisputes,
    QueryId,
    QueryJuror,
    QueryJurorHistory,
    QueryParams,
    QueryVotes,
)

__all__ = ["CourtKeeper", "make_module", "COURT_ACCOUNT"]


def make_module(keeper: CourtKeeper) -> Module:
    q = queries
    return Module(
        name=MODULE,
        keeper=keeper,
        genesis=GenesisSpec(GenesisState, genesis.default_genesis, genesis.validate_genesis,
                            partial(genesis.init_genesis, keeper), partial(genesis.export_genesis, keeper)),
        msgs=msg_routes(keeper),
        queries={
            "params": QueryRoute(QueryParams, partial(q.query_params, keeper)),
            "courts": QueryRoute(QueryParams, partial(q.query_courts, keeper)),
            "dispute": QueryRoute(QueryId, partial(q.query_dispute, keeper)),
            "disputes": QueryRoute(QueryDisputes, partial(q.query_disputes, keeper)),
            "juror": QueryRoute(QueryJuror, partial(q.query_juror, keeper)),
            "juror-history": QueryRoute(QueryJurorHistory, partial(q.query_juror_history, keeper)),
            "votes": QueryRoute(QueryVotes, partial(q.query_votes, keeper)),
        },
        end_block=partial(blocks.end_block, keeper),
        invariants={
            "juror-stakes": partial(invariants.check_juror_stakes, keeper),
            "module-account": partial(invariants.check_module_account, keeper),
            "sum-trees": partial(invariants.check_sum_trees, keeper),
            "round-counters": partial(invariants.check_round_counters, keeper),
        },
        params=ParamsSpec(Params, keeper.get_params, keeper.set_params, validate_params),
    )
