"""Slashing events (staking emits its own ``Slashed``, ``Jailed``, ``Tombstoned`` and ``Unjailed`` as it acts)."""
from __future__ import annotations

from typing import ClassVar

from suretychain.core.events import TypedEvent
from suretychain.modules.slashing.types import MODULE


class SlashingEvent(TypedEvent):
    MODULE: ClassVar[str] = MODULE


class BlockMissed(SlashingEvent):
    """A bonded validator did not sign the last block (Cosmos SDK's ``liveness`` event)."""

    consensus_address: bytes
    missed_blocks: int
    height: int


class ValidatorPunished(SlashingEvent):
    """A validator was slashed and jailed for downtime or double signing."""

    consensus_address: bytes
    reason: str  # "downtime" | "double_sign"
    power: int
    infraction_height: int
    fraction: str  # the fraction burned after the slashing-period cap
    burned: int
    jailed_until_ns: int


class EvidenceIgnored(SlashingEvent):
    """Misbehavior consensus reported that led to no punishment, and why."""

    consensus_address: bytes
    kind: str
    height: int
    reason: str  # "unknown_kind" | "future" | "unknown_validator" | "unbonded" | "tombstoned" | "too_old"
