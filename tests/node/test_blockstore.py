"""The devnet block store: blocks in ``blocks.db``, the tx and event index in ``txindex.db`` written by a thread.

Lookups see every saved block at once (read your writes); the index is rebuilt from the blocks' result blobs when it
is missing or behind; a block saved again replaces its rows; homes of the older one-file layout open and migrate;
indexer errors reach the caller."""
from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from suretychain.core.app import TxResult
from suretychain.core.events import Attribute, Event
from suretychain.node.backend import BlockRecord
from suretychain.node.devnet import blockstore
from suretychain.node.devnet.blockstore import (
    INDEX_FILE,
    BlockStore,
    IndexerError,
    IndexJob,
    compute_index_keys,
)


def make_tx(height: int, index: int) -> bytes:
    return f"tx {height}/{index}".encode()


def make_result(height: int, index: int, tag: str = "a") -> TxResult:
    return TxResult(gas_used=height * 100 + index, events=[
        Event(module="bank", type="Transfer", attributes=[Attribute("sender", f"s{index % 3}"),
                                                          Attribute("amount", f"{index}usrt")]),
        Event(module="test", type="Tag", attributes=[Attribute("tag", tag), Attribute("height", str(height))]),
    ])


def make_block(height: int, count: int, tag: str = "a") -> tuple[BlockRecord, list[bytes], list[TxResult]]:
    """A block of ``count`` txs, plus one trailing entries tx (saved, never indexed) as the devnet saves it."""
    txs = [make_tx(height, i) + tag.encode() for i in range(count)]
    hashes = [hashlib.sha256(tx).digest() for tx in txs]
    record = BlockRecord(height=height, hash=hashlib.sha256(b"block %d" % height).digest(), time_ns=height,
                         proposer=bytes(20), app_hash=bytes(32), tx_hashes=hashes, events=[])
    return record, txs + [b"entries"], [make_result(height, i, tag) for i in range(count)]


def save_chain(store: BlockStore, heights: range, count: int = 3) -> list[BlockRecord]:
    blocks = []
    for height in heights:
        record, txs, results = make_block(height, count)
        store.save_block(record, txs, results)
        blocks.append(record)
    return blocks


def index_rows(path) -> tuple[int, int, int]:
    """(indexed height, txs rows, events rows) read straight from txindex.db."""
    db = sqlite3.connect(path)
    try:
        row = db.execute("SELECT value FROM meta WHERE key = 'height'").fetchone()
        return row[0] if row else 0, db.execute("SELECT COUNT(*) FROM txs").fetchone()[0], \
            db.execute("SELECT COUNT(*) FROM events").fetchone()[0]
    finally:
        db.close()


def test_index_caught_up_after_save(tmp_path):
    store = BlockStore(str(tmp_path / "blocks.db"))
    save_chain(store, range(1, 6))
    store.index.wait_caught_up()
    assert store.index.indexed == 5
    store.close()
    keys_per_tx = len(compute_index_keys(make_result(1, 0)))
    assert index_rows(tmp_path / INDEX_FILE) == (5, 15, 15 * keys_per_tx)


def test_lookups_right_after_save_find_the_tx(tmp_path):
    store = BlockStore(str(tmp_path / "blocks.db"))
    for height in range(1, 30):
        record, txs, results = make_block(height, 5)
        store.save_block(record, txs, results)
        found = store.tx(record.tx_hashes[4])  # no wait in between: the lookup waits for the indexer
        assert (found.height, found.index, found.tx, found.result) == (height, 4, txs[4], results[4])
        assert [t.hash for t in store.search(f"test.Tag.height={height}", 10, 0)] == record.tx_hashes
        assert [t.hash for t in store.search(f"tx.height={height}", 10, 0)] == record.tx_hashes
    assert store.tx(hashlib.sha256(b"entries").digest()) is None  # the entries tx is not indexed
    assert [t.height for t in store.search("bank.Transfer.sender=s1", 3, 2)] == [2, 2, 3]
    store.close()


