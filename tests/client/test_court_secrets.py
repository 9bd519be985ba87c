"""The court SDK's vote secrets: the salt is drawn client side, the commitment is the court module's own, and the
whole vote is on disk (0600, atomic) before the commit is broadcast; reveal reads it back; list and remove."""
from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import pytest

from suretychain.client import court
from suretychain.client.client import ClientError, QueryAnswer
from suretychain.client.court import (
    SALT_BYTES,
    VoteSecretError,
    VoteSecretStore,
    commit_vote,
    compute_vote_commitment,
    draw_vote_secret,
    make_commit,
    make_reveal,
    parse_magnitude,
    reveal_vote,
)
from suretychain.core.crypto import PrivateKey
from suretychain.core.encoding import Address, to_builtins
from suretychain.core.errors import ErrInvalidRequest, ErrTxDecode, SuretyError
from suretychain.modules.auth.types import Params as AuthParams
from suretychain.modules.court.disputes import compute_commitment
from suretychain.modules.court.errors import ErrWrongPeriod

CHAIN = "surety-test-1"
KEY = PrivateKey.from_seed(b"\x07" * 32)
JUROR = str(Address.from_raw(KEY.public_key.address))


class StubNode:
    """Just enough of ``Client`` for ``send_msgs``: chain id, sequence, fee policy, simulate, broadcast; each
    broadcast calls ``on_broadcast`` first (it sees the disk as it is at that moment)."""

    def __init__(self, on_broadcast: Any = None, simulate_code: int = 0, rounds: int = 1) -> None:
        self.on_broadcast = on_broadcast or (lambda tx: None)
        self.simulate_code = simulate_code
        self.rounds = rounds
        self.broadcasts: list[bytes] = []

    def status(self) -> dict[str, Any]:
        return {"chain_id": CHAIN}

    def account(self, address: str) -> dict[str, Any]:
        return {"address": address, "public_key": "", "sequence": 0}

    def query(self, path: str, params: dict[str, Any]) -> QueryAnswer:
        assert path == "auth/params"
        return QueryAnswer(value=to_builtins(AuthParams()), height=1, proofs=[])

    def court_dispute(self, dispute_id: int) -> dict[str, Any]:
        return {"id": dispute_id, "rounds": [{}] * self.rounds}

    def simulate(self, tx: bytes) -> dict[str, Any]:
        if self.simulate_code:
            return {"code": ErrWrongPeriod.code, "codespace": ErrWrongPeriod.codespace, "log": "commit"}
        return {"code": 0, "gas_used": 50_000}

    def broadcast(self, tx: bytes, mode: str) -> dict[str, Any]:
        self.on_broadcast(tx)
        self.broadcasts.append(tx)
        return {"hash": "00", "code": 0, "codespace": "", "log": "", "height": 9}


def test_parse_magnitude_takes_basis_points_or_percentages():
    assert [parse_magnitude(t) for t in ("2500", "2500bps", "25%", "12.5%", "12.34%", "0", "100%")] == \
        [2500, 2500, 2500, 1250, 1234, 0, 10_000]
    for bad in ("abc", "12.345%", "-5", "1.5"):
        with pytest.raises(SuretyError) as caught:
            parse_magnitude(bad)
        assert ErrInvalidRequest.is_(caught.value)


def test_draw_uses_a_fresh_32_byte_salt_and_the_modules_commitment():
    first = draw_vote_secret(CHAIN, 4, 1, JUROR, 1, 2500, "the exploit is public")
    second = draw_vote_secret(CHAIN, 4, 1, JUROR, 1, 2500, "the exploit is public")
    assert len(bytes.fromhex(first.salt)) == SALT_BYTES and first.salt != second.salt
    expected = compute_commitment(4, 1, Address(JUROR).raw, 1, 2500, "the exploit is public", bytes.fromhex(first.salt))
    assert compute_vote_commitment(first) == expected == make_commit(first).commitment
    reveal = make_reveal(first)
    assert (reveal.choice, reveal.magnitude, reveal.reason, reveal.salt) == \
        (1, 2500, "the exploit is public", bytes.fromhex(first.salt))


def test_invalid_vote_that_could_never_be_revealed_is_refused_before_commit():
    for magnitude, reason in ((10_001, "why"), (0, ""), (0, "x" * 2_001)):
        with pytest.raises(SuretyError) as caught:
            draw_vote_secret(CHAIN, 1, 0, JUROR, 0, magnitude, reason)
        assert ErrTxDecode.is_(caught.value)


