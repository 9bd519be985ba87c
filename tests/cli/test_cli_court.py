"""``surety tx court`` and ``surety query court`` against a live court devnet (the test creator module opens the
dispute): jurors stake through the CLI, are drawn, commit (the salt stored locally), reveal without a salt, and the
ruling shows in the CLI, the API and the web page; the chain's coded errors are printed with their code."""
from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from suretychain.client.court import VoteSecretStore, draw_vote_secret
from support_court import (
    CourtServer,
    chromium_path,
    drawn_names,
    dump_dom,
    juror_with_rounds,
    open_dispute,
    rule_first_round,
)


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


def test_fund_appeal_opens_the_next_round(cli, server, tmp_path: Path):
    dispute_id = rule_first_round(server, tmp_path)  # ruled "breach" (1), in its appeal period
    ruled = server.dispute(dispute_id)["rounds"][0]
    next_fee = 100 * (2 * ruled["juror_count"] + 1)  # MINIMAL appeal_fee per seat of the next round
    loser, winner = next_fee * 2, next_fee * 3 // 2  # fee × (1 + 100%) to overturn, × (1 + 50%) for the ruling
    tx_ok(cli, "fund-appeal", "alice", str(dispute_id), "not proven", "1000")
    tx_ok(cli, "fund-appeal", "carol", str(dispute_id), "0", str(loser))  # only what the side still needs is taken
    funded = server.dispute(dispute_id)
    assert funded["rounds"][0]["funded"] == [loser, 0] and funded["rounds"][0]["funded_sides"] == [0]
    assert len(funded["rounds"]) == 1 and funded["period"] == "appeal"
    full = cli("tx", "court", "fund-appeal", "dave", str(dispute_id), "0", "5", "--yes")
    assert full.exit_code == 1 and full.stderr.startswith("Error: court/24: ")
    assert cli("tx", "court", "fund-appeal", "dave", str(dispute_id), "maybe", "5", "--yes").exit_code == 2
    tx_ok(cli, "fund-appeal", "bob", str(dispute_id), "breach", str(winner))  # the second side: the next round
    opened = server.dispute(dispute_id)
    first, second = opened["rounds"]
    assert first["crowdfunded"] and first["settled"] and first["funded_sides"] == [0, 1]
    assert first["funded"] == [loser, winner] and second["juror_count"] == 2 * ruled["juror_count"] + 1
    assert second["fee"] == next_fee and opened["period"] == "evidence"
    text = cli("query", "court", "dispute", str(dispute_id)).stdout
    assert f"appeal funding: 0 'not proven' {loser} (funded), 1 'breach' {winner} (funded); opened the next " \
           "round" in text
    late = cli("tx", "court", "fund-appeal", "dave", str(dispute_id), "0", "5", "--yes")
    assert late.exit_code == 1 and late.stderr.startswith("Error: court/9: ")  # the new round is not in appeal


def test_votes_disputes_filters_and_history_pages(cli, server, tmp_path: Path):
    name = juror_with_rounds(server, tmp_path)
    general = open_dispute(server, court=1)
    everything = [d["id"] for d in ok_json(cli("-o", "json", "query", "court", "disputes"))["disputes"]]

    def listed(*args: str) -> list[int]:
        return [d["id"] for d in ok_json(cli("-o", "json", "query", "court", "disputes", *args))["disputes"]]

    assert listed("--court", "1") == [general] and general not in listed("--court", "3")
    assert listed("--open-only") == [d for d in everything if not server.dispute(d)["final"]]
    assert general in listed("--open-only") and listed("--all") == everything
    assert listed("--limit", "2", "--start-after", str(everything[0])) == everything[1:3]
    assert "(no disputes)" in cli("query", "court", "disputes", "--start-after", str(everything[-1])).stdout

    history = ok_json(cli("-o", "json", "query", "court", "juror-history", name, "--limit", "1000"))["history"]
    assert len(history) >= 2
    pages, cursor = [], ""
    while True:
        answer = ok_json(cli("-o", "json", "query", "court", "juror-history", name, "--limit", "1",
                             *(["--start-after", cursor] if cursor else [])))
        pages += answer["history"]
        cursor = answer["next_start_after"]
        if not cursor:
            break
    assert pages == history
    bad = cli("query", "court", "juror-history", name, "--start-after", "7")
    assert bad.exit_code == 1 and bad.stderr.startswith("Error: api/400: ")

    sat = history[0]
    dispute = server.dispute(sat["dispute_id"])
    votes = ok_json(cli("-o", "json", "query", "court", "votes", str(sat["dispute_id"]), "--round",
                        str(sat["round"])))
    assert votes == {"votes": dispute["rounds"][sat["round"]]["votes"]}
    assert server.address(name) in {v["juror"] for v in votes["votes"]}
    current = ok_json(cli("-o", "json", "query", "court", "votes", str(sat["dispute_id"])))  # the current round
    assert current == {"votes": dispute["rounds"][-1]["votes"]}
    summary = ok_json(cli("-o", "json", "query", "court", "juror", name))["summary"]
    assert summary["rounds"] == len(history) and summary["coherent_rounds"] == sum(r["coherent"] for r in history)


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
