"""Votes and evidence at their own keys: gas per vote does not grow with the jury; the queries assemble the
dispute from its keys and filter the dispute list."""
from __future__ import annotations

from suretychain.modules.court.types import MsgSubmitEvidence
from tests.modules.court.helpers import (
    JURORS,
    commit,
    court_chain,
    digest,
    dispute,
    drawn,
    ok,
    open_dispute,
    reveal,
    stake,
    until_period,
)


def vote_gas(monkeypatch, juror_count: int) -> tuple[set[int], set[int]]:
    """The gas used by every commit and every reveal of one round of ``juror_count`` seats."""
    chain = court_chain(monkeypatch)
    for name in JURORS:
        ok(stake(chain, name, 3, 100_000))
    dispute_id = open_dispute(chain, juror_count=juror_count, fee=100 * juror_count)
    until_period(chain, dispute_id, "commit")
    seats = drawn(chain, dispute_id)
    assert sum(s for _, s in seats) == juror_count
    commits = {ok(commit(chain, name, dispute_id, 0, 1)).gas_used for name, _ in seats}
    until_period(chain, dispute_id, "reveal")
    reveals = {ok(reveal(chain, name, dispute_id, 0, 1)).gas_used for name, _ in seats}
    return commits, reveals


def test_gas_per_vote_is_the_same_for_juries_of_3_7_and_15(monkeypatch):
    commits, reveals = set(), set()
    for juror_count in (3, 7, 15):
        c, r = vote_gas(monkeypatch, juror_count)
        commits |= c
        reveals |= r
    assert len(commits) == 1 and len(reveals) == 1, (commits, reveals)


def test_dispute_view_is_assembled_from_its_keys(monkeypatch):
    chain = court_chain(monkeypatch)
    for name in JURORS[:5]:
        ok(stake(chain, name, 3, 10_000))
    dispute_id = open_dispute(chain)
    for text in ("first", "second"):
        ok(chain.deliver("alice", MsgSubmitEvidence(submitter=chain.address("alice"), dispute_id=dispute_id,
                                                    digest=digest(text), uri="ipfs://" + text, text=text)))
    until_period(chain, dispute_id, "commit")
    seats = drawn(chain, dispute_id)
    ok(commit(chain, seats[0][0], dispute_id, 0, 1, 700, "seen it"))
    view = dispute(chain, dispute_id)
    assert [e["text"] for e in view["evidence"]] == ["first", "second"]
    first = view["rounds"][0]["votes"][0]
    assert first["commitment"] and not first["revealed"] and first["reason"] == "" and first["magnitude"] == 0
    assert view["rounds"][0]["commits"] == 1 and view["rounds"][0]["snapshot"] == []
    assert chain.query("court/votes", dispute_id=dispute_id, round=0)["votes"] == view["rounds"][0]["votes"]
    until_period(chain, dispute_id, "reveal")
    ok(reveal(chain, seats[0][0], dispute_id, 0, 1, 700, "seen it"))
    first = dispute(chain, dispute_id)["rounds"][0]["votes"][0]
    assert (first["revealed"], first["choice"], first["magnitude"], first["reason"]) == (True, 1, 700, "seen it")


def test_dispute_list_filters(monkeypatch):
    chain = court_chain(monkeypatch)
    ok(stake(chain, "juror0", 3, 10_000))
    ok(stake(chain, "juror1", 5, 10_000))
    first = open_dispute(chain, court=3, juror_count=1, fee=100)
    second = open_dispute(chain, court=5, juror_count=1, fee=100)
    third = open_dispute(chain, court=3, juror_count=1, fee=100)
    until_period(chain, first, "execution")  # nobody votes: the periods run out
    ids = lambda **q: [d["id"] for d in chain.query("court/disputes", **q)["disputes"]]  # noqa: E731
    assert ids() == [first, second, third]
    assert ids(court=3) == [first, third]
    assert ids(limit=2) == [first, second] and ids(start_after=second) == [third]
    open_now = [d["id"] for d in chain.query("court/disputes")["disputes"] if not d["final"]]
    assert ids(open_only=True) == open_now
