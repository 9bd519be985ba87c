"""``distribution``: block rewards (fees and inflation) to validators by power, commission, the community pool,
and F1 fee distribution to delegators."""
from __future__ import annotations

from functools import partial

from suretychain.core.module import GenesisSpec, Module, ParamsSpec, QueryRoute
from suretychain.modules.distribution import blocks, genesis, hooks, invariants, queries
from suretychain.modules.distribution.handlers import msg_routes
from suretychain.modules.distribution.keeper import DistributionKeeper
from suretychain.modules.distribution.params import Params, validate_params
from suretychain.modules.distribution.types import (
    DISTRIBUTION_ACCOUNT,
    MODULE,
    GenesisState,
    QueryDelegator,
    QueryParams,
    QueryRewards,
    QueryValidator,
)

__all__ = ["DistributionKeeper", "make_module", "hooks", "DISTRIBUTION_ACCOUNT"]


def make_module(k: DistributionKeeper) -> Module:
    """The distribution module around its keeper (its staking hooks are subscribed in ``suretychain/app.py``)."""
    q = queries
    return Module(
        name=MODULE,
        keeper=k,
        genesis=GenesisSpec(GenesisState, genesis.default_genesis, genesis.validate_genesis,
                            partial(genesis.init_genesis, k), partial(genesis.export_genesis, k)),
        msgs=msg_routes(k),
        queries={
            "rewards": QueryRoute(QueryRewards, partial(q.query_rewards, k)),
            "commission": QueryRoute(QueryValidator, partial(q.query_commission, k)),
            "community-pool": QueryRoute(QueryParams, partial(q.query_community_pool, k)),
            "outstanding": QueryRoute(QueryValidator, partial(q.query_outstanding, k)),
            "params": QueryRoute(QueryParams, partial(q.query_params, k)),
            "withdraw-address": QueryRoute(QueryDelegator, partial(q.query_withdraw_address, k)),
        },
        begin_block=partial(blocks.begin_block, k),
        invariants={
            "nonnegative-outstanding": partial(invariants.check_nonnegative_outstanding, k),
            "module-account": partial(invariants.check_module_account, k),
            "can-withdraw": partial(invariants.check_can_withdraw, k),
            "reference-count": partial(invariants.check_reference_counts, k),
        },
        params=ParamsSpec(Params, k.get_params, k.set_params, validate_params),
    )
