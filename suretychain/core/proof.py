"""Proofs against the state commitment (app hash), verifiable with no access to any store.

This module is the only thing a light client needs: the hashing rules of the tree (domain tags, key and value
hashing, leaf and node hashing), the :class:`Proof` container, and the two checks :func:`verify_membership` and
:func:`verify_non_membership`. ``docs/state-commitment.md`` describes the format; ``suretychain.core.smt`` builds
the tree and the proofs with exactly the functions defined here.

Tree summary: a 16-ary compressed sparse Merkle tree over ``sha256(key)``. The nibbles of the key hash (high
nibble of each byte first) give the path from the root; a leaf sits at the shortest prefix that no other key shares.
"""
from __future__ import annotations

from hashlib import sha256

import msgspec

# Domain-separation prefixes: a leaf, an internal node and the empty subtree can never hash alike.
LEAF_TAG = b"\x00surety-leaf"
NODE_TAG = b"\x01surety-node"
EMPTY_TAG = b"\x02surety-empty"

# The hash of an empty subtree: the root of the empty tree (never a child: nodes list only non-empty children).
EMPTY_HASH = sha256(EMPTY_TAG).digest()

HASH_SIZE = 32
RADIX = 16  # children per internal node: one per nibble
MAX_DEPTH = 2 * HASH_SIZE  # nibbles in a key hash
FULL_MASK = (1 << RADIX) - 1


class ProofError(Exception):
    """A proof does not show what it is claimed to show (or is malformed)."""


