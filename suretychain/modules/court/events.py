"""Court events."""
from __future__ import annotations

from typing import ClassVar

from suretychain.core.encoding import Address
from suretychain.core.events import TypedEvent
from suretychain.modules.court.types import MODULE


class CourtEvent(TypedEvent):
    MODULE: ClassVar[str] = MODULE


class JurorStaked(CourtEvent):
    juror: Address
    court: int
    amount: int


class JurorUnstaked(CourtEvent):
    juror: Address
    court: int
    amount: int
    release_ns: int


class WithdrawalPaid(CourtEvent):
    juror: Address
    amount: int


class DisputeOpened(CourtEvent):
    dispute_id: int
    creator_module: str
    court: int
    draw_height: int


class JurorsDrawn(CourtEvent):
    dispute_id: int
    round: int
    jurors: str


class PeriodChanged(CourtEvent):
    dispute_id: int
    round: int
    period: str


class EvidenceSubmitted(CourtEvent):
    dispute_id: int
    submitter: Address
    index: int


class VoteCommitted(CourtEvent):
    dispute_id: int
    round: int
    juror: Address


class VoteRevealed(CourtEvent):
    dispute_id: int
    round: int
    juror: Address
    choice: int
    magnitude: int


class RoundSettled(CourtEvent):
    dispute_id: int
    round: int
    choice: int
    magnitude: int
    rewarded: int
    penalized: int
    to_community: int


class DisputeAppealed(CourtEvent):
    dispute_id: int
    appellant: Address
    round: int
    juror_count: int


class RulingDelivered(CourtEvent):
    dispute_id: int
    creator_module: str
    choice: int
    magnitude: int


class RulingCallbackFailed(CourtEvent):
    """The creator's ``on_ruling`` raised: its writes were dropped; the dispute stays final with its ruling."""

    dispute_id: int
    creator_module: str
    codespace: str
    code: int
    message: str
