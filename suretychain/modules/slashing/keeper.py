"""Slashing keeper: typed access to the slashing prefix (params, signing infos, missed-block bits, periods)."""
from __future__ import annotations

from typing import Iterator

from suretychain.core.context import Context
from suretychain.core.crypto import address_of
from suretychain.core.encoding import decode_record, encode
from suretychain.core.keeper import ModuleKeeper
from suretychain.modules.slashing import keys
from suretychain.modules.slashing.expected import StakingKeeper
from suretychain.modules.slashing.params import Params
from suretychain.modules.slashing.types import SigningInfo, SlashingPeriod
from suretychain.modules.staking.types import Validator


def compute_consensus_address(validator: Validator) -> bytes:
    """CometBFT's address of a validator: the first 20 bytes of sha256 of its ed25519 consensus key."""
    return address_of(validator.consensus_pubkey)


class SlashingKeeper(ModuleKeeper):
    """The slashing store (``get_params``/``set_params`` from ``ModuleKeeper``) and the staking interface slashing
    acts through."""

    STORE_PREFIX = keys.STORE_PREFIX
    PARAMS_TYPE = Params

    def __init__(self, staking: StakingKeeper) -> None:
        self.staking = staking

    # ---- signing infos ---------------------------------------------------------------------------------------
    def get_signing_info(self, ctx: Context, address: bytes) -> SigningInfo | None:
        raw = self._kv(ctx).get(keys.signing_info_key(address))
        return decode_record(raw, SigningInfo) if raw else None

    def set_signing_info(self, ctx: Context, info: SigningInfo) -> None:
        self._kv(ctx).set(keys.signing_info_key(info.address), encode(info))

    def iter_signing_infos(self, ctx: Context) -> Iterator[SigningInfo]:
        """Every signing info in consensus-address byte order."""
        for _, raw in self._kv(ctx).iterate_prefix(keys.SIGNING_INFO):
            yield decode_record(raw, SigningInfo)

    # ---- missed-block bitmap (only missed blocks are stored) -------------------------------------------------
    def is_missed(self, ctx: Context, address: bytes, index: int) -> bool:
        return self._kv(ctx).get(keys.missed_block_key(address, index)) is not None

    def set_missed(self, ctx: Context, address: bytes, index: int, missed: bool) -> None:
        key = keys.missed_block_key(address, index)
        if missed:
            self._kv(ctx).set(key, keys.MISSED)
        else:
            self._kv(ctx).delete(key)

    def iter_missed_indices(self, ctx: Context, address: bytes) -> list[int]:
        """The window indices ``address`` missed, ascending (materialised: callers may delete)."""
        return [keys.split_missed_block_key(key)[1]
                for key, _ in self._kv(ctx).iterate_prefix(keys.missed_blocks_prefix(address))]

    def iter_all_missed(self, ctx: Context) -> Iterator[tuple[bytes, int]]:
        """Every missed bit in store order: ``(address, index)``."""
        for key, _ in self._kv(ctx).iterate_prefix(keys.MISSED_BLOCK):
            yield keys.split_missed_block_key(key)

    def clear_missed(self, ctx: Context, address: bytes) -> None:
        """Forget every missed block of ``address``."""
        for index in self.iter_missed_indices(ctx, address):
            self._kv(ctx).delete(keys.missed_block_key(address, index))

    # ---- slashing periods ------------------------------------------------------------------------------------
    def set_period(self, ctx: Context, period: SlashingPeriod) -> None:
        self._kv(ctx).set(keys.slashing_period_key(period.address, period.start_height), encode(period))

    def delete_period(self, ctx: Context, period: SlashingPeriod) -> None:
        self._kv(ctx).delete(keys.slashing_period_key(period.address, period.start_height))

    def get_period_at(self, ctx: Context, address: bytes, height: int) -> SlashingPeriod | None:
        """The newest period of ``address`` that started at or before ``height``."""
        start = keys.slashing_periods_prefix(address)
        for _, raw in self._kv(ctx).iterate(start, keys.slashing_period_key(address, height + 1), reverse=True):
            return decode_record(raw, SlashingPeriod)
        return None

    def get_periods(self, ctx: Context, address: bytes) -> list[SlashingPeriod]:
        """The periods of ``address``, oldest first."""
        return [decode_record(raw, SlashingPeriod)
                for _, raw in self._kv(ctx).iterate_prefix(keys.slashing_periods_prefix(address))]

    def iter_periods(self, ctx: Context) -> Iterator[SlashingPeriod]:
        """Every period in store order (by address, then start height)."""
        for _, raw in self._kv(ctx).iterate_prefix(keys.SLASHING_PERIOD):
            yield decode_record(raw, SlashingPeriod)
