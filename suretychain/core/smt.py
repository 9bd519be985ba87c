"""The authenticated tree behind the app hash: a 16-ary compressed sparse Merkle tree (Jellyfish-like).

Pure in-memory algorithms, node encoding and proof building; no I/O (reading a stored node is a ``fetch``
callback the store passes in). The hashing rules live in :mod:`suretychain.core.proof`, so that a light client can
verify proofs with that module alone. ``docs/state-commitment.md`` is the full description.

Shape (a function of the key/value set only, never of the order of writes):

* The path of a key is the nibble string of ``sha256(key)``; a subtree at a prefix holding no key is empty,
  one key is a leaf, two or more keys is an internal node with 16 child slots (one per next nibble).
* So a leaf sits at the shortest prefix no other key shares; an internal node with one child exists only when
  that child is itself an internal node (keys sharing a long prefix make a chain).

In memory the tree is kept lean, because Python pays for every object and every instruction:

* A leaf is a tuple ``(leaf_hash, key_hash, value_hash)``. Inside the tree leaves are not objects of their own:
  an internal node keeps its leaf children inline (as the store does).
* An internal node is a list ``[node_hash, version, body, mask, leaf_mask, leaf_data, kids]``:

  - ``version``: the version that wrote it; None while a staged batch has created or changed it;
  - ``body``: what it hashes after ``NODE_TAG``: ``mask`` (2 bytes, big-endian), then the hashes of its
    non-empty children in nibble order;
  - ``mask`` / ``leaf_mask``: bit ``i`` set when child ``i`` is non-empty / is a leaf;
  - ``leaf_data``: ``key_hash || value_hash`` of each leaf child, in nibble order;
  - ``kids``: the internal children (node lists), in nibble order.

  A node read from the store starts as a stub ``[node_hash, version, None, 0, 0, None, None]`` and is filled
  on first use.

A batch changes the nodes on its paths *in place* and logs their old fields, so that it can be rolled back (a
staged block that is not committed) and so that a parent keeps its children list and only replaces one hash.

Paths (the store key of an internal node, with its version) are lowercase hex strings of the nibble prefix.
"""
from __future__ import annotations

from bisect import bisect_left
from hashlib import sha256
from operator import itemgetter
from typing import Callable, Mapping, NamedTuple, Union

from suretychain.core.proof import (
    EMPTY_HASH,
    HASH_SIZE,
    LEAF_TAG,
    NODE_TAG,
    RADIX,
    Proof,
    compute_leaf_hash,
    compute_nibble,
    compute_node_hash,
)

NODE_FIELDS = 7
Leaf = tuple  # (leaf_hash, key_hash, value_hash)
Internal = list  # [node_hash, version, body, mask, leaf_mask, leaf_data, kids]
Node = Union[Leaf, Internal, None]
Fetch = Callable[[int, str], "bytes | None"]  # (version, path) -> stored encoding of that internal node

HEX_DIGITS = "0123456789abcdef"
NIBBLE_OF = {c: i for i, c in enumerate(HEX_DIGITS)}
PAST_HEX = "g"  # sorts after every hex digit: prefix + PAST_HEX bounds all paths under prefix
KEY_HASH_BITS = 8 * HASH_SIZE
LEAF_DATA_SIZE = 2 * HASH_SIZE
VERSION_SIZE = 8
ROOT_EMPTY = b""
ROOT_LEAF = b"L"
ROOT_NODE = b"N"


class NodeIntegrityError(Exception):
    """A stored node is missing, malformed, or does not hash to what its parent records for it."""


class Batch(NamedTuple):
    """Writes sorted by key hash: hex of the key hash, key hash, value hash (None = delete)."""

    hexes: list[str]
    key_hashes: list[bytes]
    value_hashes: list[bytes | None]


def hash_writes(writes: Mapping[bytes, bytes | None]) -> tuple[list[bytes], list[bytes | None]]:
    """The key hashes of ``writes`` in sorted order and the value hash of each (None = delete)."""
    sha = sha256
    pairs = [(sha(key).digest(), value) for key, value in writes.items()]
    pairs.sort(key=itemgetter(0))
    return [kh for kh, _ in pairs], [None if value is None else sha(value).digest() for _, value in pairs]


