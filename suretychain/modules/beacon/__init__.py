"""``beacon``: a randomness beacon; each block's seed chains the proposer's ECVRF output (see README.md)."""
from __future__ import annotations

from functools import partial

from suretychain.core.module import GenesisSpec, Module, QueryRoute
from suretychain.modules.beacon import genesis, invariants, proposals, queries, seeds
from suretychain.modules.beacon.keeper import BeaconKeeper
from suretychain.modules.beacon.types import MODULE, GenesisState, QuerySeed

__all__ = ["BeaconKeeper", "make_module"]


def make_module(beacon: BeaconKeeper) -> Module:
    return Module(
        name=MODULE,
        keeper=beacon,
        genesis=GenesisSpec(GenesisState, genesis.default_genesis, genesis.validate_genesis,
                            partial(genesis.init_genesis, beacon), partial(genesis.export_genesis, beacon)),
        queries={"seed": QueryRoute(QuerySeed, partial(queries.query_seed, beacon))},
        begin_block=partial(seeds.process_block_seed, beacon),
        invariants={"latest-seed": partial(invariants.check_latest_seed, beacon)},
        propose=partial(proposals.propose_entry, beacon),
        verify_proposal=partial(proposals.is_valid_entry, beacon),
    )
