"""CommitStore: the versioned on-disk key-value store and its state commitment (the app hash).

One SQLite file holds every retained version: the values (table ``kv``), the nodes of the authenticated tree of
:mod:`suretychain.core.smt` (table ``nodes``), each version's root (table ``versions``) and small non-merkleized
metadata (table ``meta``). ``docs/state-commitment.md`` describes the layout and why SQLite.

Life of a block: the app calls :meth:`CommitStore.stage` with the block's writes and gets the new app hash;
nothing touches the disk. :meth:`CommitStore.commit` then writes the values, the new tree nodes, the root and the
metadata as the next version in one SQLite transaction (WAL, ``synchronous=FULL``), so that after a crash, even
``kill -9``, the store reopens at exactly the last committed version. The same transaction prunes what only
versions older than ``keep_recent`` needed (Jellyfish-style: every replaced node and value records the version
at which it went stale).

The latest version's tree is kept in memory (loaded lazily, node by node) so that staging a block costs
O(k log N) hashes for k writes; older versions are read from disk. That tree is :mod:`suretychain.core.tree`'s:
the compiled one when built, else the reference one of :mod:`suretychain.core.smt` (same DB format).
"""
from __future__ import annotations

import sqlite3
import threading
from hashlib import sha256
from typing import Iterator, Mapping

from suretychain.core import smt
from suretychain.core.proof import EMPTY_HASH, Proof
from suretychain.core.tree import CommitPlan, Tree, open_tree

PAGE_SIZE = 256  # rows fetched per query while iterating
SCHEMA_VERSION = 1
CACHE_KIB = 64 * 1024  # SQLite page cache: enough for the upper B-tree levels of a multi-GB state

SCHEMA = (
    # versions: one row per retained version; root_ref locates the root (see smt.encode_root)
    "CREATE TABLE IF NOT EXISTS versions ("
    " version INTEGER PRIMARY KEY, root_hash BLOB NOT NULL, root_ref BLOB NOT NULL)",
    # nodes: internal tree nodes, keyed by the version that wrote them and their nibble path (hex)
    "CREATE TABLE IF NOT EXISTS nodes ("
    " version INTEGER NOT NULL, path TEXT NOT NULL, data BLOB NOT NULL,"
    " PRIMARY KEY (version, path)) WITHOUT ROWID",
    # stale_nodes: nodes replaced or dropped at stale_since; deleted once no retained version needs them
    "CREATE TABLE IF NOT EXISTS stale_nodes ("
    " stale_since INTEGER NOT NULL, version INTEGER NOT NULL, path TEXT NOT NULL,"
    " PRIMARY KEY (stale_since, version, path)) WITHOUT ROWID",
    # kv: every write as (key, version) -> value (NULL = deleted); stale_since = version of the next write
    "CREATE TABLE IF NOT EXISTS kv ("
    " key BLOB NOT NULL, version INTEGER NOT NULL, value BLOB, stale_since INTEGER,"
    " PRIMARY KEY (key, version))",
    "CREATE INDEX IF NOT EXISTS kv_stale ON kv (stale_since) WHERE stale_since IS NOT NULL",
    # meta: small metadata committed atomically with versions, latest value only
    "CREATE TABLE IF NOT EXISTS meta (key BLOB PRIMARY KEY, value BLOB NOT NULL)",
)


class VersionUnavailable(Exception):
    """The requested version was pruned, never existed, or is in the future."""


class StoreCorruption(Exception):
    """The database does not hold what a committed version needs (or contradicts itself)."""


def open_database(path: str | None) -> sqlite3.Connection:
    """Open (creating if needed) the store's SQLite database; ``None`` opens a private in-memory one."""
    db = sqlite3.connect(":memory:" if path is None else path, isolation_level=None, check_same_thread=False)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    db.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
    for statement in SCHEMA:
        db.execute(statement)
    db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
    return db


