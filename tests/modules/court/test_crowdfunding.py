"""Crowdfunded appeals: anyone funds a side; two fully funded sides open the next round; one side alone wins by
default; funders are paid against the final ruling. MINIMAL: appeal_fee 100, so the 7-seat round costs F = 700;
the ruling's side raises 700 × 1.5 = 1050 and the other side 700 × 2 = 1400."""
from __future__ import annotations

from suretychain.core.genesis import decode_genesis, encode_genesis
from suretychain.core.store import CommitStore
from suretychain.modules.court.errors import ErrSideFunded, ErrWrongPeriod
from suretychain.modules.court.types import MsgFundAppeal
from tests.modules.court.helpers import JURORS, court_chain, dispute, event, is_err, make_app_with_creator, ok, \
    open_dispute, stake, vote_all
from tests.modules.court.test_history import run_until

FEE = 700
RULING_SIDE, OTHER_SIDE = 1050, 1400


def fund(chain, who: str, dispute_id: int, choice: int, amount: int):
    return chain.deliver(who, MsgFundAppeal(funder=chain.address(who), dispute_id=dispute_id, choice=choice,
                                            amount=amount))


def appeal_period_chain(monkeypatch):
    """A dispute whose first round ruled 1 (every juror), now in its appeal period."""
    chain = court_chain(monkeypatch)
    for name in JURORS:
        ok(stake(chain, name, 3, 100_000))
    dispute_id = open_dispute(chain)
    vote_all(chain, dispute_id, 0, {name: 1 for name in JURORS})
    run_until(chain, lambda: dispute(chain, dispute_id)["period"] == "appeal")
    return chain, dispute_id


def test_two_funded_sides_appeal_and_the_final_side_shares_the_pot(monkeypatch):
    chain, dispute_id = appeal_period_chain(monkeypatch)
    funded = event(ok(fund(chain, "carol", dispute_id, 0, 1000)), "AppealFunded")
    assert (funded["funded"], funded["required"]) == ("1000", str(OTHER_SIDE))
    taken = event(ok(fund(chain, "alice", dispute_id, 0, 500)), "AppealFunded")
    assert (taken["amount"], taken["funded"]) == ("400", str(OTHER_SIDE))  # only what the side still needed
    assert is_err(fund(chain, "carol", dispute_id, 0, 1), ErrSideFunded)
    appealed = ok(fund(chain, "bob", dispute_id, 1, 2000))  # the ruling's side: 1050; the second side appeals
    assert event(appealed, "DisputeAppealed")["juror_count"] == "7"
    d = dispute(chain, dispute_id)
    assert d["period"] == "evidence" and d["rounds"][0]["crowdfunded"]
    assert d["rounds"][0]["funded"] == [OTHER_SIDE, RULING_SIDE] and d["rounds"][1]["fee"] == FEE
    assert is_err(fund(chain, "carol", dispute_id, 1, 1), ErrWrongPeriod)
    before = {n: chain.balance(n, "usrt") for n in ("alice", "bob", "carol")}  # no more txs of theirs below
    vote_all(chain, dispute_id, 1, {name: 0 for name in JURORS})  # the appeal overturns: final ruling 0
    events = run_until(chain, lambda: dispute(chain, dispute_id)["final"])
    assert dispute(chain, dispute_id)["ruling"]["choice"] == 0
    pot = OTHER_SIDE + RULING_SIDE - FEE
    paid = [e for e in events if e.type == "AppealFundingPaid"]
    assert [{a.key: a.value for a in e.attributes}["paid"] for e in paid] == [str(pot)]
    assert chain.balance("carol", "usrt") - before["carol"] == pot * 1000 // OTHER_SIDE  # 1250 for 1000
    assert chain.balance("alice", "usrt") - before["alice"] == pot * 400 // OTHER_SIDE  # 500 for 400
    assert chain.balance("bob", "usrt") == before["bob"]  # the overturned side's funding is lost


def test_one_funded_side_wins_by_default_and_everyone_is_refunded(monkeypatch):
    chain, dispute_id = appeal_period_chain(monkeypatch)
    ok(fund(chain, "carol", dispute_id, 0, OTHER_SIDE))
    ok(fund(chain, "bob", dispute_id, 1, 500))  # the ruling's side, short of 1050
    fresh = make_app_with_creator(CommitStore(None))  # the contributions survive an export and import
    assert fresh.init_chain(decode_genesis(encode_genesis(chain.export_genesis()))).app_hash == chain.app_hash()
    before = {n: chain.balance(n, "usrt") for n in ("bob", "carol")}
    events = run_until(chain, lambda: dispute(chain, dispute_id)["final"])
    assert event(events, "RulingByDefault")["choice"] == "0"
    d = dispute(chain, dispute_id)
    assert d["ruling"] == {"choice": 0, "magnitude": 0} and len(d["rounds"]) == 1
    assert event(events, "RulingDelivered")["choice"] == "0"
    # no appeal: every contribution back
    assert {n: chain.balance(n, "usrt") - before[n] for n in ("bob", "carol")} == {"bob": 500, "carol": OTHER_SIDE}
