"""The devnet's block store: blocks, txs and results in ``blocks.db``; the tx and event index beside it.

Two SQLite files, as CometBFT keeps its block store and its tx indexer apart:

* ``blocks.db`` (WAL, ``synchronous=FULL``) is the record. ``save_block`` writes, in one transaction and *before* the
  App commits its state (as CometBFT saves a block before executing it): the block record, its txs as one blob, its
  tx results as one blob (a msgpack list; the index is rebuilt from it), what consensus decided about it and the
  validator set it scheduled. Nothing per tx. On restart the node replays any saved block the state has not
  committed, so a crash between the two writes loses nothing.
* ``txindex.db`` in the same directory (WAL, ``synchronous=NORMAL``: it can always be rebuilt) answers lookups by hash
  and by event attribute: ``txs`` (hash -> height, index, tx, result: a lookup reads one row, and writing the tx and
  result there costs SQLite ~4 ms per 1,000 txs on the indexer thread, against ~1 ms of decoding a block's blobs per
  lookup otherwise), ``events`` (``module.Type.key=value`` -> height, index) and ``meta.height``, the highest height
  indexed. One indexer thread, a daemon started by the store and joined by ``close``, takes saved blocks from a queue
  in save order and writes their rows, one transaction per block, or several blocks per transaction (up to
  ``BATCH_TXS`` txs) when it lags. It writes a block's rows with one statement per table (``_INSERT_TXS``: SQLite cuts
  the joined hashes, the joined txs and the results blob at the offsets it is given; ``_INSERT_EVENTS``: SQLite
  expands each tx's index keys, given as JSON, and sorts them), because SQLite releases the GIL for the length of a
  statement: that work runs on the other core, and the thread's Python work is about 3 us per tx (forming the keys,
  joining bytes, encoding JSON). Inserting row by row would hand the GIL back and forth with the main thread at every
  row, which made the devnet slower (in one run) than writing the index in ``save_block``. A block with a NUL in a key
  is indexed row by row (SQLite's JSON text stops there).

What keeps the two files consistent:

* **Read your writes.** ``tx`` and ``search`` first wait until every block saved so far is indexed, so a client that
  was told "committed" finds its tx (the wait is the indexing of the blocks still queued: milliseconds). Block
  lookups read ``blocks.db`` and never wait.
* **Crash safety.** On open, before any index lookup is answered, the indexer re-indexes from the result blobs every
  block above ``meta.height`` (every block when ``txindex.db`` is missing, or ahead of ``blocks.db``); the first
  lookup waits for it, block production does not.
* **Saving a height again** (a replay) replaces its index rows. Until a clean ``close``, ``blocks.db`` keeps the
  lowest height saved again (``meta.index_stale_from``), so a kill before the re-index is repaired on the next open.
* **Older homes** (per-tx ``txs`` and ``events`` tables inside ``blocks.db``, no results blob) are migrated once on
  open, in one transaction: each block's results blob is made from its old ``txs`` rows, the old tables are dropped,
  and the new index is built from the blobs.
* **Indexer errors** are logged and stop the indexer. Every later lookup raises ``IndexerError``, and so does
  ``close``; the next open re-indexes from ``meta.height``.
"""
from __future__ import annotations

import itertools
import logging
import shutil
import sqlite3
import tempfile
import threading
from collections import deque
from pathlib import Path
from typing import Iterator

import msgspec

from suretychain.core.app import TxResult
from suretychain.core.events import Event
from suretychain.node.backend import BlockRecord, TxRecord

log = logging.getLogger(__name__)

