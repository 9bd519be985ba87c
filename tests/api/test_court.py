"""``/court/...`` routes against a live court devnet (test creator module): two disputes ruled end to end, one
open in the python court and one in the general court; the filters, a round's votes, a juror's summary and its
history paged by its ``"<dispute id>/<round>"`` cursor, through the API and the SDK."""
from __future__ import annotations

import pytest

from api_helpers import assert_error
from support_court import (
    JURORS,
    OPTIONS,
    PYTHON_COURT,
    QUESTION,
    CourtServer,
    history_of,
    juror_with_rounds,
    open_dispute,
    rule_dispute,
)

GENERAL_COURT = 1


@pytest.fixture(scope="module")
def court(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("court-api")
    server = CourtServer(root / "home").start()
    try:
        dispute_id = rule_dispute(server, root / "secrets")
        server.paged_juror = juror_with_rounds(server, root / "secrets")  # rules a second dispute if need be
        server.pending = open_dispute(server)
        server.general = open_dispute(server, court=GENERAL_COURT)
        with server.http() as http:
            yield server, http, dispute_id
    finally:
        server.close()


def test_params_and_courts(court):
    _, http, _ = court
    assert http.get("/court/params").json()["draw_delay_blocks"] == 2
    courts = http.get("/court/courts").json()["courts"]
    assert [(c["id"], c["name"], c["parent"]) for c in courts][:3] == \
        [(1, "general", 0), (2, "software security", 1), (3, "python", 2)]


def test_ruled_dispute_with_votes_and_reasons(court):
    server, http, dispute_id = court
    listed = http.get("/court/disputes").json()["disputes"]
    assert [d["id"] for d in listed][0] == dispute_id and listed[-1]["id"] == server.general
    dispute = http.get(f"/court/disputes/{dispute_id}").json()
    assert dispute == listed[0]
    assert (dispute["question"], dispute["options"], dispute["court"]) == (QUESTION, OPTIONS, PYTHON_COURT)
    assert dispute["parties"] == [server.address("alice"), server.address("bob")]
    assert dispute["period"] == "execution" and dispute["final"] and dispute["ruling"] == {"choice": 1,
                                                                                            "magnitude": 2500}
    (round_,) = dispute["rounds"]
    assert round_["drawn"] and round_["settled"] and sum(v["seats"] for v in round_["votes"]) == 3
    for vote in round_["votes"]:
        assert vote["revealed"] and vote["choice"] == 1 and vote["reason"].endswith("the exploit transaction is public")
        assert len(bytes.fromhex(vote["commitment"])) == 32  # hex, as every hash the API serves


def test_juror_stakes(court):
    server, http, _ = court
    for name in JURORS:
        answer = http.get(f"/court/jurors/{server.address(name)}").json()
        assert answer["juror"]["juror"] == server.address(name) and answer["juror"]["locked"] == 0
        assert [(s["court"], s["amount"]) for s in answer["stakes"]] == [(PYTHON_COURT, answer["juror"]["staked"])]
        assert answer["withdrawals"] == []


def test_invalid_ids_and_addresses_get_coded_errors(court):
    _, http, dispute_id = court
    assert_error(http.get("/court/disputes/999"), 404, "court", 8)
    assert_error(http.get("/court/disputes/-1"), 400, "api", 400)
    assert_error(http.get("/court/disputes/first"), 400, "api", 400)
    assert_error(http.get(f"/court/disputes/{dispute_id}/rounds/x/votes"), 400, "api", 400)
    assert_error(http.get("/court/jurors/sure1notanaddress"), 400, "sdk", 7)
    assert_error(http.get("/court/jurors/surevaloper1xyz/history"), 400, "sdk", 7)
    assert_error(http.get("/court/disputes?limit=0"), 400, "api", 400)


def test_web_page_is_served(court):
    _, http, _ = court
    page = http.get("/web/court")
    assert page.status_code == 200 and "/static/court.js" in page.text
    assert "/web/court" in http.get("/").text  # navigation from the devnet page
    assert http.get("/static/court.js").status_code == 200


def ids(answer) -> list[int]:
    return [d["id"] for d in answer.json()["disputes"]]


def test_dispute_filters(court):
    server, http, first = court
    every = ids(http.get("/court/disputes"))
    assert every == sorted(every) and every[-2:] == [server.pending, server.general]
    assert ids(http.get(f"/court/disputes?court={GENERAL_COURT}")) == [server.general]
    assert ids(http.get(f"/court/disputes?court={PYTHON_COURT}")) == every[:-1]
    assert ids(http.get("/court/disputes?open_only=true")) == [server.pending, server.general]
    assert ids(http.get("/court/disputes?open_only=false")) == every
    assert ids(http.get(f"/court/disputes?open_only=true&court={PYTHON_COURT}")) == [server.pending]
    assert ids(http.get("/court/disputes?limit=1")) == [first]
    assert ids(http.get(f"/court/disputes?limit=2&start_after={first}")) == every[1:3]
    assert ids(http.get(f"/court/disputes?start_after={server.general}")) == []
    assert_error(http.get("/court/disputes?start_after=-1"), 400, "api", 400)
    with server.client() as client:  # the SDK sends the same filters
        assert ids_of(client.court_disputes(court=PYTHON_COURT, open_only=True)) == [server.pending]
        assert ids_of(client.court_disputes(limit=1, start_after=first)) == every[1:2]


def ids_of(answer: dict) -> list[int]:
    return [d["id"] for d in answer["disputes"]]


def test_round_votes(court):
    server, http, dispute_id = court
    dispute = http.get(f"/court/disputes/{dispute_id}").json()
    votes = http.get(f"/court/disputes/{dispute_id}/rounds/0/votes").json()
    assert votes == {"votes": dispute["rounds"][0]["votes"]} and votes["votes"]
    assert all(v["revealed"] and len(bytes.fromhex(v["commitment"])) == 32 for v in votes["votes"])
    with server.client() as client:
        assert client.court_votes(dispute_id, 0) == votes
    pending = http.get(f"/court/disputes/{server.pending}/rounds/0/votes").json()
    assert all(not v["revealed"] for v in pending["votes"])  # drawn or not, nothing revealed
    assert_error(http.get(f"/court/disputes/{dispute_id}/rounds/5/votes"), 400, "court", 15)
    assert_error(http.get("/court/disputes/999/rounds/0/votes"), 404, "court", 8)


def test_juror_summary_after_ruled_disputes(court):
    server, http, _ = court
    seen = 0
    for name in JURORS:
        history = history_of(server, name)
        summary = http.get(f"/court/jurors/{server.address(name)}").json()["summary"]
        assert summary == {"juror": server.address(name), "rounds": len(history),
                           "coherent_rounds": sum(r["coherent"] for r in history),
                           "total_reward": sum(r["reward"] for r in history),
                           "total_penalty": sum(r["penalty"] for r in history)}
        assert summary["coherent_rounds"] == summary["rounds"]  # every drawn juror voted the ruling
        assert summary["total_penalty"] == 0 and (summary["total_reward"] > 0) == (summary["rounds"] > 0)
        seen += summary["rounds"]
    assert seen >= 2


def test_juror_history_pages_by_its_cursor(court):
    server, http, _ = court
    address = server.address(server.paged_juror)
    everything = history_of(server, server.paged_juror)
    assert len(everything) >= 2
    assert [(r["dispute_id"], r["round"]) for r in everything] == \
        sorted((r["dispute_id"], r["round"]) for r in everything)
    pages, cursor = [], None
    while cursor != "":
        answer = http.get(f"/court/jurors/{address}/history", params={"limit": 1, **({"start_after": cursor}
                                                                                       if cursor else {})}).json()
        assert len(answer["history"]) == 1
        pages.append(answer["history"][0])
        cursor = answer["next_start_after"]
        assert cursor in ("", f"{pages[-1]['dispute_id']}/{pages[-1]['round']}")
    assert pages == everything
    with server.client() as client:  # the SDK pages the same way
        first = client.court_juror_history(address, limit=1)
        second = client.court_juror_history(address, limit=1, start_after=first["next_start_after"])
    assert first["history"] + second["history"] == everything[:2]
    assert first["next_start_after"] == f"{everything[0]['dispute_id']}/{everything[0]['round']}"


@pytest.mark.parametrize("cursor", ["3", "3/", "/0", "a/b", "3/0/1", "-1/0"])
def test_malformed_history_cursor_is_a_coded_400(court, cursor):
    server, http, _ = court
    assert_error(http.get(f"/court/jurors/{server.address(JURORS[0])}/history", params={"start_after": cursor}),
                 400, "api", 400)
