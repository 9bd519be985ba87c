"""The native tree (surety_native, through suretychain.core.tree.NativeTree) is the Python tree (smt.py), byte for byte.

Both trees run side by side over one node store: same roots after every stage, same commit plans (node
encodings, stale nodes, root references), same proofs (checked with proof.py too), the committed tree restored
exactly by a dropped stage, lazy loading after a reopen, and corrupt or missing node rows refused.
"""
from __future__ import annotations

import random
import sqlite3
from hashlib import sha256

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from suretychain.core import smt, tree
from suretychain.core.proof import (
    EMPTY_HASH,
    compute_leaf_hash,
    compute_non_membership_bottom,
    compute_root_from_path,
    verify_membership,
    verify_non_membership,
)
from suretychain.core.store import CommitStore, StoreCorruption
from test_store import apply_model

pytestmark = pytest.mark.skipif(
    tree.surety_native is None, reason="surety_native is not built (no Rust toolchain at install)")


def make_key_hash(head: int, zeros: int, tail: int) -> bytes:
    """A key hash sharing a long prefix with others of the same ``head``: deep chains of one-child nodes."""
    return (bytes([head]) + bytes(zeros) + bytes([tail])).ljust(32, b"\0")[:32]


# Key hashes from small pools, so that later batches update and delete earlier keys: random ones (a bushy tree)
# and crafted ones (long shared prefixes, so chains of one-child nodes form and collapse)
KEY_HASHES = st.one_of(
    st.sampled_from([sha256(b"pool %d" % i).digest() for i in range(48)]),
    st.builds(make_key_hash, st.sampled_from([0x00, 0x01, 0x10, 0xFF]), st.sampled_from([0, 1, 2, 5, 13, 30]),
              st.integers(0, 3)),
)
# Few distinct values, so that some updates write the value a key already has
VALUE_HASHES = st.one_of(st.none(), st.sampled_from([sha256(b"%d" % i).digest() for i in range(3)]))
BATCHES = st.dictionaries(KEY_HASHES, VALUE_HASHES, max_size=40)
STEPS = st.lists(st.tuples(BATCHES, st.sampled_from(["commit", "drop", "reopen"])), min_size=1, max_size=8)