_BLOCKS_SCHEMA = """
CREATE TABLE IF NOT EXISTS blocks (height INTEGER PRIMARY KEY, record BLOB NOT NULL, txs BLOB NOT NULL, results BLOB);
CREATE TABLE IF NOT EXISTS consensus (height INTEGER PRIMARY KEY, data BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS valsets (height INTEGER PRIMARY KEY, data BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
"""
_INDEX_SCHEMA = """
CREATE TABLE IF NOT EXISTS txs (hash BLOB PRIMARY KEY, height INTEGER NOT NULL, idx INTEGER NOT NULL,
                                tx BLOB NOT NULL, result BLOB NOT NULL);
CREATE INDEX IF NOT EXISTS txs_by_height ON txs (height, idx);
CREATE TABLE IF NOT EXISTS events (attr TEXT NOT NULL, height INTEGER NOT NULL, idx INTEGER NOT NULL,
                                   PRIMARY KEY (attr, height, idx)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
"""
INDEX_FILE = "txindex.db"
INDEXED_HEIGHT = "height"  # txindex.db meta: every block up to it is indexed
STALE_FROM = "index_stale_from"  # blocks.db meta: the lowest height saved again since the last clean close
BATCH_TXS = 20_000  # at most this many txs per index transaction when the indexer lags


class VoteRecord(msgspec.Struct, frozen=True):
    """One validator's entry in a decided last commit."""

    address: bytes
    power: int
    signed: bool


class EvidenceRecord(msgspec.Struct, frozen=True):
    """One misbehavior included in a block."""

    kind: str
    validator_address: bytes
    validator_power: int
    height: int
    time_ns: int
    total_voting_power: int


class ConsensusData(msgspec.Struct, frozen=True):
    """What consensus decided about a block besides its txs: needed to replay it exactly."""

    last_commit: list[VoteRecord]
    misbehavior: list[EvidenceRecord]


class ValidatorRecord(msgspec.Struct, frozen=True):
    pub_key: bytes
    power: int


ValidatorSetRecord = list[ValidatorRecord]

TX_HEIGHT = "tx.height="  # the one search key answered from the txs table (older homes also indexed it)
_BLOCK = msgspec.msgpack.Decoder(BlockRecord)
_CONSENSUS = msgspec.msgpack.Decoder(ConsensusData)
_VALSET = msgspec.msgpack.Decoder(ValidatorSetRecord)
_RESULT = msgspec.msgpack.Decoder(TxResult)
_RESULTS = msgspec.msgpack.Decoder(list[TxResult])
_RAWS = msgspec.msgpack.Decoder(list[msgspec.Raw])  # a results blob split into each tx's encoded result
_TXS = msgspec.msgpack.Decoder(list[bytes])
_JSON = msgspec.json.Encoder()

# The indexer writes a block's rows with one statement per table, each one call into SQLite: the GIL is released for
# all of it (a row per call would hand the GIL back and forth with the main thread for every row).
_INSERT_TXS = """
INSERT OR REPLACE INTO txs
SELECT substr(?1, span.key * 32 + 1, 32), ?4, span.key, substr(?2, (span.value ->> 0) + 1, span.value ->> 1),
       substr(?5, (span.value ->> 2) + 1, span.value ->> 3)
FROM json_each(?3) AS span
"""
# each tx's index keys (a JSON list per tx), in key order: it keeps the B-tree writes local (about twice as fast)
_INSERT_EVENTS = """
INSERT OR IGNORE INTO events
SELECT key.value, ?2, tx.key FROM json_each(?1) AS tx, json_each(tx.value) AS key ORDER BY 1, 3
"""


class IndexerError(RuntimeError):
    """The tx indexer thread failed: index lookups cannot be answered until the store is reopened."""


class IndexJob(msgspec.Struct, frozen=True):
    """One saved block for the indexer: its real txs, their results and the results blob saved with it."""

    seq: int  # its place in the queue, counted from 1 since open (0 for blocks read back by a rebuild)
    height: int
    tx_hashes: list[bytes]
    txs: list[bytes]
    results: list[TxResult]
    results_blob: bytes


class RebuildJob(msgspec.Struct, frozen=True):
    """Re-index the saved blocks ``start..stop`` from their results blobs (on open)."""

    seq: int
    start: int
    stop: int


def event_keys(event: Event) -> Iterator[str]:
    """The index entries of one event: ``module.Type.key=value`` for each attribute."""
    for attribute in event.attributes:
        yield f"{event.module}.{event.type}.{attribute.key}={attribute.value}"


def compute_index_keys(result: TxResult) -> set[str]:
    """The index entries of one tx: its events' attributes, each once (``tx.height=H`` is read from the txs table)."""
    return {key for event in result.events for key in event_keys(event)}


