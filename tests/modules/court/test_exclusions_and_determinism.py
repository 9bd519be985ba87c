"""Affiliations exclude a juror; two identical chains draw the same jurors from the beacon's seed."""
from __future__ import annotations

from suretychain.modules.court.errors import ErrAlreadyRevealed
from suretychain.modules.court.types import MsgDeclareAffiliation
from tests.modules.court.helpers import JURORS, commit, court_chain, drawn, ok, open_dispute, reveal, stake, \
    until_period


def drawn_on_fresh_chain(monkeypatch) -> list[tuple[str, int]]:
    chain = court_chain(monkeypatch)
    for name in JURORS:
        ok(stake(chain, name, 3, 10_000))
    dispute_id = open_dispute(chain, juror_count=5, fee=500)
    until_period(chain, dispute_id, "commit")
    return drawn(chain, dispute_id)


def test_same_chain_same_jurors(monkeypatch):
    first = drawn_on_fresh_chain(monkeypatch)
    assert drawn_on_fresh_chain(monkeypatch) == first
    assert sum(s for _, s in first) == 5


def test_affiliated_juror_is_never_drawn(monkeypatch):
    chain = court_chain(monkeypatch)
    for name in ("juror0", "juror1"):
        ok(stake(chain, name, 3, 10_000))
    ok(chain.deliver("juror0", MsgDeclareAffiliation(juror=chain.address("juror0"),
                                                     affiliations=[str(chain.address("bob"))])))
    dispute_id = open_dispute(chain)
    until_period(chain, dispute_id, "commit")
    assert drawn(chain, dispute_id) == [("juror1", 3)]


def test_invalid_double_reveal(monkeypatch):
    chain = court_chain(monkeypatch)
    ok(stake(chain, "juror0", 3, 10_000))
    dispute_id = open_dispute(chain, juror_count=1, fee=100)
    until_period(chain, dispute_id, "commit")
    ok(commit(chain, "juror0", dispute_id, 0, 1, 2500, "the exploit is in the log"))
    until_period(chain, dispute_id, "reveal")
    # a juror with one seat commits and reveals: the reveal period ends at once, so a second reveal is refused
    # either as a repeated reveal or as out of its period
    ok(reveal(chain, "juror0", dispute_id, 0, 1, 2500, "the exploit is in the log"))
    again = reveal(chain, "juror0", dispute_id, 0, 1, 2500, "the exploit is in the log")
    assert again.code != 0
    assert (again.codespace, again.code) in {("court", ErrAlreadyRevealed.code), ("court", 9)}
