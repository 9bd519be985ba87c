"""The court web pages in headless Chromium (Debian's ``chromium``) against a live court devnet: a dispute ruled end
to end through the SDK shows its parties, options, evidence, drawn jurors, revealed votes with reasons and its ruling;
a juror page shows its stakes, its record (rounds sat, coherent rounds, rewards, penalties) and its history; a
crowdfunded appeal shows each side's funding; a dispute not yet drawn says so; an unknown dispute shows the chain's
coded error."""
from __future__ import annotations

import asyncio
import json
import warnings

import pytest

from suretychain.core.app import QueryResult
from suretychain.core.encoding import Address
from suretychain.modules.court.types import MsgFundAppeal
from support_court import (
    EVIDENCE_URI,
    JURORS,
    QUESTION,
    CourtServer,
    LiveServer,
    chromium_path,
    drawn_names,
    dump_dom,
    open_dispute,
    history_of,
    juror_with_rounds,
    rule_dispute,
    rule_first_round,
    screenshot,
    send,
)

NO_CHROMIUM = "no chromium: apt-get install -y chromium (Debian) to run the web UI tests"
if chromium_path() is None:
    warnings.warn(NO_CHROMIUM)  # shown in the warnings summary, so the skip is never silent
pytestmark = pytest.mark.skipif(chromium_path() is None, reason=NO_CHROMIUM)
EVIDENCE = "the attacker's tx drained the vault"


