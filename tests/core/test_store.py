"""CommitStore (suretychain.core.store): versions, reads, proofs, pruning, reopening and crash safety.

Every test runs with each in-memory tree (``suretychain.core.tree``): the Python one and, when built, the native one.
"""
from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from suretychain.core import smt, tree
from suretychain.core.proof import EMPTY_HASH, verify_membership, verify_non_membership
from suretychain.core.store import PAGE_SIZE, CommitStore, VersionUnavailable

REPO_ROOT = Path(__file__).resolve().parents[2]
NATIVE_MISSING = "surety_native is not built (no Rust toolchain at install): native tree not tested"


@pytest.fixture(autouse=True, params=tree.TREE_NAMES)
def tree_name(request, monkeypatch) -> str:
    """Run the test with this tree (through $SURETY_TREE, which child processes inherit too)."""
    if request.param == "native" and tree.surety_native is None:
        print(NATIVE_MISSING)
        pytest.skip(NATIVE_MISSING)
    monkeypatch.setenv(tree.TREE_ENV, request.param)
    return request.param


def tree_root(items: dict[bytes, bytes]) -> bytes:
    """The app hash of exactly ``items``, computed in memory from scratch."""
    return smt.compute_root_hash(smt.build_tree(items))


def apply_model(model: dict[bytes, bytes], writes: dict[bytes, bytes | None]) -> dict[bytes, bytes]:
    """``model`` after ``writes`` (None = delete)."""
    new = dict(model)
    for key, value in writes.items():
        if value is None:
            new.pop(key, None)
        else:
            new[key] = value
    return new


def check_version(store: CommitStore, version: int, model: dict[bytes, bytes], probes: list[bytes]) -> None:
    """Values, iteration, root and proofs of ``version`` agree with ``model``."""
    root = store.root_at(version)
    assert root == tree_root(model)
    assert list(store.iterate(b"", None, version)) == sorted(model.items())
    for key in probes:
        assert store.get(key, version) == model.get(key)
        value, proof = store.prove(key, version)
        assert value == model.get(key)
        if value is None:
            verify_non_membership(root, key, proof)
        else:
            verify_membership(root, key, value, proof)


# Basics ---------------------------------------------------------------------------------------------------------

def test_empty_store():
    store = CommitStore(None)
    assert store.version == 0
    assert store.root_hash == EMPTY_HASH
    assert store.get(b"a") is None
    assert list(store.iterate(b"", None)) == []
    value, proof = store.prove(b"a")
    assert value is None
    verify_non_membership(EMPTY_HASH, b"a", proof)


def test_stage_then_commit():
    store = CommitStore(None)
    root = store.stage({b"a": b"1", b"b": b"2", b"gone": None})
    assert root == tree_root({b"a": b"1", b"b": b"2"})
    # Staging writes nothing
    assert store.version == 0 and store.root_hash == EMPTY_HASH and store.get(b"a") is None
    assert store.commit(meta={b"chain-id": b"surety-1"}) == 1
    assert store.version == 1 and store.root_hash == root
    assert store.get(b"a") == b"1" and store.get_meta(b"chain-id") == b"surety-1"
    assert store.get_meta(b"missing") is None


def test_stage_replaces_previous_stage_and_proofs_ignore_stage():
    store = CommitStore(None)
    store.stage({b"a": b"1"})
    store.commit()
    store.stage({b"a": b"2", b"b": b"x"})
    # While staged, the committed version is still what reads and proofs see
    value, proof = store.prove(b"a")
    assert value == b"1"
    verify_membership(store.root_hash, b"a", b"1", proof)
    root = store.stage({b"c": b"3"})
    assert root == tree_root({b"a": b"1", b"c": b"3"})
    store.commit()
    assert store.get(b"b") is None and store.get(b"a") == b"1" and store.get(b"c") == b"3"


