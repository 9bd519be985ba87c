"""Evidence, commit and reveal, appeal and advance: the msgs that act on a dispute."""
from __future__ import annotations

import msgspec

from suretychain.core.context import Context
from suretychain.core.errors import require
from suretychain.modules.court.disputes import advance_dispute, appeal_dispute, compute_commitment, replace_round
from suretychain.modules.court.errors import (
    ErrAlreadyCommitted,
    ErrAlreadyRevealed,
    ErrDisputeNotFound,
    ErrInvalidChoice,
    ErrNoCommit,
    ErrNotDrawn,
    ErrNotParty,
    ErrPeriodNotOver,
    ErrRevealMismatch,
    ErrWrongPeriod,
    ErrWrongRound,
)
from suretychain.modules.court.events import EvidenceSubmitted, VoteCommitted, VoteRevealed
from suretychain.modules.court.keeper import CourtKeeper
from suretychain.modules.court.types import (
    Dispute,
    Evidence,
    MsgAdvanceDispute,
    MsgAppeal,
    MsgCommitVote,
    MsgRevealVote,
    MsgSubmitEvidence,
    Period,
    Vote,
)


def get_dispute_or_fail(keeper: CourtKeeper, ctx: Context, dispute_id: int) -> Dispute:
    dispute = keeper.get_dispute(ctx, dispute_id)
    require(dispute is not None, ErrDisputeNotFound, str(dispute_id))
    return dispute  # type: ignore[return-value]


def get_vote_index(dispute: Dispute, round_index: int, juror: bytes) -> int:
    """The juror's place among the current round's drawn jurors."""
    require(round_index == len(dispute.rounds) - 1, ErrWrongRound, str(round_index))
    for i, vote in enumerate(dispute.rounds[-1].votes):
        if vote.juror.raw == juror:
            return i
    raise ErrNotDrawn()


def set_vote(dispute: Dispute, index: int, vote: Vote) -> Dispute:
    votes = list(dispute.rounds[-1].votes)
    votes[index] = vote
    return replace_round(dispute, msgspec.structs.replace(dispute.rounds[-1], votes=votes))


def process_submit_evidence(keeper: CourtKeeper, ctx: Context, msg: MsgSubmitEvidence) -> None:
    dispute = get_dispute_or_fail(keeper, ctx, msg.dispute_id)
    require(dispute.period == Period.EVIDENCE, ErrWrongPeriod, dispute.period)
    # Parties submit evidence
    require(any(str(p) == str(msg.submitter) for p in dispute.parties), ErrNotParty)
    evidence = Evidence(submitter=msg.submitter, digest=msg.digest, uri=msg.uri, text=msg.text)
    keeper.set_dispute(ctx, msgspec.structs.replace(dispute, evidence=[*dispute.evidence, evidence]))
    ctx.emit(EvidenceSubmitted(dispute_id=dispute.id, submitter=msg.submitter, index=len(dispute.evidence)))


def process_commit_vote(keeper: CourtKeeper, ctx: Context, msg: MsgCommitVote) -> None:
    dispute = get_dispute_or_fail(keeper, ctx, msg.dispute_id)
    require(dispute.period == Period.COMMIT, ErrWrongPeriod, dispute.period)
    index = get_vote_index(dispute, msg.round, msg.juror.raw)
    vote = dispute.rounds[-1].votes[index]
    # One commitment per juror and round
    require(not vote.commitment, ErrAlreadyCommitted)
    keeper.set_dispute(ctx, set_vote(dispute, index, msgspec.structs.replace(vote, commitment=msg.commitment)))
    ctx.emit(VoteCommitted(dispute_id=dispute.id, round=msg.round, juror=msg.juror))


def process_reveal_vote(keeper: CourtKeeper, ctx: Context, msg: MsgRevealVote) -> None:
    dispute = get_dispute_or_fail(keeper, ctx, msg.dispute_id)
    require(dispute.period == Period.REVEAL, ErrWrongPeriod, dispute.period)
    index = get_vote_index(dispute, msg.round, msg.juror.raw)
    vote = dispute.rounds[-1].votes[index]
    require(vote.commitment, ErrNoCommit)
    require(not vote.revealed, ErrAlreadyRevealed)
    require(msg.choice < len(dispute.options), ErrInvalidChoice, str(msg.choice))
    # The reveal must open the commitment exactly (the reason included, through its digest)
    expected = compute_commitment(dispute.id, msg.round, msg.juror.raw, msg.choice, msg.magnitude, msg.reason, msg.salt)
    require(expected == vote.commitment, ErrRevealMismatch)
    revealed = msgspec.structs.replace(vote, revealed=True, choice=msg.choice, magnitude=msg.magnitude,
                                       reason=msg.reason)
    keeper.set_dispute(ctx, set_vote(dispute, index, revealed))
    ctx.emit(VoteRevealed(dispute_id=dispute.id, round=msg.round, juror=msg.juror, choice=msg.choice,
                          magnitude=msg.magnitude))


def process_appeal(keeper: CourtKeeper, ctx: Context, msg: MsgAppeal) -> None:
    dispute = get_dispute_or_fail(keeper, ctx, msg.dispute_id)
    keeper.set_dispute(ctx, appeal_dispute(keeper, ctx, dispute, msg.appellant))


def process_advance_dispute(keeper: CourtKeeper, ctx: Context, msg: MsgAdvanceDispute) -> None:
    """Anyone may move a dispute on once its period is over."""
    dispute = get_dispute_or_fail(keeper, ctx, msg.dispute_id)
    require(not dispute.final, ErrWrongPeriod, "final")
    advanced = advance_dispute(keeper, ctx, dispute)
    require(advanced is not None, ErrPeriodNotOver, dispute.period)
    keeper.set_dispute(ctx, advanced)  # type: ignore[arg-type]
