"""The authenticated tree behind the app hash: a 16-ary compressed sparse Merkle tree (Jellyfish-like).

Pure in-memory algorithms, node encoding and proof building; no I/O. The hashing rules live in
:mod:`suretychain.core.proof` so that a light client can verify proofs with that module alone.

Shape (a function of the key/value set only, never of the order of writes):

* The path of a key is the nibble string of ``sha256(key)``; a subtree at a prefix holding no key is empty,
  one key is a leaf, two or more keys is an internal node with 16 child slots (one per next nibble).
* So a leaf sits at the shortest prefix no other key shares; an internal node with one child exists only when
  that child is itself an internal node (two keys sharing a long prefix make a chain).

In-memory nodes are kept lean for speed:

* a leaf is a tuple ``(leaf_hash, key_hash, value_hash)``;
* an internal node is a list ``[node_hash, version, child_hashes, children]`` where ``version`` is the version
  that wrote it (None while only staged), ``child_hashes`` the 512 bytes it hashes, ``children`` a list of 16
  child nodes (None for an empty slot). ``child_hashes`` and ``children`` are None until loaded from the store.

Paths of internal nodes (their store keys, with the writing version) are lowercase hex strings of the prefix.
Leaves are stored inside their parent's encoding, so only internal nodes (and the root) have store rows.
"""
from __future__ import annotations

from bisect import bisect_left
from hashlib import sha256
from typing import Callable, Mapping, NamedTuple, Union

from suretychain.core.proof import (
    EMPTY_HASH,
    HASH_SIZE,
    LEAF_TAG,
    NODE_TAG,
    RADIX,
    Proof,
    compute_leaf_hash,
    compute_node_hash,
    compute_nibble,
)

Leaf = tuple  # (leaf_hash, key_hash, value_hash)
Internal = list  # [node_hash, version | None, child_hashes | None, children | None]
Node = Union[Leaf, Internal, None]
Loader = Callable[[Internal, str], None]  # fills an unloaded internal node, given its path

HEX_DIGITS = "0123456789abcdef"
NIBBLE_OF = {c: i for i, c in enumerate(HEX_DIGITS)}
PAST_HEX = "g"  # sorts after every hex digit: prefix + PAST_HEX bounds all keys under prefix
VERSION_SIZE = 8
ROOT_EMPTY = b""
ROOT_LEAF = b"L"
ROOT_NODE = b"N"


class NodeIntegrityError(Exception):
    """A stored node does not hash to the hash its parent records for it."""


class Batch(NamedTuple):
    """Writes sorted by key hash: hex of the key hash, key hash, value hash (None = delete)."""

    hexes: list[str]
    key_hashes: list[bytes]
    value_hashes: list[bytes | None]


def compute_batch(writes: Mapping[bytes, bytes | None]) -> Batch:
    """Hash and sort ``writes`` (None = delete) by key hash, ready for :func:`apply_batch`."""
    pairs = sorted([(sha256(key).digest(), value) for key, value in writes.items()], key=_first)
    key_hashes = [kh for kh, _ in pairs]
    value_hashes = [None if value is None else sha256(value).digest() for _, value in pairs]
    return Batch([kh.hex() for kh in key_hashes], key_hashes, value_hashes)


def _first(pair: tuple) -> bytes:
    """Sort key: the key hash of a (key_hash, value) pair."""
    return pair[0]


def compute_root_hash(root: Node) -> bytes:
    """The hash committing to the tree ``root`` (``EMPTY_HASH`` for the empty tree)."""
    return EMPTY_HASH if root is None else root[0]


def is_leaf(node: Node) -> bool:
    """Whether ``node`` is a leaf."""
    return node.__class__ is tuple


def make_leaf(key_hash: bytes, value_hash: bytes) -> Leaf:
    """A leaf for ``key_hash`` committing to ``value_hash``."""
    return (compute_leaf_hash(key_hash, value_hash), key_hash, value_hash)