def test_empty_commit_makes_a_version_with_the_same_root():
    store = CommitStore(None)
    store.stage({b"a": b"1"})
    store.commit()
    store.commit()
    assert store.version == 2
    assert store.root_at(2) == store.root_at(1)
    assert store.stage({}) == store.root_hash
    store.commit()
    assert store.version == 3 and store.get(b"a", 3) == b"1"


def test_commit_at_initial_height_and_versions_must_increase():
    store = CommitStore(None)
    store.stage({b"a": b"1"})
    assert store.commit(version=7) == 7
    assert store.version == 7
    with pytest.raises(VersionUnavailable):
        store.get(b"a", 6)
    with pytest.raises(ValueError):
        store.commit(version=7)
    assert store.commit() == 8


def test_future_and_pruned_versions_are_unavailable():
    store = CommitStore(None, keep_recent=3)
    for version in range(1, 7):
        store.stage({b"k": b"%d" % version})
        store.commit()
    with pytest.raises(VersionUnavailable):
        store.get(b"k", 7)
    with pytest.raises(VersionUnavailable):
        store.prove(b"k", 3)
    with pytest.raises(VersionUnavailable):
        store.root_at(1)
    with pytest.raises(VersionUnavailable):
        store.iterate(b"", None, 2)
    assert [store.get(b"k", v) for v in (4, 5, 6)] == [b"4", b"5", b"6"]


def test_iterate_ranges_reverse_deletes_and_pages():
    store = CommitStore(None)
    items = {b"k%04d" % i: b"v%d" % i for i in range(3 * PAGE_SIZE + 7)}
    store.stage(items)
    store.commit()
    store.stage({b"k%04d" % i: None for i in range(0, len(items), 2)} | {b"k0001": b"new"})
    store.commit()
    live = {k: v for k, v in apply_model(items, {b"k%04d" % i: None for i in range(0, len(items), 2)}).items()}
    live[b"k0001"] = b"new"
    assert list(store.iterate(b"", None)) == sorted(live.items())
    assert list(store.iterate(b"", None, reverse=True)) == sorted(live.items(), reverse=True)
    assert list(store.iterate(b"k0100", b"k0110")) == [(k, live[k]) for k in sorted(live) if b"k0100" <= k < b"k0110"]
    assert list(store.iterate(b"k0100", b"k0110", reverse=True)) == [
        (k, live[k]) for k in sorted(live, reverse=True) if b"k0100" <= k < b"k0110"]
    assert list(store.iterate(b"k0100", b"k0100")) == []
    # The old version still iterates its own values
    assert list(store.iterate(b"", None, 1)) == sorted(items.items())


def test_binary_keys_iterate_in_byte_order():
    store = CommitStore(None)
    keys = [b"", b"\x00", b"\x00\x00", b"\x01", b"\x7f", b"\x80", b"\xff", b"\xff\xff", b"a" * 1024]
    store.stage({k: b"v" + k for k in keys})
    store.commit()
    assert [k for k, _ in store.iterate(b"", None)] == sorted(keys)
    assert [k for k, _ in store.iterate(b"\x01", b"\xff")] == [k for k in sorted(keys) if b"\x01" <= k < b"\xff"]


def test_large_values():
    store = CommitStore(None)
    big = bytes(range(256)) * 4096  # 1 MiB
    store.stage({b"big": big})
    store.commit()
    value, proof = store.prove(b"big")
    assert value == big
    verify_membership(store.root_hash, b"big", big, proof)


# Versions, proofs and pruning against a model ------------------------------------------------------------------

