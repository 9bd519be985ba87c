"""The stored K-ary sum trees (one per court) over jurors' subtree stakes, with copy-on-write snapshots.

A node is addressed by (level from the bottom, index within the level): leaves are level 0 and the parent of
(l, i) is (l + 1, i // K), so growing the tree only adds a root level. Leaves hold (weight, juror); internal nodes
hold the sum of their K children. Each node is stored in versions, one per *snapshot epoch* that wrote it, under
``tree | court | level | index | 2^64-1-epoch``: a forward range over K children yields, per child, its newest
version first. Opening a round freezes the court's current epoch (``open_snapshot``); later writes go to the next
epoch, so the round reads its tree as of its opening. A write drops older versions that no open snapshot reads.
"""
from __future__ import annotations

import hashlib

import msgspec

from suretychain.core.context import Context
from suretychain.modules.court.keeper import CourtKeeper
from suretychain.modules.court.keys import MAX_EPOCH
from suretychain.modules.court.types import TreeMeta

K = 16
DRAW_DOMAIN = b"surety/court-draw/v1\x00"
EMPTY = (0, b"")


def compute_draw_value(seed: bytes, dispute_id: int, round_index: int, nonce: int, total: int) -> int:
    """A value in [0, total) from the beacon seed; 64 extra bits make the modulo bias below 2^-64 per draw."""
    digest = hashlib.sha512(DRAW_DOMAIN + seed + dispute_id.to_bytes(8, "big") + round_index.to_bytes(4, "big")
                            + nonce.to_bytes(8, "big")).digest()
    return int.from_bytes(digest, "big") % total


def compute_capacity(height: int) -> int:
    """Leaves a tree of ``height`` levels holds."""
    return K ** (height - 1) if height else 0


def is_version_needed(epoch: int, newer_epoch: int, open_epochs: list[int]) -> bool:
    """A version written at ``epoch`` and replaced at ``newer_epoch`` is read by open snapshots in between."""
    return any(epoch <= s < newer_epoch for s in open_epochs)


# ---- reads ---------------------------------------------------------------------------------------------------------
def get_node(keeper: CourtKeeper, ctx: Context, court_id: int, level: int, index: int,
             epoch: int = MAX_EPOCH) -> tuple[int, bytes]:
    """(weight, juror) of a node as of ``epoch`` (the newest version at or before it); (0, b"") if none."""
    for version, weight, juror in keeper.get_node_versions(ctx, court_id, level, index):
        if version <= epoch:
            return weight, juror
    return EMPTY


def get_children(keeper: CourtKeeper, ctx: Context, court_id: int, level: int, first: int,
                 epoch: int) -> list[tuple[int, bytes]]:
    """Nodes ``first`` .. ``first + K - 1`` of ``level`` as of ``epoch``, in one range read."""
    children = [EMPTY] * K
    found = [False] * K
    for index, version, weight, juror in keeper.iter_node_range(ctx, court_id, level, first, first + K):
        slot = index - first
        if version <= epoch and not found[slot]:
            children[slot], found[slot] = (weight, juror), True
    return children


def get_tree_total(keeper: CourtKeeper, ctx: Context, court_id: int) -> int:
    """The court's current total stake (its root)."""
    meta = keeper.get_tree_meta(ctx, court_id)
    return get_node(keeper, ctx, court_id, meta.height - 1, 0)[0] if meta.height else 0


# ---- writes --------------------------------------------------------------------------------------------------------
def add_to_node(keeper: CourtKeeper, ctx: Context, meta: TreeMeta, level: int, index: int, delta: int,
                juror: bytes = b"") -> int:
    """Add ``delta`` to a node at the current epoch (a leaf with weight 0 drops its juror); return its weight.
    Older versions that no open snapshot reads are deleted."""
    versions = keeper.get_node_versions(ctx, meta.court, level, index)
    weight = (versions[0][1] if versions else 0) + delta
    keeper.set_node_version(ctx, meta.court, level, index, meta.epoch, weight, juror if weight else b"")
    newer = meta.epoch
    for epoch, _, _ in versions:
        if epoch != meta.epoch and not is_version_needed(epoch, newer, meta.open_epochs):
            keeper.delete_node_version(ctx, meta.court, level, index, epoch)
        newer = epoch
    return weight