class Twins:
    """A Python tree and a native tree over one in-memory node store, checked equal at every step."""

    def __init__(self) -> None:
        self.rows: dict[tuple[int, str], bytes] = {}
        self.version = 0
        self.root_hash, self.root_ref = EMPTY_HASH, smt.ROOT_EMPTY
        self.fetched: list[tuple[int, str]] = []
        self.reopen()

    def fetch(self, version: int, path: str) -> bytes | None:
        """The stored node, recording the read."""
        self.fetched.append((version, path))
        return self.rows.get((version, path))

    def reopen(self) -> None:
        """Both trees opened afresh from the store at the last committed version (nothing loaded yet)."""
        self.python = tree.PythonTree(self.root_hash, self.root_ref, self.fetch)
        self.native = tree.NativeTree(self.root_hash, self.root_ref, self.fetch)

    def stage(self, batch: dict[bytes, bytes | None]) -> bytes:
        """Stage ``batch`` (key hash -> value hash or None) on both; their roots agree."""
        key_hashes = sorted(batch)
        value_hashes = [batch[key_hash] for key_hash in key_hashes]
        root = self.python.stage_hashes(key_hashes, value_hashes)
        assert self.native.stage_hashes(key_hashes, value_hashes) == root
        assert self.native.root_hash == root and self.native.staged
        return root

    def drop(self) -> None:
        """Drop both stages; both are back at the committed root."""
        self.python.drop_stage()
        self.native.drop_stage()
        assert self.python.root_hash == self.native.root_hash == self.root_hash
        assert not self.native.staged

    def commit(self) -> tree.CommitPlan:
        """Commit both stages as the next version; their plans agree (up to order) and are written once."""
        self.version += 1
        plan = self.python.commit_plan(self.version)
        native_plan = self.native.commit_plan(self.version)
        assert sorted(native_plan.nodes) == sorted(plan.nodes)
        assert sorted(native_plan.stale) == sorted(plan.stale)
        assert (native_plan.root_hash, native_plan.root_ref) == (plan.root_hash, plan.root_ref)
        self.rows.update(((self.version, path), data) for path, data in plan.nodes)
        self.python.mark_committed(self.version)
        self.native.mark_committed(self.version)
        self.root_hash, self.root_ref = plan.root_hash, plan.root_ref
        return plan

    def check_proofs(self, key_hashes: list[bytes]) -> None:
        """Both trees give the same leaf and proof for each key hash, and proof.py accepts them."""
        for key_hash in key_hashes:
            leaf, proof = self.python.prove(key_hash)
            assert self.native.prove(key_hash) == (leaf, proof)
            if leaf is None:
                bottom = compute_non_membership_bottom(key_hash, proof)
            else:
                bottom = compute_leaf_hash(key_hash, leaf[2])
            assert compute_root_from_path(key_hash, bottom, proof) == self.root_hash


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=STEPS, probes=st.lists(KEY_HASHES, max_size=6))
def test_native_tree_equals_python_tree(steps, probes):
    twins = Twins()
    model: dict[bytes, bytes] = {}
    for batch, action in steps:
        twins.stage(batch)
        if action == "drop":
            twins.drop()
        else:
            plan = twins.commit()
            model = apply_model(model, batch)
            assert plan.root_hash == smt.compute_root_hash(smt.apply_batch(
                None, smt.make_batch(sorted(model), [model[k] for k in sorted(model)]), smt.no_fetch).root)
        if action == "reopen":
            twins.reopen()
        twins.check_proofs(list(model)[:6] + probes)


def test_reopened_tree_loads_lazily_and_only_its_path():
    twins = Twins()
    twins.stage({sha256(b"%d" % i).digest(): sha256(b"v").digest() for i in range(3000)})
    twins.commit()
    twins.reopen()
    assert twins.fetched == []
    key_hash = sha256(b"7").digest()
    twins.native.prove(key_hash)
    assert 1 < len(twins.fetched) < 6  # the root and the nodes on one path
    twins.fetched.clear()
    twins.native.prove(key_hash)
    assert twins.fetched == []  # kept in memory once read
    twins.stage({key_hash: sha256(b"w").digest()})
    twins.commit()
    twins.check_proofs([key_hash, sha256(b"8").digest()])


def test_a_failed_stage_leaves_the_committed_tree():
    twins = Twins()
    twins.stage({sha256(b"%d" % i).digest(): sha256(b"v").digest() for i in range(500)})
    twins.commit()
    twins.reopen()
    # Every node but the root is missing: a batch under two children fails at the second one
    root_row = twins.rows[(1, "")]
    twins.rows = {(1, ""): root_row}
    batch = {bytes([0x00]) * 32: sha256(b"w").digest(), bytes([0xFF]) * 32: sha256(b"w").digest()}
    with pytest.raises(smt.NodeIntegrityError, match="missing"):
        twins.native.stage_hashes(sorted(batch), [batch[k] for k in sorted(batch)])
    assert not twins.native.staged and twins.native.root_hash == twins.root_hash


# Through the store ----------------------------------------------------------------------------------------------

def write_history(path: str, tree_name: str) -> dict[bytes, bytes]:
    """Commit a few versions with ``tree_name``; return the final state."""
    store = CommitStore(path, keep_recent=3, tree=tree_name)
    model: dict[bytes, bytes] = {}
    for version in range(1, 7):
        writes = {b"k%d" % (i * version % 311): b"v%d" % version for i in range(120)} | {b"k%d" % version: None}
        store.stage(writes)
        store.commit()
        model = apply_model(model, writes)
    store.close()
    return model