def make_batch(key_hashes: list[bytes], value_hashes: list[bytes | None]) -> Batch:
    """The batch of sorted ``key_hashes`` and their value hashes (None = delete), ready for :func:`apply_batch`."""
    return Batch([kh.hex() for kh in key_hashes], key_hashes, value_hashes)


def compute_batch(writes: Mapping[bytes, bytes | None]) -> Batch:
    """Hash and sort ``writes`` (None = delete) by key hash, ready for :func:`apply_batch`."""
    return make_batch(*hash_writes(writes))


def compute_root_hash(root: Node) -> bytes:
    """The hash committing to the tree ``root`` (``EMPTY_HASH`` for the empty tree)."""
    return EMPTY_HASH if root is None else root[0]


def make_leaf(key_hash: bytes, value_hash: bytes) -> Leaf:
    """A leaf for ``key_hash`` committing to ``value_hash``."""
    return (compute_leaf_hash(key_hash, value_hash), key_hash, value_hash)


def make_stub(node_hash: bytes, version: int) -> Internal:
    """An internal node known only by hash and version, filled from the store on first use."""
    return [node_hash, version, None, 0, 0, None, None]


def make_internal(children: list) -> Internal:
    """A new (staged) internal node over 16 child slots (None, a leaf or an internal node each)."""
    mask = leaf_mask = 0
    hashes: list[bytes] = []
    leaf_parts: list[bytes] = []
    kids: list = []
    for nibble, child in enumerate(children):
        if child is None:
            continue
        mask |= 1 << nibble
        hashes.append(child[0])
        if child.__class__ is tuple:
            leaf_mask |= 1 << nibble
            leaf_parts.append(child[1])
            leaf_parts.append(child[2])
        else:
            kids.append(child)
    body = mask.to_bytes(2, "big") + b"".join(hashes)
    return [sha256(NODE_TAG + body).digest(), None, body, mask, leaf_mask, b"".join(leaf_parts), kids]


def get_leaf(node: Internal, bit: int) -> Leaf:
    """The leaf child of ``node`` in the slot ``bit`` (which must hold a leaf)."""
    body_at = 2 + ((node[3] & (bit - 1)).bit_count() << 5)
    data_at = (node[4] & (bit - 1)).bit_count() << 6
    data = node[5]
    return (node[2][body_at:body_at + 32], data[data_at:data_at + 32], data[data_at + 32:data_at + 64])


def get_child(node: Internal, bit: int) -> Node:
    """The child of the (loaded) ``node`` in the slot ``bit``: None, a leaf or an internal node."""
    if node[4] & bit:
        return get_leaf(node, bit)
    if node[3] & bit:
        return node[6][((node[3] & ~node[4]) & (bit - 1)).bit_count()]
    return None


def replace_child(node: Internal, bit: int, new: Node) -> tuple:
    """The fields ``(body, mask, leaf_mask, leaf_data, kids)`` of ``node`` once slot ``bit`` holds ``new``."""
    body, mask, leaf_mask, leaf_data, kids = node[2], node[3], node[4], node[5], node[6]
    at = 2 + ((mask & (bit - 1)).bit_count() << 5)
    if mask & bit:
        body = body[:at] + body[at + 32:]
        if leaf_mask & bit:
            data_at = (leaf_mask & (bit - 1)).bit_count() << 6
            leaf_data = leaf_data[:data_at] + leaf_data[data_at + 64:]
            leaf_mask &= ~bit
        else:
            kids = kids.copy()
            del kids[((mask & ~leaf_mask) & (bit - 1)).bit_count()]
        mask &= ~bit
    if new is None:
        return mask.to_bytes(2, "big") + body[2:], mask, leaf_mask, leaf_data, kids
    mask |= bit
    body = mask.to_bytes(2, "big") + body[2:at] + new[0] + body[at:]
    if new.__class__ is tuple:
        data_at = (leaf_mask & (bit - 1)).bit_count() << 6
        leaf_data = leaf_data[:data_at] + new[1] + new[2] + leaf_data[data_at:]
        leaf_mask |= bit
    else:
        if kids is node[6]:
            kids = kids.copy()
        kids.insert(((mask & ~leaf_mask) & (bit - 1)).bit_count(), new)
    return body, mask, leaf_mask, leaf_data, kids


