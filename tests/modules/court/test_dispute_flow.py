"""A dispute opened by the test creator module end to end: draw, commit, reveal, ruling, incentives, appeal."""
from __future__ import annotations

import msgspec

from suretychain.modules.court.errors import (
    ErrAlreadyCommitted,
    ErrBelowMinStake,
    ErrDisputeNotFound,
    ErrInvalidDispute,
    ErrNotEnoughJurors,
    ErrNotDrawn,
    ErrPeriodNotOver,
    ErrRevealMismatch,
    ErrStakeLocked,
    ErrWrongPeriod,
)
from suretychain.modules.court.types import MsgAppeal, MsgSubmitEvidence, MsgUnstakeJuror
from tests.modules.court.helpers import (
    JURORS,
    LOCK,
    MsgOpenTestDispute,
    advance,
    commit,
    court_chain,
    digest,
    dispute,
    drawn,
    is_err,
    ok,
    open_dispute,
    reveal,
    stake,
    until_period,
)


def staked_chain(monkeypatch, jurors=JURORS[:5], amount=10_000, court=3):
    chain = court_chain(monkeypatch)
    for name in jurors:
        ok(stake(chain, name, court, amount))
    return chain


def run_to_commit(chain, juror_count=3):
    dispute_id = open_dispute(chain, juror_count=juror_count)
    until_period(chain, dispute_id, "commit")
    return dispute_id


