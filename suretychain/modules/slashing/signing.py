"""Signing infos: created when a validator is bonded, or lazily when a vote or evidence names an address without one."""
from __future__ import annotations

import msgspec

from suretychain.core.context import Context
from suretychain.modules.slashing.keeper import SlashingKeeper
from suretychain.modules.slashing.types import SigningInfo


def get_or_create_signing_info(slashing: SlashingKeeper, ctx: Context, address: bytes) -> SigningInfo:
    """The signing info of ``address``; a missing one starts now (a fresh grace window), as at a bond."""
    info = slashing.get_signing_info(ctx, address)
    if info is None:
        info = SigningInfo(address=address, start_height=ctx.block.height)
        slashing.set_signing_info(ctx, info)
    return info


def process_signing_info_on_bond(slashing: SlashingKeeper, ctx: Context, address: bytes) -> SigningInfo:
    """At a bond, the liveness window restarts here (Cosmos SDK AfterValidatorBonded): a new record, or the existing
    one with ``start_height`` moved to this block (counters, jail time and tombstone kept)."""
    info = slashing.get_signing_info(ctx, address)
    if info is None:
        info = SigningInfo(address=address, start_height=ctx.block.height)
    else:
        info = msgspec.structs.replace(info, start_height=ctx.block.height)
    slashing.set_signing_info(ctx, info)
    return info