@pytest.fixture(scope="module")
def court(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("court-web")
    server = CourtServer(root / "home").start()
    try:
        ruled = rule_dispute(server, root / "secrets", evidence=EVIDENCE)
        server.paged_juror = juror_with_rounds(server, root / "secrets")
        server.funded = rule_first_round(server, root / "secrets")
        for funder, choice, amount in (("alice", 0, 1400), ("bob", 1, 1050)):  # both sides: the next round opens
            send(server, funder, MsgFundAppeal(funder=Address(server.address(funder)), dispute_id=server.funded,
                                               choice=choice, amount=amount))
        pending = open_dispute(server)
        yield server, ruled, pending
    finally:
        server.close()


def page(server: CourtServer, query: str = "") -> str:
    dom = dump_dom(f"{server.base_url}/web/court{query}")
    assert 'data-ready="true"' in dom, dom[-2000:]  # the page finished its fetches
    return dom


def test_disputes_list(court):
    server, ruled, pending = court
    dom = page(server)
    assert f'data-dispute="{ruled}"' in dom and f'data-dispute="{pending}"' in dom
    assert QUESTION in dom and "python (3)" in dom and "execution" in dom and "evidence" in dom
    assert "breach (option 1), magnitude 25.00%" in dom and ">final<" in dom and ">open<" in dom


def test_ruled_dispute_page(court, tmp_path):
    server, ruled, _ = court
    dom = page(server, f"?dispute={ruled}")
    dispute = server.dispute(ruled)
    for party in ("alice", "bob"):
        assert server.address(party) in dom
    assert "not proven" in dom and "default (a tie rules for it)" in dom
    assert EVIDENCE in dom and f'href="{EVIDENCE_URI}"' in dom and dispute["evidence"][0]["digest"] in dom
    for name in drawn_names(server, dispute):
        assert f'data-juror="{server.address(name)}"' in dom
        assert f"{name}: the exploit transaction is public" in dom
    assert "revealed" in dom and "1 breach" in dom and "25.00%" in dom
    assert "breach (option 1), magnitude 25.00% — final" in dom
    png = screenshot(f"{server.base_url}/web/court?dispute={ruled}", tmp_path / "dispute.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_dispute_before_its_draw(court):
    server, _, pending = court
    dom = page(server, f"?dispute={pending}")
    assert "Jurors are drawn from the beacon seed at the draw height." in dom
    assert '<dd id="ruling"><span class="ruling">—</span></dd>' in dom


def test_juror_page(court):
    server, _, _ = court
    address = server.address(JURORS[0])
    with server.http() as http:
        staked = http.get(f"/court/jurors/{address}").json()["juror"]["staked"]
    dom = page(server, f"?juror={address}")
    assert address in dom and f'<dd id="staked">{staked}</dd>' in dom and staked >= 5000 and "python (3)" in dom
    assert "No pending withdrawals." in dom


def test_juror_page_shows_history_and_coherence(court):
    server, _, _ = court
    name = server.paged_juror
    history = history_of(server, name)
    with server.http() as http:
        summary = http.get(f"/court/jurors/{server.address(name)}").json()["summary"]
    dom = page(server, f"?juror={server.address(name)}")
    assert f'<dd id="rounds-sat">{len(history)}</dd>' in dom and len(history) >= 2
    assert f'<dd id="coherent">{summary["coherent_rounds"]}</dd>' in dom
    assert summary["coherent_rounds"] == len(history)
    assert f'<dd id="rewards">{summary["total_reward"]}</dd>' in dom and summary["total_reward"] > 0
    assert '<dd id="penalties">0</dd>' in dom
    assert 'id="history"' in dom and "<th>coherent</th>" in dom and "<th>reward</th>" in dom
    for record in history:
        assert f'href="/web/court?dispute={record["dispute_id"]}"' in dom


def test_crowdfunded_appeal_page(court):
    server, _, _ = court
    dom = page(server, f"?dispute={server.funded}")
    funding = "not proven (option 0): 1400 (fully funded); breach (option 1): 1050 (fully funded)"
    assert f'<dd id="funding-0">{funding}</dd>' in dom
    assert '<dd id="crowdfunded-0">yes: opened the next round</dd>' in dom and 'id="round-1"' in dom


def test_unknown_dispute_shows_the_coded_error(court):
    server, _, _ = court
    assert "Error: court/8: dispute not found" in page(server, "?dispute=999")


# ---- a round served without its votes (the real chain always serves them) ------------------------------------------
class FutureCourtNode:
    """A backend whose dispute answer omits its round's votes, so the page asks ``court/votes`` for them."""

    def __init__(self, juror: str) -> None:
        self.answers = {
            "court/courts": {"courts": [{"id": 3, "parent": 2, "name": "python", "params": {}}]},
            "court/juror": {"juror": {"juror": juror, "staked": 7000, "locked": 500, "affiliations": ["acme"],
                                      "rounds_sat": 4, "coherent_rounds": 3},
                            "stakes": [{"juror": juror, "court": 3, "amount": 7000}],
                            "withdrawals": [{"id": 2, "juror": juror, "amount": 100, "release_ns": 10**18}],
                            "total_reward": 420, "total_penalty": 500},
            "court/juror-history": {"history": [{"dispute_id": 5, "round": 1, "seats": 2, "coherent": True,
                                                 "reward": 420}], "next": None},
            "court/dispute": {"id": 5, "creator_module": "cover", "court": 3, "question": "breach?", "parties": [],
                              "excluded": [], "options": ["no", "yes"], "period": "appeal", "period_start_ns": 0,
                              "rounds": [{"juror_count": 3, "fee": 300, "lock_per_seat": 500, "draw_height": 9,
                                          "drawn": True, "settled": True}],  # votes under their own keys
                              "evidence": [], "ruling": {"choice": 1, "magnitude": 700}, "final": False},
            "court/votes": {"votes": [{"juror": juror, "seats": 3, "commitment": "", "revealed": True, "choice": 1,
                                       "magnitude": 700, "reason": "served by court/votes"}]},
        }

    def query(self, path: str, data: bytes, height: int, prove: bool) -> QueryResult:
        return QueryResult(value=json.dumps(self.answers[path]).encode(), height=1)

    async def run(self, block_time_s: float, stop: asyncio.Event) -> None:
        await stop.wait()

    def close(self) -> None:
        pass


def test_round_votes_from_the_votes_query_when_the_dispute_omits_them(tmp_path):
    juror = str(Address.from_raw(bytes(range(20))))
    server = LiveServer(tmp_path, node=FutureCourtNode(juror)).start()  # type: ignore[arg-type]
    try:
        dom = dump_dom(f"{server.base_url}/web/court?dispute=5")
    finally:
        server.close()
    assert f'data-juror="{juror}"' in dom and "served by court/votes" in dom and "7.00%" in dom
