"""A court devnet for the shell tests (CLI, API, SDK, web): the real DevnetNode with the test-only dispute creator
module (``tests/modules/court/helpers.py``) wired in, the MINIMAL court preset, and a block clock the test moves
forward, served by the API tests' ``LiveServer`` (uvicorn on 127.0.0.1). Test-only: nothing here ships."""
from __future__ import annotations

import contextlib
import hashlib
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from unittest import mock

import httpx
import msgspec

from suretychain.client.client import Client
from suretychain.client.court import VoteSecretStore, commit_vote, reveal_vote
from suretychain.client.keyring import Keyring
from suretychain.client.txbuilder import send_msgs
from suretychain.core.crypto import PrivateKey
from suretychain.core.encoding import Address
from suretychain.core.genesis import encode_genesis, encode_module_state
from suretychain.modules.court.genesis import default_courts
from suretychain.modules.court.types import GenesisState, MsgStakeJuror, MsgSubmitEvidence
from suretychain.node.devnet.home import DEFAULT_CHAIN_ID, DevnetHome
from suretychain.node.devnet.node import DevnetNode
from tests.modules.court.helpers import (
    MINIMAL,
    PERIOD_S,
    MsgOpenTestDispute,
    make_app_with_creator,
    with_minimal_params,
)

sys.path.insert(0, str(Path(__file__).parent / "api"))
from api_helpers import LiveServer, wait_for  # noqa: E402

JURORS = ("carol", "dave", "erin")  # demo accounts; alice and bob are the parties
PYTHON_COURT = 3
JUROR_STAKE = 5_000
QUESTION = "was there a breach?"  # the test creator's question
OPTIONS = ["not proven", "breach"]
EVIDENCE_URI = "https://example.org/incident-report"
CHROMIUM_FLAGS = ("--headless", "--disable-gpu", "--no-sandbox", "--virtual-time-budget=10000")
CHROMIUM_TIMEOUT_S = 90


class CourtNode(DevnetNode):
    """A DevnetNode whose App also has the test creator module, with a clock ``skew_ns`` ahead of the wall."""

    skew_ns = 0

    def __init__(self, home: DevnetHome) -> None:
        with mock.patch("suretychain.node.devnet.node.make_app", make_app_with_creator):
            super().__init__(home)

    def next_time_ns(self) -> int:
        return max(time.time_ns() + self.skew_ns, self.app.last_block_time_ns + 1)


def open_court_devnet(root: Path) -> CourtNode:
    """A fresh devnet home whose genesis has the MINIMAL court preset (10 s periods, draw 2 blocks after opening)."""
    home = DevnetHome(root)
    home.reset()
    doc = home.create(DEFAULT_CHAIN_ID, time.time_ns())
    court = GenesisState(params=MINIMAL, courts=[with_minimal_params(c) for c in default_courts()])
    app_state = dict(sorted({**doc.app_state, "court": encode_module_state(court)}.items()))
    home.genesis.write_bytes(encode_genesis(msgspec.structs.replace(doc, app_state=app_state)))
    return CourtNode(home)


class CourtServer(LiveServer):
    """The court devnet behind a live API; ``home`` holds its test keyring (the demo accounts)."""

    def __init__(self, root: Path) -> None:
        super().__init__(root, node=open_court_devnet(root))
        self.home = root

    @property
    def court_node(self) -> CourtNode:
        return self.node  # type: ignore[return-value]

    def http(self) -> httpx.Client:
        return httpx.Client(base_url=self.base_url, timeout=15.0)

    def client(self) -> Client:
        return Client(self.base_url)

    def key(self, name: str) -> PrivateKey:
        return Keyring(self.home, "test").load_private_key(name)

    def address(self, name: str) -> str:
        return Keyring(self.home, "test").show(name).address

    def height(self) -> int:
        return httpx.get(f"{self.base_url}/status", timeout=5.0).json()["latest_height"]

    def next_block(self, seconds: float = 0) -> None:
        """Move the clock ``seconds`` ahead and have the node make one block (no tx needed)."""
        self.court_node.skew_ns += int(seconds * 10**9)
        before = self.height()
        assert self._loop is not None
        self._loop.call_soon_threadsafe(self.node.notify_tx)
        wait_for(lambda: self.height() > before, 10.0, "the next block")

    def dispute(self, dispute_id: int) -> dict[str, Any]:
        return httpx.get(f"{self.base_url}/court/disputes/{dispute_id}", timeout=5.0).json()

    def until(self, dispute_id: int, check: Any, what: str, limit: int = 20) -> dict[str, Any]:
        """Make blocks, each a period later, until ``check(dispute)`` holds."""
        for _ in range(limit):
            current = self.dispute(dispute_id)
            if check(current):
                return current
            self.next_block(PERIOD_S)
        raise AssertionError(f"dispute {dispute_id} never reached {what}: {current}")

    def until_period(self, dispute_id: int, period: str) -> dict[str, Any]:
        return self.until(dispute_id, lambda d: d["period"] == period, period)

    def until_drawn(self, dispute_id: int) -> dict[str, Any]:
        return self.until(dispute_id, lambda d: d["rounds"][-1]["drawn"], "its draw")


