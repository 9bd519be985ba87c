"""Beacon genesis: every seed so far (export then import gives the same app hash)."""
from __future__ import annotations

from suretychain.core.context import Context
from suretychain.core.errors import require
from suretychain.modules.beacon.keeper import BeaconKeeper
from suretychain.modules.beacon.seeds import compute_genesis_seed
from suretychain.modules.beacon.types import ErrInvalidSeeds, GenesisState, SeedAt


def default_genesis() -> GenesisState:
    """No seeds: the chain starts from the genesis seed of its chain id."""
    return GenesisState()


def validate_genesis(state: GenesisState) -> None:
    """Heights strictly ascending."""
    heights = [s.height for s in state.seeds]
    require(all(a < b for a, b in zip(heights, heights[1:])), ErrInvalidSeeds, "seeds: heights must be ascending")


def init_genesis(beacon: BeaconKeeper, ctx: Context, state: GenesisState) -> None:
    """Write the given seeds (the last, at ``initial_height - 1``, is the latest), or the genesis seed there."""
    if not state.seeds:
        beacon.set_seed(ctx, ctx.block.height, compute_genesis_seed(ctx.block.chain_id))
        return
    # The latest seed is the one the chain's first block builds on
    require(state.seeds[-1].height == ctx.block.height, ErrInvalidSeeds,
            f"the last seed is at height {state.seeds[-1].height}, expected initial_height - 1 = {ctx.block.height}")
    for entry in state.seeds:
        beacon.set_seed(ctx, entry.height, entry.seed)


def export_genesis(beacon: BeaconKeeper, ctx: Context) -> GenesisState:
    return GenesisState(seeds=[SeedAt(height=h, seed=s) for h, s in beacon.iter_seeds(ctx)])
