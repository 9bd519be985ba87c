"""Disputes: opening, drawing jurors, periods by block time, the ruling, incentives and appeals."""
from __future__ import annotations

import hashlib

import msgspec

from suretychain.core.context import Context
from suretychain.core.encoding import Address
from suretychain.core.errors import ErrInternal, ErrOutOfGas, SuretyError, require
from suretychain.core.tx import Coin
from suretychain.modules.court.errors import (
    ErrCourtNotFound,
    ErrInvalidDispute,
    ErrMaxRounds,
    ErrNotEnoughJurors,
    ErrNotParty,
    ErrUnknownCreator,
    ErrWrongPeriod,
)
from suretychain.modules.court.events import (
    DisputeAppealed,
    DisputeOpened,
    JurorsDrawn,
    PeriodChanged,
    RoundSettled,
    RulingByDefault,
    RulingCallbackFailed,
    RulingDelivered,
)
from suretychain.modules.court.funding import (
    compute_appeal_juror_count,
    compute_appeal_pot,
    compute_next_fee,
    pay_appeal_funding,
)
from suretychain.modules.court.jurors import forfeit_locked_stake, lock_stake, unlock_stake
from suretychain.modules.court.keeper import CourtKeeper
from suretychain.modules.court.params import CourtParams
from suretychain.modules.court.sumtree import (
    SnapshotView,
    close_snapshot,
    compute_draw_value,
    get_tree_total,
    open_snapshot,
)
from suretychain.modules.court.types import (
    BPS,
    COURT_ACCOUNT,
    MAX_EXCLUDED,
    MAX_JURORS,
    MAX_OPTIONS,
    MAX_PARTIES,
    MAX_QUESTION_BYTES,
    Dispute,
    Juror,
    JurorRound,
    Period,
    Round,
    Ruling,
    Vote,
)

MAX_DRAW_ATTEMPTS_PER_SEAT = 64  # redraws per seat before the draw stops short (see README, Drawing)


