"""``surety tx court`` and ``surety query court`` against a live court devnet (the test creator module opens the
dispute): jurors stake through the CLI, are drawn, commit (the salt stored locally), reveal without a salt, and the
ruling shows in the CLI, the API and the web page; the chain's coded errors are printed with their code."""
from __future__ import annotations

import json
import stat
from pathlib import Path

import httpx
import pytest

from suretychain.cli.context import CliState
from suretychain.client.client import Client
from suretychain.client.court import VoteSecretStore, draw_vote_secret
from support_court import CourtServer, chromium_path, drawn_names, dump_dom, open_dispute


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    server = CourtServer(tmp_path_factory.mktemp("cli-court") / "home").start()
    yield server
    server.close()


@pytest.fixture
def cli(surety, server):
    surety.home = server.home

    def run(*args: str, input: str | None = None):  # noqa: A002
        return surety("--node", server.base_url, "--keyring-backend", "test", *args, input=input)

    return run


def ok_json(result) -> dict:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def tx_ok(cli, *args: str) -> dict:
    answer = ok_json(cli("-o", "json", "tx", "court", *args, "--yes"))
    assert answer["code"] == 0, answer
    return answer


def test_dispute_flow_through_the_cli(cli, server, tmp_path: Path):
    tx_ok(cli, "stake", "carol", "python", "5000")
    tx_ok(cli, "stake", "dave", "3", "5000")
    tx_ok(cli, "stake", "erin", "python", "6000")
    tx_ok(cli, "unstake", "erin", "python", "1000")
    tx_ok(cli, "declare-affiliation", "erin", "acme-audits")
    erin = ok_json(cli("-o", "json", "query", "court", "juror", "erin"))
    assert erin["juror"]["staked"] == 5000 and erin["juror"]["affiliations"] == ["acme-audits"]
    assert [w["amount"] for w in erin["withdrawals"]] == [1000]
    assert "juror " + server.address("carol") + "  staked 5000  locked 0  free 5000" in \
        cli("query", "court", "juror", "carol").stdout

    dispute_id = open_dispute(server)  # by the test-only creator module
    report = tmp_path / "report.txt"
    report.write_text("tx 0xabc drained the pool")
    tx_ok(cli, "submit-evidence", "alice", str(dispute_id), "--uri", "https://example.org/report", "--text",
          "the exploit tx", "--file", str(report))
    names = drawn_names(server, server.until_drawn(dispute_id))
    server.until_period(dispute_id, "commit")
    reason_file = tmp_path / "reason.txt"
    reason_file.write_text("the evidence shows the pool drained by tx 0xabc")
    for i, name in enumerate(names):
        reason = ["--reason", f"{name}: breach, a quarter of the funds"] if i else ["--reason-file", str(reason_file)]
        committed = cli("-o", "json", "tx", "court", "commit", name, str(dispute_id), "--choice", "breach",
                        "--magnitude", "25%", *reason, "--yes")
        assert committed.exit_code == 0 and json.loads(committed.stdout)["code"] == 0, committed.output
        stored = Path(committed.stderr.split("vote secret stored in ")[1].strip())
        assert stat.S_IMODE(stored.stat().st_mode) == 0o600
    listed = ok_json(cli("-o", "json", "tx", "court", "secrets", "list"))["secrets"]
    assert sorted(s["juror"] for s in listed) == sorted(server.address(n) for n in names)
    assert all(s["magnitude"] == 2500 and s["choice"] == 1 and len(s["salt"]) == 64 for s in listed)
    text = cli("tx", "court", "secrets", "list").stdout
    assert f"dispute {dispute_id} round 0" in text and listed[0]["salt"] not in text  # salts stay off the screen

    server.until_period(dispute_id, "reveal")
    for name in names:
        revealed = cli("-o", "json", "tx", "court", "reveal", name, str(dispute_id), "--yes")  # no salt given
        assert revealed.exit_code == 0 and json.loads(revealed.stdout)["code"] == 0, revealed.output
        assert "removed (revealed)" in revealed.stderr
    assert "(no stored vote secrets)" in cli("tx", "court", "secrets", "list").stdout
    first = server.dispute(dispute_id)
    assert first["period"] == "appeal" and first["ruling"] == {"choice": 1, "magnitude": 2500}

    tx_ok(cli, "appeal", "bob", str(dispute_id))  # a party pays for a round of 2n + 1 = 7 jurors
    appealed = server.until_drawn(dispute_id)
    assert [r["juror_count"] for r in appealed["rounds"]] == [3, 7]
    server.until_period(dispute_id, "commit")
    again = drawn_names(server, appealed)
    for name in again:  # the round is the current one (1) without --round
        tx_ok(cli, "commit", name, str(dispute_id), "--choice", "1", "--magnitude", "3000", "--reason",
              f"{name}: confirmed on appeal")
    server.until_period(dispute_id, "reveal")
    for name in again:
        tx_ok(cli, "reveal", name, str(dispute_id))

    server.until(dispute_id, lambda d: d["final"], "its final ruling")
    shown = ok_json(cli("-o", "json", "query", "court", "dispute", str(dispute_id)))
    assert shown["ruling"] == {"choice": 1, "magnitude": 3000} and shown["final"]  # the last round's ruling
    assert {v["reason"] for v in shown["rounds"][1]["votes"]} == {f"{n}: confirmed on appeal" for n in again}
    assert shown["evidence"][0]["text"] == "the exploit tx" and len(shown["evidence"][0]["digest"]) == 64
    reasons = {v["reason"] for v in shown["rounds"][0]["votes"]}
    assert reason_file.read_text() in reasons
    text = cli("query", "court", "dispute", str(dispute_id)).stdout
    assert "ruling:   1 'breach', magnitude 3000bps (final)" in text and "the exploit tx" in text
    assert "round 1: 7 jurors, drawn, fee 700, settled" in text
    assert f"dispute {dispute_id}  court 3  execution  round 1  ruling 1 'breach'" in \
        cli("query", "court", "disputes").stdout
    with server.http() as http:
        assert http.get(f"/court/disputes/{dispute_id}").json() == shown  # the API serves what the CLI shows
    if chromium_path() is None:
        print("web page not checked: no chromium (apt-get install chromium); tests/web covers it")
        return
    page = dump_dom(f"{server.base_url}/web/court?dispute={dispute_id}")
    assert "breach (option 1), magnitude 30.00% — final" in page and reason_file.read_text() in page
    assert 'id="round-1"' in page and "confirmed on appeal" in page


