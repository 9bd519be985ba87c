"""Juror history and coherence, written when a round settles; a creator's failing ``on_ruling`` is contained."""
from __future__ import annotations

from suretychain.modules.court.types import MsgAppeal
from tests.modules.court.helpers import (
    CREATOR_PREFIX,
    JURORS,
    LOCK,
    court_chain,
    dispute,
    drawn,
    event,
    ok,
    open_dispute,
    read_state,
    stake,
    vote_all,
)


def juror(chain, name: str) -> dict:
    return chain.query("court/juror", juror=str(chain.address(name)))


def test_history_and_summary_record_coherence_rewards_and_penalties(monkeypatch):
    chain = court_chain(monkeypatch)
    for name in JURORS[:5]:
        ok(stake(chain, name, 3, 10_000))
    dispute_id = open_dispute(chain, juror_count=5, fee=500)
    seats = dict(drawn_after_draw(chain, dispute_id))
    names = list(seats)
    choices = {name: (0 if i == 0 else 1) for i, name in enumerate(names)}
    vote_all(chain, dispute_id, 0, choices)
    before = {name: chain.balance(name, "usrt") for name in names}
    run_until(chain, lambda: dispute(chain, dispute_id)["final"])
    ruling = dispute(chain, dispute_id)["ruling"]["choice"]
    for name in names:
        [record] = chain.query("court/juror-history", juror=str(chain.address(name)))["history"]
        coherent = choices[name] == ruling
        reward = chain.balance(name, "usrt") - before[name]
        assert (record["dispute_id"], record["round"], record["seats"], record["lock"]) == \
            (dispute_id, 0, seats[name], LOCK * seats[name])
        assert (record["revealed"], record["choice"], record["coherent"]) == (True, choices[name], coherent)
        assert (record["reward"], record["penalty"]) == (reward, 0 if coherent else LOCK * seats[name])
        summary = juror(chain, name)["summary"]
        assert summary == {"juror": str(chain.address(name)), "rounds": 1, "coherent_rounds": int(coherent),
                           "total_reward": reward, "total_penalty": record["penalty"]}
        assert juror(chain, name)["juror"]["staked"] == 10_000 - record["penalty"]


def test_history_pages_over_rounds(monkeypatch):
    chain = court_chain(monkeypatch)
    ok(stake(chain, "juror0", 3, 100_000))
    dispute_id = open_dispute(chain, juror_count=1, fee=100)
    vote_all(chain, dispute_id, 0, {"juror0": 1})
    run_until(chain, lambda: dispute(chain, dispute_id)["period"] == "appeal")
    ok(chain.deliver("bob", MsgAppeal(appellant=chain.address("bob"), dispute_id=dispute_id)))
    vote_all(chain, dispute_id, 1, {})  # juror0 (3 seats) stays silent: it forfeits 3 locks
    run_until(chain, lambda: dispute(chain, dispute_id)["rounds"][1]["settled"])
    address = str(chain.address("juror0"))
    page = chain.query("court/juror-history", juror=address, limit=1)
    assert [(r["round"], r["coherent"]) for r in page["history"]] == [(0, True)]
    assert page["next_start_after"] == f"{dispute_id}/0"
    rest = chain.query("court/juror-history", juror=address, limit=1, start_after=page["next_start_after"])
    assert [(r["round"], r["seats"], r["revealed"], r["penalty"]) for r in rest["history"]] == \
        [(1, 3, False, 3 * LOCK)]
    assert rest["next_start_after"] == ""
    summary = juror(chain, "juror0")["summary"]
    assert (summary["rounds"], summary["coherent_rounds"], summary["total_penalty"]) == (2, 1, 3 * LOCK)


def test_failing_on_ruling_is_dropped_and_the_ruling_stays_final(monkeypatch):
    chain = court_chain(monkeypatch)
    ok(stake(chain, "juror0", 3, 10_000))
    failing = open_dispute(chain, juror_count=1, fee=100, fail_ruling=True)
    working = open_dispute(chain, juror_count=1, fee=100)
    vote_all(chain, failing, 0, {"juror0": 1})
    events = run_until(chain, lambda: dispute(chain, failing)["final"] and dispute(chain, working)["final"])
    failed = event(events, "RulingCallbackFailed")
    assert not any(e.type == "RulingDelivered" and e.attributes[0].value == str(failing) for e in events)
    assert failed["dispute_id"] == str(failing) and failed["creator_module"] == "testcreator"
    assert (failed["codespace"], failed["code"]) == ("testcreator", "2")
    d = dispute(chain, failing)
    assert d["final"] and d["ruling"]["choice"] == 1 and d["rounds"][0]["settled"]
    keeper, ctx = read_state(chain)
    creator = ctx.store(CREATOR_PREFIX)
    assert creator.get(failing.to_bytes(8, "big")) is None  # the callback's write was dropped
    assert creator.get(working.to_bytes(8, "big")) is not None  # a working callback's write is kept
    assert juror(chain, "juror0")["juror"]["locked"] == 0  # the court's own settlement stands


def drawn_after_draw(chain, dispute_id: int) -> list[tuple[str, int]]:
    run_until(chain, lambda: dispute(chain, dispute_id)["rounds"][-1]["drawn"])
    return drawn(chain, dispute_id)


def run_until(chain, condition, limit: int = 100) -> list:
    """Blocks 2 s apart until ``condition()``; the events of all of them."""
    events: list = []
    for _ in range(limit):
        if condition():
            return events
        events += chain.next_block(seconds=2).events
    raise AssertionError("condition never held")