def test_dispute_end_to_end_rewards_and_penalties_sum_to_paid_in(monkeypatch):
    chain = staked_chain(monkeypatch)
    dispute_id = run_to_commit(chain)
    seats = drawn(chain, dispute_id)
    assert sum(s for _, s in seats) == 3
    # locks: LOCK per seat
    for name, s in seats:
        assert chain.query("court/juror", juror=str(chain.address(name)))["juror"]["locked"] == LOCK * s
    # the first drawn juror votes "not proven", everyone else "breach" with magnitudes
    choices = {name: (0 if i == 0 else 1) for i, (name, _) in enumerate(seats)}
    for i, (name, _) in enumerate(seats):
        ok(commit(chain, name, dispute_id, 0, choices[name], 1000 * (i + 1)))
    until_period(chain, dispute_id, "reveal")
    for i, (name, _) in enumerate(seats):
        ok(reveal(chain, name, dispute_id, 0, choices[name], 1000 * (i + 1)))
    until_period(chain, dispute_id, "appeal")
    before = {name: chain.balance(name, "usrt") for name, _ in seats}
    until_period(chain, dispute_id, "execution")
    d = dispute(chain, dispute_id)
    tally = {c: sum(s for n, s in seats if choices[n] == c) for c in (0, 1)}
    winner = 1 if tally[1] > tally[0] else 0
    assert d["ruling"]["choice"] == winner and d["final"]
    win = [(n, s) for n, s in seats if choices[n] == winner]
    lose_seats = sum(s for n, s in seats if choices[n] != winner)
    # fee 300 + the incoherent locks = what coherent jurors receive + what stays as the community share
    pot = 300 + LOCK * lose_seats
    paid = sum(chain.balance(n, "usrt") - before[n] for n, _ in win)
    win_seats = sum(s for _, s in win)
    assert paid == sum(pot * s // win_seats for _, s in win)
    community = msgspec.json.decode(chain.app.export_genesis().app_state["court"])
    assert paid + sum(c["amount"] for c in community["community"]) == pot
    for name, s in seats:
        j = chain.query("court/juror", juror=str(chain.address(name)))["juror"]
        assert j["locked"] == 0
        assert j["staked"] == (10_000 if choices[name] == winner else 10_000 - LOCK * s)


def test_non_revealer_loses_lock(monkeypatch):
    chain = staked_chain(monkeypatch)
    dispute_id = run_to_commit(chain)
    seats = drawn(chain, dispute_id)
    for name, _ in seats:
        ok(commit(chain, name, dispute_id, 0, 1))
    until_period(chain, dispute_id, "reveal")
    silent = seats[0][0]
    for name, _ in seats[1:]:
        ok(reveal(chain, name, dispute_id, 0, 1))
    until_period(chain, dispute_id, "execution")
    j = chain.query("court/juror", juror=str(chain.address(silent)))["juror"]
    assert j["locked"] == 0 and j["staked"] == 10_000 - LOCK * seats[0][1]


def test_no_reveal_at_all_rules_for_default_and_fees_go_to_community(monkeypatch):
    chain = staked_chain(monkeypatch)
    dispute_id = run_to_commit(chain)
    until_period(chain, dispute_id, "execution")
    d = dispute(chain, dispute_id)
    assert d["ruling"] == {"choice": 0, "magnitude": 0}


def test_appeal_draws_seven_jurors(monkeypatch):
    chain = staked_chain(monkeypatch, jurors=JURORS, amount=100_000)
    dispute_id = run_to_commit(chain)
    seats = drawn(chain, dispute_id)
    for name, _ in seats:
        ok(commit(chain, name, dispute_id, 0, 1))
    until_period(chain, dispute_id, "reveal")
    for name, _ in seats:
        ok(reveal(chain, name, dispute_id, 0, 1))
    until_period(chain, dispute_id, "appeal")
    ok(chain.deliver("bob", MsgAppeal(appellant=chain.address("bob"), dispute_id=dispute_id)))
    until_period(chain, dispute_id, "commit")
    d = dispute(chain, dispute_id)
    assert len(d["rounds"]) == 2 and d["rounds"][1]["juror_count"] == 7
    assert sum(s for _, s in drawn(chain, dispute_id)) == 7


def test_parties_and_excluded_never_drawn(monkeypatch):
    chain = court_chain(monkeypatch)
    for name in ["alice", "bob", "carol", "juror0", "juror1"]:
        ok(stake(chain, name, 3, 10_000))
    dispute_id = open_dispute(chain, excluded=["carol"])
    until_period(chain, dispute_id, "commit")
    names = {n for n, _ in drawn(chain, dispute_id)}
    assert names <= {"juror0", "juror1"}


def test_unstake_waits_and_cannot_touch_locks(monkeypatch):
    chain = staked_chain(monkeypatch, jurors=["juror0"], amount=2_000)
    dispute_id = run_to_commit(chain, juror_count=1)
    assert drawn(chain, dispute_id) == [("juror0", 1)]
    msg = MsgUnstakeJuror(juror=chain.address("juror0"), court=3, amount=2_000)
    assert is_err(chain.deliver("juror0", msg), ErrStakeLocked)
    until_period(chain, dispute_id, "execution")  # no reveal: the lock is forfeited
    ok(chain.deliver("juror0", MsgUnstakeJuror(juror=chain.address("juror0"), court=3, amount=1_500)))
    balance = chain.balance("juror0", "usrt")
    chain.advance(5, seconds=2)
    assert chain.balance("juror0", "usrt") == balance  # the withdrawal delay (50 s) is not over
    chain.advance(30, seconds=2)
    assert chain.balance("juror0", "usrt") == balance + 1_500


def test_stake_in_child_counts_for_parent(monkeypatch):
    chain = staked_chain(monkeypatch, jurors=["juror0"], amount=2_000, court=5)
    dispute_id = open_dispute(chain, court=1, juror_count=1, fee=100)
    until_period(chain, dispute_id, "commit")
    assert drawn(chain, dispute_id) == [("juror0", 1)]


def test_invalid_inputs(monkeypatch):
    chain = staked_chain(monkeypatch)
    assert is_err(stake(chain, "carol", 3, 999), ErrBelowMinStake)
    assert is_err(advance(chain, "carol", 99), ErrDisputeNotFound)
    dispute_id = open_dispute(chain)
    assert is_err(advance(chain, "carol", dispute_id), ErrPeriodNotOver)
    ok(chain.deliver("alice", MsgSubmitEvidence(submitter=chain.address("alice"), dispute_id=dispute_id,
                                                digest=digest("log"), uri="ipfs://x", text="the log")))
    seats = drawn(chain, dispute_id)
    until_period(chain, dispute_id, "commit")
    seats = drawn(chain, dispute_id)
    name = seats[0][0]
    # reveal outside its period
    assert is_err(reveal(chain, name, dispute_id, 0, 1), ErrWrongPeriod)
    ok(commit(chain, name, dispute_id, 0, 1))
    assert is_err(commit(chain, name, dispute_id, 0, 1), ErrAlreadyCommitted)
    outsider = next(n for n in JURORS[:5] if n not in {s for s, _ in seats})
    assert is_err(commit(chain, outsider, dispute_id, 0, 1), ErrNotDrawn)
    until_period(chain, dispute_id, "reveal")
    assert is_err(commit(chain, seats[1][0], dispute_id, 0, 1), ErrWrongPeriod)
    assert is_err(reveal(chain, name, dispute_id, 0, 0), ErrRevealMismatch)
    ok(reveal(chain, name, dispute_id, 0, 1))


def test_invalid_open_dispute(monkeypatch):
    chain = staked_chain(monkeypatch)
    parties = [chain.address("alice"), chain.address("bob")]

    def try_open(**kwargs):
        return chain.deliver("alice", MsgOpenTestDispute(creator=chain.address("alice"), parties=parties, **kwargs))
    assert is_err(try_open(court=3, juror_count=2), ErrInvalidDispute)  # even jury
    assert is_err(try_open(court=3, juror_count=3, fee=299), ErrInvalidDispute)  # fee below 3 × juror_fee
    assert is_err(try_open(court=4, juror_count=3), ErrNotEnoughJurors)  # nobody staked in javascript