def test_queries_in_text_and_json(cli):
    assert ok_json(cli("-o", "json", "query", "court", "params"))["denom"] == "usrt"
    courts = cli("query", "court", "courts").stdout
    assert "court 3  python  parent 2  min_stake 1000" in courts
    assert "disputes" in ok_json(cli("-o", "json", "query", "court", "disputes"))


def test_coded_errors_are_printed_with_their_code(cli, server):
    low = cli("tx", "court", "stake", "bob", "python", "10", "--yes")  # bob has no stake: 10 < min_stake
    assert low.exit_code == 1 and low.stderr.startswith("Error: court/5: ")
    unknown = cli("tx", "court", "commit", "carol", "999", "--choice", "1", "--reason", "r", "--yes")
    assert unknown.exit_code == 1 and unknown.stderr.startswith("Error: court/8: ")
    assert cli("query", "court", "dispute", "999").stderr.startswith("Error: court/8: ")
    assert cli("query", "court", "juror", "nobody1").stderr.startswith("Error: sdk/7: ")
    fresh = open_dispute(server)  # in its evidence period
    not_over = cli("tx", "court", "advance", "carol", str(fresh), "--yes")
    assert not_over.exit_code == 1 and not_over.stderr.startswith("Error: court/17: ")
    outsider = cli("tx", "court", "appeal", "carol", str(fresh), "--yes")
    assert outsider.exit_code == 1 and outsider.stderr.startswith("Error: court/9: ")  # not in its appeal period
    early = cli("tx", "court", "commit", "carol", str(fresh), "--choice", "breach", "--reason", "r", "--yes")
    assert early.exit_code == 1 and early.stderr.startswith("Error: court/9: ")
    assert "(no stored vote secrets)" in cli("tx", "court", "secrets", "list").stdout  # refused: nothing stored
    nothing = cli("tx", "court", "reveal", "carol", str(fresh), "--yes")
    assert nothing.exit_code == 1 and nothing.stderr.startswith("Error: no stored vote of")
    magnitude = cli("tx", "court", "commit", "carol", str(fresh), "--choice", "1", "--magnitude", "lots",
                    "--reason", "r", "--yes")
    assert magnitude.exit_code == 1 and magnitude.stderr.startswith("Error: sdk/")
    assert cli("tx", "court", "commit", "carol", str(fresh), "--choice", "maybe", "--reason", "r",
               "--yes").exit_code == 2
    assert cli("tx", "court", "commit", "carol", str(fresh), "--choice", "1", "--yes").exit_code == 2  # no reason
    assert cli("tx", "court", "stake", "carol", "cobol", "5000", "--yes").exit_code == 2
    assert cli("tx", "court", "submit-evidence", "alice", str(fresh), "--digest", "12", "--yes").exit_code == 2


