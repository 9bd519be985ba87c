"""Read-only beacon queries (``beacon/<route>``)."""
from __future__ import annotations

from suretychain.core.context import Context
from suretychain.core.errors import require
from suretychain.modules.beacon.keeper import BeaconKeeper
from suretychain.modules.beacon.types import ErrSeedNotFound, QuerySeed, SeedResponse


def query_seed(beacon: BeaconKeeper, ctx: Context, req: QuerySeed) -> SeedResponse:
    """The seed at ``req.height`` (0: the latest). Read as one point key, so ``prove=true`` proves it."""
    height = req.height or beacon.get_latest_height(ctx) or 0
    seed = beacon.get_seed(ctx, height)
    require(seed is not None, ErrSeedNotFound, f"height {req.height}")
    return SeedResponse(height=height, seed=seed.hex())  # type: ignore[union-attr]
