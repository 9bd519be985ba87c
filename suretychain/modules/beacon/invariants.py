"""Beacon invariants, registered as ``beacon/<name>``."""
from __future__ import annotations

from suretychain.core.context import Context
from suretychain.modules.beacon.keeper import BeaconKeeper
from suretychain.modules.beacon.types import SEED_LENGTH


def check_latest_seed(beacon: BeaconKeeper, ctx: Context) -> str | None:
    """The latest height is the state's height and its 32-byte seed is present."""
    latest = beacon.get_latest_height(ctx)
    if latest is None:
        return "no latest height"
    if latest != ctx.block.height:
        return f"latest seed at height {latest}, state at height {ctx.block.height}"
    seed = beacon.get_seed(ctx, latest)
    if seed is None or len(seed) != SEED_LENGTH:
        return f"no 32-byte seed at the latest height {latest}"
    return None
