"""Builders for court tests: a test-only creator module (``testcreator``) wired next to the real modules, a MINIMAL
court preset, funded jurors and a dispute driven through its periods."""
from __future__ import annotations

import hashlib
from typing import Any, ClassVar

import msgspec
import pytest

import suretychain.testing as testing
from suretychain.app import make_app
from suretychain.core.app import App, TxResult
from suretychain.core.context import BlockInfo, Context
from suretychain.core.encoding import Address, Record, encode
from suretychain.core.errors import register_error
from suretychain.core.kv import CacheKV, CommittedKV
from suretychain.core.gas import infinite_meter
from suretychain.core.store import CommitStore
from suretychain.modules.court.keeper import CourtKeeper
from suretychain.core.module import GenesisSpec, Module, MsgRoute
from suretychain.core.tx import Msg
from suretychain.modules.court.disputes import compute_commitment
from suretychain.modules.court.genesis import default_courts
from suretychain.modules.court.params import CourtParams, Params
from suretychain.modules.court.types import (
    Court,
    GenesisState,
    MsgAdvanceDispute,
    MsgCommitVote,
    MsgRevealVote,
    MsgStakeJuror,
    Ruling,
)
from suretychain.testing import TestChain

CREATOR = "testcreator"
PERIOD_S = 10  # [customized] every period 10 s (default one day)
MINIMAL_COURT = CourtParams(min_stake=1_000, alpha_bps=5_000, juror_fee=100, evidence_ns=PERIOD_S * 10**9,
                            commit_ns=PERIOD_S * 10**9, reveal_ns=PERIOD_S * 10**9, appeal_ns=PERIOD_S * 10**9,
                            appeal_fee=100, max_rounds=3)
LOCK = 500  # min_stake × alpha
MINIMAL = Params(draw_delay_blocks=2, withdrawal_delay_ns=50 * 10**9)  # [customized] draw delay 2, delay 50 s
FUNDS = 10**9
JURORS = [f"juror{i}" for i in range(9)]


# ---- the test-only creator module ---------------------------------------------------------------------------------
class MsgOpenTestDispute(Msg, tag="testcreator/MsgOpenTestDispute"):
    SIGNER_FIELD: ClassVar[str] = "creator"
    creator: Address
    court: int
    parties: list[Address]
    excluded: list[Address] = []
    juror_count: int = 3
    fee: int = 300
    fail_ruling: bool = False  # the creator's on_ruling writes, then raises, for this dispute


class Empty(Record):
    pass


class StoredRuling(Record):
    dispute_id: int
    choice: int
    magnitude: int


ErrRulingRefused = register_error(CREATOR, 2, "the test creator refuses this ruling")
CREATOR_PREFIX = b"testcreator/"


def make_test_creator(court: Any) -> Module:
    """A module that opens disputes (fee from the signer) and stores the rulings it gets back (then raises, for a
    dispute opened with ``fail_ruling``)."""
    def on_ruling(ctx: Context, dispute_id: int, ruling: Ruling) -> None:
        record = StoredRuling(dispute_id=dispute_id, choice=ruling.choice, magnitude=ruling.magnitude)
        store = ctx.store(CREATOR_PREFIX)
        store.set(dispute_id.to_bytes(8, "big"), encode(record))
        if store.get(b"fail" + dispute_id.to_bytes(8, "big")) is not None:
            raise ErrRulingRefused(str(dispute_id))

    def open_test_dispute(ctx: Context, msg: MsgOpenTestDispute) -> None:
        dispute_id = court.open_dispute(ctx, CREATOR, msg.court, "was there a breach?", msg.parties, msg.excluded,
                                        msg.juror_count, msg.fee, ["not proven", "breach"], payer=msg.creator)
        if msg.fail_ruling:
            ctx.store(CREATOR_PREFIX).set(b"fail" + dispute_id.to_bytes(8, "big"), b"")

    court.register_creator(CREATOR, on_ruling)
    return Module(name=CREATOR, keeper=None,
                  genesis=GenesisSpec(Empty, Empty, lambda s: None, lambda c, s: None, lambda c: Empty()),
                  msgs=(MsgRoute(MsgOpenTestDispute, open_test_dispute),))


def make_app_with_creator(store: Any, vrf_keys: Any = None) -> App:
    """``make_app`` plus the test creator module, last."""
    app = make_app(store, vrf_keys=vrf_keys)
    court = app.modules_by_name["court"].keeper
    return App(store, [*app.modules, make_test_creator(court)], ante=app.ante)


# ---- chain ----------------------------------------------------------------------------------------------------------
def court_chain(monkeypatch: pytest.MonkeyPatch, **kwargs: Any) -> TestChain:
    monkeypatch.setattr(testing, "make_app", make_app_with_creator)
    courts = [with_minimal_params(c) for c in default_courts()]
    state = {"court": GenesisState(params=MINIMAL, courts=courts)}
    names = ["alice", "bob", "carol", *JURORS]
    return TestChain(accounts={n: {"usrt": FUNDS} for n in names}, validators=1, app_state=state, **kwargs)


