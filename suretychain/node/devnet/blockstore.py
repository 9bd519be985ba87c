"""The devnet's block store: blocks, txs, their results and an event index, in SQLite.

A block is saved (``save_block``) *before* the App commits its state, as CometBFT saves a block before executing
it; its results are saved with it. On restart the node replays any saved block the state has not committed, so a
crash between the two writes loses nothing.
"""
from __future__ import annotations

import sqlite3
from typing import Iterator

import msgspec

from suretychain.core.app import TxResult
from suretychain.core.events import Event
from suretychain.node.backend import BlockRecord, TxRecord

_SCHEMA = """
CREATE TABLE IF NOT EXISTS blocks (height INTEGER PRIMARY KEY, record BLOB NOT NULL, txs BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS txs (hash BLOB PRIMARY KEY, height INTEGER NOT NULL, idx INTEGER NOT NULL,
                                tx BLOB NOT NULL, result BLOB NOT NULL);
CREATE INDEX IF NOT EXISTS txs_by_height ON txs (height, idx);
CREATE TABLE IF NOT EXISTS events (attr TEXT NOT NULL, height INTEGER NOT NULL, idx INTEGER NOT NULL,
                                   PRIMARY KEY (attr, height, idx)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS consensus (height INTEGER PRIMARY KEY, data BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS valsets (height INTEGER PRIMARY KEY, data BLOB NOT NULL);
"""

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
_TXS = msgspec.msgpack.Decoder(list[bytes])


def event_keys(event: Event) -> Iterator[str]:
    """The index entries of one event: ``module.Type.key=value`` for each attribute."""
    for attribute in event.attributes:
        yield f"{event.module}.{event.type}.{attribute.key}={attribute.value}"


def compute_index_keys(result: TxResult) -> set[str]:
    """The index entries of one tx: its events' attributes, each once (``tx.height=H`` is read from the txs table)."""
    return {key for event in result.events for key in event_keys(event)}


class BlockStore:
    """Blocks by height, txs by hash, and txs by event attribute."""

    def __init__(self, path: str | None) -> None:
        self.db = sqlite3.connect(path or ":memory:", isolation_level=None, check_same_thread=False)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=FULL")
        self.db.executescript(_SCHEMA)

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
        set it scheduled, and index the events: all in one transaction."""
        enc = msgspec.msgpack.encode
        with self.db:
            self.db.execute("BEGIN")
            if consensus is not None:
                self.db.execute("INSERT OR REPLACE INTO consensus VALUES (?, ?)", (block.height, enc(consensus)))
            if next_valset is not None:
                self.db.execute("INSERT OR REPLACE INTO valsets VALUES (?, ?)", (next_valset[0], enc(next_valset[1])))
            if self.db.execute("SELECT 1 FROM blocks WHERE height = ?", (block.height,)).fetchone():
                # saved before (a replay after a crash): replace it (the events table has no height index)
                self.db.execute("DELETE FROM blocks WHERE height = ?", (block.height,))
                self.db.execute("DELETE FROM txs WHERE height = ?", (block.height,))
                self.db.execute("DELETE FROM events WHERE height = ?", (block.height,))
            self.db.execute("INSERT INTO blocks VALUES (?, ?, ?)", (block.height, enc(block), enc(txs)))
            height = block.height
            self.db.executemany("INSERT OR REPLACE INTO txs VALUES (?, ?, ?, ?, ?)",
                                [(tx_hash, height, index, tx, enc(result)) for index, (tx_hash, tx, result)
                                 in enumerate(zip(block.tx_hashes, txs, results))])
            rows = [(attr, height, index) for index, result in enumerate(results[:len(block.tx_hashes)])
                    for attr in compute_index_keys(result)]
            rows.sort()  # inserting in key order keeps the index's B-tree writes local (about twice as fast)
            self.db.executemany("INSERT INTO events VALUES (?, ?, ?)", rows)

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
        row = self.db.execute("SELECT hash, height, idx, tx, result FROM txs WHERE hash = ?", (tx_hash,)).fetchone()
        return self._tx_record(row) if row else None

    def search(self, attr: str, limit: int, offset: int) -> list[TxRecord]:
        """Txs with an event attribute ``module.Type.key=value`` (or ``tx.height=N``), oldest first."""
        if attr.startswith(TX_HEIGHT):
            height = attr.removeprefix(TX_HEIGHT)
            if not (height.isascii() and height.isdigit() and str(int(height)) == height and int(height) < 2**63):
                return []  # no tx is at a height written any other way
            rows = self.db.execute("SELECT hash, height, idx, tx, result FROM txs WHERE height = ? ORDER BY idx "
                                   "LIMIT ? OFFSET ?", (int(height), limit, offset))
            return [self._tx_record(row) for row in rows]
        rows = self.db.execute(
            "SELECT t.hash, t.height, t.idx, t.tx, t.result FROM events e JOIN txs t ON t.height = e.height "
            "AND t.idx = e.idx WHERE e.attr = ? ORDER BY e.height, e.idx LIMIT ? OFFSET ?", (attr, limit, offset))
        return [self._tx_record(row) for row in rows]

    @staticmethod
    def _tx_record(row: tuple) -> TxRecord:
        return TxRecord(hash=row[0], height=row[1], index=row[2], tx=row[3], result=_RESULT.decode(row[4]))

    def close(self) -> None:
        self.db.close()
