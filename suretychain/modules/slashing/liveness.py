"""Liveness: each bonded validator's votes over a sliding window of ``signed_blocks_window`` blocks.

Every begin-block reads the decided last commit. For each vote of a non-jailed validator, the bit at
``index_offset % window`` records whether it missed the block, and ``missed_blocks_counter`` follows the bits. Once
the window since ``start_height`` has passed, a validator that missed more than ``window - min_signed`` blocks is
slashed ``slash_fraction_downtime`` for the stake it had at ``height - VALIDATOR_UPDATE_DELAY - 1`` (the stake that
signed the last commit), jailed for ``downtime_jail_duration`` and its counter and bitmap are reset.
"""
from __future__ import annotations

import msgspec

from suretychain.core.context import Context, VoteInfo
from suretychain.core.dec import Rounding
from suretychain.modules.slashing.events import BlockMissed, ValidatorPunished
from suretychain.modules.slashing.keeper import SlashingKeeper
from suretychain.modules.slashing.params import Params, validate_params
from suretychain.modules.slashing.periods import apply_slashing_period_cap
from suretychain.modules.slashing.signing import get_or_create_signing_info
from suretychain.modules.slashing.types import REASON_DOWNTIME, VALIDATOR_UPDATE_DELAY, SigningInfo
from suretychain.modules.staking.types import InfractionKind


def compute_min_signed(params: Params) -> int:
    """Blocks a validator must sign per window: ``min_signed_per_window × window``, rounded half to even (as Cosmos
    SDK's ``RoundInt64``)."""
    return params.min_signed_per_window.mul_int(params.signed_blocks_window, Rounding.HALF_EVEN)


def compute_max_missed(params: Params) -> int:
    """Blocks a validator may miss per window without being slashed."""
    return params.signed_blocks_window - compute_min_signed(params)


def compute_downtime_infraction_height(height: int) -> int:
    """The height whose stake signed the last commit of block ``height``: ``height - VALIDATOR_UPDATE_DELAY - 1``
    (never below 0; Cosmos lets it go negative, which filters the same entries)."""
    return max(0, height - VALIDATOR_UPDATE_DELAY - 1)


def is_downtime(params: Params, info: SigningInfo, height: int) -> bool:
    """Check if a validator's window is complete and it missed more blocks than allowed."""
    return height > info.start_height + params.signed_blocks_window and \
        info.missed_blocks_counter > compute_max_missed(params)


def record_vote(slashing: SlashingKeeper, ctx: Context, params: Params, info: SigningInfo, signed: bool) -> SigningInfo:
    """Write the vote's bit at the next window index and keep the counter equal to the bits set."""
    index = info.index_offset % params.signed_blocks_window
    was_missed = slashing.is_missed(ctx, info.address, index)
    counter = info.missed_blocks_counter
    if not signed and not was_missed:
        slashing.set_missed(ctx, info.address, index, True)
        counter += 1
    elif signed and was_missed:
        slashing.set_missed(ctx, info.address, index, False)
        counter -= 1
    return msgspec.structs.replace(info, index_offset=info.index_offset + 1, missed_blocks_counter=counter)


def process_vote(slashing: SlashingKeeper, ctx: Context, params: Params, vote: VoteInfo) -> None:
    """Count one vote of the last commit; punish the validator if its window shows downtime."""
    validator = slashing.staking.get_validator_by_consensus(ctx, vote.address)
    if validator is None or validator.jailed:
        return  # a jailed validator's votes are not counted (Cosmos SDK v0.50)
    info = record_vote(slashing, ctx, params, get_or_create_signing_info(slashing, ctx, vote.address), vote.signed)
    if not vote.signed:
        ctx.emit(BlockMissed(consensus_address=vote.address, missed_blocks=info.missed_blocks_counter,
                             height=ctx.block.height))
    if is_downtime(params, info, ctx.block.height):
        info = punish_downtime(slashing, ctx, params, info, vote.power)
    slashing.set_signing_info(ctx, info)


def punish_downtime(slashing: SlashingKeeper, ctx: Context, params: Params, info: SigningInfo,
                    power: int) -> SigningInfo:
    """Slash (within the period cap) and jail; reset the window so the validator is not punished again on rejoining."""
    height = compute_downtime_infraction_height(ctx.block.height)
    fraction = apply_slashing_period_cap(slashing, ctx, info.address, params.slash_fraction_downtime, height)
    burned = 0
    if fraction.is_positive():
        burned = slashing.staking.slash(ctx, info.address, height, ctx.block.time_ns, power, fraction,
                                        InfractionKind.DOWNTIME)
    slashing.staking.jail(ctx, info.address, REASON_DOWNTIME)
    jailed_until = ctx.block.time_ns + params.downtime_jail_duration_ns
    slashing.clear_missed(ctx, info.address)
    ctx.emit(ValidatorPunished(consensus_address=info.address, reason=REASON_DOWNTIME, power=power,
                               infraction_height=height, fraction=str(fraction), burned=burned,
                               jailed_until_ns=jailed_until))
    return msgspec.structs.replace(info, jailed_until_ns=jailed_until, missed_blocks_counter=0, index_offset=0)


def process_set_params(slashing: SlashingKeeper, ctx: Context, params: Params) -> None:
    """Change the params; a new window size restarts every validator's window (the old bits mean nothing in it)."""
    validate_params(params)
    old = slashing.get_params(ctx)
    slashing.set_params(ctx, params)
    if old.signed_blocks_window != params.signed_blocks_window:
        for info in list(slashing.iter_signing_infos(ctx)):
            reset_window(slashing, ctx, info)


def reset_window(slashing: SlashingKeeper, ctx: Context, info: SigningInfo) -> None:
    """Forget a validator's missed blocks and restart its window here."""
    slashing.clear_missed(ctx, info.address)
    slashing.set_signing_info(ctx, msgspec.structs.replace(info, index_offset=0, missed_blocks_counter=0,
                                                           start_height=ctx.block.height))
