"""LatestKV: the memo of committed reads follows the store's versions and never serves a stale value."""
from __future__ import annotations

from suretychain.core.kv import LatestKV
from suretychain.core.store import CommitStore


def commit(store: CommitStore, writes: dict[bytes, bytes | None]) -> int:
    base = store.version
    store.stage(writes)
    store.commit()
    return base


def test_reads_follow_each_commit_carried_by_advance():
    store = CommitStore(None)
    latest = LatestKV(store)
    latest.advance(commit(store, {b"a": b"1", b"b": b"2"}), {b"a": b"1", b"b": b"2"})
    assert (latest.get(b"a"), latest.get(b"b"), latest.get(b"c")) == (b"1", b"2", None)
    writes = {b"a": b"3", b"b": None, b"c": b"4"}
    latest.advance(commit(store, writes), writes)
    assert (latest.get(b"a"), latest.get(b"b"), latest.get(b"c")) == (b"3", None, b"4")


def test_a_commit_it_was_not_told_about_clears_the_memo():
    store = CommitStore(None)
    latest = LatestKV(store)
    commit(store, {b"a": b"1"})
    assert latest.get(b"a") == b"1"
    commit(store, {b"a": b"2"})  # e.g. a snapshot restore: no advance
    assert latest.get(b"a") == b"2"
    base = commit(store, {b"a": b"3"})
    latest.advance(base - 1, {b"a": b"3"})  # told about the wrong base: forgets rather than trusts
    assert latest.get(b"a") == b"3"