def test_store_writes_private_files_atomically_and_reads_them_back(tmp_path: Path):
    store = VoteSecretStore(tmp_path)
    secret = draw_vote_secret(CHAIN, 3, 0, JUROR, 1, 100, "reason")
    path = store.save(secret)
    assert path == tmp_path / "court-votes" / CHAIN / f"3-0-{JUROR}.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700 == stat.S_IMODE(store.root.stat().st_mode)
    assert os.listdir(path.parent) == [path.name]  # no temp file left behind
    assert store.load(CHAIN, 3, 0, JUROR) == secret and store.list() == [secret]
    assert store.save(secret) == path  # the same vote again: kept as it is
    with pytest.raises(VoteSecretError, match="already stored"):
        store.save(draw_vote_secret(CHAIN, 3, 0, JUROR, 0, 100, "reason"))  # a different vote never replaces it
    assert store.load(CHAIN, 3, 0, JUROR) == secret
    assert store.remove(CHAIN, 3, 0, JUROR) and not store.remove(CHAIN, 3, 0, JUROR)
    assert store.list() == []
    with pytest.raises(VoteSecretError, match="no stored vote"):
        store.load(CHAIN, 3, 0, JUROR)


def test_commit_stores_the_secret_before_it_broadcasts(tmp_path: Path):
    store = VoteSecretStore(tmp_path)
    seen: list[Any] = []
    node = StubNode(on_broadcast=lambda tx: seen.append(store.list()))
    result, secret = commit_vote(node, KEY, store, 5, 1, 3300, "a reason")  # type: ignore[arg-type]
    assert result["code"] == 0 and len(node.broadcasts) == 1
    assert seen == [[secret]]  # on disk when the tx left
    assert (secret.chain_id, secret.dispute_id, secret.round, secret.juror) == (CHAIN, 5, 0, JUROR)
    assert make_commit(secret).commitment in node.broadcasts[0]


def test_commit_keeps_the_secret_when_the_broadcast_fails_and_a_retry_reuses_the_salt(tmp_path: Path):
    store = VoteSecretStore(tmp_path)

    def unreachable(tx: bytes) -> None:
        raise ClientError("cannot reach node")

    with pytest.raises(ClientError):
        commit_vote(StubNode(on_broadcast=unreachable), KEY, store, 5, 1, 0, "why")  # type: ignore[arg-type]
    stored = store.load(CHAIN, 5, 0, JUROR)  # the tx may have landed: the salt is kept
    _, retried = commit_vote(StubNode(), KEY, store, 5, 1, 0, "why")  # type: ignore[arg-type]
    assert retried == stored


def test_commit_refused_by_the_simulation_stores_nothing(tmp_path: Path):
    store = VoteSecretStore(tmp_path)
    node = StubNode(simulate_code=ErrWrongPeriod.code)
    with pytest.raises(SuretyError) as caught:
        commit_vote(node, KEY, store, 5, 1, 0, "why")  # type: ignore[arg-type]
    assert ErrWrongPeriod.is_(caught.value) and node.broadcasts == [] and store.list() == []


def test_reveal_reads_the_stored_secret_and_removes_it_once_committed(tmp_path: Path, monkeypatch):
    store = VoteSecretStore(tmp_path)
    node = StubNode(rounds=2)
    _, secret = commit_vote(node, KEY, store, 8, 1, 1500, "read the logs")  # type: ignore[arg-type]
    assert secret.round == 1  # the dispute's current round
    sent: list[Any] = []
    real_send = court.send_msgs
    monkeypatch.setattr(court, "send_msgs", lambda client, key, msgs, **kw: (sent.extend(msgs),
                                                                             real_send(client, key, msgs, **kw))[1])
    result, revealed = reveal_vote(node, KEY, store, 8)  # type: ignore[arg-type]
    assert result["code"] == 0 and revealed == secret
    assert sent == [make_reveal(secret)]
    assert compute_commitment(8, 1, Address(JUROR).raw, sent[0].choice, sent[0].magnitude, sent[0].reason,
                              sent[0].salt) == make_commit(secret).commitment
    assert store.list() == []  # revealed in a block with code 0: removed


def test_reveal_without_a_stored_secret_needs_the_whole_vote(tmp_path: Path):
    store = VoteSecretStore(tmp_path)
    with pytest.raises(VoteSecretError, match="no stored vote"):
        reveal_vote(StubNode(), KEY, store, 8, salt="00" * 32)  # type: ignore[arg-type]
    result, secret = reveal_vote(StubNode(), KEY, store, 8, salt="11" * 32, choice=0, magnitude=0,
                                 reason="manual", keep=True)  # type: ignore[arg-type]
    assert result["code"] == 0 and secret.salt == "11" * 32 and secret.reason == "manual"