def collapse(node: Internal) -> Node:
    """What a changed ``node`` left with no child or a lone leaf becomes (None or that leaf); else ``node``."""
    mask = node[3]
    if mask & (mask - 1) or (mask and not node[4]):
        return node
    if mask == 0:
        return None
    return (node[2][2:34], node[5][:32], node[5][32:64])


UNDO_RECORD = 1 + NODE_FIELDS  # the node, then its fields before the change


class StagedBatch(NamedTuple):
    """A batch applied in place: the new root, what went stale, and the log to undo it.

    Both logs are flat lists (no container per entry, so that a batch leaves nothing for the garbage collector):
    ``stale`` is ``version, path, version, path, ...`` of stored nodes the new tree no longer contains;
    ``undo`` is records of ``UNDO_RECORD`` entries: a changed node, then its fields before the change.
    """

    root: Node
    stale: list
    undo: list


def list_stale(staged: StagedBatch) -> list[tuple[int, str]]:
    """The ``(version, path)`` keys of the stored nodes that ``staged`` made stale."""
    return list(zip(staged.stale[0::2], staged.stale[1::2]))


def rollback(staged: StagedBatch) -> None:
    """Restore every node ``staged`` changed in place, newest change first."""
    undo = staged.undo
    for at in range(len(undo) - UNDO_RECORD, -1, -UNDO_RECORD):
        undo[at][:] = undo[at + 1:at + UNDO_RECORD]
    undo.clear()


def touch(node: Internal, path: str, stale: list, undo: list) -> None:
    """Before a batch first changes the stored ``node`` at ``path``: log its fields for undo, mark it stale."""
    undo.append(node)
    undo.extend(node)
    stale.append(node[1])
    stale.append(path)
    node[1] = None


def build_subtree(batch: Batch, depth: int, lo: int, hi: int, extra: Leaf | None) -> Node:
    """A new subtree at ``depth`` holding the live writes ``batch[lo:hi]`` plus the leaf ``extra``, if any."""
    hexes, key_hashes, value_hashes = batch
    live = hi - lo - value_hashes[lo:hi].count(None)
    if live + (extra is not None) < 2:
        if live == 0:
            return extra
        i = next(i for i in range(lo, hi) if value_hashes[i] is not None)
        return make_leaf(key_hashes[i], value_hashes[i])
    children: list = [None] * RADIX
    if extra is not None:
        children[compute_nibble(extra[1], depth)] = extra
    i = lo
    while i < hi:
        j = bisect_left(hexes, hexes[i][:depth + 1] + PAST_HEX, i, hi)
        nibble = NIBBLE_OF[hexes[i][depth]]
        children[nibble] = build_subtree(batch, depth + 1, i, j, children[nibble])
        i = j
    return make_internal(children)


def merge_into_leaf(batch: Batch, leaf: Leaf, depth: int) -> Node:
    """The tree (rooted at ``depth``) that held only ``leaf``, after all of ``batch``."""
    key_hashes = batch.key_hashes
    at = bisect_left(key_hashes, leaf[1])
    if at < len(key_hashes) and key_hashes[at] == leaf[1]:
        return build_subtree(batch, depth, 0, len(key_hashes), None)
    return build_subtree(batch, depth, 0, len(key_hashes), leaf)


def apply_batch(root: Node, batch: Batch, fetch: Fetch) -> StagedBatch:
    """Apply ``batch`` to the tree ``root`` in place, logging how to undo it; return the new root.

    Every node of ``root`` must carry its version (be committed): a node whose version is None is one this
    batch created or changed. On any error the batch is rolled back before the error propagates.
    """
    stale: list = []
    undo: list = []
    if not batch.hexes:
        return StagedBatch(root, stale, undo)
    if root is None:
        return StagedBatch(build_subtree(batch, 0, 0, len(batch.hexes), None), stale, undo)
    if root.__class__ is tuple:
        return StagedBatch(merge_into_leaf(batch, root, 0), stale, undo)
    try:
        return StagedBatch(apply_to_internal(root, batch, fetch, stale, undo), stale, undo)
    except BaseException:
        rollback(StagedBatch(root, stale, undo))
        raise