def test_events_rows_match_compute_index_keys(tmp_path):
    """The indexer's SQL forms the same ``module.Type.key=value`` keys as ``compute_index_keys``."""
    store = BlockStore(str(tmp_path / "blocks.db"))
    record, txs, results = make_block(1, 1)
    odd = TxResult(events=[Event(module="m.x", type="T=", attributes=[
        Attribute("k", "a=b.c"), Attribute("k", "a=b.c"), Attribute("q", "\"quote\" \\ é \u2603 \x01\n"),
        Attribute("", "")])])
    store.save_block(record, txs, [odd])
    for key in compute_index_keys(odd):
        assert [t.hash for t in store.search(key, 10, 0)] == record.tx_hashes, key
    store.close()
    assert index_rows(tmp_path / INDEX_FILE)[2] == len(compute_index_keys(odd))


TEXT = st.text(max_size=8)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(TEXT, TEXT, st.lists(st.tuples(TEXT, TEXT), max_size=3)), max_size=4))
def test_events_sql_matches_python(events):
    """Any text (NUL too): the indexer's keys are ``compute_index_keys`` (checked on an in-memory index)."""
    result = TxResult(events=[Event(module=module, type=kind, attributes=[Attribute(k, v) for k, v in pairs])
                              for module, kind, pairs in events])
    db = sqlite3.connect(":memory:")
    db.executescript(blockstore._INDEX_SCHEMA)
    job = IndexJob(1, 9, [bytes(32)], [b"tx"], [result], msgspec.msgpack.encode([result]))
    blockstore.insert_event_rows(db, job)
    assert {row[0] for row in db.execute("SELECT attr FROM events")} == compute_index_keys(result)
    db.close()


def test_restart_rebuilds_a_deleted_index(tmp_path):
    store = BlockStore(str(tmp_path / "blocks.db"))
    blocks = save_chain(store, range(1, 8))
    store.close()
    for suffix in ("", "-wal", "-shm"):
        (tmp_path / (INDEX_FILE + suffix)).unlink(missing_ok=True)
    store = BlockStore(str(tmp_path / "blocks.db"))
    assert store.tx(blocks[3].tx_hashes[1]).height == 4
    assert len(store.search("bank.Transfer.sender=s0", 100, 0)) == 7
    store.close()
    assert index_rows(tmp_path / INDEX_FILE)[:2] == (7, 21)


def test_restart_indexes_blocks_above_an_index_that_is_behind(tmp_path):
    store = BlockStore(str(tmp_path / "blocks.db"))
    save_chain(store, range(1, 4))
    store.close()
    behind = (tmp_path / INDEX_FILE).read_bytes()  # checkpointed by the clean close: the whole index at height 3
    store = BlockStore(str(tmp_path / "blocks.db"))
    later = save_chain(store, range(4, 9))
    store.close()
    for suffix in ("-wal", "-shm"):
        (tmp_path / (INDEX_FILE + suffix)).unlink(missing_ok=True)
    (tmp_path / INDEX_FILE).write_bytes(behind)  # as if killed before the indexer wrote heights 4..8
    assert index_rows(tmp_path / INDEX_FILE)[0] == 3
    store = BlockStore(str(tmp_path / "blocks.db"))
    assert store.tx(later[-1].tx_hashes[2]).height == 8
    assert [t.height for t in store.search("test.Tag.tag=a", 100, 0)] == [h for h in range(1, 9) for _ in range(3)]
    store.close()