@pytest.mark.parametrize("writer, reader", [("python", "native"), ("native", "python")])
def test_a_db_written_by_one_tree_opens_with_the_other(tmp_path, writer, reader):
    path = str(tmp_path / "state.db")
    model = write_history(path, writer)
    store = CommitStore(path, keep_recent=3, tree=reader)
    assert store.tree_name == reader
    for key in [b"k1", b"k2", b"k7", b"k100", b"absent"]:
        value, proof = store.prove(key)
        assert value == model.get(key)
        if value is None:
            verify_non_membership(store.root_hash, key, proof)
        else:
            verify_membership(store.root_hash, key, value, proof)
    writes = {b"k3": b"later", b"k4": None, b"fresh": b"f"}
    root = store.stage(writes)
    store.commit()
    store.close()
    # Both trees agree on the continued history
    other = CommitStore(path, keep_recent=3, tree=writer)
    assert other.root_hash == root
    assert other.stage({b"k5": b"again"}) == CommitStore(path, tree=reader).stage({b"k5": b"again"})


def corrupt_node(path: str, change) -> None:
    """Replace the data of the latest root node row with ``change(data)``."""
    db = sqlite3.connect(path)
    version, data = db.execute("SELECT version, data FROM nodes WHERE path = '' ORDER BY version DESC").fetchone()
    db.execute("UPDATE nodes SET data = ? WHERE version = ? AND path = ''", (change(data), version))
    db.commit()
    db.close()


@pytest.mark.parametrize("change", [
    lambda data: data[:4] + bytes([data[4] ^ 1]) + data[5:],  # a flipped bit in the first child's hash
    lambda data: data[:-3],  # truncated
    lambda data: b"\0",  # shorter than a header
])
def test_a_corrupt_node_row_raises_store_corruption(tmp_path, change):
    path = str(tmp_path / "state.db")
    write_history(path, "native")
    corrupt_node(path, change)
    store = CommitStore(path, tree="native")
    with pytest.raises(StoreCorruption):
        store.prove(b"k1")
    with pytest.raises(StoreCorruption):
        store.stage({b"k1": b"x"})
    with pytest.raises(StoreCorruption):
        CommitStore(path, tree="python").prove(b"k1")


def test_a_malformed_root_reference_raises_store_corruption(tmp_path):
    path = str(tmp_path / "state.db")
    write_history(path, "native")
    db = sqlite3.connect(path)
    db.execute("UPDATE versions SET root_ref = ? WHERE version = 6", (b"N\0",))
    db.commit()
    db.close()
    with pytest.raises(StoreCorruption):
        CommitStore(path, tree="native")


def test_default_and_forced_tree(monkeypatch):
    monkeypatch.delenv(tree.TREE_ENV, raising=False)
    assert CommitStore(None).tree_name == "native"
    monkeypatch.setenv(tree.TREE_ENV, "python")
    assert CommitStore(None).tree_name == "python"
    assert CommitStore(None, tree="native").tree_name == "native"
    monkeypatch.setenv(tree.TREE_ENV, "rust")
    with pytest.raises(ValueError):
        CommitStore(None)


def test_large_random_history():
    # Deep enough for every node kind at once (bushy upper levels, chains, leaves beside internal children)
    rng = random.Random(7)
    twins = Twins()
    key_hashes = [sha256(b"key %d" % i).digest() for i in range(20_000)]
    values = [sha256(b"value %d" % i).digest() for i in range(4)]
    twins.stage({key_hash: values[0] for key_hash in key_hashes[:15_000]})
    twins.commit()
    for block in range(4):
        batch = {key_hash: rng.choice(values + [None]) for key_hash in rng.sample(key_hashes, 3_000)}
        twins.stage(batch)
        if block == 1:
            twins.drop()
            continue
        twins.commit()
        if block == 2:
            twins.reopen()
    twins.check_proofs(rng.sample(key_hashes, 200))