def compute_tx_rows(job: IndexJob) -> tuple[bytes, bytes, bytes]:
    """A block's ``txs`` rows as three parameters of ``_INSERT_TXS``: the hashes joined, the txs joined, and the JSON
    spans ``[tx offset, tx length, result offset, result length]`` of each tx in them and in the results blob."""
    count = len(job.tx_hashes)
    hashes, txs = b"".join(job.tx_hashes), job.txs[:count]
    require_hash_size(hashes, count)
    tx_lengths = list(map(len, txs))
    result_lengths = list(map(len, _RAWS.decode(job.results_blob)))
    first = len(job.results_blob) - sum(result_lengths)  # the results follow the msgpack array's header
    spans = zip(itertools.accumulate(tx_lengths, initial=0), tx_lengths,
                itertools.accumulate(result_lengths, initial=first), result_lengths)
    return hashes, b"".join(txs), _JSON.encode(list(spans))


def require_hash_size(hashes: bytes, count: int) -> None:
    """Every tx hash is a sha256 (``_INSERT_TXS`` cuts the joined hashes every 32 bytes)."""
    if len(hashes) != 32 * count:
        raise ValueError("tx hashes must be 32 bytes each")


def compute_event_rows(job: IndexJob) -> list[set[str]]:
    """A block's ``events`` rows: each tx's index keys."""
    return [compute_index_keys(result) for result in job.results]


def insert_event_rows(db: sqlite3.Connection, job: IndexJob) -> None:
    """Index a block's events: in one statement, or row by row when a key holds a NUL (SQLite's JSON functions would
    cut it there)."""
    keys = compute_event_rows(job)
    encoded = _JSON.encode(keys)
    if b"\\u0000" not in encoded:
        db.execute(_INSERT_EVENTS, (encoded, job.height))
        return
    rows = sorted((key, job.height, index) for index, tx_keys in enumerate(keys) for key in tx_keys)
    db.executemany("INSERT OR IGNORE INTO events VALUES (?, ?, ?)", rows)


def compute_latest_jobs(jobs: list[IndexJob]) -> list[IndexJob]:
    """Each height's last save only, in height order (a height saved twice in one batch keeps the replay)."""
    return sorted({job.height: job for job in jobs}.values(), key=lambda job: job.height)


def connect(path: str, synchronous: str) -> sqlite3.Connection:
    """An autocommit WAL connection usable from any thread (each is used by one thread at a time)."""
    db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute(f"PRAGMA synchronous={synchronous}")
    return db


def get_meta(db: sqlite3.Connection, key: str) -> int | None:
    row = db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return row[0] if row else None


def migrate_legacy_blocks(db: sqlite3.Connection) -> None:
    """Give a home saved before the separate index its results blobs and drop its per-tx tables (one transaction)."""
    columns = {row[1] for row in db.execute("PRAGMA table_info(blocks)")}
    legacy = db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'txs'").fetchone() is not None
    if "results" in columns and not legacy:
        return
    with db:
        db.execute("BEGIN")
        if "results" not in columns:
            db.execute("ALTER TABLE blocks ADD COLUMN results BLOB")
        if legacy:
            rows = db.execute("SELECT height, result FROM txs ORDER BY height, idx").fetchall()
            for height, group in itertools.groupby(rows, key=lambda row: row[0]):
                blob = msgspec.msgpack.encode([msgspec.Raw(result) for _, result in group])
                db.execute("UPDATE blocks SET results = ? WHERE height = ?", (blob, height))
            db.execute("DROP TABLE txs")
            db.execute("DROP TABLE IF EXISTS events")
        db.execute("UPDATE blocks SET results = ? WHERE results IS NULL", (msgspec.msgpack.encode([]),))
        db.execute("INSERT OR REPLACE INTO meta VALUES (?, 1)", (STALE_FROM,))  # index everything again


