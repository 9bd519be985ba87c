"""Slashing genesis: validate, init, export (export then import gives the same app hash)."""
from __future__ import annotations

from suretychain.core.context import Context
from suretychain.core.errors import ErrInvalidGenesis, require
from suretychain.modules.slashing.keeper import SlashingKeeper
from suretychain.modules.slashing.params import is_fraction, validate_params
from suretychain.modules.slashing.types import JAILED_FOREVER_NS, GenesisState, MissedBlocks, SigningInfo


def default_genesis() -> GenesisState:
    """Default params and no records: signing infos appear as staking bonds the genesis validators."""
    return GenesisState()


def validate_signing_infos(infos: list[SigningInfo]) -> None:
    """Each consensus address once; a tombstoned validator is jailed forever."""
    seen: set[bytes] = set()
    for i, info in enumerate(infos):
        require(info.address not in seen, ErrInvalidGenesis, f"signing_infos[{i}]: duplicate address")
        seen.add(info.address)
        require(not info.tombstoned or info.jailed_until_ns == JAILED_FOREVER_NS, ErrInvalidGenesis,
                f"signing_infos[{i}]: tombstoned but not jailed forever")


def validate_missed_blocks(state: GenesisState) -> None:
    """Each bitmap belongs to a signing info, lists ascending indices inside the window, and has as many bits as the
    signing info's missed counter."""
    counters = {info.address: info.missed_blocks_counter for info in state.signing_infos}
    bitmaps = {m.address: m for m in state.missed_blocks}
    require(len(bitmaps) == len(state.missed_blocks), ErrInvalidGenesis, "missed_blocks: duplicate address")
    for i, missed in enumerate(state.missed_blocks):
        require(missed.address in counters, ErrInvalidGenesis, f"missed_blocks[{i}]: no signing info for the address")
        require(all(a < b for a, b in zip(missed.indices, missed.indices[1:])), ErrInvalidGenesis,
                f"missed_blocks[{i}]: indices must be strictly ascending")
        require(all(index < state.params.signed_blocks_window for index in missed.indices), ErrInvalidGenesis,
                f"missed_blocks[{i}]: index outside the signed blocks window")
    for i, info in enumerate(state.signing_infos):
        bits = len(bitmaps.get(info.address, MissedBlocks(address=info.address)).indices)
        require(bits == info.missed_blocks_counter, ErrInvalidGenesis,
                f"signing_infos[{i}]: missed_blocks_counter {info.missed_blocks_counter} but {bits} bits set")


def validate_slashing_periods(state: GenesisState) -> None:
    """Each (address, start height) once, for a known signing info, with a fraction in [0, 1] and a sane end."""
    addresses = {info.address for info in state.signing_infos}
    seen: set[tuple[bytes, int]] = set()
    for i, period in enumerate(state.slashing_periods):
        key = (period.address, period.start_height)
        require(key not in seen, ErrInvalidGenesis, f"slashing_periods[{i}]: duplicate address and start height")
        seen.add(key)
        require(period.address in addresses, ErrInvalidGenesis, f"slashing_periods[{i}]: no signing info")
        require(is_fraction(period.slashed_so_far), ErrInvalidGenesis,
                f"slashing_periods[{i}]: fraction outside [0, 1]")
        require(period.end_height == 0 or period.end_height >= period.start_height, ErrInvalidGenesis,
                f"slashing_periods[{i}]: ends before it starts")


def validate_genesis(state: GenesisState) -> None:
    """Params valid and every record consistent with the others."""
    validate_params(state.params)
    validate_signing_infos(state.signing_infos)
    validate_missed_blocks(state)
    validate_slashing_periods(state)


def init_genesis(slashing: SlashingKeeper, ctx: Context, state: GenesisState) -> None:
    """Write params and every record as given (staking's genesis may already have created signing infos)."""
    slashing.set_params(ctx, state.params)
    for info in state.signing_infos:
        slashing.set_signing_info(ctx, info)
    for missed in state.missed_blocks:
        for index in missed.indices:
            slashing.set_missed(ctx, missed.address, index, True)
    for period in state.slashing_periods:
        slashing.set_period(ctx, period)


def export_genesis(slashing: SlashingKeeper, ctx: Context) -> GenesisState:
    """Params and every record in store order."""
    infos = list(slashing.iter_signing_infos(ctx))
    missed = [MissedBlocks(address=info.address, indices=indices) for info in infos
              if (indices := slashing.iter_missed_indices(ctx, info.address))]
    return GenesisState(params=slashing.get_params(ctx), signing_infos=infos, missed_blocks=missed,
                        slashing_periods=list(slashing.iter_periods(ctx)))