class CommitStore:
    """Versioned key-value store whose every version is committed to by the root of an authenticated tree."""

    def __init__(self, path: str | None, keep_recent: int = 100, tree: str | None = None) -> None:
        """Open the store at ``path`` (None: in memory) keeping the last ``keep_recent`` versions (0: all).

        ``tree`` picks the in-memory tree, ``"python"`` or ``"native"`` (default: see ``tree.pick_tree``).
        """
        if keep_recent < 0:
            raise ValueError("keep_recent must be >= 0")
        self.keep_recent = keep_recent
        self._lock = threading.RLock()
        self._db = open_database(path)
        self._staged_writes: dict[bytes, bytes | None] = {}
        self._version, self._root_hash, self._tree = self._load_latest(tree)

    # Versions -----------------------------------------------------------------------------------------------

    @property
    def version(self) -> int:
        """The last committed version (0 when nothing was committed)."""
        return self._version

    @property
    def root_hash(self) -> bytes:
        """The root at the last committed version (``EMPTY_HASH`` when nothing was committed)."""
        return self._root_hash

    def root_at(self, version: int) -> bytes:
        """The root committed at ``version``."""
        with self._lock:
            if version == self._version:
                return self._root_hash
            return self._read_version(version)[0]

    @property
    def tree_name(self) -> str:
        """Which implementation holds the latest tree: ``"python"`` or ``"native"``."""
        return self._tree.name

    def _load_latest(self, tree: str | None) -> tuple[int, bytes, Tree]:
        """Version, root hash and (lazily loaded) tree of the last committed version."""
        row = self._db.execute(
            "SELECT version, root_hash, root_ref FROM versions ORDER BY version DESC LIMIT 1").fetchone()
        version, root_hash, root_ref = (0, EMPTY_HASH, smt.ROOT_EMPTY) if row is None else row
        try:
            return version, root_hash, open_tree(root_hash, root_ref, self._fetch, tree)
        except smt.NodeIntegrityError as exc:
            raise StoreCorruption(str(exc)) from exc

    def _read_version(self, version: int) -> tuple[bytes, bytes]:
        """Root hash and root reference of a retained version; raises :class:`VersionUnavailable`."""
        if version > self._version or version < 0:
            raise VersionUnavailable(f"version {version} is not committed (latest is {self._version})")
        if version == 0 and self._version == 0:
            return EMPTY_HASH, smt.ROOT_EMPTY
        row = self._db.execute("SELECT root_hash, root_ref FROM versions WHERE version = ?", (version,)).fetchone()
        if row is None:
            raise VersionUnavailable(f"version {version} was pruned or never committed")
        return row[0], row[1]

    def _resolve(self, version: int | None) -> int:
        """``version`` (default: the latest), checked to be readable."""
        if version is None or version == self._version:
            return self._version
        self._read_version(version)
        return version

    @staticmethod
    def _decode_root(ref: bytes, root_hash: bytes) -> smt.Node:
        """The root of a version from its stored reference."""
        try:
            return smt.decode_root(ref, root_hash)
        except smt.NodeIntegrityError as exc:
            raise StoreCorruption(str(exc)) from exc

    # Reads --------------------------------------------------------------------------------------------------

    def get(self, key: bytes, version: int | None = None) -> bytes | None:
        """The value of ``key`` committed at ``version`` (default: latest), None if absent."""
        with self._lock:
            at = self._resolve(version)
            row = self._db.execute(
                "SELECT value FROM kv WHERE key = ? AND version <= ? ORDER BY version DESC LIMIT 1", (key, at)
            ).fetchone()
        return None if row is None else row[0]

    def iterate(
        self, start: bytes, end: bytes | None, version: int | None = None, reverse: bool = False
    ) -> Iterator[tuple[bytes, bytes]]:
        """Committed ``(key, value)`` pairs with ``start <= key < end`` (None: no end) at ``version``, in key order.

        The version is checked when called; pairs are then read a page at a time.
        """
        with self._lock:
            at = self._resolve(version)
        return self._iterate_pages(start, end, at, reverse)

    def _iterate_pages(self, start: bytes, end: bytes | None, at: int, reverse: bool) -> Iterator[tuple[bytes, bytes]]:
        """Yield the live pairs in range at version ``at``, one page per query (keyset pagination)."""
        low, high = start, end
        low_inclusive = True
        while True:
            with self._lock:
                rows = self._read_page(low, low_inclusive, high, at, reverse)
            for key, value in rows:
                if value is not None:
                    yield key, value
            if len(rows) < PAGE_SIZE:
                return
            if reverse:
                high = rows[-1][0]
            else:
                low, low_inclusive = rows[-1][0], False

    def _read_page(
        self, low: bytes, low_inclusive: bool, high: bytes | None, at: int, reverse: bool
    ) -> list[tuple[bytes, bytes | None]]:
        """Up to ``PAGE_SIZE`` keys in range with their value at version ``at`` (None if deleted there).

        SQLite takes the bare column ``value`` from the row holding ``MAX(version)`` of each group.
        """
        clauses = ["key >= ?" if low_inclusive else "key > ?", "version <= ?"]
        params: list = [low, at]
        if high is not None:
            clauses.append("key < ?")
            params.append(high)
        order = "DESC" if reverse else "ASC"
        sql = (
            f"SELECT key, value, MAX(version) FROM kv WHERE {' AND '.join(clauses)}"
            f" GROUP BY key ORDER BY key {order} LIMIT {PAGE_SIZE}"
        )
        return [(row[0], row[1]) for row in self._db.execute(sql, params)]

    def get_meta(self, key: bytes) -> bytes | None:
        """The metadata value committed last under ``key`` (None if never set)."""
        with self._lock:
            row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else row[0]

    def prove(self, key: bytes, version: int | None = None) -> tuple[bytes | None, Proof]:
        """The value of ``key`` at ``version`` (default: latest) and a proof of it against ``root_at(version)``.

        A membership proof if the key is present, a non-membership proof if not.
        """
        with self._lock:
            at = self._resolve(version)
            value = self.get(key, at)
            key_hash = sha256(key).digest()
            try:
                if at == self._version and not self._tree.staged:
                    # The in-memory tree (a stage changes it in place, so not while staged)
                    leaf, proof = self._tree.prove(key_hash)
                else:
                    root_hash, ref = self._read_version(at)
                    leaf, proof = smt.compute_proof(self._decode_root(ref, root_hash), key_hash, self._fetch)
            except smt.NodeIntegrityError as exc:
                raise StoreCorruption(str(exc)) from exc
        # The tree and the values agree
        if (leaf is None) != (value is None) or (leaf is not None and leaf[2] != sha256(value).digest()):
            raise StoreCorruption(f"tree and values disagree on key {key.hex()} at version {at}")
        return value, proof

    def _fetch(self, version: int, path: str) -> bytes | None:
        """Stored encoding of the internal node written by ``version`` at ``path``."""
        row = self._db.execute("SELECT data FROM nodes WHERE version = ? AND path = ?", (version, path)).fetchone()
        return None if row is None else row[0]

    # Writes -------------------------------------------------------------------------------------------------

    def stage(self, writes: Mapping[bytes, bytes | None]) -> bytes:
        """The root that committing ``writes`` (None = delete) on the last version would give; replaces any stage.

        Writes nothing to disk; the staged tree stays in memory until :meth:`commit` or the next stage.
        """
        with self._lock:
            self._drop_stage()
            try:
                root_hash = self._tree.stage(writes)
            except smt.NodeIntegrityError as exc:
                raise StoreCorruption(str(exc)) from exc
            self._staged_writes = dict(writes)
            return root_hash

    def _drop_stage(self) -> None:
        """Undo the staged batch, if any, restoring the committed tree."""
        self._tree.drop_stage()
        self._staged_writes = {}

    def commit(self, version: int | None = None, meta: Mapping[bytes, bytes] | None = None) -> int:
        """Persist the staged writes (none if nothing staged) and ``meta`` as ``version`` (default: next); return it.

        ``version`` must exceed the current one (a chain may start at a height above 1). One SQLite transaction
        writes the values, the new tree nodes, the root and the metadata, then prunes old versions.
        """
        with self._lock:
            new_version = self._version + 1 if version is None else version
            if new_version <= self._version:
                raise ValueError(f"version {new_version} must be above the current version {self._version}")
            if not self._tree.staged:
                self.stage({})
            plan = self._tree.commit_plan(new_version)
            self._write_version(new_version, plan, meta or {})
            self._tree.mark_committed(new_version)
            self._root_hash = plan.root_hash
            self._version = new_version
            self._staged_writes = {}
            return new_version

    def _write_version(self, version: int, plan: CommitPlan, meta: Mapping[bytes, bytes]) -> None:
        """Write one version (and prune) in a single transaction; on failure nothing is written."""
        db = self._db
        db.execute("BEGIN IMMEDIATE")
        try:
            db.executemany(
                "INSERT INTO nodes (version, path, data) VALUES (?, ?, ?)",
                [(version, path, data) for path, data in plan.nodes],
            )
            db.executemany(
                "INSERT OR IGNORE INTO stale_nodes (stale_since, version, path) VALUES (?, ?, ?)",
                [(version, old, path) for old, path in plan.stale],
            )
            self._write_values(version, self._staged_writes)
            db.execute(
                "INSERT INTO versions (version, root_hash, root_ref) VALUES (?, ?, ?)",
                (version, plan.root_hash, plan.root_ref),
            )
            self._write_meta(meta)
            if self.keep_recent:
                self._prune(version - self.keep_recent + 1)
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def _write_values(self, version: int, writes: Mapping[bytes, bytes | None]) -> None:
        """Record each write at ``version``, marking the key's previous row stale from ``version`` on.

        A deletion is a NULL row that is stale at once: it only matters while older rows of the key are kept,
        and those go stale no later than it does.
        """
        keys = sorted(writes)
        self._db.executemany(
            "UPDATE kv SET stale_since = ? WHERE key = ? AND stale_since IS NULL", [(version, key) for key in keys]
        )
        self._db.executemany(
            "INSERT INTO kv (key, version, value, stale_since) VALUES (?, ?, ?, ?)",
            [(key, version, writes[key], version if writes[key] is None else None) for key in keys],
        )

    def _write_meta(self, meta: Mapping[bytes, bytes]) -> None:
        """Set (or, for a None value, remove) metadata keys."""
        for key in sorted(meta):
            if meta[key] is None:
                self._db.execute("DELETE FROM meta WHERE key = ?", (key,))
            else:
                self._db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, meta[key]))

    def _prune(self, oldest_kept: int) -> None:
        """Delete what only versions below ``oldest_kept`` need: their roots, stale nodes and stale values."""
        db = self._db
        stale = db.execute("SELECT version, path FROM stale_nodes WHERE stale_since <= ?", (oldest_kept,)).fetchall()
        db.executemany("DELETE FROM nodes WHERE version = ? AND path = ?", stale)
        db.execute("DELETE FROM stale_nodes WHERE stale_since <= ?", (oldest_kept,))
        db.execute("DELETE FROM kv WHERE stale_since <= ?", (oldest_kept,))
        db.execute("DELETE FROM versions WHERE version < ?", (oldest_kept,))

    def close(self) -> None:
        """Drop any stage and close the database."""
        with self._lock:
            self._drop_stage()
            self._db.close()
