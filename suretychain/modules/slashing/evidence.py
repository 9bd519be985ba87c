"""Double signing: misbehavior consensus reports in the block (duplicate votes, light-client attacks).

Evidence against an unknown, unbonded or already tombstoned validator, or older than the max evidence age (both
in time and in blocks, as CometBFT), is ignored. Otherwise the validator is slashed ``slash_fraction_double_sign``
(within its slashing-period cap) of the stake it had at ``evidence height - VALIDATOR_UPDATE_DELAY``, jailed
forever and tombstoned.
"""
from __future__ import annotations

import msgspec

from suretychain.core.context import Context, Misbehavior
from suretychain.modules.slashing.events import EvidenceIgnored, ValidatorPunished
from suretychain.modules.slashing.keeper import SlashingKeeper
from suretychain.modules.slashing.params import Params
from suretychain.modules.slashing.periods import apply_slashing_period_cap
from suretychain.modules.slashing.signing import get_or_create_signing_info
from suretychain.modules.slashing.types import (
    EQUIVOCATION_KINDS,
    JAILED_FOREVER_NS,
    REASON_DOUBLE_SIGN,
    VALIDATOR_UPDATE_DELAY,
)
from suretychain.modules.staking.types import BondStatus, InfractionKind


def is_evidence_expired(params: Params, evidence: Misbehavior, height: int, time_ns: int) -> bool:
    """Check if evidence is too old: older than the max age in time *and* in blocks (CometBFT's rule)."""
    return (time_ns - evidence.time_ns > params.max_evidence_age_ns
            and height - evidence.height > params.max_evidence_age_blocks)


def compute_double_sign_infraction_height(evidence_height: int) -> int:
    """The height whose stake signed at ``evidence_height``: ``evidence_height - VALIDATOR_UPDATE_DELAY``."""
    return max(0, evidence_height - VALIDATOR_UPDATE_DELAY)


def get_evidence_rejection(slashing: SlashingKeeper, ctx: Context, params: Params, evidence: Misbehavior) -> str | None:
    """Why ``evidence`` must be ignored, or None if it is to be punished."""
    if evidence.kind not in EQUIVOCATION_KINDS:
        return "unknown_kind"
    if evidence.height > ctx.block.height:
        return "future"
    validator = slashing.staking.get_validator_by_consensus(ctx, evidence.validator_address)
    if validator is None:
        return "unknown_validator"
    if validator.status == BondStatus.UNBONDED:
        return "unbonded"  # past its unbonding period: nothing of the offending stake is left to slash
    info = slashing.get_signing_info(ctx, evidence.validator_address)
    if info is not None and info.tombstoned:
        return "tombstoned"  # already punished for good: a second equivocation adds nothing
    if is_evidence_expired(params, evidence, ctx.block.height, ctx.block.time_ns):
        return "too_old"
    return None


def process_misbehavior(slashing: SlashingKeeper, ctx: Context, params: Params, evidence: Misbehavior) -> None:
    """Punish one piece of evidence, or record why it is ignored."""
    rejection = get_evidence_rejection(slashing, ctx, params, evidence)
    if rejection is not None:
        ctx.emit(EvidenceIgnored(consensus_address=evidence.validator_address, kind=evidence.kind,
                                 height=evidence.height, reason=rejection))
        return
    punish_double_sign(slashing, ctx, params, evidence)


def punish_double_sign(slashing: SlashingKeeper, ctx: Context, params: Params, evidence: Misbehavior) -> None:
    """Slash (within the period cap), jail forever and tombstone the equivocating validator."""
    address = evidence.validator_address
    info = get_or_create_signing_info(slashing, ctx, address)
    height = compute_double_sign_infraction_height(evidence.height)
    fraction = apply_slashing_period_cap(slashing, ctx, address, params.slash_fraction_double_sign, height)
    burned = 0
    if fraction.is_positive():
        burned = slashing.staking.slash(ctx, address, height, evidence.time_ns, evidence.validator_power, fraction,
                                        InfractionKind.DOUBLE_SIGN)
    slashing.staking.jail(ctx, address, REASON_DOUBLE_SIGN)
    slashing.staking.tombstone(ctx, address)
    slashing.set_signing_info(ctx, msgspec.structs.replace(info, jailed_until_ns=JAILED_FOREVER_NS, tombstoned=True))
    ctx.emit(ValidatorPunished(consensus_address=address, reason=REASON_DOUBLE_SIGN, power=evidence.validator_power,
                               infraction_height=height, fraction=str(fraction), burned=burned,
                               jailed_until_ns=JAILED_FOREVER_NS))