class TxIndex:
    """``txindex.db`` and the one thread that writes it from the saved blocks, in save order."""

    def __init__(self, path: str, blocks_path: str) -> None:
        self.blocks_path = blocks_path
        self.writer = connect(path, "NORMAL")  # the indexer thread's
        self.writer.executescript(_INDEX_SCHEMA)
        self.reader = connect(path, "NORMAL")  # lookups'
        self.indexed = get_meta(self.writer, INDEXED_HEIGHT) or 0
        self.cond = threading.Condition()
        self.jobs: deque[IndexJob | RebuildJob] = deque()
        self.queued = 0  # jobs submitted
        self.done = 0  # jobs indexed (they finish in order)
        self.error: BaseException | None = None
        self.closing = False
        self.thread = threading.Thread(target=self.run, name="surety-txindex", daemon=True)
        self.thread.start()

    # ---- the caller's side --------------------------------------------------------------------------------------
    def submit_block(self, height: int, tx_hashes: list[bytes], txs: list[bytes], results: list[TxResult],
                     results_blob: bytes) -> None:
        """Queue a block just saved to ``blocks.db``."""
        with self.cond:
            self.queued += 1
            self.jobs.append(IndexJob(self.queued, height, tx_hashes, txs, results, results_blob))
            self.cond.notify_all()

    def submit_rebuild(self, start: int, stop: int) -> None:
        """Queue re-indexing the saved blocks ``start..stop``."""
        with self.cond:
            self.queued += 1
            self.jobs.append(RebuildJob(self.queued, start, stop))
            self.cond.notify_all()

    def wait_caught_up(self) -> None:
        """Block until every job queued so far is indexed; raise if the indexer failed."""
        with self.cond:
            target = self.queued
            self.cond.wait_for(lambda: self.done >= target or self.error is not None)
        self.require_running()

    def require_running(self) -> None:
        """Raise ``IndexerError`` if the indexer thread failed."""
        if self.error is not None:
            raise IndexerError(f"the tx index stopped: {self.error!r}") from self.error

    def close(self) -> None:
        """Index what is queued, stop the thread, close the connections; raise if the thread failed."""
        with self.cond:
            self.closing = True
            self.cond.notify_all()
        self.thread.join()
        self.writer.close()
        self.reader.close()
        self.require_running()

    # ---- the indexer thread -------------------------------------------------------------------------------------
    def run(self) -> None:
        """Index queued jobs until closed; on an error, log it, keep it and stop."""
        try:
            while (batch := self.take_batch()) is not None:
                if isinstance(batch, RebuildJob):
                    self.process_rebuild(batch)
                else:
                    self.process_blocks(batch)
                with self.cond:
                    self.done = batch.seq if isinstance(batch, RebuildJob) else batch[-1].seq
                    self.cond.notify_all()
        except BaseException as error:  # noqa: BLE001 - kept and raised by the next lookup
            log.exception("tx indexer stopped at height %d", self.indexed)
            with self.cond:
                self.error = error
                self.cond.notify_all()

    def take_batch(self) -> list[IndexJob] | RebuildJob | None:
        """The next rebuild, or the next saved blocks up to ``BATCH_TXS`` txs; None once closed and drained."""
        with self.cond:
            self.cond.wait_for(lambda: self.jobs or self.closing)
            if not self.jobs:
                return None
            if isinstance(self.jobs[0], RebuildJob):
                return self.jobs.popleft()
            batch = [self.jobs.popleft()]
            count = len(batch[0].tx_hashes)
            while self.jobs and isinstance(self.jobs[0], IndexJob) and count + len(self.jobs[0].tx_hashes) <= BATCH_TXS:
                count += len(self.jobs[0].tx_hashes)
                batch.append(self.jobs.popleft())
            return batch

    def process_blocks(self, jobs: list[IndexJob]) -> None:
        """Write the rows of some saved blocks and the new indexed height in one transaction; a height indexed
        before (saved again) loses its old rows first."""
        jobs = compute_latest_jobs(jobs)
        db = self.writer
        with db:
            db.execute("BEGIN")
            for job in jobs:
                if job.height <= self.indexed:  # saved again: the events table has no height index, so this scans
                    db.execute("DELETE FROM txs WHERE height = ?", (job.height,))
                    db.execute("DELETE FROM events WHERE height = ?", (job.height,))
                db.execute(_INSERT_TXS, (*compute_tx_rows(job), job.height, job.results_blob))
                insert_event_rows(db, job)
            indexed = max(self.indexed, jobs[-1].height)
            db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (INDEXED_HEIGHT, indexed))
        self.indexed = indexed

    def process_rebuild(self, job: RebuildJob) -> None:
        """Drop the index rows from ``start`` up, then index the saved blocks ``start..stop`` from their blobs."""
        db = self.writer
        with db:
            db.execute("BEGIN")
            db.execute("DELETE FROM txs WHERE height >= ?", (job.start,))
            db.execute("DELETE FROM events WHERE height >= ?", (job.start,))
            db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (INDEXED_HEIGHT, job.start - 1))
        self.indexed = job.start - 1
        blocks = sqlite3.connect(self.blocks_path)  # this thread's, read only (WAL: it never blocks save_block)
        try:
            rows = blocks.execute("SELECT record, txs, results FROM blocks WHERE height BETWEEN ? AND ? "
                                  "ORDER BY height", (job.start, job.stop))
            batch: list[IndexJob] = []
            for record, txs, results in rows:
                block = _BLOCK.decode(record)
                batch.append(IndexJob(0, block.height, block.tx_hashes, _TXS.decode(txs), _RESULTS.decode(results),
                                      results))
                if sum(len(saved.tx_hashes) for saved in batch) >= BATCH_TXS:
                    self.process_blocks(batch)
                    batch = []
            if batch:
                self.process_blocks(batch)
        finally:
            blocks.close()

    # ---- lookups (caller's side, after wait_caught_up) ----------------------------------------------------------
    def tx(self, tx_hash: bytes) -> TxRecord | None:
        row = self.reader.execute("SELECT hash, height, idx, tx, result FROM txs WHERE hash = ?", (tx_hash,)).fetchone()
        return to_tx_record(row) if row else None

    def search(self, attr: str, limit: int, offset: int) -> list[TxRecord]:
        if attr.startswith(TX_HEIGHT):
            height = attr.removeprefix(TX_HEIGHT)
            if not (height.isascii() and height.isdigit() and str(int(height)) == height and int(height) < 2**63):
                return []  # no tx is at a height written any other way
            rows = self.reader.execute("SELECT hash, height, idx, tx, result FROM txs WHERE height = ? ORDER BY idx "
                                       "LIMIT ? OFFSET ?", (int(height), limit, offset))
            return [to_tx_record(row) for row in rows]
        rows = self.reader.execute(
            "SELECT t.hash, t.height, t.idx, t.tx, t.result FROM events e JOIN txs t ON t.height = e.height "
            "AND t.idx = e.idx WHERE e.attr = ? ORDER BY e.height, e.idx LIMIT ? OFFSET ?", (attr, limit, offset))
        return [to_tx_record(row) for row in rows]