def make_internal(children: list) -> Node:
    """The node over ``children``: collapsed to None or to a lone leaf, else a new (staged) internal node."""
    empties = children.count(None)
    if empties >= RADIX - 1:
        if empties == RADIX:
            return None
        only = next(c for c in children if c is not None)
        if only.__class__ is tuple:
            return only
    hashes = b"".join([EMPTY_HASH if c is None else c[0] for c in children])
    return [sha256(NODE_TAG + hashes).digest(), None, hashes, children]


def apply_batch(root: Node, batch: Batch, load: Loader) -> tuple[Node, list[tuple[int, str]]]:
    """Apply ``batch`` to the tree ``root`` without mutating it; return the new root and the stale node keys.

    One recursion over the affected paths: the sorted batch is split by nibble at each internal node, so a node
    shared by many writes is rebuilt and hashed once. Untouched subtrees are shared with the old tree.
    Stale node keys are ``(version, path)`` of committed internal nodes that the new tree no longer contains.
    """
    hexes, key_hashes, value_hashes = batch
    stale: list[tuple[int, str]] = []
    stale_append = stale.append
    sha = sha256
    node_tag, leaf_tag, empty_hash = NODE_TAG, LEAF_TAG, EMPTY_HASH

    def split_range(depth: int, lo: int, hi: int) -> list[tuple[int, int, int]]:
        """The runs of the batch slice [lo, hi) sharing the nibble at ``depth``: (nibble, start, end)."""
        if hi - lo == 1:
            return [(NIBBLE_OF[hexes[lo][depth]], lo, hi)]
        runs = []
        i = lo
        if hi - lo > 32:
            prefix = hexes[lo][:depth]
            while i < hi:
                c = hexes[i][depth]
                j = bisect_left(hexes, prefix + c + PAST_HEX, i, hi)
                runs.append((NIBBLE_OF[c], i, j))
                i = j
            return runs
        while i < hi:
            c = hexes[i][depth]
            j = i + 1
            while j < hi and hexes[j][depth] == c:
                j += 1
            runs.append((NIBBLE_OF[c], i, j))
            i = j
        return runs

    def new_leaf(i: int) -> Leaf:
        """The leaf written by batch entry ``i``."""
        kh, vh = key_hashes[i], value_hashes[i]
        return (sha(leaf_tag + kh + vh).digest(), kh, vh)

    def build(depth: int, lo: int, hi: int, extra: Leaf | None) -> Node:
        """The subtree at ``depth`` holding the live writes of [lo, hi) plus the leaf ``extra`` (if any)."""
        if hi - lo == 1 and extra is None:
            return None if value_hashes[lo] is None else new_leaf(lo)
        live = hi - lo - value_hashes[lo:hi].count(None)
        if live == 0:
            return extra
        if live == 1 and extra is None:
            return new_leaf(next(i for i in range(lo, hi) if value_hashes[i] is not None))
        children: list = [None] * RADIX
        if extra is not None:
            children[compute_nibble(extra[1], depth)] = extra
        for nibble, i, j in split_range(depth, lo, hi):
            children[nibble] = build(depth + 1, i, j, children[nibble])
        return make_internal(children)

    def merge_leaf(leaf: Leaf, depth: int, lo: int, hi: int) -> Node:
        """The subtree that held only ``leaf`` after the writes [lo, hi)."""
        kh = leaf[1]
        if hi - lo == 1:
            vh = value_hashes[lo]
            if key_hashes[lo] == kh:
                if vh is None:
                    return None
                return leaf if vh == leaf[2] else new_leaf(lo)
            return leaf if vh is None else build(depth, lo, hi, leaf)
        k = bisect_left(key_hashes, kh, lo, hi)
        if k < hi and key_hashes[k] == kh:
            return build(depth, lo, hi, None)
        return build(depth, lo, hi, leaf)

    def update_one(top: Node, depth: int, i: int) -> Node:
        """The subtree ``top`` at ``depth`` after the single write ``i`` (the common case deep in the tree).

        Iterative: walk down to the leaf or empty slot, apply the write there, then rebuild the path upwards.
        """
        hexpath = hexes[i]
        path: list = []
        node = top
        while node.__class__ is list:
            children = node[3]
            if children is None:
                load(node, hexpath[:depth])
                children = node[3]
            nibble = NIBBLE_OF[hexpath[depth]]
            path.append((node, nibble))
            node = children[nibble]
            depth += 1
        if node is None:
            if value_hashes[i] is None:
                return top
            new = new_leaf(i)
        else:
            new = merge_leaf(node, depth, i, i + 1)
            if new is node:
                return top
        old = node
        for node, nibble in reversed(path):
            depth -= 1
            if node[1] is not None:
                stale_append((node[1], hexpath[:depth]))
            new_children = node[3].copy()
            new_children[nibble] = new
            if new is None or (new.__class__ is tuple and old.__class__ is list):
                old, new = node, make_internal(new_children)
                continue
            child_hashes = node[2]
            offset = nibble << 5
            child_hashes = child_hashes[:offset] + new[0] + child_hashes[offset + 32:]
            old, new = node, [sha(node_tag + child_hashes).digest(), None, child_hashes, new_children]
        return new

    def update(node: Node, depth: int, lo: int, hi: int) -> Node:
        """The subtree ``node`` at ``depth`` after the writes [lo, hi)."""
        if hi - lo == 1:
            return update_one(node, depth, lo)
        if node is None:
            return build(depth, lo, hi, None)
        if node.__class__ is tuple:
            return merge_leaf(node, depth, lo, hi)
        children = node[3]
        if children is None:
            load(node, hexes[lo][:depth])
            children = node[3]
        new_children = None
        hashes = None
        for nibble, i, j in split_range(depth, lo, hi):
            old = children[nibble]
            new = update(old, depth + 1, i, j)
            if new is old or (new is not None and old is not None and new[0] == old[0]):
                continue
            if new_children is None:
                new_children = children.copy()
                hashes = bytearray(node[2])
            new_children[nibble] = new
            hashes[nibble << 5:(nibble << 5) + 32] = empty_hash if new is None else new[0]
        if new_children is None:
            return node
        if node[1] is not None:
            stale.append((node[1], hexes[lo][:depth]))
        if new_children.count(None) >= RADIX - 1:
            return make_internal(new_children)
        return [sha(node_tag + hashes).digest(), None, hashes, new_children]

    if not hexes:
        return root, stale
    new_root = update(root, 0, 0, len(hexes))
    if new_root is not root and root is not None and new_root is not None and new_root[0] == root[0]:
        return root, stale
    return new_root, stale