def with_minimal_params(court: Court) -> Court:
    return msgspec.structs.replace(court, params=MINIMAL_COURT)


def is_err(result: TxResult, err: Any) -> bool:
    """The tx failed with the coded error ``err``."""
    return (result.codespace, result.code) == (err.codespace, err.code)


def ok(result: TxResult) -> TxResult:
    assert result.code == 0, result.log
    return result


def event(result: Any, kind: str) -> dict[str, str]:
    events = result.events if hasattr(result, "events") else result
    for e in events:
        if e.type == kind:
            return {a.key: a.value for a in e.attributes}
    raise AssertionError(f"no {kind} event")


def stake(chain: TestChain, who: str, court: int, amount: int) -> TxResult:
    return chain.deliver(who, MsgStakeJuror(juror=chain.address(who), court=court, amount=amount))


def open_dispute(chain: TestChain, court: int = 3, juror_count: int = 3, fee: int = 300,
                 excluded: list[str] = (), fail_ruling: bool = False) -> int:
    msg = MsgOpenTestDispute(creator=chain.address("alice"), court=court,
                             parties=[chain.address("alice"), chain.address("bob")],
                             excluded=[chain.address(n) for n in excluded], juror_count=juror_count, fee=fee,
                             fail_ruling=fail_ruling)
    ok(chain.deliver("alice", msg))
    return chain.query("court/disputes")["disputes"][-1]["id"]


def dispute(chain: TestChain, dispute_id: int) -> dict:
    return chain.query("court/dispute", id=dispute_id)


def name_of(chain: TestChain, address: str) -> str:
    for name in ["alice", "bob", "carol", *JURORS]:
        if str(chain.address(name)) == address:
            return name
    raise KeyError(address)


def drawn(chain: TestChain, dispute_id: int) -> list[tuple[str, int]]:
    """(juror name, seats) of the current round."""
    votes = dispute(chain, dispute_id)["rounds"][-1]["votes"]
    return [(name_of(chain, v["juror"]), v["seats"]) for v in votes]


def until_period(chain: TestChain, dispute_id: int, period: str, limit: int = 100) -> None:
    for _ in range(limit):
        if dispute(chain, dispute_id)["period"] == period:
            return
        chain.next_block(seconds=2)
    raise AssertionError(f"dispute never reached {period}")


SALT = b"s" * 16


def commit(chain: TestChain, who: str, dispute_id: int, round_: int, choice: int, magnitude: int = 0,
           reason: str = "because") -> TxResult:
    digest = compute_commitment(dispute_id, round_, chain.address(who).raw, choice, magnitude, reason, SALT)
    return chain.deliver(who, MsgCommitVote(juror=chain.address(who), dispute_id=dispute_id, round=round_,
                                            commitment=digest))


def reveal(chain: TestChain, who: str, dispute_id: int, round_: int, choice: int, magnitude: int = 0,
           reason: str = "because", salt: bytes = SALT) -> TxResult:
    return chain.deliver(who, MsgRevealVote(juror=chain.address(who), dispute_id=dispute_id, round=round_,
                                            choice=choice, magnitude=magnitude, reason=reason, salt=salt))


def advance(chain: TestChain, who: str, dispute_id: int) -> TxResult:
    return chain.deliver(who, MsgAdvanceDispute(sender=chain.address(who), dispute_id=dispute_id))


def digest(text: str) -> bytes:
    return hashlib.sha256(text.encode()).digest()


def bare_court() -> tuple[CourtKeeper, Context]:
    """A court keeper on an empty in-memory state (no bank, no beacon): for sum-tree tests."""
    ctx = Context(kv=CacheKV(CommittedKV(CommitStore(None))), block=BlockInfo(chain_id="test", height=1, time_ns=0))
    return CourtKeeper(bank=None, beacon=None), ctx  # type: ignore[arg-type]


def read_state(chain: TestChain) -> tuple[CourtKeeper, Context]:
    """The court keeper and a read context on the last committed state (writes are never committed)."""
    ctx = chain.app._read_context(chain.app.store.version)
    ctx.gas_meter = infinite_meter()
    return chain.app.modules_by_name["court"].keeper, ctx.branch()[0]


def vote_all(chain: TestChain, dispute_id: int, round_: int, choices: dict[str, int], magnitude: int = 5000) -> None:
    """Every drawn juror in ``choices`` commits then reveals its choice; the others stay silent."""
    until_period(chain, dispute_id, "commit")
    for name, _ in drawn(chain, dispute_id):
        if name in choices:
            ok(commit(chain, name, dispute_id, round_, choices[name], magnitude))
    until_period(chain, dispute_id, "reveal")
    for name, _ in drawn(chain, dispute_id):
        if name in choices:
            ok(reveal(chain, name, dispute_id, round_, choices[name], magnitude))
