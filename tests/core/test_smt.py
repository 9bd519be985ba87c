"""The authenticated tree (suretychain.core.smt) and proof verification (suretychain.core.proof).

Roots are checked against ``reference_root``, a deliberately naive from-scratch definition of the tree written
only from the spec in docs/state-commitment.md.
"""
from __future__ import annotations

from hashlib import sha256

import msgspec
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from suretychain.core import smt
from suretychain.core.proof import (
    EMPTY_HASH,
    LEAF_TAG,
    NODE_TAG,
    Proof,
    ProofError,
    decode_proof,
    encode_proof,
    verify_membership,
    verify_non_membership,
)


# Reference model ------------------------------------------------------------------------------------------------

def nibble(key_hash: bytes, depth: int) -> int:
    """Nibble ``depth`` of ``key_hash``, high nibble first."""
    return key_hash[depth // 2] >> 4 if depth % 2 == 0 else key_hash[depth // 2] & 0x0F


def reference_subtree(entries: list[tuple[bytes, bytes]], depth: int) -> bytes | None:
    """Hash of the canonical subtree holding ``entries`` (key hash, value hash) at ``depth``; None if empty."""
    if not entries:
        return None
    if len(entries) == 1:
        key_hash, value_hash = entries[0]
        return sha256(LEAF_TAG + key_hash + value_hash).digest()
    mask = 0
    hashes = []
    for slot in range(16):
        child = reference_subtree([e for e in entries if nibble(e[0], depth) == slot], depth + 1)
        if child is not None:
            mask |= 1 << slot
            hashes.append(child)
    return sha256(NODE_TAG + mask.to_bytes(2, "big") + b"".join(hashes)).digest()


def reference_root_of_hashes(entries: dict[bytes, bytes]) -> bytes:
    """Root over key hash -> value hash."""
    root = reference_subtree(sorted(entries.items()), 0)
    return EMPTY_HASH if root is None else root


def reference_root(items: dict[bytes, bytes]) -> bytes:
    """Root over key -> value."""
    return reference_root_of_hashes({sha256(k).digest(): sha256(v).digest() for k, v in items.items()})


def apply(root: smt.Node, writes: dict[bytes, bytes | None], version: int) -> smt.Node:
    """Apply and 'commit' a batch in memory."""
    staged = smt.apply_batch(root, smt.compute_batch(writes), smt.no_fetch)
    smt.set_version(smt.list_staged_nodes(staged.root), version)
    return staged.root


def batch_of_hashes(writes: dict[bytes, bytes | None]) -> smt.Batch:
    """A batch from raw key hashes (to craft keys that share long prefixes)."""
    pairs = sorted(writes.items())
    return smt.Batch([k.hex() for k, _ in pairs], [k for k, _ in pairs], [v for _, v in pairs])


def apply_hashes(root: smt.Node, writes: dict[bytes, bytes | None], version: int) -> smt.Node:
    """Apply and 'commit' a batch given by key hash -> value hash."""
    staged = smt.apply_batch(root, batch_of_hashes(writes), smt.no_fetch)
    smt.set_version(smt.list_staged_nodes(staged.root), version)
    return staged.root


def prove(root: smt.Node, key: bytes) -> tuple[smt.Leaf | None, Proof]:
    """Proof for ``key`` in an in-memory tree."""
    return smt.compute_proof(root, sha256(key).digest(), smt.no_fetch)


# Shape and hashing ------------------------------------------------------------------------------------------------

def test_empty_root_is_documented_constant():
    assert EMPTY_HASH == sha256(b"\x02surety-empty").digest()
    assert EMPTY_HASH.hex() == "6bc319cbf2e6d98164864017e43fd977cfdfc6231179adc369222d55bd2b938e"  # as documented
    assert smt.compute_root_hash(smt.build_tree({})) == EMPTY_HASH


def test_single_key_root_is_its_leaf():
    root = smt.build_tree({b"k": b"v"})
    key_hash = sha256(b"k").digest()
    assert smt.compute_root_hash(root) == sha256(b"\x00surety-leaf" + key_hash + sha256(b"v").digest()).digest()


@pytest.mark.parametrize("count", [2, 3, 17, 300, 2000])
def test_root_matches_reference(count):
    items = {b"key-%d" % i: b"value-%d" % (i * 7) for i in range(count)}
    assert smt.compute_root_hash(smt.build_tree(items)) == reference_root(items)


def test_long_shared_prefix_makes_chain_and_collapses():
    # Two key hashes sharing 61 nibbles: a chain of internal nodes with one child each
    a = bytes(30) + b"\x12\x34"
    b = bytes(30) + b"\x12\x35"
    c = bytes(31) + b"\x99"
    value = sha256(b"v").digest()
    root = apply_hashes(None, {a: value, b: value}, 1)
    assert smt.compute_root_hash(root) == reference_root_of_hashes({a: value, b: value})
    root = apply_hashes(root, {c: value}, 2)
    assert smt.compute_root_hash(root) == reference_root_of_hashes({a: value, b: value, c: value})
    # Deleting one of the pair collapses the whole chain back to a leaf
    root = apply_hashes(root, {b: None}, 3)
    assert smt.compute_root_hash(root) == reference_root_of_hashes({a: value, c: value})
    root = apply_hashes(root, {c: None}, 4)
    assert root.__class__ is tuple and root[1] == a


def test_same_set_same_root_in_any_order_or_via_deletes():
    items = {b"k%d" % i: b"v%d" % i for i in range(200)}
    at_once = smt.compute_root_hash(smt.build_tree(items))
    root = None
    for version, start in enumerate(range(199, -1, -25), start=1):
        root = apply(root, {k: items[k] for k in list(items)[max(0, start - 24):start + 1]}, version)
    assert smt.compute_root_hash(root) == at_once
    extra = {b"extra%d" % i: b"x" for i in range(50)}
    root = apply(root, extra, 20)
    root = apply(root, {k: None for k in extra}, 21)
    assert smt.compute_root_hash(root) == at_once


def test_deleting_everything_gives_empty_root():
    items = {b"k%d" % i: b"v" for i in range(100)}
    root = apply(smt.build_tree(items), {k: None for k in items}, 1)
    assert root is None


def test_noop_writes_keep_root_and_change_nothing():
    items = {b"k%d" % i: b"v%d" % i for i in range(100)}
    root = smt.build_tree(items, version=1)
    staged = smt.apply_batch(root, smt.compute_batch({b"k5": b"v5", b"absent": None}), smt.no_fetch)
    assert staged.root is root and not staged.stale and not staged.undo


def test_rollback_restores_tree():
    items = {b"k%d" % i: b"v%d" % i for i in range(500)}
    root = smt.build_tree(items, version=1)
    before = smt.compute_root_hash(root)
    writes = {b"k%d" % i: None for i in range(0, 500, 3)} | {b"new%d" % i: b"n" for i in range(100)}
    staged = smt.apply_batch(root, smt.compute_batch(writes), smt.no_fetch)
    assert smt.compute_root_hash(staged.root) != before
    smt.rollback(staged)
    assert smt.compute_root_hash(root) == before == reference_root(items)
    assert smt.compute_root_hash(apply(root, {b"k1": b"z"}, 2)) == reference_root(items | {b"k1": b"z"})


def test_batch_cost_is_logarithmic():
    """One write into 20,000 keys hashes only its path, not the tree."""
    root = smt.build_tree({b"k%d" % i: b"v" for i in range(20_000)})
    calls = []

    def counting_sha256(data: bytes = b""):
        calls.append(len(data))
        return sha256(data)

    original = smt.sha256
    smt.sha256 = counting_sha256
    try:
        smt.apply_batch(root, smt.compute_batch({b"k7": b"changed"}), smt.no_fetch)
    finally:
        smt.sha256 = original
    # key hash + value hash + leaf + about log16(20000) ~ 4 nodes
    assert len(calls) <= 10


def test_stale_nodes_are_exactly_the_replaced_stored_nodes():
    root = smt.build_tree({b"k%d" % i: b"v" for i in range(1000)}, version=1)
    before = {id(node): (node[1], path) for path, node in all_internal(root)}
    staged = smt.apply_batch(root, smt.compute_batch({b"k1": b"x", b"k2": None, b"n": b"y"}), smt.no_fetch)
    after = {id(node) for _, node in all_internal(staged.root) if node[1] is not None}
    stale = set(smt.list_stale(staged))
    assert stale == {key for node_id, key in before.items() if node_id not in after}
    assert len(stale) == len(smt.list_stale(staged))


def all_internal(root: smt.Node) -> list[tuple[str, smt.Internal]]:
    """Every internal node with its path."""
    found = []
    stack = [("", root)] if root.__class__ is list else []
    while stack:
        path, node = stack.pop()
        found.append((path, node))
        for slot in range(16):
            child = smt.get_child(node, 1 << slot) if node[3] >> slot & 1 else None
            if child.__class__ is list:
                stack.append((path + smt.HEX_DIGITS[slot], child))
    return found


# Node encoding and lazy loading ---------------------------------------------------------------------------------

def store_nodes(root: smt.Node, rows: dict, version: int) -> None:
    """Serialise the staged nodes of ``root`` into ``rows`` as ``version`` (what the store does)."""
    staged = smt.list_staged_nodes(root)
    for path, node in staged:
        rows[(version, path)] = smt.encode_internal(node, version)
    smt.set_version(staged, version)


def test_nodes_reload_lazily_from_their_encoding():
    rows: dict = {}
    items = {b"k%d" % i: b"v%d" % i for i in range(3000)}
    root = smt.apply_batch(None, smt.compute_batch(items), smt.no_fetch).root
    store_nodes(root, rows, 1)
    ref = smt.encode_root(root, 1)
    root_hash = smt.compute_root_hash(root)
    fetch = lambda version, path: rows.get((version, path))  # noqa: E731
    fresh = smt.decode_root(ref, root_hash)
    assert fresh[2] is None  # a stub until used
    writes = {b"k5": None, b"k6": b"new", b"other": b"o"}
    expected = smt.compute_root_hash(apply(root, writes, 2))  # (changes the in-memory tree in place)
    staged = smt.apply_batch(fresh, smt.compute_batch(writes), fetch)
    assert smt.compute_root_hash(staged.root) == expected == reference_root(
        {k: v for k, v in (items | writes).items() if v is not None})
    fresh_again = smt.decode_root(ref, root_hash)
    leaf, proof = smt.compute_proof(fresh_again, sha256(b"k9").digest(), fetch)
    verify_membership(root_hash, b"k9", b"v9", proof)


def test_tampered_stored_node_is_detected():
    rows: dict = {}
    root = smt.apply_batch(None, smt.compute_batch({b"k%d" % i: b"v" for i in range(100)}), smt.no_fetch).root
    store_nodes(root, rows, 1)
    data = bytearray(rows[(1, "")])
    data[10] ^= 1  # inside the first child's hash (or key hash)
    rows[(1, "")] = bytes(data)
    fresh = smt.decode_root(smt.encode_root(root, 1), smt.compute_root_hash(root))
    with pytest.raises(smt.NodeIntegrityError):
        smt.compute_proof(fresh, sha256(b"k1").digest(), lambda v, p: rows.get((v, p)))


# Proofs ---------------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def proof_tree():
    items = {b"key-%d" % i: b"value-%d" % i for i in range(500)}
    root = smt.build_tree(items)
    return items, root, smt.compute_root_hash(root)


def test_membership_and_non_membership_proofs_verify(proof_tree):
    items, root, root_hash = proof_tree
    for key in list(items)[:50]:
        leaf, proof = prove(root, key)
        assert leaf is not None
        verify_membership(root_hash, key, items[key], proof)
    kinds = set()
    for i in range(200):
        key = b"absent-%d" % i
        leaf, proof = prove(root, key)
        assert leaf is None
        verify_non_membership(root_hash, key, proof)
        kinds.add(bool(proof.other_key_hash))
    assert kinds == {True, False}  # both an empty slot and another leaf on the path occur


def test_proofs_on_tiny_trees():
    verify_non_membership(EMPTY_HASH, b"a", Proof([], []))
    root = smt.build_tree({b"a": b"1"})
    root_hash = smt.compute_root_hash(root)
    verify_membership(root_hash, b"a", b"1", prove(root, b"a")[1])
    verify_non_membership(root_hash, b"b", prove(root, b"b")[1])
    with pytest.raises(ProofError):
        verify_non_membership(root_hash, b"a", prove(root, b"a")[1])


def test_wrong_value_root_or_key_fails(proof_tree):
    items, root, root_hash = proof_tree
    _, proof = prove(root, b"key-1")
    with pytest.raises(ProofError):
        verify_membership(root_hash, b"key-1", b"value-2", proof)
    with pytest.raises(ProofError):
        verify_membership(sha256(b"other").digest(), b"key-1", b"value-1", proof)
    with pytest.raises(ProofError):
        verify_membership(root_hash, b"key-2", b"value-1", proof)
    with pytest.raises(ProofError):
        verify_non_membership(root_hash, b"key-1", proof)


def tampered_proofs(proof: Proof) -> list[Proof]:
    """Single-field corruptions of ``proof``."""
    variants = []
    if proof.siblings:
        flipped = bytearray(proof.siblings[0])
        flipped[0] ^= 1
        variants.append(msgspec.structs.replace(proof, siblings=[bytes(flipped)] + proof.siblings[1:]))
        variants.append(msgspec.structs.replace(proof, siblings=proof.siblings[:-1]))
        variants.append(msgspec.structs.replace(proof, siblings=proof.siblings + [proof.siblings[0]]))
        variants.append(msgspec.structs.replace(proof, siblings=[EMPTY_HASH] + proof.siblings[1:]))
        variants.append(msgspec.structs.replace(proof, siblings=[proof.siblings[0][:31]] + proof.siblings[1:]))
    if proof.masks:
        variants.append(msgspec.structs.replace(proof, masks=proof.masks[:-1]))
        variants.append(msgspec.structs.replace(proof, masks=[proof.masks[0] ^ 0x8001] + proof.masks[1:]))
        variants.append(msgspec.structs.replace(proof, masks=[0x10000] + proof.masks[1:]))
        variants.append(msgspec.structs.replace(proof, masks=[-1] + proof.masks[1:]))
    variants.append(msgspec.structs.replace(proof, masks=proof.masks + [0]))
    variants.append(msgspec.structs.replace(proof, other_key_hash=bytes(32), other_value_hash=bytes(32)))
    return variants


def test_tampered_membership_proofs_fail(proof_tree):
    items, root, root_hash = proof_tree
    for key in list(items)[:20]:
        _, proof = prove(root, key)
        for bad in tampered_proofs(proof):
            with pytest.raises(ProofError):
                verify_membership(root_hash, key, items[key], bad)


def test_tampered_non_membership_proofs_fail(proof_tree):
    items, root, root_hash = proof_tree
    for i in range(40):
        key = b"absent-%d" % i
        _, proof = prove(root, key)
        for bad in tampered_proofs(proof):
            if bad.other_key_hash == bytes(32) and proof.other_key_hash == b"":
                pass  # still checked below: the zero leaf is not on the path
            with pytest.raises(ProofError):
                verify_non_membership(root_hash, key, bad)
        if proof.other_key_hash:
            wrong = bytearray(proof.other_value_hash)
            wrong[5] ^= 0x40
            with pytest.raises(ProofError):
                verify_non_membership(root_hash, key, msgspec.structs.replace(proof, other_value_hash=bytes(wrong)))
            # a present key's own leaf cannot prove its absence
            with pytest.raises(ProofError):
                own_leaf = msgspec.structs.replace(proof, other_key_hash=sha256(key).digest())
                verify_non_membership(root_hash, key, own_leaf)


@pytest.mark.parametrize("bad", [
    Proof([True], []), Proof(["1"], []), Proof([1], ["x" * 32]), Proof([], [], other_key_hash="k" * 32,
                                                                  other_value_hash="v" * 32),
])
def test_ill_typed_proofs_fail_cleanly(bad):
    with pytest.raises(ProofError):
        verify_non_membership(EMPTY_HASH, b"a", bad)


def test_membership_proof_cannot_name_another_leaf(proof_tree):
    items, root, root_hash = proof_tree
    _, proof = prove(root, b"key-3")
    with pytest.raises(ProofError):
        verify_membership(root_hash, b"key-3", b"value-3", msgspec.structs.replace(proof, other_key_hash=bytes(32)))


def test_proof_encoding_roundtrip(proof_tree):
    items, root, root_hash = proof_tree
    for key in (b"key-4", b"absent-4"):
        _, proof = prove(root, key)
        assert decode_proof(encode_proof(proof)) == proof
        assert msgspec.json.decode(msgspec.json.encode(proof), type=Proof) == proof
    for garbage in (b"", b"\x00", b"\x93\x01\x02\x03", encode_proof(proof) + b"x"):
        with pytest.raises(ProofError):
            decode_proof(garbage)


# Properties -----------------------------------------------------------------------------------------------------

KEYS = st.binary(min_size=0, max_size=6)
VALUES = st.binary(min_size=0, max_size=8)
BATCH = st.dictionaries(KEYS, st.one_of(st.none(), VALUES), max_size=40)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(batches=st.lists(BATCH, min_size=1, max_size=6), probes=st.lists(KEYS, max_size=8))
def test_random_batches_match_reference(batches, probes):
    """Any sequence of inserts/updates/deletes gives the from-scratch root; proofs verify; tampering fails."""
    model: dict[bytes, bytes] = {}
    root = None
    for version, writes in enumerate(batches, start=1):
        root = apply(root, writes, version)
        for key, value in writes.items():
            if value is None:
                model.pop(key, None)
            else:
                model[key] = value
        root_hash = smt.compute_root_hash(root)
        assert root_hash == reference_root(model)
        assert root_hash == smt.compute_root_hash(smt.build_tree(model))
    root_hash = smt.compute_root_hash(root)
    for key in list(model)[:8] + probes:
        leaf, proof = prove(root, key)
        if key in model:
            verify_membership(root_hash, key, model[key], proof)
            with pytest.raises(ProofError):
                verify_membership(root_hash, key, model[key] + b"!", proof)
            with pytest.raises(ProofError):
                verify_non_membership(root_hash, key, proof)
        else:
            assert leaf is None
            verify_non_membership(root_hash, key, proof)
            with pytest.raises(ProofError):
                verify_membership(root_hash, key, b"", proof)
        with pytest.raises(ProofError):
            verify_non_membership(sha256(root_hash).digest(), key, proof)
        for bad in tampered_proofs(proof):
            with pytest.raises(ProofError):
                (verify_membership(root_hash, key, model[key], bad) if key in model
                 else verify_non_membership(root_hash, key, bad))


@settings(max_examples=40, deadline=None)
@given(batches=st.lists(st.dictionaries(st.integers(0, 40), st.one_of(st.none(), st.integers(0, 3)), max_size=15),
                        min_size=1, max_size=6))
def test_crafted_shared_prefixes_match_reference(batches):
    """Key hashes sharing up to 62 nibbles (chains of single-child nodes) still give the canonical root."""
    def key_hash(n: int) -> bytes:
        return bytes(31 - n % 3) + bytes([n % 5]) * (n % 3) + bytes([n])

    model: dict[bytes, bytes] = {}
    root = None
    for version, writes in enumerate(batches, start=1):
        hashed = {key_hash(k): None if v is None else sha256(bytes([v])).digest() for k, v in writes.items()}
        root = apply_hashes(root, hashed, version)
        for k, v in hashed.items():
            if v is None:
                model.pop(k, None)
            else:
                model[k] = v
        assert smt.compute_root_hash(root) == reference_root_of_hashes(model)


@settings(max_examples=30, deadline=None)
@given(items=st.dictionaries(KEYS, VALUES, max_size=60), data=st.data())
def test_root_is_history_independent(items, data):
    """The same final set reached in any order and batching gives the same root."""
    keys = data.draw(st.permutations(sorted(items)))
    cut = data.draw(st.integers(0, len(keys)))
    junk = data.draw(st.dictionaries(KEYS.filter(lambda k: k not in items), VALUES, max_size=10))
    root = apply(None, {k: items[k] for k in keys[:cut]} | junk, 1)
    root = apply(root, {k: items[k] for k in keys[cut:]} | {k: None for k in junk}, 2)
    assert smt.compute_root_hash(root) == smt.compute_root_hash(smt.build_tree(items)) == reference_root(items)