@pytest.mark.parametrize("keep_recent", [0, 1, 4])
def test_random_history_matches_model(keep_recent):
    rng = random.Random(keep_recent)
    store = CommitStore(None, keep_recent=keep_recent)
    keys = [b"key-%d" % i for i in range(120)]
    models: dict[int, dict[bytes, bytes]] = {}
    model: dict[bytes, bytes] = {}
    for version in range(1, 26):
        writes = {rng.choice(keys): (None if rng.random() < 0.3 else rng.randbytes(rng.randrange(0, 12)))
                  for _ in range(rng.randrange(0, 30))}
        assert store.stage(writes) == tree_root(apply_model(model, writes))
        if rng.random() < 0.2:
            store.stage({})  # an abandoned stage leaves nothing behind
            writes = {}
        store.commit()
        model = apply_model(model, writes)
        models[version] = model
        retained = range(1, version + 1) if keep_recent == 0 else range(max(1, version - keep_recent + 1), version + 1)
        for old in retained:
            check_version(store, old, models[old], rng.sample(keys, 6))
        if keep_recent:
            for pruned in range(1, version - keep_recent + 1):
                with pytest.raises(VersionUnavailable):
                    store.get(keys[0], pruned)


def test_pruning_bounds_storage():
    store = CommitStore(None, keep_recent=2)
    items = {b"k%d" % i: b"v" for i in range(400)}
    store.stage(items)
    store.commit()
    for version in range(2, 40):
        store.stage({b"k%d" % (version % 400): b"%d" % version, b"k%d" % ((version * 7) % 400): b"x"})
        store.commit()
    count = lambda table: store._db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]  # noqa: E731
    live_nodes = sum(1 for _ in walk_internal(latest_root(store), store))
    assert count("versions") == 2
    assert count("kv") <= len(items) + 2 * 2
    assert count("nodes") <= live_nodes + 2 * 8  # the live tree plus the few nodes of the previous version
    check_version(store, store.version - 1, dict(store.iterate(b"", None, store.version - 1)), [b"k1", b"k2", b"zz"])


def latest_root(store: CommitStore) -> smt.Node:
    """The latest version's root read back from disk (a stub if internal)."""
    root_hash, ref = store._read_version(store.version)
    return smt.decode_root(ref, root_hash)


def walk_internal(node: smt.Node, store: CommitStore, path: str = ""):
    """Every internal node under ``node`` (loading them)."""
    if node.__class__ is not list:
        return
    smt.ensure_loaded(node, path, store._fetch)
    yield node
    for slot in range(16):
        if node[3] >> slot & 1 and not node[4] >> slot & 1:
            yield from walk_internal(smt.get_child(node, 1 << slot), store, path + smt.HEX_DIGITS[slot])


# Reopening ------------------------------------------------------------------------------------------------------

def test_reopen_continues_from_disk(tmp_path, monkeypatch, tree_name):
    path = str(tmp_path / "state.db")
    store = CommitStore(path, keep_recent=5)
    model: dict[bytes, bytes] = {}
    for version in range(1, 6):
        writes = {b"k%d" % (i * version % 97): b"v%d" % version for i in range(30)} | {b"k%d" % version: None}
        store.stage(writes)
        store.commit(meta={b"height": b"%d" % version})
        model = apply_model(model, writes)
    root = store.root_hash
    store.close()

    fetched = []
    fetch = CommitStore._fetch
    monkeypatch.setattr(CommitStore, "_fetch", lambda self, *node: fetched.append(node) or fetch(self, *node))
    reopened = CommitStore(path, keep_recent=5)
    assert reopened.version == 5 and reopened.root_hash == root and reopened.get_meta(b"height") == b"5"
    assert reopened.tree_name == tree_name
    assert fetched == []  # the tree is loaded lazily, not read whole at open
    check_version(reopened, 5, model, [b"k1", b"k3", b"k50", b"nope"])
    check_version(reopened, 3, dict(reopened.iterate(b"", None, 3)), [b"k1", b"k3"])
    writes = {b"k1": b"after-reopen", b"k2": None, b"fresh": b"f"}
    assert reopened.stage(writes) == tree_root(apply_model(model, writes))
    reopened.commit()
    reopened.close()


