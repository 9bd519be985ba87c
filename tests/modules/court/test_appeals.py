"""Appeals: 3 → 7 → 15 jurors; the last round (max_rounds = 3 in MINIMAL) is final and skips the appeal period."""
from __future__ import annotations

from suretychain.modules.court.errors import ErrNotParty, ErrWrongPeriod
from tests.modules.court.helpers import JURORS, commit, court_chain, dispute, drawn, ok, open_dispute, reveal, stake, \
    until_period
from suretychain.modules.court.types import MsgAppeal


def vote_round(chain, dispute_id: int, round_: int, choice: int) -> None:
    until_period(chain, dispute_id, "commit")
    seats = drawn(chain, dispute_id)
    for name, _ in seats:
        ok(commit(chain, name, dispute_id, round_, choice, 5000))
    until_period(chain, dispute_id, "reveal")
    for name, _ in seats:
        ok(reveal(chain, name, dispute_id, round_, choice, 5000))


def test_appeals_to_7_and_15_then_final(monkeypatch):
    chain = court_chain(monkeypatch)
    for name in JURORS:
        ok(stake(chain, name, 3, 100_000))
    dispute_id = open_dispute(chain)
    vote_round(chain, dispute_id, 0, 1)
    until_period(chain, dispute_id, "appeal")
    refused = chain.deliver("carol", MsgAppeal(appellant=chain.address("carol"), dispute_id=dispute_id))
    assert (refused.codespace, refused.code) == (ErrNotParty.codespace, ErrNotParty.code)
    ok(chain.deliver("bob", MsgAppeal(appellant=chain.address("bob"), dispute_id=dispute_id)))
    vote_round(chain, dispute_id, 1, 0)
    assert sum(s for _, s in drawn(chain, dispute_id)) == 7
    until_period(chain, dispute_id, "appeal")
    ok(chain.deliver("alice", MsgAppeal(appellant=chain.address("alice"), dispute_id=dispute_id)))
    vote_round(chain, dispute_id, 2, 1)
    assert sum(s for _, s in drawn(chain, dispute_id)) == 15
    until_period(chain, dispute_id, "execution")
    d = dispute(chain, dispute_id)
    assert d["final"] and d["ruling"] == {"choice": 1, "magnitude": 5000}
    assert [r["juror_count"] for r in d["rounds"]] == [3, 7, 15] and all(r["settled"] for r in d["rounds"])
    late = chain.deliver("bob", MsgAppeal(appellant=chain.address("bob"), dispute_id=dispute_id))
    assert (late.codespace, late.code) == (ErrWrongPeriod.codespace, ErrWrongPeriod.code)
    for name in JURORS:  # every lock released or forfeited
        assert chain.query("court/juror", juror=str(chain.address(name)))["juror"]["locked"] == 0
