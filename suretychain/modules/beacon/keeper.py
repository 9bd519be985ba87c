"""The beacon keeper: its seeds by height, the latest height, and this node's VRF keys (node-local, never state)."""
from __future__ import annotations

from typing import Iterator, Mapping

from suretychain.core.context import Context
from suretychain.core.keeper import ModuleKeeper
from suretychain.modules.beacon import keys
from suretychain.modules.beacon.expected import StakingKeeper


class BeaconKeeper(ModuleKeeper):
    """Seeds in ``beacon/``. ``vrf_keys`` maps a consensus address to the 32-byte VRF secret key this node proposes
    with: it is configuration of this node (read from its key files), not state, and is used only in ``propose``."""

    STORE_PREFIX = keys.STORE_PREFIX  # no params: the beacon has nothing governance could tune

    def __init__(self, staking: StakingKeeper, vrf_keys: Mapping[bytes, bytes] | None = None) -> None:
        self.staking = staking
        self.vrf_keys = vrf_keys if vrf_keys is not None else {}

    def get_seed(self, ctx: Context, height: int) -> bytes | None:
        return self._kv(ctx).get(keys.seed_key(height))

    def set_seed(self, ctx: Context, height: int, seed: bytes) -> None:
        """Write the seed of ``height`` and make it the latest."""
        kv = self._kv(ctx)
        kv.set(keys.seed_key(height), seed)
        kv.set(keys.LATEST_HEIGHT, keys.u64(height))

    def get_latest_height(self, ctx: Context) -> int | None:
        raw = self._kv(ctx).get(keys.LATEST_HEIGHT)
        return int.from_bytes(raw, "big") if raw else None

    def iter_seeds(self, ctx: Context) -> Iterator[tuple[int, bytes]]:
        """Every (height, seed), ascending."""
        for key, seed in self._kv(ctx).iterate_prefix(keys.SEED):
            yield keys.split_seed_key(key), seed