def build_tree(items: Mapping[bytes, bytes]) -> Node:
    """The tree holding exactly ``items`` (key -> value), built from scratch."""
    return apply_batch(None, compute_batch(items), _no_loader)[0]


def _no_loader(node: Internal, path: str) -> None:
    """Loader for trees that live wholly in memory."""
    raise NodeIntegrityError(f"node at {path!r} is not loaded")


def ensure_loaded(node: Internal, path: str, load: Loader) -> list:
    """The children of the internal ``node`` at ``path``, loading them if needed."""
    if node[3] is None:
        load(node, path)
    return node[3]


def compute_proof(root: Node, key_hash: bytes, load: Loader) -> tuple[Leaf | None, Proof]:
    """Walk ``key_hash``'s path; return the key's leaf (or None) and a (non-)membership proof for it."""
    masks: list[int] = []
    siblings: list[bytes] = []
    hexpath = key_hash.hex()
    node = root
    depth = 0
    while node.__class__ is list:
        children = ensure_loaded(node, hexpath[:depth], load)
        own = compute_nibble(key_hash, depth)
        mask = 0
        for nibble, child in enumerate(children):
            if child is not None and nibble != own:
                mask |= 1 << nibble
                siblings.append(child[0])
        masks.append(mask)
        node = children[own]
        depth += 1
    if node is None:
        return None, Proof(masks, siblings)
    if node[1] == key_hash:
        return node, Proof(masks, siblings)
    return None, Proof(masks, siblings, other_key_hash=node[1], other_value_hash=node[2])


