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


class AppealFunded(CourtEvent):
    """A contribution to one side (``choice``) of the appeal of ``round``; the side is fully funded when
    ``funded == required``."""

    dispute_id: int
    round: int
    choice: int
    funder: Address
    amount: int
    funded: int
    required: int


class RulingByDefault(CourtEvent):
    """The appeal period ended with only this side, not the round's ruling, fully funded: it wins by default."""

    dispute_id: int
    round: int
    choice: int
    magnitude: int


class AppealFundingPaid(CourtEvent):
    """The dispute is final: one round's appeal contributions were paid out (``to_community``: rounding)."""

    dispute_id: int
    round: int
    paid: int
    to_community: int


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