def apply_to_internal(root: Internal, batch: Batch, fetch: Fetch, stale: list, undo: list) -> Node:
    """Apply the sorted ``batch`` to the internal ``root``; return the new root (``root``, a leaf or None).

    One pass over the writes in key-hash order with a stack holding the path of the previous write: a write
    closes the nodes of that path it does not share, walks down from the deepest shared node to its slot, and
    changes the last node there. Closing a changed node rehashes it and puts its hash in its parent's body, so a
    node shared by many writes is hashed once per batch, and each write costs only the nodes below the part of
    its path it shares with the previous write (O(k log N) hashes for k writes into N keys, never O(N)).
    This is the hot loop of block processing: it stays in one function, with the common case (a leaf's value
    changes) inlined, because a Python call per write or per node costs measurably.
    """
    hexes, key_hashes, value_hashes = batch
    stale_append, undo_append, undo_extend = stale.append, undo.append, undo.extend
    sha, node_tag, leaf_tag, nibble_of = sha256, NODE_TAG, LEAF_TAG, NIBBLE_OF
    stack = [root]
    previous = int.from_bytes(key_hashes[0], "big")
    previous_hex = hexes[0]
    for i, hexpath in enumerate(hexes):
        key_hash = key_hashes[i]
        current = int.from_bytes(key_hash, "big")
        shared = (KEY_HASH_BITS - (previous ^ current).bit_length()) >> 2  # nibbles in common
        while len(stack) > shared + 1:
            close_top(stack, previous_hex, stale, undo)
        previous, previous_hex = current, hexpath
        # Walk down to the node whose slot holds the key's leaf (or would)
        node = stack[-1]
        depth = len(stack) - 1
        while True:
            if node[2] is None:
                decode_internal_into(node, hexpath[:depth], fetch(node[1], hexpath[:depth]))
            bit = 1 << nibble_of[hexpath[depth]]
            mask = node[3]
            if node[4] & bit or not mask & bit:
                break
            node = node[6][((mask & ~node[4]) & (bit - 1)).bit_count()]
            stack.append(node)
            depth += 1
        value_hash = value_hashes[i]
        if node[4] & bit:
            data = node[5]
            data_at = (node[4] & (bit - 1)).bit_count() << 6
            if data[data_at:data_at + 32] == key_hash and value_hash is not None:
                if data[data_at + 32:data_at + 64] == value_hash:
                    continue
                # Common case: a leaf's value changes; its node is rehashed when closed
                if node[1] is not None:
                    undo_append(node)
                    undo_extend(node)
                    stale_append(node[1])
                    stale_append(hexpath[:depth])
                    node[1] = None
                body = node[2]
                at = 2 + ((node[3] & (bit - 1)).bit_count() << 5)
                node[2] = body[:at] + sha(leaf_tag + key_hash + value_hash).digest() + body[at + 32:]
                node[5] = data[:data_at + 32] + value_hash + data[data_at + 64:]
                continue
        write_slot(node, bit, depth, i, batch, stale, undo)
    while len(stack) > 1:
        close_top(stack, previous_hex, stale, undo)
    if root[1] is not None:
        return root
    new_root = collapse(root)
    if new_root is root:
        root[0] = sha(node_tag + root[2]).digest()
    return new_root


def close_top(stack: list, hexpath: str, stale: list, undo: list) -> None:
    """Pop the node on top of ``stack`` (on ``hexpath``); if it changed, rehash it into its parent."""
    node = stack.pop()
    if node[1] is not None:
        return
    depth = len(stack)
    parent = stack[-1]
    if parent[1] is not None:
        touch(parent, hexpath[:depth - 1], stale, undo)
    bit = 1 << NIBBLE_OF[hexpath[depth - 1]]
    replacement = collapse(node)
    if replacement is not node:
        parent[2:7] = replace_child(parent, bit, replacement)
        return
    node[0] = node_hash = sha256(NODE_TAG + node[2]).digest()
    body = parent[2]
    at = 2 + ((parent[3] & (bit - 1)).bit_count() << 5)
    parent[2] = body[:at] + node_hash + body[at + 32:]