def test_an_index_ahead_of_the_blocks_is_rebuilt(tmp_path):
    (tmp_path / "other").mkdir()
    store = BlockStore(str(tmp_path / "other" / "blocks.db"))
    save_chain(store, range(1, 6))
    store.close()
    mine = BlockStore(str(tmp_path / "blocks.db"))
    save_chain(mine, range(1, 3), count=1)
    mine.close()
    for suffix in ("", "-wal", "-shm"):  # an index of a longer, other chain
        source = tmp_path / "other" / (INDEX_FILE + suffix)
        if source.exists():
            (tmp_path / (INDEX_FILE + suffix)).write_bytes(source.read_bytes())
    store = BlockStore(str(tmp_path / "blocks.db"))
    assert len(store.search("test.Tag.tag=a", 100, 0)) == 2
    store.close()
    assert index_rows(tmp_path / INDEX_FILE)[:2] == (2, 2)


SAVER = """
import sys, time
sys.path.insert(0, sys.argv[2])
from test_blockstore import make_block
from suretychain.node.devnet import blockstore
index_blocks = blockstore.TxIndex.process_blocks
def slow(self, jobs):  # an indexer that lags, so the kill finds saved blocks it has not indexed
    time.sleep(0.2)
    index_blocks(self, jobs)
blockstore.TxIndex.process_blocks = slow
store = blockstore.BlockStore(sys.argv[1])
for height in range(1, 1000):
    record, txs, results = make_block(height, 50)
    store.save_block(record, txs, results)
    print(height, flush=True)
"""


def test_sigkill_with_the_index_behind_loses_nothing(tmp_path):
    root = Path(__file__).resolve().parents[2]
    proc = subprocess.Popen([sys.executable, "-c", SAVER, str(tmp_path / "blocks.db"), str(Path(__file__).parent)],
                            cwd=root, stdout=subprocess.PIPE, text=True)
    try:
        saved = [int(proc.stdout.readline()) for _ in range(8)]  # each printed after save_block returned
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        proc.stdout.close()
    assert index_rows(tmp_path / INDEX_FILE)[0] < saved[-1]  # killed with saved blocks not yet indexed
    store = BlockStore(str(tmp_path / "blocks.db"))
    assert store.height >= saved[-1]
    for height in saved:
        record, txs, results = make_block(height, 50)
        found = store.tx(record.tx_hashes[-1])
        assert (found.height, found.index, found.tx, found.result) == (height, 49, txs[49], results[49])
    assert len(store.search("test.Tag.tag=a", 10_000, 0)) == 50 * store.height
    store.close()


def test_saving_a_height_again_replaces_its_index_rows(tmp_path):
    store = BlockStore(str(tmp_path / "blocks.db"))
    save_chain(store, range(1, 4))
    old = store.tx(store.block(2).tx_hashes[0])
    record, txs, results = make_block(2, 2, tag="b")  # a replay with other txs
    store.save_block(record, txs, results)
    assert store.tx(old.hash) is None
    assert [t.hash for t in store.search("test.Tag.tag=b", 10, 0)] == record.tx_hashes
    assert [t.height for t in store.search("test.Tag.height=2", 10, 0)] == [2, 2]
    assert [t.index for t in store.search("tx.height=2", 10, 0)] == [0, 1]
    store.close()


def test_indexer_error_is_raised_and_the_next_open_repairs(tmp_path, monkeypatch):
    store = BlockStore(str(tmp_path / "blocks.db"))
    save_chain(store, range(1, 4))
    store.index.wait_caught_up()

    def fail(self, jobs):
        raise sqlite3.OperationalError("disk I/O error (test)")

    monkeypatch.setattr(blockstore.TxIndex, "process_blocks", fail)
    record, txs, results = make_block(2, 2, tag="b")  # saved again, then the indexer fails
    store.save_block(record, txs, results)
    with pytest.raises(IndexerError, match="disk I/O error"):
        store.tx(record.tx_hashes[0])
    with pytest.raises(IndexerError):
        store.search("test.Tag.tag=b", 10, 0)
    assert store.block(2) == record  # block lookups do not depend on the index
    with pytest.raises(IndexerError):
        store.close()
    monkeypatch.undo()
    store = BlockStore(str(tmp_path / "blocks.db"))  # height 2 was saved again: re-indexed from there
    assert [t.hash for t in store.search("test.Tag.tag=b", 10, 0)] == record.tx_hashes
    assert [t.height for t in store.search("test.Tag.tag=a", 10, 0)] == [1, 1, 1, 3, 3, 3]
    store.close()