def grow_tree(keeper: CourtKeeper, ctx: Context, meta: TreeMeta) -> TreeMeta:
    """Add a root level above the current root: no node is re-indexed."""
    if meta.height:
        root = get_node(keeper, ctx, meta.court, meta.height - 1, 0)[0]
        add_to_node(keeper, ctx, meta, meta.height, 0, root)
    return msgspec.structs.replace(meta, height=meta.height + 1)


def allocate_leaf(keeper: CourtKeeper, ctx: Context, meta: TreeMeta) -> tuple[int, TreeMeta]:
    """The lowest free leaf, or a new one at the end (growing the tree when it is full)."""
    free = keeper.pop_free_leaf(ctx, meta.court)
    if free is not None:
        return free, meta
    index = meta.leaves
    meta = msgspec.structs.replace(meta, leaves=index + 1)
    while index >= compute_capacity(meta.height):
        meta = grow_tree(keeper, ctx, meta)
    return index, meta


def add_juror_weight(keeper: CourtKeeper, ctx: Context, court_id: int, juror: bytes, delta: int) -> None:
    """Change the juror's leaf in the court's tree by ``delta`` and every sum above it: O(log_K n) nodes. A leaf
    whose weight reaches 0 is freed for reuse."""
    meta = keeper.get_tree_meta(ctx, court_id)
    index = keeper.get_leaf_of(ctx, court_id, juror)
    if index is None:
        index, meta = allocate_leaf(keeper, ctx, meta)
        keeper.set_leaf_of(ctx, court_id, juror, index)
    if add_to_node(keeper, ctx, meta, 0, index, delta, juror) == 0:
        keeper.delete_leaf_of(ctx, court_id, juror)
        keeper.add_free_leaf(ctx, court_id, index)
    for level in range(1, meta.height):
        add_to_node(keeper, ctx, meta, level, index // K ** level, delta)
    keeper.set_tree_meta(ctx, meta)


# ---- snapshots -----------------------------------------------------------------------------------------------------
def open_snapshot(keeper: CourtKeeper, ctx: Context, court_id: int) -> tuple[int, int]:
    """Freeze the court's tree as it is: return (epoch, height); later writes go to the next epoch."""
    meta = keeper.get_tree_meta(ctx, court_id)
    keeper.set_tree_meta(ctx, msgspec.structs.replace(meta, epoch=meta.epoch + 1,
                                                      open_epochs=[*meta.open_epochs, meta.epoch]))
    return meta.epoch, meta.height


def close_snapshot(keeper: CourtKeeper, ctx: Context, court_id: int, epoch: int) -> None:
    """The round no longer reads its snapshot (its versions are dropped by later writes)."""
    meta = keeper.get_tree_meta(ctx, court_id)
    epochs = list(meta.open_epochs)
    epochs.remove(epoch)
    keeper.set_tree_meta(ctx, msgspec.structs.replace(meta, open_epochs=epochs))


# ---- the draw ------------------------------------------------------------------------------------------------------
class SnapshotView:
    """A round's read of its court tree at its epoch, with leaves removed for this draw only (never written)."""

    def __init__(self, keeper: CourtKeeper, ctx: Context, court_id: int, epoch: int, height: int) -> None:
        self.keeper, self.ctx, self.court, self.epoch, self.height = keeper, ctx, court_id, epoch, height
        self.removed: dict[tuple[int, int], int] = {}  # (level, index) -> weight removed below it
        self.root = get_node(keeper, ctx, court_id, height - 1, 0, epoch)[0] if height else 0

    @property
    def total(self) -> int:
        return self.root - self.removed.get((self.height - 1, 0), 0)

    def weight(self, level: int, index: int, stored: int) -> int:
        return stored - self.removed.get((level, index), 0)

    def find(self, value: int) -> tuple[int, int, bytes]:
        """(leaf index, weight, juror) whose cumulative range holds ``value`` (0 <= value < total): one range
        read of K children per level."""
        index, node = 0, get_node(self.keeper, self.ctx, self.court, 0, 0, self.epoch) if self.height == 1 else EMPTY
        for level in range(self.height - 1, 0, -1):
            children = get_children(self.keeper, self.ctx, self.court, level - 1, index * K, self.epoch)
            for slot, child in enumerate(children):
                weight = self.weight(level - 1, index * K + slot, child[0])
                if value < weight:
                    break
                value -= weight
            index, node = index * K + slot, child
        return index, self.weight(0, index, node[0]), node[1]

    def remove(self, leaf: int, weight: int) -> None:
        """Take the leaf out of this draw (its weight out of every sum above it)."""
        for level in range(self.height):
            key = (level, leaf // K ** level)
            self.removed[key] = self.removed.get(key, 0) + weight


# ---- genesis and invariants ----------------------------------------------------------------------------------------
def build_tree(keeper: CourtKeeper, ctx: Context, court_id: int, weights: list[tuple[bytes, int]]) -> None:
    """Lay out a fresh tree at epoch 0 from (juror, weight) pairs in order, level by level (a fresh genesis)."""
    level = []
    for index, (juror, weight) in enumerate(weights):
        keeper.set_node_version(ctx, court_id, 0, index, 0, weight, juror)
        keeper.set_leaf_of(ctx, court_id, juror, index)
        level.append(weight)
    height = 1 if level else 0
    while len(level) > 1:
        level = [sum(level[i:i + K]) for i in range(0, len(level), K)]
        for index, weight in enumerate(level):
            keeper.set_node_version(ctx, court_id, height, index, 0, weight)
        height += 1
    keeper.set_tree_meta(ctx, TreeMeta(court=court_id, leaves=len(weights), height=height))


def get_current_nodes(keeper: CourtKeeper, ctx: Context, court_id: int) -> dict[tuple[int, int], tuple[int, bytes]]:
    """The newest version of every node of the court's tree."""
    nodes: dict[tuple[int, int], tuple[int, bytes]] = {}
    for _, level, index, _, weight, juror in keeper.iter_tree_nodes(ctx, court_id):
        nodes.setdefault((level, index), (weight, juror))
    return nodes


def check_tree(keeper: CourtKeeper, ctx: Context, court_id: int, stakes: dict[bytes, int]) -> str | None:
    """The court's current leaves are the subtree ``stakes`` (and its leaf index), each internal node is the sum
    of its children, and the root is the total."""
    meta = keeper.get_tree_meta(ctx, court_id)
    nodes = get_current_nodes(keeper, ctx, court_id)
    leaves = {juror: (index, nodes.get((0, index), EMPTY)[0]) for juror, index in keeper.iter_leaves_of(ctx, court_id)}
    if {j: w for j, (_, w) in leaves.items()} != stakes:
        return f"court {court_id}: tree leaves != subtree stakes"
    if any(nodes.get((0, i), EMPTY) != (w, j) for j, (i, w) in leaves.items()):
        return f"court {court_id}: a leaf does not name its juror"
    free = set(keeper.iter_free_leaves(ctx, court_id))
    if free != {i for i in range(meta.leaves) if nodes.get((0, i), EMPTY)[0] == 0}:
        return f"court {court_id}: free leaves != empty leaves"
    for (level, index), (weight, _) in nodes.items():
        if level >= meta.height or (level == 0 and index >= meta.leaves):
            return f"court {court_id}: node ({level}, {index}) outside the tree"
        if level and weight != sum(nodes.get((level - 1, index * K + s), EMPTY)[0] for s in range(K)):
            return f"court {court_id}: node ({level}, {index}) != the sum of its children"
    total = nodes.get((meta.height - 1, 0), EMPTY)[0] if meta.height else 0
    return None if total == sum(stakes.values()) else f"court {court_id}: tree total != sum of subtree stakes"
