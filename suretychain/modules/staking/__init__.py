"""``staking``: validators, delegations by shares, unbonding and redelegation, the consensus set, hooks."""
from __future__ import annotations

from functools import partial

from suretychain.core.module import GenesisSpec, Module, ParamsSpec, QueryRoute
from suretychain.modules.staking import blocks, genesis, invariants, queries
from suretychain.modules.staking.handlers import msg_routes
from suretychain.modules.staking.keeper import StakingKeeper
from suretychain.modules.staking.types import BONDED_POOL, MODULE, NOT_BONDED_POOL, GenesisState, Params

__all__ = ["StakingKeeper", "make_module", "BONDED_POOL", "NOT_BONDED_POOL"]


def make_module(staking: StakingKeeper) -> Module:
    q = queries
    return Module(
        name=MODULE,
        keeper=staking,
        genesis=GenesisSpec(GenesisState, genesis.default_genesis, genesis.validate_genesis,
                            partial(genesis.init_genesis, staking), partial(genesis.export_genesis, staking)),
        msgs=msg_routes(staking),
        queries={
            "validators": QueryRoute(q.QueryValidators, partial(q.query_validators, staking)),
            "validator": QueryRoute(q.QueryValidator, partial(q.query_validator, staking)),
            "delegation": QueryRoute(q.QueryDelegation, partial(q.query_delegation, staking)),
            "delegations": QueryRoute(q.QueryDelegator, partial(q.query_delegations, staking)),
            "unbonding": QueryRoute(q.QueryDelegator, partial(q.query_unbondings, staking)),
            "redelegations": QueryRoute(q.QueryDelegator, partial(q.query_redelegations, staking)),
            "pool": QueryRoute(q.QueryParams, partial(q.query_pool, staking)),
            "params": QueryRoute(q.QueryParams, partial(q.query_params, staking)),
        },
        end_block=partial(blocks.end_block, staking),
        invariants={
            "pools": partial(invariants.check_pools, staking),
            "delegator-shares": partial(invariants.check_delegator_shares, staking),
            "positive-delegations": partial(invariants.check_positive_delegations, staking),
        },
        params=ParamsSpec(Params, staking.get_params, staking.set_params, genesis.validate_params),
    )
