"""``slashing``: liveness (signed-blocks window), double-sign punishment, slashing periods, jail and unjail."""
from __future__ import annotations

from functools import partial

from suretychain.core.module import GenesisSpec, Module, ParamsSpec, QueryRoute
from suretychain.modules.slashing import blocks, genesis, hooks, invariants, queries
from suretychain.modules.slashing.handlers import msg_routes
from suretychain.modules.slashing.keeper import SlashingKeeper
from suretychain.modules.slashing.liveness import process_set_params
from suretychain.modules.slashing.params import Params, validate_params
from suretychain.modules.slashing.types import MODULE, GenesisState, QueryParams, QuerySigningInfo, QuerySigningInfos

__all__ = ["SlashingKeeper", "make_module", "hooks"]


def make_module(slashing: SlashingKeeper) -> Module:
    """The slashing module around its keeper (its staking hooks are subscribed in ``suretychain/app.py``)."""
    q = queries
    return Module(
        name=MODULE,
        keeper=slashing,
        genesis=GenesisSpec(GenesisState, genesis.default_genesis, genesis.validate_genesis,
                            partial(genesis.init_genesis, slashing), partial(genesis.export_genesis, slashing)),
        msgs=msg_routes(slashing),
        queries={
            "signing-info": QueryRoute(QuerySigningInfo, partial(q.query_signing_info, slashing)),
            "signing-infos": QueryRoute(QuerySigningInfos, partial(q.query_signing_infos, slashing)),
            "params": QueryRoute(QueryParams, partial(q.query_params, slashing)),
        },
        begin_block=partial(blocks.begin_block, slashing),
        invariants={
            "missed-blocks": partial(invariants.check_missed_blocks, slashing),
            "tombstones": partial(invariants.check_tombstones, slashing),
            "slashing-periods": partial(invariants.check_slashing_periods, slashing),
        },
        params=ParamsSpec(Params, slashing.get_params, partial(process_set_params, slashing), validate_params),
    )
