"""Evidence, commit and reveal, appeal and advance: the msgs that act on a dispute."""
from __future__ import annotations

import msgspec

from suretychain.core.context import Context
from suretychain.core.errors import require
from suretychain.modules.court.disputes import (
    advance_dispute,
    appeal_dispute,
    compute_commitment,
    crowdfund_appeal,
    get_appeal_terms,
    replace_round,
)
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
    ErrSideFunded,
    ErrTooManyFunders,
    ErrZeroAmount,
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
    MsgFundAppeal,
    MsgRevealVote,
    MsgSubmitEvidence,
    MAX_FUNDERS_PER_SIDE,
    Period,
    Vote,
)
from suretychain.modules.court.funding import add_contribution, compute_side_cost, get_funded


def get_dispute_or_fail(keeper: CourtKeeper, ctx: Context, dispute_id: int) -> Dispute:
    dispute = keeper.get_dispute(ctx, dispute_id)
    require(dispute is not None, ErrDisputeNotFound, str(dispute_id))
    return dispute  # type: ignore[return-value]


def get_current_vote(keeper: CourtKeeper, ctx: Context, dispute: Dispute, round_index: int, juror: bytes) -> Vote:
    """The juror's vote in the dispute's current round (one read at the vote's own key)."""
    # Votes go to the current round
    require(round_index == len(dispute.rounds) - 1, ErrWrongRound, str(round_index))
    vote = keeper.get_vote(ctx, dispute.id, round_index, juror)
    # Only drawn jurors vote
    require(vote is not None, ErrNotDrawn)
    return vote  # type: ignore[return-value]


def add_to_round(dispute: Dispute, commits: int = 0, reveals: int = 0) -> Dispute:
    """The dispute with its current round's counters moved on."""
    round_ = dispute.rounds[-1]
    return replace_round(dispute, msgspec.structs.replace(round_, commits=round_.commits + commits,
                                                          reveals=round_.reveals + reveals))


def process_submit_evidence(keeper: CourtKeeper, ctx: Context, msg: MsgSubmitEvidence) -> None:
    dispute = get_dispute_or_fail(keeper, ctx, msg.dispute_id)
    require(dispute.period == Period.EVIDENCE, ErrWrongPeriod, dispute.period)
    # Parties submit evidence
    require(any(str(p) == str(msg.submitter) for p in dispute.parties), ErrNotParty)
    evidence = Evidence(submitter=msg.submitter, digest=msg.digest, uri=msg.uri, text=msg.text)
    keeper.set_evidence(ctx, dispute.id, dispute.evidence_count, evidence)
    keeper.set_dispute(ctx, msgspec.structs.replace(dispute, evidence_count=dispute.evidence_count + 1))
    ctx.emit(EvidenceSubmitted(dispute_id=dispute.id, submitter=msg.submitter, index=dispute.evidence_count))


def process_commit_vote(keeper: CourtKeeper, ctx: Context, msg: MsgCommitVote) -> None:
    dispute = get_dispute_or_fail(keeper, ctx, msg.dispute_id)
    require(dispute.period == Period.COMMIT, ErrWrongPeriod, dispute.period)
    vote = get_current_vote(keeper, ctx, dispute, msg.round, msg.juror.raw)
    # One commitment per juror and round
    require(not vote.commitment, ErrAlreadyCommitted)
    keeper.set_vote(ctx, dispute.id, msg.round, msgspec.structs.replace(vote, commitment=msg.commitment))
    keeper.set_dispute(ctx, add_to_round(dispute, commits=1))
    ctx.emit(VoteCommitted(dispute_id=dispute.id, round=msg.round, juror=msg.juror))


def process_reveal_vote(keeper: CourtKeeper, ctx: Context, msg: MsgRevealVote) -> None:
    dispute = get_dispute_or_fail(keeper, ctx, msg.dispute_id)
    require(dispute.period == Period.REVEAL, ErrWrongPeriod, dispute.period)
    vote = get_current_vote(keeper, ctx, dispute, msg.round, msg.juror.raw)
    require(vote.commitment, ErrNoCommit)
    require(not vote.revealed, ErrAlreadyRevealed)
    require(msg.choice < len(dispute.options), ErrInvalidChoice, str(msg.choice))
    # The reveal must open the commitment exactly (the reason included, through its digest)
    expected = compute_commitment(dispute.id, msg.round, msg.juror.raw, msg.choice, msg.magnitude, msg.reason, msg.salt)
    require(expected == vote.commitment, ErrRevealMismatch)
    revealed = msgspec.structs.replace(vote, revealed=True, choice=msg.choice, magnitude=msg.magnitude,
                                       reason=msg.reason)
    keeper.set_vote(ctx, dispute.id, msg.round, revealed)
    keeper.set_dispute(ctx, add_to_round(dispute, reveals=1))
    ctx.emit(VoteRevealed(dispute_id=dispute.id, round=msg.round, juror=msg.juror, choice=msg.choice,
                          magnitude=msg.magnitude))


def process_appeal(keeper: CourtKeeper, ctx: Context, msg: MsgAppeal) -> None:
    dispute = get_dispute_or_fail(keeper, ctx, msg.dispute_id)
    keeper.set_dispute(ctx, appeal_dispute(keeper, ctx, dispute, msg.appellant))


def process_fund_appeal(keeper: CourtKeeper, ctx: Context, msg: MsgFundAppeal) -> None:
    """Anyone funds a side of the appeal; the second side to be fully funded opens the next round."""
    dispute = get_dispute_or_fail(keeper, ctx, msg.dispute_id)
    params = get_appeal_terms(keeper, ctx, dispute)
    require(msg.amount > 0, ErrZeroAmount)
    require(msg.choice < len(dispute.options), ErrInvalidChoice, str(msg.choice))
    round_ = dispute.rounds[-1]
    ruling = dispute.ruling.choice if dispute.ruling else 0
    required = compute_side_cost(params, round_.juror_count, msg.choice == ruling)
    # A side takes no more than it needs
    require(msg.choice not in round_.funded_sides, ErrSideFunded, str(msg.choice))
    # A side has a bounded number of funders (the payout at the end walks them)
    index = len(dispute.rounds) - 1
    require(keeper.get_contribution(ctx, dispute.id, index, msg.choice, msg.funder) is not None
            or len(keeper.get_side_contributions(ctx, dispute.id, index, msg.choice)) < MAX_FUNDERS_PER_SIDE,
            ErrTooManyFunders)
    amount = min(msg.amount, required - get_funded(round_, msg.choice))
    funded = add_contribution(keeper, ctx, dispute, msg.choice, msg.funder, amount, required)
    if len(funded.rounds[-1].funded_sides) == 2:
        funded = crowdfund_appeal(keeper, ctx, funded, msg.funder, params)
    keeper.set_dispute(ctx, funded)


def process_advance_dispute(keeper: CourtKeeper, ctx: Context, msg: MsgAdvanceDispute) -> None:
    """Anyone may move a dispute on once its period is over."""
    dispute = get_dispute_or_fail(keeper, ctx, msg.dispute_id)
    require(not dispute.final, ErrWrongPeriod, "final")
    advanced = advance_dispute(keeper, ctx, dispute)
    require(advanced is not None, ErrPeriodNotOver, dispute.period)
    keeper.set_dispute(ctx, advanced)  # type: ignore[arg-type]