def test_query_options_reach_the_api(cli, monkeypatch):
    seen: list[tuple[str, dict[str, str]]] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append((request.url.path, dict(request.url.params)))
        if request.url.path.endswith("/history"):
            return httpx.Response(200, json={"history": [{"dispute_id": 1, "coherent": True}]})
        if request.url.path == "/court/disputes/4":
            return httpx.Response(200, json={"id": 4, "rounds": [{}, {}]})
        return httpx.Response(200, json={"votes": [], "disputes": []})

    monkeypatch.setattr(CliState, "client", lambda self: Client(self.node, transport=httpx.MockTransport(answer)))
    assert cli("query", "court", "disputes", "--court", "3", "--open-only", "--limit", "5",
               "--start-after", "2").exit_code == 0
    assert cli("query", "court", "votes", "4").exit_code == 0  # the current round: 1
    assert cli("query", "court", "votes", "4", "--round", "0").exit_code == 0
    history = cli("-o", "json", "query", "court", "juror-history", "carol", "--limit", "3")
    assert json.loads(history.stdout) == {"history": [{"dispute_id": 1, "coherent": True}]}
    carol = seen[-1][0].split("/")[3]
    assert seen == [("/court/disputes", {"court": "3", "open_only": "true", "limit": "5", "start_after": "2"}),
                    ("/court/disputes/4", {}), ("/court/disputes/4/rounds/1/votes", {}),
                    ("/court/disputes/4/rounds/0/votes", {}), (f"/court/jurors/{carol}/history", {"limit": "3"})]


def test_secrets_remove(cli, server):
    with server.http() as http:
        chain_id = http.get("/status").json()["chain_id"]
    store = VoteSecretStore(server.home)
    store.save(draw_vote_secret(chain_id, 42, 1, server.address("dave"), 0, 0, "never sent"))
    missing = cli("tx", "court", "secrets", "remove", "dave", "42")  # round 0: nothing stored
    assert missing.exit_code == 1 and missing.stderr.startswith("Error: no stored vote of dave for dispute 42")
    removed = ok_json(cli("-o", "json", "tx", "court", "secrets", "remove", "dave", "42", "--round", "1"))
    assert removed["removed"] == {"chain_id": chain_id, "dispute_id": 42, "round": 1, "juror": server.address("dave")}
    assert store.list() == []