def test_threads_can_read_while_committing():
    store = CommitStore(None)
    store.stage({b"k%d" % i: b"0" for i in range(50)})
    store.commit()
    errors = []

    def reader():
        try:
            for _ in range(200):
                version = store.version
                rows = dict(store.iterate(b"", None, version))
                assert len(set(rows.values())) == 1
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    thread = threading.Thread(target=reader)
    thread.start()
    for version in range(2, 30):
        store.stage({b"k%d" % i: b"%d" % version for i in range(50)})
        store.commit()
    thread.join()
    assert not errors


# Crash safety ---------------------------------------------------------------------------------------------------

CHILD_SOURCE = r'''
import sys

def compute_writes(version):
    """Deterministic writes of one version: updates, inserts, deletes and now and then a large value."""
    writes = {}
    for i in range(40):
        key = b"key-%03d" % ((version * 7 + i * 13) % 300)
        writes[key] = None if (version + i) % 5 == 0 else (b"v%d-%d|" % (version, i)) * (1 + (version * i) % 40)
    if version % 7 == 0:
        writes[b"big-%d" % (version % 3)] = bytes([version % 256]) * 300_000
    return writes

if __name__ == "__main__":
    from suretychain.core.store import CommitStore
    store = CommitStore(sys.argv[1], keep_recent=5)
    version = store.version
    while True:
        version += 1
        root = store.stage(compute_writes(version))
        store.commit(version, meta={b"height": b"%d" % version})
        print(version, root.hex(), flush=True)
'''


def expected_state(version: int) -> dict[bytes, bytes]:
    """The state the child's writes give at ``version``."""
    namespace: dict = {}
    exec(CHILD_SOURCE, namespace)  # noqa: S102 - our own source, shared with the child
    model: dict[bytes, bytes] = {}
    for v in range(1, version + 1):
        model = apply_model(model, namespace["compute_writes"](v))
    return model


def run_child_until_killed(path: str, delay: float) -> dict[int, bytes]:
    """Start the committing child, SIGKILL it ``delay`` seconds after its first commit; return what it printed."""
    env = dict(os.environ, PYTHONPATH=str(REPO_ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    child = subprocess.Popen([sys.executable, "-c", CHILD_SOURCE, path], stdout=subprocess.PIPE, env=env)
    lines: list[bytes] = []
    first = threading.Event()

    def read() -> None:
        for line in child.stdout:
            lines.append(line)
            first.set()
        first.set()

    reader = threading.Thread(target=read)
    reader.start()
    assert first.wait(30), "child never committed"
    time.sleep(delay)
    child.send_signal(signal.SIGKILL)
    child.wait()
    reader.join()
    printed = {}
    for line in lines:
        parts = line.split()
        if len(parts) == 2 and len(parts[1]) == 64:  # a line cut by the kill is not a report
            printed[int(parts[0])] = bytes.fromhex(parts[1].decode())
    return printed


def test_kill_minus_nine_leaves_last_committed_version(tmp_path):
    path = str(tmp_path / "crash.db")
    rng = random.Random(2024)
    printed: dict[int, bytes] = {}
    for _ in range(5):
        printed |= run_child_until_killed(path, rng.uniform(0.05, 0.4))
        store = CommitStore(path, keep_recent=5)
        try:
            last_printed = max(printed)
            # Printed only after commit returned; one more commit may have finished before the kill
            assert last_printed <= store.version <= last_printed + 1
            if store.version in printed:
                assert store.root_hash == printed[store.version]
            model = expected_state(store.version)
            assert store.root_hash == tree_root(model)
            assert store.get_meta(b"height") == b"%d" % store.version
            assert dict(store.iterate(b"", None)) == model
            for key, value in model.items():
                assert store.get(key) == value
            for version in range(max(1, store.version - 4), store.version + 1):
                if version in printed:
                    assert store.root_at(version) == printed[version]
            assert store._db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        finally:
            store.close()