def write_slot(node: Internal, bit: int, depth: int, i: int, batch: Batch, stale: list, undo: list) -> None:
    """Apply write ``i`` to the slot ``bit`` (empty, or a leaf) of ``node`` at ``depth``; rehashed when closed."""
    key_hash, value_hash = batch.key_hashes[i], batch.value_hashes[i]
    if node[4] & bit:
        old = get_leaf(node, bit)
        if old[1] == key_hash:
            new = None if value_hash is None else make_leaf(key_hash, value_hash)
        elif value_hash is None:
            return
        else:
            new = build_subtree(batch, depth + 1, i, i + 1, old)
    elif value_hash is None:
        return
    else:
        new = make_leaf(key_hash, value_hash)
    if node[1] is not None:
        touch(node, batch.hexes[i][:depth], stale, undo)
    node[2:7] = replace_child(node, bit, new)


def build_tree(items: Mapping[bytes, bytes], version: int = 0) -> Node:
    """The tree holding exactly ``items`` (key -> value), built from scratch in memory as ``version``."""
    root = apply_batch(None, compute_batch(items), no_fetch).root
    set_version(list_staged_nodes(root), version)
    return root


def no_fetch(version: int, path: str) -> bytes:
    """Fetch for trees that live wholly in memory."""
    raise NodeIntegrityError(f"node {version}/{path!r} is not in memory")


def ensure_loaded(node: Internal, path: str, fetch: Fetch) -> Internal:
    """``node`` (the internal node at ``path``), filled from the store if it is still a stub."""
    if node[2] is None:
        decode_internal_into(node, path, fetch(node[1], path))
    return node


def compute_proof(root: Node, key_hash: bytes, fetch: Fetch) -> tuple[Leaf | None, Proof]:
    """Walk ``key_hash``'s path; return the key's leaf (or None) and a (non-)membership proof for it."""
    masks: list[int] = []
    siblings: list[bytes] = []
    hexpath = key_hash.hex()
    depth = 0
    node = root
    while node.__class__ is list:
        ensure_loaded(node, hexpath[:depth], fetch)
        own = compute_nibble(key_hash, depth)
        position = 2
        for nibble in range(RADIX):
            if node[3] >> nibble & 1:
                if nibble != own:
                    siblings.append(node[2][position:position + HASH_SIZE])
                position += HASH_SIZE
        masks.append(node[3] & ~(1 << own))
        node = get_child(node, 1 << own)
        depth += 1
    if node is None:
        return None, Proof(masks, siblings)
    if node[1] == key_hash:
        return node, Proof(masks, siblings)
    return None, Proof(masks, siblings, other_key_hash=node[1], other_value_hash=node[2])


def list_staged_nodes(root: Node) -> list[tuple[str, Internal]]:
    """The internal nodes of ``root`` not yet committed (version None), with their paths, parents first."""
    staged: list[tuple[str, Internal]] = []
    stack = [("", root)] if root.__class__ is list and root[1] is None else []
    while stack:
        path, node = stack.pop()
        staged.append((path, node))
        for index, kid in enumerate(node[6]):
            if kid[1] is None:
                stack.append((path + HEX_DIGITS[compute_kid_nibble(node, index)], kid))
    return staged


def compute_kid_nibble(node: Internal, index: int) -> int:
    """The slot of the ``index``-th internal child of ``node``."""
    slots = node[3] & ~node[4]
    for _ in range(index):
        slots &= slots - 1
    return (slots & -slots).bit_length() - 1


def set_version(staged: list[tuple[str, Internal]], version: int) -> None:
    """Mark staged nodes as written by ``version``, once their commit is durable."""
    for _, node in staged:
        node[1] = version