# ---- pure helpers --------------------------------------------------------------------------------------------------
def compute_lock_per_seat(params: CourtParams) -> int:
    """``min_stake × alpha``, rounded up (a charge)."""
    return -(-params.min_stake * params.alpha_bps // BPS)


def compute_ruling(votes: list[Vote]) -> Ruling:
    """Majority by seats of the revealed votes; a tie (or no reveal) rules for option 0, the default. The
    magnitude is the lower median, by seat, of the winning side's magnitudes."""
    tally: dict[int, int] = {}
    for vote in votes:
        if vote.revealed:
            tally[vote.choice] = tally.get(vote.choice, 0) + vote.seats
    if not tally:
        return Ruling(choice=0, magnitude=0)
    best = max(tally.values())
    leaders = sorted(choice for choice, seats in tally.items() if seats == best)
    choice = leaders[0] if len(leaders) == 1 else 0
    return Ruling(choice=choice, magnitude=compute_magnitude(votes, choice))


def compute_magnitude(votes: list[Vote], choice: int) -> int:
    """The lower median, by seat, of the magnitudes revealed for ``choice`` (0 if none)."""
    magnitudes = sorted(m for v in votes if v.revealed and v.choice == choice for m in [v.magnitude] * v.seats)
    return magnitudes[(len(magnitudes) - 1) // 2] if magnitudes else 0


def compute_shares(pot: int, seats: list[int]) -> tuple[list[int], int]:
    """``pot`` pro rata to ``seats``, rounded down; the remainder is returned separately."""
    total = sum(seats)
    if total == 0:
        return [0] * len(seats), pot
    shares = [pot * s // total for s in seats]
    return shares, pot - sum(shares)


def compute_commitment(dispute_id: int, round_index: int, juror: bytes, choice: int, magnitude: int, reason: str,
                       salt: bytes) -> bytes:
    """``sha256(domain ‖ dispute ‖ round ‖ juror ‖ choice ‖ magnitude ‖ sha256(reason) ‖ salt)``."""
    reason_digest = hashlib.sha256(reason.encode()).digest()
    return hashlib.sha256(b"surety/court-vote/v1\x00" + dispute_id.to_bytes(8, "big") + round_index.to_bytes(4, "big")
                          + juror + choice.to_bytes(4, "big") + magnitude.to_bytes(4, "big") + reason_digest
                          + salt).digest()


def is_conflicted(juror: Juror, address: Address, dispute: Dispute) -> bool:
    """A party, an excluded account, or a juror who declared an affiliation with a party or excluded account."""
    barred = {str(a) for a in dispute.parties} | {str(a) for a in dispute.excluded}
    return str(address) in barred or any(a in barred for a in juror.affiliations)


# ---- opening -------------------------------------------------------------------------------------------------------
def get_court_params(keeper: CourtKeeper, ctx: Context, court_id: int) -> CourtParams:
    court = keeper.get_court(ctx, court_id)
    require(court is not None, ErrCourtNotFound, str(court_id))
    return court.params  # type: ignore[union-attr]


def new_round(keeper: CourtKeeper, ctx: Context, court_id: int, juror_count: int, fee: int) -> Round:
    """A round frozen on the court's sum tree as it is now (a snapshot epoch), drawn ``draw_delay_blocks`` later."""
    # Someone must be able to sit
    require(get_tree_total(keeper, ctx, court_id) > 0, ErrNotEnoughJurors, f"court {court_id} has no stake")
    params = get_court_params(keeper, ctx, court_id)
    epoch, height = open_snapshot(keeper, ctx, court_id)
    return Round(juror_count=juror_count, fee=fee, lock_per_seat=compute_lock_per_seat(params),
                 draw_height=ctx.block.height + keeper.get_params(ctx).draw_delay_blocks, snapshot_epoch=epoch,
                 snapshot_height=height)


def open_dispute(keeper: CourtKeeper, ctx: Context, creator_module: str, court_id: int, question: str,
                 parties: list[Address], excluded: list[Address], juror_count: int, fee: int, options: list[str],
                 payer: Address | None) -> int:
    """Open a dispute for ``creator_module``; the fee comes from ``payer`` or else the creator's module account."""
    params = get_court_params(keeper, ctx, court_id)
    require(creator_module in keeper.ruling_callbacks, ErrUnknownCreator, creator_module)
    # An odd jury cannot split evenly between two options
    require(juror_count % 2 == 1 and 1 <= juror_count <= MAX_JURORS, ErrInvalidDispute, "juror_count must be odd")
    require(2 <= len(options) <= MAX_OPTIONS, ErrInvalidDispute, "between 2 and 8 options")
    require(len(question.encode()) <= MAX_QUESTION_BYTES, ErrInvalidDispute, "question too long")
    require(1 <= len(parties) <= MAX_PARTIES and len(excluded) <= MAX_EXCLUDED, ErrInvalidDispute, "parties")
    # The fee pays every seat its juror fee
    require(fee >= params.juror_fee * juror_count, ErrInvalidDispute, f"fee below {params.juror_fee * juror_count}")
    round_ = new_round(keeper, ctx, court_id, juror_count, fee)
    collect_fee(keeper, ctx, fee, payer, creator_module)
    counters = keeper.get_counters(ctx)
    dispute = Dispute(id=counters.next_dispute_id, creator_module=creator_module, court=court_id, question=question,
                      parties=list(parties), excluded=list(excluded), options=list(options), period=Period.EVIDENCE,
                      period_start_ns=ctx.block.time_ns, rounds=[round_])
    keeper.set_counters(ctx, msgspec.structs.replace(counters, next_dispute_id=dispute.id + 1))
    keeper.set_dispute(ctx, dispute)
    ctx.emit(DisputeOpened(dispute_id=dispute.id, creator_module=creator_module, court=court_id,
                           draw_height=round_.draw_height))
    return dispute.id


def collect_fee(keeper: CourtKeeper, ctx: Context, fee: int, payer: Address | None, creator_module: str) -> None:
    if fee == 0:
        return
    coins = [Coin(denom=keeper.get_params(ctx).denom, amount=fee)]
    if payer is not None:
        keeper.bank.send_coins_from_account_to_module(ctx, payer.raw, COURT_ACCOUNT, coins)
    else:
        keeper.bank.send_coins_from_module_to_module(ctx, creator_module, COURT_ACCOUNT, coins)


# ---- drawing -------------------------------------------------------------------------------------------------------
def draw_jurors(keeper: CourtKeeper, ctx: Context, dispute: Dispute, seed: bytes) -> Round:
    """Draw the current round's seats stake-weighted from ``seed`` on the round's snapshot; a conflicted juror, or
    one whose free stake cannot cover another lock, is taken out of this draw and the seat is redrawn with the next
    nonce. Each seat locks; each drawn juror's vote is written at its own key."""
    index = len(dispute.rounds) - 1
    round_ = dispute.rounds[index]
    view = SnapshotView(keeper, ctx, dispute.court, round_.snapshot_epoch, round_.snapshot_height)
    seats: dict[bytes, Vote] = {}
    filled = nonce = 0
    while filled < round_.juror_count:
        if view.total == 0 or nonce >= MAX_DRAW_ATTEMPTS_PER_SEAT * round_.juror_count:
            break  # the round sits short: see README
        leaf, weight, raw = view.find(compute_draw_value(seed, dispute.id, index, nonce, view.total))
        nonce += 1
        address = Address.from_raw(raw)
        juror = keeper.get_juror(ctx, address)
        if is_conflicted(juror, address, dispute) or juror.staked - juror.locked < round_.lock_per_seat:
            view.remove(leaf, weight)
            continue
        lock_stake(keeper, ctx, address, round_.lock_per_seat)
        vote = seats.get(raw) or Vote(juror=address, seats=0, order=len(seats))
        seats[raw] = msgspec.structs.replace(vote, seats=vote.seats + 1)
        filled += 1
    for vote in seats.values():
        keeper.set_vote(ctx, dispute.id, index, vote)
    close_snapshot(keeper, ctx, dispute.court, round_.snapshot_epoch)
    ctx.emit(JurorsDrawn(dispute_id=dispute.id, round=index, jurors=",".join(str(v.juror) for v in seats.values())))
    return msgspec.structs.replace(round_, drawn=True, jurors=len(seats), seats=filled)


# ---- periods -------------------------------------------------------------------------------------------------------
def is_period_over(dispute: Dispute, duration_ns: int, now_ns: int) -> bool:
    return now_ns >= dispute.period_start_ns + duration_ns


def set_period(ctx: Context, dispute: Dispute, period: str) -> Dispute:
    ctx.emit(PeriodChanged(dispute_id=dispute.id, round=len(dispute.rounds) - 1, period=period))
    return msgspec.structs.replace(dispute, period=period, period_start_ns=ctx.block.time_ns)


def replace_round(dispute: Dispute, round_: Round) -> Dispute:
    return msgspec.structs.replace(dispute, rounds=[*dispute.rounds[:-1], round_])


def advance_dispute(keeper: CourtKeeper, ctx: Context, dispute: Dispute) -> Dispute | None:
    """One step of the dispute if one is due (draw, or move to the next period); None when nothing is due."""
    params = get_court_params(keeper, ctx, dispute.court)
    round_ = dispute.rounds[-1]
    now = ctx.block.time_ns
    if dispute.period == Period.EVIDENCE:
        if not round_.drawn:
            seed = keeper.beacon.get_seed(ctx, round_.draw_height) if ctx.block.height >= round_.draw_height else None
            return replace_round(dispute, draw_jurors(keeper, ctx, dispute, seed)) if seed is not None else None
        if is_period_over(dispute, params.evidence_ns, now):
            return set_period(ctx, dispute, Period.COMMIT)
    elif dispute.period == Period.COMMIT:
        if is_period_over(dispute, params.commit_ns, now) or round_.commits == round_.jurors:
            return set_period(ctx, dispute, Period.REVEAL)
    elif dispute.period == Period.REVEAL:
        if is_period_over(dispute, params.reveal_ns, now) or round_.reveals == round_.jurors:
            votes = keeper.get_round_votes(ctx, dispute.id, len(dispute.rounds) - 1)
            ruled = msgspec.structs.replace(dispute, ruling=compute_ruling(votes))
            if len(dispute.rounds) >= params.max_rounds:
                return execute_dispute(keeper, ctx, ruled)  # the last round is final: no appeal
            return set_period(ctx, ruled, Period.APPEAL)
    elif dispute.period == Period.APPEAL:
        if is_period_over(dispute, params.appeal_ns, now):
            return execute_dispute(keeper, ctx, apply_default_ruling(keeper, ctx, dispute))
    return None


def process_disputes(keeper: CourtKeeper, ctx: Context) -> None:
    """End-block: advance every open dispute as far as its periods allow."""
    for dispute_id in keeper.get_open_dispute_ids(ctx):
        dispute = keeper.get_dispute(ctx, dispute_id)
        while dispute is not None and not dispute.final:
            dispute = advance_dispute(keeper, ctx, dispute)
            if dispute is not None:
                keeper.set_dispute(ctx, dispute)


def execute_dispute(keeper: CourtKeeper, ctx: Context, dispute: Dispute) -> Dispute:
    """Settle the last round, make the ruling final and deliver it to the creator module."""
    settled = replace_round(dispute, settle_round(keeper, ctx, dispute))
    done = msgspec.structs.replace(set_period(ctx, settled, Period.EXECUTION), final=True)
    keeper.set_dispute(ctx, done)
    pay_appeal_funding(keeper, ctx, done, (done.ruling or Ruling(choice=0, magnitude=0)).choice)
    deliver_ruling(keeper, ctx, done)
    return done


def deliver_ruling(keeper: CourtKeeper, ctx: Context, dispute: Dispute) -> None:
    """Run the creator's ``on_ruling`` on a branch of the state: if it fails, its writes are dropped, a
    ``RulingCallbackFailed`` event says why, and the dispute stays final with its ruling."""
    ruling = dispute.ruling or Ruling(choice=0, magnitude=0)
    branch, cache = ctx.branch()
    try:
        keeper.ruling_callbacks[dispute.creator_module](branch, dispute.id, ruling)
    except SuretyError as exc:
        if ErrOutOfGas.is_(exc):
            raise  # the tx (never end-block: its meter is infinite) is out of gas as a whole
        failure = exc
    except Exception as exc:  # a bug in the creator module: deterministic, reported, not fatal to the chain
        failure = ErrInternal(type(exc).__name__)
    else:
        cache.write()
        ctx.events.extend(branch.events)
        ctx.emit(RulingDelivered(dispute_id=dispute.id, creator_module=dispute.creator_module, choice=ruling.choice,
                                 magnitude=ruling.magnitude))
        return
    ctx.emit(RulingCallbackFailed(dispute_id=dispute.id, creator_module=dispute.creator_module,
                                  codespace=failure.codespace, code=failure.code, message=failure.log))


# ---- incentives ----------------------------------------------------------------------------------------------------
def is_coherent(vote: Vote, ruling: Ruling) -> bool:
    """The juror revealed the round's ruling."""
    return vote.revealed and vote.choice == ruling.choice


def settle_round(keeper: CourtKeeper, ctx: Context, dispute: Dispute) -> Round:
    """Against the round's ruling: incoherent jurors and non-revealers forfeit their lock; coherent jurors get
    their lock back and share fee + forfeits pro rata to seats (rounded down); the rest goes to the court's
    community share. Each juror's record of the round is written."""
    index = len(dispute.rounds) - 1
    round_ = dispute.rounds[index]
    votes = keeper.get_round_votes(ctx, dispute.id, index)
    ruling = compute_ruling(votes)
    coherent = [is_coherent(v, ruling) for v in votes]
    penalized = 0
    for vote, is_ok in zip(votes, coherent):
        lock = vote.seats * round_.lock_per_seat
        if is_ok:
            unlock_stake(keeper, ctx, vote.juror, lock)
        else:
            forfeit_locked_stake(keeper, ctx, vote.juror, lock, dispute.court)
            penalized += lock
    shares, rest = compute_shares(round_.fee + penalized, [v.seats if c else 0 for v, c in zip(votes, coherent)])
    denom = keeper.get_params(ctx).denom
    for vote, is_ok, share in zip(votes, coherent, shares):
        if share:
            keeper.bank.send_coins_from_module_to_account(ctx, COURT_ACCOUNT, vote.juror.raw,
                                                          [Coin(denom=denom, amount=share)])
        record_juror_round(keeper, ctx, dispute, index, vote, is_ok, share)
    keeper.add_community(ctx, dispute.court, rest)
    ctx.emit(RoundSettled(dispute_id=dispute.id, round=index, choice=ruling.choice, magnitude=ruling.magnitude,
                          rewarded=sum(shares), penalized=penalized, to_community=rest))
    return msgspec.structs.replace(round_, settled=True)


def record_juror_round(keeper: CourtKeeper, ctx: Context, dispute: Dispute, index: int, vote: Vote, coherent: bool,
                       reward: int) -> None:
    """Write the juror's record of a settled round and add it to the juror's summary."""
    lock = vote.seats * dispute.rounds[index].lock_per_seat
    penalty = 0 if coherent else lock
    keeper.set_juror_round(ctx, JurorRound(juror=vote.juror, dispute_id=dispute.id, round=index, court=dispute.court,
                                           seats=vote.seats, lock=lock, revealed=vote.revealed, choice=vote.choice,
                                           coherent=coherent, reward=reward, penalty=penalty))
    summary = keeper.get_summary(ctx, vote.juror)
    keeper.set_summary(ctx, msgspec.structs.replace(
        summary, rounds=summary.rounds + 1, coherent_rounds=summary.coherent_rounds + int(coherent),
        total_reward=summary.total_reward + reward, total_penalty=summary.total_penalty + penalty))


def get_fees_held(dispute: Dispute) -> int:
    """Fees paid in and not yet settled (for the invariant)."""
    return sum(r.fee for r in dispute.rounds if not r.settled)


def get_locks_held(keeper: CourtKeeper, ctx: Context, dispute: Dispute) -> dict[bytes, int]:
    """Locks of unsettled rounds, by juror (for the invariant)."""
    locks: dict[bytes, int] = {}
    for index, round_ in enumerate(dispute.rounds):
        if not round_.settled:
            for vote in keeper.get_round_votes(ctx, dispute.id, index):
                locks[vote.juror.raw] = locks.get(vote.juror.raw, 0) + vote.seats * round_.lock_per_seat
    return locks


# ---- appeals -------------------------------------------------------------------------------------------------------
def get_appeal_terms(keeper: CourtKeeper, ctx: Context, dispute: Dispute) -> CourtParams:
    """The court's params, once the rules for any appeal hold."""
    params = get_court_params(keeper, ctx, dispute.court)
    require(dispute.period == Period.APPEAL, ErrWrongPeriod, dispute.period)
    require(not is_period_over(dispute, params.appeal_ns, ctx.block.time_ns), ErrWrongPeriod, "appeal period over")
    require(len(dispute.rounds) < params.max_rounds, ErrMaxRounds)
    # The next round has 2n + 1 seats, within the largest jury
    require(compute_appeal_juror_count(dispute.rounds[-1].juror_count) <= MAX_JURORS, ErrMaxRounds, "too many jurors")
    return params


def new_appeal_round(keeper: CourtKeeper, ctx: Context, dispute: Dispute, params: CourtParams) -> Round:
    """The round an appeal opens: 2n + 1 jurors, ``appeal_fee`` per seat (``params``: the court's appeal terms)."""
    juror_count = dispute.rounds[-1].juror_count
    return new_round(keeper, ctx, dispute.court, compute_appeal_juror_count(juror_count),
                     compute_next_fee(params, juror_count))


def appeal_dispute(keeper: CourtKeeper, ctx: Context, dispute: Dispute, appellant: Address) -> Dispute:
    """Settle the current round and open a new one with 2n+1 jurors, paid by the appellant (a party)."""
    params = get_appeal_terms(keeper, ctx, dispute)
    require(any(str(p) == str(appellant) for p in dispute.parties), ErrNotParty)
    next_round = new_appeal_round(keeper, ctx, dispute, params)
    collect_fee(keeper, ctx, next_round.fee, appellant, dispute.creator_module)
    return start_next_round(ctx, dispute, settle_round(keeper, ctx, dispute), next_round, appellant)


def crowdfund_appeal(keeper: CourtKeeper, ctx: Context, dispute: Dispute, funder: Address,
                     params: CourtParams) -> Dispute:
    """Two sides are fully funded: settle the current round and open the next one, its fee taken from the
    funding (already in the court account); the rest is the pot of the winning side's funders. ``params``: the
    court's appeal terms, already checked (``get_appeal_terms``)."""
    next_round = new_appeal_round(keeper, ctx, dispute, params)
    settled = msgspec.structs.replace(settle_round(keeper, ctx, dispute), crowdfunded=True,
                                      appeal_pot=compute_appeal_pot(dispute.rounds[-1], next_round.fee))
    return start_next_round(ctx, dispute, settled, next_round, funder)


def start_next_round(ctx: Context, dispute: Dispute, settled: Round, next_round: Round, appellant: Address) -> Dispute:
    """The dispute with its settled round, then the new one, back in the evidence period without a ruling."""
    appealed = msgspec.structs.replace(dispute, rounds=[*dispute.rounds[:-1], settled, next_round], ruling=None)
    ctx.emit(DisputeAppealed(dispute_id=dispute.id, appellant=appellant, round=len(appealed.rounds) - 1,
                             juror_count=next_round.juror_count))
    return set_period(ctx, appealed, Period.EVIDENCE)


def apply_default_ruling(keeper: CourtKeeper, ctx: Context, dispute: Dispute) -> Dispute:
    """The appeal period is over: if one side alone is fully funded and it is not the ruling, it wins by default
    (its magnitude: the lower median of its voters')."""
    round_ = dispute.rounds[-1]
    ruling = dispute.ruling or Ruling(choice=0, magnitude=0)
    if len(round_.funded_sides) != 1 or round_.funded_sides[0] == ruling.choice:
        return dispute
    choice = round_.funded_sides[0]
    votes = keeper.get_round_votes(ctx, dispute.id, len(dispute.rounds) - 1)
    default = Ruling(choice=choice, magnitude=compute_magnitude(votes, choice))
    ctx.emit(RulingByDefault(dispute_id=dispute.id, round=len(dispute.rounds) - 1, choice=choice,
                             magnitude=default.magnitude))
    return msgspec.structs.replace(dispute, ruling=default)