def send(server: CourtServer, who: str, msg: Any) -> dict[str, Any]:
    """Send one msg signed by demo account ``who``; assert it committed."""
    with server.client() as client:
        result = send_msgs(client, server.key(who), [msg])
    assert result["code"] == 0, result
    return result


def stake_jurors(server: CourtServer, jurors: tuple[str, ...] = JURORS, amount: int = JUROR_STAKE) -> None:
    for juror in jurors:
        send(server, juror, MsgStakeJuror(juror=Address(server.address(juror)), court=PYTHON_COURT, amount=amount))


def open_dispute(server: CourtServer, juror_count: int = 3, fee: int = 300, court: int = PYTHON_COURT) -> int:
    """alice opens a dispute between alice and bob in ``court`` (test creator module); its id."""
    parties = [Address(server.address("alice")), Address(server.address("bob"))]
    send(server, "alice", MsgOpenTestDispute(creator=parties[0], court=court, parties=parties,
                                             juror_count=juror_count, fee=fee))
    return httpx.get(f"{server.base_url}/court/disputes", timeout=5.0).json()["disputes"][-1]["id"]


def drawn_names(server: CourtServer, dispute: dict[str, Any]) -> list[str]:
    by_address = {server.address(name): name for name in JURORS}
    return [by_address[v["juror"]] for v in dispute["rounds"][-1]["votes"]]


def rule_dispute(server: CourtServer, secrets_home: Path, choice: int = 1, magnitude: int = 2500,
                 evidence: str = "") -> int:
    """A dispute taken to its final ruling through the SDK: stake, open, (alice's evidence,) draw, commit, reveal,
    execution."""
    dispute_id = rule_first_round(server, secrets_home, choice, magnitude, evidence)
    server.until(dispute_id, lambda d: d["final"], "its final ruling")
    return dispute_id


def rule_first_round(server: CourtServer, secrets_home: Path, choice: int = 1, magnitude: int = 2500,
                     evidence: str = "") -> int:
    """A dispute whose first round is ruled (through the SDK), left in its appeal period."""
    stake_jurors(server)
    dispute_id = open_dispute(server)
    if evidence:
        send(server, "alice", MsgSubmitEvidence(submitter=Address(server.address("alice")), dispute_id=dispute_id,
                                                digest=hashlib.sha256(evidence.encode()).digest(),
                                                uri=EVIDENCE_URI, text=evidence))
    names = drawn_names(server, server.until_drawn(dispute_id))
    server.until_period(dispute_id, "commit")
    store = VoteSecretStore(secrets_home)
    with server.client() as client:
        for name in names:
            result, _ = commit_vote(client, server.key(name), store, dispute_id, choice, magnitude,
                                    f"{name}: the exploit transaction is public")
            assert result["code"] == 0, result
        server.until_period(dispute_id, "reveal")
        for name in names:
            result, _ = reveal_vote(client, server.key(name), store, dispute_id)
            assert result["code"] == 0, result
    server.until_period(dispute_id, "appeal")
    return dispute_id


def history_of(server: CourtServer, name: str) -> list[dict[str, Any]]:
    """Every settled round of juror ``name`` (one page of up to 1000)."""
    path = f"{server.base_url}/court/jurors/{server.address(name)}/history?limit=1000"
    return httpx.get(path, timeout=5.0).json()["history"]


def juror_with_rounds(server: CourtServer, secrets_home: Path, rounds: int = 2) -> str:
    """A juror who sat in at least ``rounds`` settled rounds, ruling more disputes until one has (by pigeonhole
    over the three jurors this ends)."""
    for _ in range(len(JURORS) * rounds):
        best = max(JURORS, key=lambda name: len(history_of(server, name)))
        if len(history_of(server, best)) >= rounds:
            return best
        rule_dispute(server, secrets_home)
    raise AssertionError(f"no juror sat in {rounds} rounds")


# ---- headless Chromium (Debian's ``chromium`` package) ------------------------------------------------------------
def chromium_path() -> str | None:
    """The Chromium binary, if installed."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


def run_chromium(*args: str, profile: Path | None = None) -> subprocess.CompletedProcess[str]:
    """One headless Chromium run (bounded in time; its own throwaway profile)."""
    binary = chromium_path()
    assert binary is not None, "chromium is not installed"
    with tempfile_dir(profile) as data_dir:
        return subprocess.run([binary, *CHROMIUM_FLAGS, f"--user-data-dir={data_dir}", *args], capture_output=True,
                              text=True, timeout=CHROMIUM_TIMEOUT_S, check=True)


def dump_dom(url: str) -> str:
    """The DOM of ``url`` after its scripts ran (Chromium's ``--dump-dom``)."""
    return run_chromium("--dump-dom", url).stdout


def screenshot(url: str, path: Path) -> Path:
    """A PNG of ``url`` (1280 x 1400)."""
    run_chromium("--window-size=1280,1400", f"--screenshot={path}", url)
    return path


def tempfile_dir(given: Path | None) -> Any:
    return contextlib.nullcontext(given) if given is not None else tempfile.TemporaryDirectory(prefix="chromium-")
