"""Slashing invariants, registered as ``slashing/<name>``."""
from __future__ import annotations

from suretychain.core.context import Context
from suretychain.modules.slashing.keeper import SlashingKeeper
from suretychain.modules.slashing.params import is_fraction
from suretychain.modules.slashing.types import JAILED_FOREVER_NS


def check_missed_blocks(slashing: SlashingKeeper, ctx: Context) -> str | None:
    """Every missed-blocks counter equals the bits set in its bitmap; every bit lies inside the window and belongs
    to a signing info."""
    window = slashing.get_params(ctx).signed_blocks_window
    counters = {info.address: info.missed_blocks_counter for info in slashing.iter_signing_infos(ctx)}
    bits: dict[bytes, int] = {}
    for address, index in slashing.iter_all_missed(ctx):
        if address not in counters:
            return f"missed-block bit for {address.hex()}, which has no signing info"
        if index >= window:
            return f"{address.hex()}: missed-block index {index} outside the window of {window}"
        bits[address] = bits.get(address, 0) + 1
    for address in sorted(counters):
        if counters[address] != bits.get(address, 0):
            return f"{address.hex()}: counter {counters[address]} but {bits.get(address, 0)} bits set"
    return None


def check_tombstones(slashing: SlashingKeeper, ctx: Context) -> str | None:
    """A tombstoned signing info is jailed forever and belongs to a tombstoned, jailed validator (or to none left)."""
    for info in slashing.iter_signing_infos(ctx):
        if not info.tombstoned:
            continue
        if info.jailed_until_ns != JAILED_FOREVER_NS:
            return f"{info.address.hex()}: tombstoned but jailed only until {info.jailed_until_ns}"
        validator = slashing.staking.get_validator_by_consensus(ctx, info.address)
        if validator is not None and not (validator.tombstoned and validator.jailed):
            return f"{info.address.hex()}: tombstoned signing info, but validator {validator.operator} is not"
    return None


def check_slashing_periods(slashing: SlashingKeeper, ctx: Context) -> str | None:
    """Every period belongs to a signing info, has slashed a fraction in [0, 1], and only an address's newest period
    may be open."""
    previous = None
    for period in slashing.iter_periods(ctx):
        if slashing.get_signing_info(ctx, period.address) is None:
            return f"slashing period of {period.address.hex()}, which has no signing info"
        if not is_fraction(period.slashed_so_far):
            return f"{period.address.hex()}@{period.start_height}: slashed {period.slashed_so_far}"
        if previous is not None and previous.address == period.address and previous.end_height == 0:
            return f"{period.address.hex()}@{previous.start_height}: open, but a newer period exists"
        previous = period
    return None