def find_leaf(root: Node, key_hash: bytes, load: Loader) -> Leaf | None:
    """The leaf of ``key_hash`` in the tree ``root`` (None if absent)."""
    hexpath = key_hash.hex()
    node = root
    depth = 0
    while node.__class__ is list:
        node = ensure_loaded(node, hexpath[:depth], load)[compute_nibble(key_hash, depth)]
        depth += 1
    if node is not None and node[1] == key_hash:
        return node
    return None


def collect_staged_nodes(root: Node) -> list[tuple[str, Internal]]:
    """The internal nodes of ``root`` not yet committed (version None), with their paths, parents first."""
    staged: list[tuple[str, Internal]] = []
    if root.__class__ is list and root[1] is None:
        stack = [("", root)]
        while stack:
            path, node = stack.pop()
            staged.append((path, node))
            for nibble, child in enumerate(node[3]):
                if child.__class__ is list and child[1] is None:
                    stack.append((path + HEX_DIGITS[nibble], child))
    return staged


def encode_internal(node: Internal, version: int) -> bytes:
    """Store encoding of an internal node; staged children are referenced at ``version``.

    Layout: present mask (2 bytes) | leaf mask (2 bytes) | per present child in nibble order:
    leaf -> key_hash | value_hash, internal -> node_hash | version (8 bytes big-endian).
    """
    present = 0
    leaves = 0
    parts: list[bytes] = []
    for nibble, child in enumerate(node[3]):
        if child is None:
            continue
        present |= 1 << nibble
        if child.__class__ is tuple:
            leaves |= 1 << nibble
            parts.append(child[1])
            parts.append(child[2])
        else:
            child_version = version if child[1] is None else child[1]
            parts.append(child[0])
            parts.append(child_version.to_bytes(VERSION_SIZE, "big"))
    return present.to_bytes(2, "big") + leaves.to_bytes(2, "big") + b"".join(parts)


def decode_internal_into(node: Internal, data: bytes) -> None:
    """Fill the unloaded ``node`` from its store encoding, checking it hashes to ``node[0]``."""
    present = int.from_bytes(data[0:2], "big")
    leaves = int.from_bytes(data[2:4], "big")
    children: list = [None] * RADIX
    pos = 4
    for nibble in range(RADIX):
        if not present >> nibble & 1:
            continue
        first = data[pos:pos + HASH_SIZE]
        if leaves >> nibble & 1:
            value_hash = data[pos + HASH_SIZE:pos + 2 * HASH_SIZE]
            children[nibble] = make_leaf(first, value_hash)
            pos += 2 * HASH_SIZE
        else:
            version = int.from_bytes(data[pos + HASH_SIZE:pos + HASH_SIZE + VERSION_SIZE], "big")
            children[nibble] = [first, version, None, None]
            pos += HASH_SIZE + VERSION_SIZE
    hashes = b"".join([EMPTY_HASH if c is None else c[0] for c in children])
    # The stored node is the one its parent committed to
    if pos != len(data) or compute_node_hash(hashes) != node[0]:
        raise NodeIntegrityError("stored node does not match its hash")
    node[2] = hashes
    node[3] = children


def encode_root(root: Node, version: int) -> bytes:
    """Reference to the root kept with a version: empty, an inline leaf, or the version of the root node."""
    if root is None:
        return ROOT_EMPTY
    if root.__class__ is tuple:
        return ROOT_LEAF + root[1] + root[2]
    return ROOT_NODE + (version if root[1] is None else root[1]).to_bytes(VERSION_SIZE, "big")


def decode_root(ref: bytes, root_hash: bytes) -> Node:
    """The (unloaded) root from :func:`encode_root`'s reference and the version's root hash."""
    if ref == ROOT_EMPTY:
        return None
    if ref[:1] == ROOT_LEAF:
        return make_leaf(ref[1:1 + HASH_SIZE], ref[1 + HASH_SIZE:])
    return [root_hash, int.from_bytes(ref[1:], "big"), None, None]


def set_committed_version(staged: list[tuple[str, Internal]], version: int) -> None:
    """Mark staged nodes as written by ``version`` once their commit is durable."""
    for _, node in staged:
        node[1] = version