def encode_internal(node: Internal, version: int) -> bytes:
    """Store encoding of a loaded internal node; staged children are referenced at ``version``.

    Layout: mask (2 bytes) | leaf mask (2 bytes) | per non-empty child in nibble order:
    leaf -> key_hash | value_hash, internal -> node_hash | version (8 bytes big-endian).
    The leaves between two internal children are one run of ``leaf_data``, so this loops over the internal
    children only.
    """
    mask, leaf_mask, leaf_data, kids = node[3], node[4], node[5], node[6]
    head = mask.to_bytes(2, "big") + leaf_mask.to_bytes(2, "big")
    if not kids:
        return head + leaf_data
    parts = [head]
    staged_version = version.to_bytes(VERSION_SIZE, "big")
    internal = mask & ~leaf_mask
    leaf_at = 0
    for kid in kids:
        low = internal & -internal
        internal ^= low
        upto = (leaf_mask & (low - 1)).bit_count() << 6
        if upto != leaf_at:
            parts.append(leaf_data[leaf_at:upto])
            leaf_at = upto
        parts.append(kid[0])
        parts.append(staged_version if kid[1] is None else kid[1].to_bytes(VERSION_SIZE, "big"))
    parts.append(leaf_data[leaf_at:])
    return b"".join(parts)


def decode_internal_into(node: Internal, path: str, data: bytes | None) -> None:
    """Fill the stub ``node`` at ``path`` from its store encoding.

    Checks that the stored node hashes to ``node[0]``, the hash its parent (or its version) committed to.
    """
    if data is None or len(data) < 4:
        raise NodeIntegrityError(f"stored node {node[1]}/{path!r} is missing or truncated")
    mask = int.from_bytes(data[0:2], "big")
    leaf_mask = int.from_bytes(data[2:4], "big")
    hashes: list[bytes] = []
    leaf_parts: list[bytes] = []
    kids: list = []
    pos = 4
    for nibble in range(RADIX):
        if not mask >> nibble & 1:
            continue
        if leaf_mask >> nibble & 1:
            key_hash, value_hash = data[pos:pos + HASH_SIZE], data[pos + HASH_SIZE:pos + LEAF_DATA_SIZE]
            hashes.append(compute_leaf_hash(key_hash, value_hash))
            leaf_parts.append(data[pos:pos + LEAF_DATA_SIZE])
            pos += LEAF_DATA_SIZE
        else:
            kid_hash = data[pos:pos + HASH_SIZE]
            hashes.append(kid_hash)
            kid_version = int.from_bytes(data[pos + HASH_SIZE:pos + HASH_SIZE + VERSION_SIZE], "big")
            kids.append(make_stub(kid_hash, kid_version))
            pos += HASH_SIZE + VERSION_SIZE
    # The stored node is the one its parent committed to
    if pos != len(data) or leaf_mask & ~mask or compute_node_hash(mask, b"".join(hashes)) != node[0]:
        raise NodeIntegrityError(f"stored node {node[1]}/{path!r} does not match its hash")
    node[2:7] = [mask.to_bytes(2, "big") + b"".join(hashes), mask, leaf_mask, b"".join(leaf_parts), kids]


def encode_root(root: Node, version: int) -> bytes:
    """Reference to a version's root: empty, an inline leaf, or the version that wrote the root node."""
    if root is None:
        return ROOT_EMPTY
    if root.__class__ is tuple:
        return ROOT_LEAF + root[1] + root[2]
    return ROOT_NODE + (version if root[1] is None else root[1]).to_bytes(VERSION_SIZE, "big")


def decode_root(ref: bytes, root_hash: bytes) -> Node:
    """The root (a stub if internal) from :func:`encode_root`'s reference and the version's root hash."""
    if ref == ROOT_EMPTY:
        return None
    if ref[:1] == ROOT_LEAF and len(ref) == 1 + LEAF_DATA_SIZE:
        return make_leaf(ref[1:1 + HASH_SIZE], ref[1 + HASH_SIZE:])
    if ref[:1] == ROOT_NODE and len(ref) == 1 + VERSION_SIZE:
        return make_stub(root_hash, int.from_bytes(ref[1:], "big"))
    raise NodeIntegrityError("malformed root reference")
