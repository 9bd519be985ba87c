"""State-sync snapshots: the committed state at a height, split into chunks CometBFT can ship to new nodes.

Format 1. The payload is the msgpack encoding of :class:`SnapshotPayload` (every live key/value of the store at the
height, in key order, plus the App's metadata), compressed with zlib and cut into ``chunk_bytes`` pieces.
``Snapshot.hash`` is ``sha256(payload)``; ``Snapshot.metadata`` is the msgpack list of each chunk's sha256, so a bad
chunk is caught (and refetched from another peer) as soon as it arrives. A restored store must reproduce the
app hash CometBFT's light client vouches for before it is committed.

On disk: ``<dir>/<height>/manifest.msgpack`` and ``<dir>/<height>/<index>.chunk``.
"""
from __future__ import annotations

import hashlib
import shutil
import zlib
from pathlib import Path

import msgspec

from suretychain.core.store import CommitStore

SNAPSHOT_FORMAT = 1
DEFAULT_CHUNK_BYTES = 1024 * 1024
# The store metadata a restored node needs (the App's META_* keys).
SNAPSHOT_META_KEYS = (b"chain_id", b"consensus_params", b"initial_height", b"genesis_time", b"last_block_time")


class SnapshotPayload(msgspec.Struct, array_like=True, frozen=True):
    """Everything needed to rebuild the committed state at ``height``."""

    height: int
    app_hash: bytes
    meta: list[tuple[bytes, bytes]]
    pairs: list[tuple[bytes, bytes]]


class Manifest(msgspec.Struct, frozen=True):
    """What ListSnapshots reports about one stored snapshot."""

    height: int
    format: int
    chunks: int
    hash: bytes
    metadata: bytes


class SnapshotError(Exception):
    """A snapshot or chunk that does not match what was promised."""


def compute_payload(store: CommitStore, height: int) -> bytes:
    """The uncompressed payload of the store's state at ``height`` (must be the latest or a retained version)."""
    pairs = list(store.iterate(b"", None, version=height))
    meta = [(key, value) for key in SNAPSHOT_META_KEYS if (value := store.get_meta(key)) is not None]
    return msgspec.msgpack.encode(SnapshotPayload(height=height, app_hash=store.root_at(height), meta=meta, pairs=pairs))


def split_chunks(payload: bytes, chunk_bytes: int) -> list[bytes]:
    """The compressed payload cut into pieces of at most ``chunk_bytes``."""
    packed = zlib.compress(payload, 6)
    return [packed[i:i + chunk_bytes] for i in range(0, len(packed), chunk_bytes)] or [b""]


def join_chunks(chunks: list[bytes]) -> bytes:
    """Inverse of :func:`split_chunks`."""
    try:
        return zlib.decompress(b"".join(chunks))
    except zlib.error as exc:
        raise SnapshotError(f"snapshot does not decompress: {exc}") from None


def decode_payload(payload: bytes) -> SnapshotPayload:
    try:
        return msgspec.msgpack.decode(payload, type=SnapshotPayload)
    except (msgspec.DecodeError, msgspec.ValidationError) as exc:
        raise SnapshotError(f"malformed snapshot payload: {exc}") from None


def chunk_hashes(metadata: bytes) -> list[bytes]:
    """The per-chunk sha256 list carried in ``Snapshot.metadata``."""
    try:
        return msgspec.msgpack.decode(metadata, type=list[bytes])
    except (msgspec.DecodeError, msgspec.ValidationError) as exc:
        raise SnapshotError(f"malformed snapshot metadata: {exc}") from None


class SnapshotStore:
    """Snapshots on disk: create at a height, list, load chunks, prune to the most recent ``keep``."""

    def __init__(self, root: Path, chunk_bytes: int = DEFAULT_CHUNK_BYTES, keep: int = 2) -> None:
        self.root = Path(root)
        self.chunk_bytes = chunk_bytes
        self.keep = keep

    def create(self, store: CommitStore, height: int) -> Manifest:
        """Write the snapshot of ``height`` (atomically: a temp dir renamed into place) and prune old ones."""
        payload = compute_payload(store, height)
        chunks = split_chunks(payload, self.chunk_bytes)
        metadata = msgspec.msgpack.encode([hashlib.sha256(c).digest() for c in chunks])
        manifest = Manifest(height=height, format=SNAPSHOT_FORMAT, chunks=len(chunks),
                            hash=hashlib.sha256(payload).digest(), metadata=metadata)
        tmp = self.root / f".tmp-{height}"
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        for index, chunk in enumerate(chunks):
            (tmp / f"{index}.chunk").write_bytes(chunk)
        (tmp / "manifest.msgpack").write_bytes(msgspec.msgpack.encode(manifest))
        final = self.root / str(height)
        shutil.rmtree(final, ignore_errors=True)
        tmp.rename(final)
        self.prune()
        return manifest

    def list(self) -> list[Manifest]:
        """Stored snapshots, newest first."""
        if not self.root.exists():
            return []
        out = []
        for entry in self.root.iterdir():
            manifest = entry / "manifest.msgpack"
            if entry.name.isdigit() and manifest.exists():
                out.append(msgspec.msgpack.decode(manifest.read_bytes(), type=Manifest))
        return sorted(out, key=lambda m: m.height, reverse=True)

    def load_chunk(self, height: int, format: int, index: int) -> bytes:
        """One chunk (empty if unknown: CometBFT then asks another peer)."""
        path = self.root / str(height) / f"{index}.chunk"
        return path.read_bytes() if format == SNAPSHOT_FORMAT and path.exists() else b""

    def prune(self) -> None:
        for manifest in self.list()[self.keep:]:
            shutil.rmtree(self.root / str(manifest.height), ignore_errors=True)


def restore_store(store: CommitStore, payload: SnapshotPayload, trusted_app_hash: bytes) -> None:
    """Write every pair into the (empty) store and commit it as ``payload.height`` with the metadata, only if the
    root equals ``trusted_app_hash`` (the app hash CometBFT's light client verified)."""
    if store.version != 0:
        raise SnapshotError(f"store is not empty (version {store.version})")
    root = store.stage(dict(payload.pairs))
    # The restored state must be exactly the one the chain committed to
    if root != trusted_app_hash or root != payload.app_hash:
        store.stage({})
        raise SnapshotError(f"restored root {root.hex()} != trusted app hash {trusted_app_hash.hex()}")
    store.commit(version=payload.height, meta=dict(payload.meta))