class Proof(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """Path from the root to where a key hash lives (or would live).

    ``masks[d]`` has bit ``i`` set when child ``i`` of the internal node at depth ``d`` on the path is non-empty and
    is not the path's own child. ``siblings`` lists those children's hashes, depth by depth from the root, in
    nibble order within a depth. The path ends at a leaf or an empty slot at depth ``len(masks)``. For
    non-membership, a leaf of another key found there is given as ``other_key_hash`` and ``other_value_hash``
    (both empty otherwise).
    """

    masks: list[int]
    siblings: list[bytes]
    other_key_hash: bytes = b""
    other_value_hash: bytes = b""


def compute_key_hash(key: bytes) -> bytes:
    """The tree path of ``key``: ``sha256(key)``."""
    return sha256(key).digest()


def compute_value_hash(value: bytes) -> bytes:
    """What a leaf commits to for ``value``: ``sha256(value)``."""
    return sha256(value).digest()


def compute_leaf_hash(key_hash: bytes, value_hash: bytes) -> bytes:
    """``sha256(LEAF_TAG || key_hash || value_hash)``."""
    return sha256(LEAF_TAG + key_hash + value_hash).digest()


def compute_node_hash(mask: int, child_hashes: bytes) -> bytes:
    """``sha256(NODE_TAG || mask || hashes)``: 16-bit big-endian mask of non-empty slots, their hashes in order."""
    return sha256(NODE_TAG + mask.to_bytes(2, "big") + child_hashes).digest()


def compute_nibble(key_hash: bytes, depth: int) -> int:
    """The nibble of ``key_hash`` that picks the child at ``depth`` (high nibble of each byte first)."""
    byte = key_hash[depth >> 1]
    return byte & 0x0F if depth & 1 else byte >> 4


def encode_proof(proof: Proof) -> bytes:
    """Canonical msgpack encoding of ``proof``."""
    return msgspec.msgpack.encode(proof)


def decode_proof(data: bytes) -> Proof:
    """Decode a proof from :func:`encode_proof`; malformed input raises :class:`ProofError`."""
    try:
        return msgspec.msgpack.decode(data, type=Proof)
    except (msgspec.DecodeError, msgspec.ValidationError) as exc:
        raise ProofError(f"malformed proof: {exc}") from exc


def verify_membership(root: bytes, key: bytes, value: bytes, proof: Proof) -> None:
    """Check that ``key`` maps to ``value`` in the tree with hash ``root``; raise :class:`ProofError` if not."""
    # A membership proof ends at the key's own leaf, never at another key's leaf
    if proof.other_key_hash or proof.other_value_hash:
        raise ProofError("membership proof names another leaf")
    key_hash = compute_key_hash(key)
    bottom = compute_leaf_hash(key_hash, compute_value_hash(value))
    _check_root(root, key_hash, bottom, proof)


def verify_non_membership(root: bytes, key: bytes, proof: Proof) -> None:
    """Check that ``key`` is absent from the tree with hash ``root``; raise :class:`ProofError` if not."""
    key_hash = compute_key_hash(key)
    bottom = compute_non_membership_bottom(key_hash, proof)
    _check_root(root, key_hash, bottom, proof)


def compute_non_membership_bottom(key_hash: bytes, proof: Proof) -> bytes:
    """The hash where the key's path ends: an empty slot, or a leaf of another key sharing the path prefix."""
    other_key, other_value = proof.other_key_hash, proof.other_value_hash
    if not other_key and not other_value:
        return EMPTY_HASH
    # The other leaf is a full, different key hash that sits on this key's path
    if not isinstance(other_key, bytes) or not isinstance(other_value, bytes):
        raise ProofError("other leaf hashes must be bytes")
    if len(other_key) != HASH_SIZE or len(other_value) != HASH_SIZE:
        raise ProofError("other leaf hashes must be 32 bytes")
    if other_key == key_hash:
        raise ProofError("other leaf is the key itself")
    depth = len(proof.masks)
    if depth > MAX_DEPTH or not _is_same_prefix(other_key, key_hash, depth):
        raise ProofError("other leaf is not on the key's path")
    return compute_leaf_hash(other_key, other_value)


def _is_same_prefix(a: bytes, b: bytes, nibbles: int) -> bool:
    """Whether ``a`` and ``b`` agree on their first ``nibbles`` nibbles."""
    whole = nibbles >> 1
    if a[:whole] != b[:whole]:
        return False
    return not nibbles & 1 or (a[whole] >> 4) == (b[whole] >> 4)


def _check_root(root: bytes, key_hash: bytes, bottom: bytes, proof: Proof) -> None:
    """Hash ``bottom`` up along ``key_hash``'s path with the proof's siblings and compare with ``root``."""
    computed = compute_root_from_path(key_hash, bottom, proof)
    if computed != root:
        raise ProofError("proof does not lead to the root")


def compute_root_from_path(key_hash: bytes, bottom: bytes, proof: Proof) -> bytes:
    """Recompute the root from the hash at the end of the path and the siblings at each depth."""
    masks, siblings = proof.masks, proof.siblings
    if not isinstance(masks, list) or not isinstance(siblings, list):
        raise ProofError("masks and siblings must be lists")
    if len(masks) > MAX_DEPTH:
        raise ProofError("proof deeper than a key hash")
    groups = _split_siblings(key_hash, masks, siblings)
    current = bottom
    for depth in range(len(masks) - 1, -1, -1):
        current = _compute_parent_hash(compute_nibble(key_hash, depth), current, masks[depth], groups[depth])
    return current


def _compute_parent_hash(own: int, current: bytes, mask: int, slots: list[bytes]) -> bytes:
    """Hash of the node whose child ``own`` hashes to ``current`` (empty if ``EMPTY_HASH``) beside ``slots``."""
    full_mask = mask
    hashes = slots
    if current != EMPTY_HASH:
        full_mask |= 1 << own
        position = (mask & ((1 << own) - 1)).bit_count()
        hashes = slots[:position] + [current] + slots[position:]
    # Every internal node has a child
    if full_mask == 0:
        raise ProofError("node with no children")
    return compute_node_hash(full_mask, b"".join(hashes))


def _split_siblings(key_hash: bytes, masks: list[int], siblings: list[bytes]) -> list[list[bytes]]:
    """The sibling hashes of each node on the path, checking masks, sizes and counts."""
    groups: list[list[bytes]] = []
    position = 0
    for depth, mask in enumerate(masks):
        # A mask names only real slots, never the path's own child
        if type(mask) is not int or not 0 <= mask <= FULL_MASK or mask >> compute_nibble(key_hash, depth) & 1:
            raise ProofError(f"bad sibling mask at depth {depth}")
        count = mask.bit_count()
        groups.append([_check_sibling(siblings, i) for i in range(position, position + count)])
        position += count
    # Every sibling given is used exactly once
    if position != len(siblings):
        raise ProofError("sibling count does not match the masks")
    return groups


def _check_sibling(siblings: list[bytes], position: int) -> bytes:
    """The sibling hash at ``position``: present, 32 bytes, and not the empty-tree hash."""
    if position >= len(siblings):
        raise ProofError("too few sibling hashes")
    sibling = siblings[position]
    if not isinstance(sibling, bytes) or len(sibling) != HASH_SIZE or sibling == EMPTY_HASH:
        raise ProofError("sibling hash must be a non-empty 32-byte hash")
    return sibling
