"""``/court/...`` routes: against a live court devnet with a dispute ruled end to end (test creator module), and
against a stub backend for what the routes send to the queries (optional filters, the votes and history queries)."""
from __future__ import annotations

import base64
import json
import warnings
from typing import Any

import pytest

with warnings.catch_warnings():  # starlette's test client warns that it prefers httpx2; httpx is what we have
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from api_helpers import assert_error
from suretychain.api.server import create_api
from suretychain.core.app import QueryResult
from suretychain.core.encoding import Address
from support_court import JURORS, OPTIONS, PYTHON_COURT, QUESTION, CourtServer, rule_dispute


@pytest.fixture(scope="module")
def court(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("court-api")
    server = CourtServer(root / "home").start()
    try:
        dispute_id = rule_dispute(server, root / "secrets")
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
    assert [d["id"] for d in listed] == [dispute_id]
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


# ---- what the routes send (stub backend) ----------------------------------------------------------------------------
class QueryRecorder:
    """A backend whose queries answer ``answers[path]`` and are recorded as (path, request, height)."""

    def __init__(self, answers: dict[str, Any]) -> None:
        self.answers = answers
        self.calls: list[tuple[str, dict[str, Any], int]] = []

    def query(self, path: str, data: bytes, height: int, prove: bool) -> QueryResult:
        self.calls.append((path, json.loads(data), height))
        return QueryResult(value=json.dumps(self.answers[path]).encode(), height=height or 7)


@pytest.fixture
def stub():
    commitment = base64.b64encode(bytes(range(32))).decode()
    recorder = QueryRecorder({
        "court/disputes": {"disputes": [], "next": 5},
        "court/votes": {"votes": [{"juror": "sure1...", "commitment": commitment, "revealed": False}]},
        "court/juror": {"juror": {"juror": "x", "staked": 1, "locked": 0, "affiliations": [], "rounds_sat": 4},
                        "stakes": [], "withdrawals": [], "total_reward": 9},
        "court/juror-history": {"history": [{"dispute_id": 1, "round": 0, "coherent": True}]},
    })
    with TestClient(create_api(recorder)) as client:  # type: ignore[arg-type]
        yield recorder, client


JUROR = str(Address.from_raw(bytes(range(20))))


def test_dispute_filters_are_sent_only_when_given(stub):
    recorder, client = stub
    assert client.get("/court/disputes").json() == {"disputes": [], "next": 5}
    client.get("/court/disputes?court=3&open_only=true&limit=10&start_after=4&height=6")
    client.get("/court/disputes?open_only=false")
    assert recorder.calls == [("court/disputes", {}, 0),
                              ("court/disputes", {"court": 3, "open_only": True, "limit": 10, "start_after": 4}, 6),
                              ("court/disputes", {"open_only": False}, 0)]


def test_votes_and_history_route_to_their_queries_and_pass_new_fields_through(stub):
    recorder, client = stub
    votes = client.get("/court/disputes/2/rounds/1/votes").json()
    assert votes["votes"][0]["commitment"] == bytes(range(32)).hex()  # base64 in the query, hex in the API
    juror = client.get(f"/court/jurors/{JUROR}").json()
    assert juror["juror"]["rounds_sat"] == 4 and juror["total_reward"] == 9
    history = client.get(f"/court/jurors/{JUROR}/history?limit=20&start_after=3").json()
    assert history == {"history": [{"dispute_id": 1, "round": 0, "coherent": True}]}
    client.get(f"/court/jurors/{JUROR}/history")
    assert recorder.calls == [("court/votes", {"dispute_id": 2, "round": 1}, 0),
                              ("court/juror", {"juror": JUROR}, 0),
                              ("court/juror-history", {"juror": JUROR, "limit": 20, "start_after": 3}, 0),
                              ("court/juror-history", {"juror": JUROR}, 0)]


def test_address_is_checked_before_the_query(stub):
    recorder, client = stub
    assert_error(client.get("/court/jurors/alice"), 400, "sdk", 7)
    assert recorder.calls == []

