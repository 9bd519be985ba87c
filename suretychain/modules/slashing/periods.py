"""Slashing periods (the Cosmos SDK v0.2x design): infractions committed within one period slash once, at the
highest fraction among them.

A period opens when a validator is bonded (entering the set, including after an unjail) and closes when it begins
unbonding. An infraction at height ``h`` belongs to the newest period that started at or before ``h``; it burns only
what its fraction adds to the highest fraction already slashed in that period.
"""
from __future__ import annotations

import msgspec

from suretychain.core.context import Context
from suretychain.core.dec import Dec
from suretychain.modules.slashing.keeper import SlashingKeeper
from suretychain.modules.slashing.params import Params
from suretychain.modules.slashing.types import SlashingPeriod


def compute_capped_fraction(slashed_so_far: Dec, fraction: Dec) -> tuple[Dec, Dec]:
    """``(fraction to burn now, period total after)``: the total is the highest fraction seen in the period."""
    total = fraction if fraction > slashed_so_far else slashed_so_far
    return total - slashed_so_far, total


def apply_slashing_period_cap(slashing: SlashingKeeper, ctx: Context, address: bytes, fraction: Dec,
                              infraction_height: int) -> Dec:
    """The fraction an infraction at ``infraction_height`` may still burn; record it in its period.

    An infraction before any recorded period (possible only with a hand-made genesis) is not capped."""
    period = slashing.get_period_at(ctx, address, infraction_height)
    if period is None:
        return fraction
    revised, total = compute_capped_fraction(period.slashed_so_far, fraction)
    slashing.set_period(ctx, msgspec.structs.replace(period, slashed_so_far=total))
    return revised


def start_slashing_period(slashing: SlashingKeeper, ctx: Context, address: bytes) -> SlashingPeriod:
    """Open a period at this block (a period already starting here is reopened, keeping what it slashed)."""
    existing = slashing.get_period_at(ctx, address, ctx.block.height)
    if existing is not None and existing.start_height == ctx.block.height:
        period = msgspec.structs.replace(existing, end_height=0)
    else:
        period = SlashingPeriod(address=address, start_height=ctx.block.height, start_time_ns=ctx.block.time_ns)
    slashing.set_period(ctx, period)
    prune_slashing_periods(slashing, ctx, address, slashing.get_params(ctx))
    return period


def end_slashing_period(slashing: SlashingKeeper, ctx: Context, address: bytes) -> None:
    """Close the open period of ``address`` at this block (nothing to do if none is open)."""
    period = slashing.get_period_at(ctx, address, ctx.block.height)
    if period is not None and period.end_height == 0:
        slashing.set_period(ctx, msgspec.structs.replace(period, end_height=ctx.block.height))


def is_period_unreachable(params: Params, successor: SlashingPeriod, height: int, time_ns: int) -> bool:
    """Check if no evidence still accepted can fall in the period before ``successor``.

    Such evidence is for a height at or before ``successor.start_height`` (the infraction height is the evidence
    height minus the update delay), at a time at or before ``successor.start_time_ns``; once both ages exceed the
    max evidence age, every such evidence is ignored, now and later."""
    return (height - successor.start_height > params.max_evidence_age_blocks
            and time_ns - successor.start_time_ns > params.max_evidence_age_ns)


def prune_slashing_periods(slashing: SlashingKeeper, ctx: Context, address: bytes, params: Params) -> None:
    """Delete the periods of ``address`` that no accepted evidence can reach any more (the newest always stays)."""
    periods = slashing.get_periods(ctx, address)
    for period, successor in zip(periods, periods[1:]):
        if not is_period_unreachable(params, successor, ctx.block.height, ctx.block.time_ns):
            break
        slashing.delete_period(ctx, period)