def to_tx_record(row: tuple) -> TxRecord:
    return TxRecord(hash=row[0], height=row[1], index=row[2], tx=row[3], result=_RESULT.decode(row[4]))


class BlockStore:
    """Blocks by height (``blocks.db``); txs by hash and by event attribute (``txindex.db``, next to it).

    ``path=None`` keeps both files in a temporary directory removed by ``close``.
    """

    def __init__(self, path: str | None) -> None:
        self._tmp = None if path else tempfile.mkdtemp(prefix="surety-blocks-")
        path = path or str(Path(self._tmp) / "blocks.db")
        self.db = connect(path, "FULL")
        self.db.executescript(_BLOCKS_SCHEMA)
        migrate_legacy_blocks(self.db)
        self.index = TxIndex(str(Path(path).with_name(INDEX_FILE)), path)
        self._reindex_on_open()

    def _reindex_on_open(self) -> None:
        """Queue re-indexing every saved block the index may lack: above its height, from a height saved again,
        or all of them if the index is ahead of the blocks (not this store's index)."""
        top, indexed = self.height, self.index.indexed
        start = indexed + 1 if indexed <= top else 1
        stale = get_meta(self.db, STALE_FROM)
        if stale is not None:
            start = min(start, stale)
        if start <= top or indexed > top:
            self.index.submit_rebuild(start, top)

    @property
    def height(self) -> int:
        """The highest saved block (0 if none)."""
        row = self.db.execute("SELECT MAX(height) FROM blocks").fetchone()
        return row[0] or 0

    @property
    def base(self) -> int:
        row = self.db.execute("SELECT MIN(height) FROM blocks").fetchone()
        return row[0] or 0

    def save_block(self, block: BlockRecord, txs: list[bytes], results: list[TxResult],
                   consensus: ConsensusData | None = None, next_valset: tuple[int, ValidatorSetRecord] | None = None) -> None:
        """Save a block, its txs and results, what consensus decided about it (votes, evidence) and the validator
        set it scheduled in one transaction, then queue it for the index."""
        enc = msgspec.msgpack.encode
        height = block.height
        results = results[:len(block.tx_hashes)]  # the real txs' (the entries tx has none)
        results_blob = enc(results)
        with self.db:
            self.db.execute("BEGIN")
            if consensus is not None:
                self.db.execute("INSERT OR REPLACE INTO consensus VALUES (?, ?)", (height, enc(consensus)))
            if next_valset is not None:
                self.db.execute("INSERT OR REPLACE INTO valsets VALUES (?, ?)", (next_valset[0], enc(next_valset[1])))
            if self.db.execute("SELECT 1 FROM blocks WHERE height = ?", (height,)).fetchone():
                # saved before (a replay): its index rows are stale until the indexer has replaced them
                self.db.execute("INSERT INTO meta VALUES (?, ?) ON CONFLICT (key) DO UPDATE "
                                "SET value = MIN(value, excluded.value)", (STALE_FROM, height))
            self.db.execute("INSERT OR REPLACE INTO blocks VALUES (?, ?, ?, ?)",
                            (height, enc(block), enc(txs), results_blob))
        self.index.submit_block(height, block.tx_hashes, txs, results, results_blob)

    def save_valset(self, height: int, valset: ValidatorSetRecord) -> None:
        """Record the validator set in force at ``height`` (genesis sets; later ones come with ``save_block``)."""
        with self.db:
            self.db.execute("INSERT OR REPLACE INTO valsets VALUES (?, ?)", (height, msgspec.msgpack.encode(valset)))

    def valsets(self) -> dict[int, ValidatorSetRecord]:
        """Every recorded validator set by height."""
        return {h: _VALSET.decode(d) for h, d in self.db.execute("SELECT height, data FROM valsets ORDER BY height")}

    def consensus(self, height: int) -> ConsensusData | None:
        row = self.db.execute("SELECT data FROM consensus WHERE height = ?", (height,)).fetchone()
        return _CONSENSUS.decode(row[0]) if row else None

    def block(self, height: int) -> BlockRecord | None:
        row = self.db.execute("SELECT record FROM blocks WHERE height = ?", (height,)).fetchone()
        return _BLOCK.decode(row[0]) if row else None

    def block_txs(self, height: int) -> list[bytes]:
        row = self.db.execute("SELECT txs FROM blocks WHERE height = ?", (height,)).fetchone()
        return _TXS.decode(row[0]) if row else []

    def tx(self, tx_hash: bytes) -> TxRecord | None:
        """The tx with this hash, once every block saved so far is indexed."""
        self.index.wait_caught_up()
        return self.index.tx(tx_hash)

    def search(self, attr: str, limit: int, offset: int) -> list[TxRecord]:
        """Txs with an event attribute ``module.Type.key=value`` (or ``tx.height=N``), oldest first, once every block
        saved so far is indexed."""
        self.index.wait_caught_up()
        return self.index.search(attr, limit, offset)

    def close(self) -> None:
        """Finish indexing, then close both files; raise ``IndexerError`` if the indexer failed."""
        try:
            self.index.close()
            with self.db:  # every height saved again is re-indexed now
                self.db.execute("DELETE FROM meta WHERE key = ?", (STALE_FROM,))
        finally:
            self.db.close()
            if self._tmp is not None:
                shutil.rmtree(self._tmp, ignore_errors=True)
