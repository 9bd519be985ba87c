"""The latest tree of a CommitStore behind one small interface, with two implementations.

* :class:`PythonTree` wraps :mod:`suretychain.core.smt`, the reference implementation (the spec a reader reads).
* :class:`NativeTree` wraps ``surety_native.Tree``, the same tree compiled from Rust (``native/``): byte-identical
  roots, node encodings, stale lists and proofs, several times faster to stage. It is an optional build; without
  a Rust toolchain the package installs without it and the store uses the Python tree.

:func:`open_tree` picks one: the native tree when ``surety_native`` imports, else the Python tree; the
environment variable ``SURETY_TREE=python`` (or ``native``) forces a choice. Both read and write the same DB
format, so a store written with one opens with the other.
"""
from __future__ import annotations

import os
from typing import Callable, Mapping, NamedTuple

from suretychain.core import smt
from suretychain.core.proof import Proof

try:
    import surety_native
except ImportError:  # built only where a Rust toolchain was present at install
    surety_native = None

TREE_ENV = "SURETY_TREE"
TREE_NAMES = ("python", "native")


class CommitPlan(NamedTuple):
    """What committing a stage as one version writes."""

    nodes: list[tuple[str, bytes]]  # (path, store encoding) of each new internal node
    stale: list[tuple[int, str]]  # (version, path) of each stored node the new tree no longer contains
    root_hash: bytes
    root_ref: bytes  # as smt.encode_root


class StagesWrites:
    """``stage`` of both trees: hash the writes here, then stage the hashes."""

    def stage(self, writes: Mapping[bytes, bytes | None]) -> bytes:
        """Stage ``writes`` (None = delete) on the committed tree, replacing any stage; return the new root."""
        return self.stage_hashes(*smt.hash_writes(writes))


class PythonTree(StagesWrites):
    """The latest tree held by :mod:`suretychain.core.smt` (staged in place with an undo log)."""

    name = "python"

    def __init__(self, root_hash: bytes, root_ref: bytes, fetch: smt.Fetch) -> None:
        """The tree of a committed version, its nodes read through ``fetch`` when first needed."""
        self._root = smt.decode_root(root_ref, root_hash)
        self._fetch = fetch
        self._staged: smt.StagedBatch | None = None
        self._planned: list[tuple[str, smt.Internal]] = []

    @property
    def root_hash(self) -> bytes:
        """The root hash (of the staged tree while a batch is staged)."""
        return smt.compute_root_hash(self._root if self._staged is None else self._staged.root)

    @property
    def staged(self) -> bool:
        """Whether a batch is staged."""
        return self._staged is not None

    def stage_hashes(self, key_hashes: list[bytes], value_hashes: list[bytes | None]) -> bytes:
        """Stage sorted key hashes and their value hashes (None = delete), replacing any stage; return the root."""
        self.drop_stage()
        self._staged = smt.apply_batch(self._root, smt.make_batch(key_hashes, value_hashes), self._fetch)
        return self.root_hash

    def drop_stage(self) -> None:
        """Undo the staged batch, if any, restoring the committed tree."""
        if self._staged is not None:
            smt.rollback(self._staged)
            self._staged = None

    def commit_plan(self, version: int) -> CommitPlan:
        """What committing the stage as ``version`` writes (a batch must be staged)."""
        staged = self._staged
        self._planned = smt.list_staged_nodes(staged.root)
        nodes = [(path, smt.encode_internal(node, version)) for path, node in self._planned]
        return CommitPlan(nodes, smt.list_stale(staged), smt.compute_root_hash(staged.root),
                          smt.encode_root(staged.root, version))

    def mark_committed(self, version: int) -> None:
        """The planned stage is durable as ``version``."""
        smt.set_version(self._planned, version)
        self._planned = []
        self._root = self._staged.root
        self._staged = None

    def prove(self, key_hash: bytes) -> tuple[smt.Leaf | None, Proof]:
        """The leaf of ``key_hash`` (or None) and its proof in the committed tree (nothing may be staged)."""
        return smt.compute_proof(self._root, key_hash, self._fetch)


class NativeTree(StagesWrites):
    """The latest tree held in Rust memory by ``surety_native.Tree`` (same interface as :class:`PythonTree`)."""

    name = "native"

    def __init__(self, root_hash: bytes, root_ref: bytes, fetch: smt.Fetch) -> None:
        """The tree of a committed version, its nodes read through ``fetch`` when first needed."""
        self._tree = call_native(surety_native.Tree, root_hash, root_ref, fetch)

    @property
    def root_hash(self) -> bytes:
        """The root hash (of the staged tree while a batch is staged)."""
        return self._tree.root_hash

    @property
    def staged(self) -> bool:
        """Whether a batch is staged."""
        return self._tree.staged

    def stage_hashes(self, key_hashes: list[bytes], value_hashes: list[bytes | None]) -> bytes:
        """Stage sorted key hashes and their value hashes (None = delete), replacing any stage; return the root."""
        return call_native(self._tree.stage, b"".join(key_hashes), value_hashes)

    def drop_stage(self) -> None:
        """Undo the staged batch, if any, restoring the committed tree."""
        self._tree.drop_stage()

    def commit_plan(self, version: int) -> CommitPlan:
        """What committing the stage as ``version`` writes (a batch must be staged)."""
        return CommitPlan(*self._tree.commit_plan(version))

    def mark_committed(self, version: int) -> None:
        """The planned stage is durable as ``version``."""
        self._tree.mark_committed(version)

    def prove(self, key_hash: bytes) -> tuple[smt.Leaf | None, Proof]:
        """The leaf of ``key_hash`` (or None) and its proof in the committed tree (nothing may be staged)."""
        leaf, masks, siblings, other_key_hash, other_value_hash = call_native(self._tree.prove, key_hash)
        return leaf, Proof(masks, siblings, other_key_hash=other_key_hash, other_value_hash=other_value_hash)


Tree = PythonTree | NativeTree


def call_native(function: Callable, *args):
    """``function(*args)``, with the native integrity error raised as :class:`smt.NodeIntegrityError`."""
    try:
        return function(*args)
    except surety_native.NodeIntegrityError as exc:
        raise smt.NodeIntegrityError(str(exc)) from exc


def pick_tree(name: str | None = None) -> str:
    """The tree to use: ``name``, else ``$SURETY_TREE``, else native when it is built, else python."""
    name = name or os.environ.get(TREE_ENV) or ("python" if surety_native is None else "native")
    if name not in TREE_NAMES:
        raise ValueError(f"unknown tree {name!r} (expected one of {', '.join(TREE_NAMES)})")
    if name == "native" and surety_native is None:
        raise ValueError("the native tree is not built (surety_native does not import)")
    return name


def open_tree(root_hash: bytes, root_ref: bytes, fetch: smt.Fetch, name: str | None = None) -> Tree:
    """The tree of a committed version (see :func:`pick_tree` for which implementation)."""
    kind = NativeTree if pick_tree(name) == "native" else PythonTree
    return kind(root_hash, root_ref, fetch)