LEGACY_SCHEMA = """
CREATE TABLE blocks (height INTEGER PRIMARY KEY, record BLOB NOT NULL, txs BLOB NOT NULL);
CREATE TABLE txs (hash BLOB PRIMARY KEY, height INTEGER NOT NULL, idx INTEGER NOT NULL, tx BLOB NOT NULL,
                  result BLOB NOT NULL);
CREATE INDEX txs_by_height ON txs (height, idx);
CREATE TABLE events (attr TEXT NOT NULL, height INTEGER NOT NULL, idx INTEGER NOT NULL,
                     PRIMARY KEY (attr, height, idx)) WITHOUT ROWID;
CREATE TABLE consensus (height INTEGER PRIMARY KEY, data BLOB NOT NULL);
CREATE TABLE valsets (height INTEGER PRIMARY KEY, data BLOB NOT NULL);
"""


def write_legacy_home(path, heights: range) -> list[BlockRecord]:
    """blocks.db as the one-file store wrote it: per-tx txs rows and event rows, no results blob."""
    enc = msgspec.msgpack.encode
    db = sqlite3.connect(path)
    db.executescript(LEGACY_SCHEMA)
    blocks = []
    for height in heights:
        record, txs, results = make_block(height, 0 if height == 2 else 3)  # an empty block too
        db.execute("INSERT INTO blocks VALUES (?, ?, ?)", (height, enc(record), enc(txs)))
        for index, (tx_hash, tx, result) in enumerate(zip(record.tx_hashes, txs, results)):
            db.execute("INSERT INTO txs VALUES (?, ?, ?, ?, ?)", (tx_hash, height, index, tx, enc(result)))
            db.executemany("INSERT INTO events VALUES (?, ?, ?)",
                           [(key, height, index) for key in compute_index_keys(result)])
        blocks.append(record)
    db.commit()
    db.close()
    return blocks


def test_a_home_of_the_older_layout_opens_and_is_migrated(tmp_path):
    blocks = write_legacy_home(tmp_path / "blocks.db", range(1, 5))
    store = BlockStore(str(tmp_path / "blocks.db"))
    assert store.height == 4 and store.block(3) == blocks[2]
    found = store.tx(blocks[3].tx_hashes[1])
    assert (found.height, found.index, found.result) == (4, 1, make_result(4, 1))
    assert [t.height for t in store.search("bank.Transfer.sender=s0", 10, 0)] == [1, 3, 4]
    record, txs, results = make_block(5, 2)
    store.save_block(record, txs, results)
    assert [t.height for t in store.search("test.Tag.tag=a", 100, 0)] == [1, 1, 1, 3, 3, 3, 4, 4, 4, 5, 5]
    store.close()
    db = sqlite3.connect(tmp_path / "blocks.db")
    tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"txs", "events"}.isdisjoint(tables)  # per-tx rows live in txindex.db only
    assert db.execute("SELECT COUNT(*) FROM blocks WHERE results IS NULL").fetchone()[0] == 0
    assert db.execute("SELECT COUNT(*) FROM meta").fetchone()[0] == 0  # the clean close cleared the rebuild mark
    db.close()
    store = BlockStore(str(tmp_path / "blocks.db"))  # and it opens again as a current home
    assert store.tx(blocks[0].tx_hashes[0]).height == 1
    store.close()


def test_a_store_without_a_path_lives_in_a_temporary_directory():
    store = BlockStore(None)
    record, txs, results = make_block(1, 2)
    store.save_block(record, txs, results)
    assert store.tx(record.tx_hashes[1]).index == 1
    directory = store._tmp
    store.close()
    assert not os.path.exists(directory)
