"""Reusing CheckTx's run of a tx when its block executes it: replay validated by what the run read.

CheckTx runs every admitted tx on the pending check state: the last committed state plus the txs admitted before
it, in order. FinalizeBlock runs the block's txs on the same committed state plus the block's begin-block writes
and the block's earlier txs. A tx's run is a function of the values it read through its state view and of the block
fields it read (its gas, writes, events and result follow from them and from the tx bytes), so FinalizeBlock may
apply a checked run's recorded writes and result instead of running the tx again whenever every key that run read
has the same value now as it had then, and the run read no block field that differs between the two (CheckTx
sees the next height and the chain id as the block does, but not the block's time, proposer, votes or entries).

Whether a key may differ is decided by who wrote it last. The log keeps, for every key, the records that wrote it
(in admission order); the walk over the block keeps, for every key written so far in the block, its last writer: a
record whose writes were applied, or ``FOREIGN`` (a begin-block step, or a tx that was run rather than replayed).
A record may stand for its tx when, for every key it read, the block's last writer of that key is the record's
last predecessor in the log that wrote it (both none: the key still has its committed value on both sides). Then
each of those keys holds the very value the checked run read, whatever order the block puts the txs in, so a node
whose mempool saw the txs in another order than the proposer still reuses the runs of txs that do not depend on
each other. Recorded writes are applied in the key order a run's own branch writes them, so the block's state and
app hash equal a full run's; a node that checked nothing simply runs every tx.

When the block is the first txs CheckTx admitted, in the same order (a devnet's blocks, and a proposer's, whose log
may go on with txs checked after its proposal), and no begin-block step wrote a key any of their runs read, those
records stand for the block at once
(:meth:`Replay.take_all`): by induction along the sequence every run read what it reads now, so the per-key walk
is skipped and the runs' writes are applied together.

The walk does not end with the block: after the commit it goes on over the new check state, whose re-checks of the
pending txs (those the block did not include) are answered the same way. The block's last writers are where it
starts (its end-block writes and its transient keys, which are dropped, count as foreign), and a run that read the
height no longer holds, since the next block's height is another.

This is written by hand: it is the App's own execution model (Block-STM's read-set validation, for a sequence
that was already run once in order), not something a library provides.
"""
from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from typing import Any, Iterable, Iterator

from suretychain.core.context import BlockInfo
from suretychain.core.events import TypedEvent
from suretychain.core.kv import KV, CacheKV



class TrackedCacheKV(CacheKV):
    """A tx's branch that also notes every key read through it and whether it iterated a range."""

    def __init__(self, parent: KV) -> None:
        super().__init__(parent)
        self.read_keys: set[bytes] = set()
        self.iterated = False

    def get(self, key: bytes) -> bytes | None:
        self.read_keys.add(key)
        writes = self.writes
        if key in writes:
            return writes[key]
        return self.parent.get(key)

    def iterate(self, start: bytes, end: bytes | None, reverse: bool = False) -> Iterator[tuple[bytes, bytes]]:
        self.iterated = True
        return super().iterate(start, end, reverse)


class WatchedBlock:
    """The block as CheckTx's run sees it: the chain id is a plain attribute (the same everywhere); reading the
    height is noted (the same in the block, not after the next commit), and so is reading any other field (time,
    proposer, votes, entries), since the block's values will differ."""

    __slots__ = ("chain_id", "_block", "height_read", "other_read")

    def __init__(self, block: BlockInfo) -> None:
        self.chain_id = block.chain_id
        self._block = block
        self.height_read = False
        self.other_read = False

    @property
    def height(self) -> int:
        self.height_read = True
        return self._block.height

    def __getattr__(self, name: str) -> Any:
        self.other_read = True
        return getattr(self._block, name)


@dataclass(slots=True)
class CheckedTx:
    """One admitted tx's checked run: what it read, what it wrote, and its outcome."""

    tx: bytes
    read_keys: set[bytes]
    writes: dict[bytes, bytes | None]
    gas_wanted: int
    gas_used: int
    events: list[TypedEvent]
    replayable: bool  # False if the run iterated a range or read a block field the block will have otherwise
    read_height: bool = False  # the run read the block height: valid for its block, not for the one after


FOREIGN = -1  # last writer of a key that is no checked run: a begin-block step, or a tx that was run


class CheckLog:
    """The checked runs of the txs admitted on one check state, in admission order (reset with that state)."""

    def __init__(self) -> None:
        self.records: list[CheckedTx] = []
        self.position: dict[bytes, int] = {}  # tx bytes -> index of its record (the first one, if admitted twice)
        self.writers: dict[bytes, list[int]] = {}  # key -> indices of the records that wrote it, ascending

    def add(self, record: CheckedTx) -> None:
        index = len(self.records)
        self.position.setdefault(record.tx, index)
        self.records.append(record)
        for key in record.writes:
            self.writers.setdefault(key, []).append(index)

    def txs(self) -> list[bytes]:
        return [record.tx for record in self.records]

    def get_last_writer_before(self, key: bytes, index: int) -> int | None:
        """The last record before ``index`` that wrote ``key`` (None: none did)."""
        written = self.writers.get(key)
        if not written:
            return None
        at = bisect_left(written, index)
        return written[at - 1] if at else None


class Replay:
    """Walks txs against a check log, keeping each written key's last writer (module docstring): a block's txs on
    the block's state (``last_writer`` starts as the begin-block writes, all ``FOREIGN``), then, after the block's
    commit, the pending txs re-checked on the new check state (``next_height``: it continues with the block's
    last writers, so a pending tx whose reads the block did not change is re-admitted without running)."""

    def __init__(self, log: CheckLog, foreign_writes: Iterable[bytes]) -> None:
        self.log = log
        self.last_writer: dict[bytes, int] = dict.fromkeys(foreign_writes, FOREIGN)
        self.used: set[int] = set()
        self.same_height = True

    def next_height(self, foreign_writes: Iterable[bytes]) -> "Replay":
        """The walk goes on over the next height's check state: ``foreign_writes`` (the block's end-block writes
        and its transient keys, which are dropped) now have values no record saw, and records that read the
        height no longer hold."""
        self.note_run(foreign_writes)
        self.same_height = False
        return self

    def take(self, tx: bytes) -> CheckedTx | None:
        """The record whose writes and result stand for running ``tx`` now, or None (then run it and
        :meth:`note_run`)."""
        index = self.log.position.get(tx)
        if index is None or index in self.used:
            return None
        record = self.log.records[index]
        if not (record.replayable and (self.same_height or not record.read_height)
                and self.is_read_unchanged(record, index)):
            return None
        self.used.add(index)
        for key in record.writes:
            self.last_writer[key] = index
        return record

    def take_all(self, txs: tuple[bytes, ...]) -> list[CheckedTx] | None:
        """The first ``len(txs)`` records at once, or None: when the block's txs are exactly the log's first
        records, in its order (the log may go on with txs checked after the proposal), every one of those runs is
        replayable, and no key any of them read was written in the block before its first tx (by a begin-block
        step), then each run read, key by key, the value it reads now (by induction along the sequence), so those
        records stand for the block's txs. This is :meth:`take` for each tx in turn without the per-key walk; it
        applies only to a fresh walk (nothing taken yet)."""
        log, count = self.log, len(txs)
        records = log.records[:count]
        if self.used or not self.same_height or not txs or len(records) != count:
            return None
        written = self.last_writer.keys()  # so far only the begin-block writes
        for record, tx in zip(records, txs):
            if record.tx != tx or not record.replayable or not written.isdisjoint(record.read_keys):
                return None
        self.used.update(range(count))
        last_writer = self.last_writer
        for key, writers in log.writers.items():
            if writers[0] < count:
                last_writer[key] = writers[-1] if writers[-1] < count else log.get_last_writer_before(key, count)
        return records

    def is_read_unchanged(self, record: CheckedTx, index: int) -> bool:
        """Every key the record read has, now, the writer it had when the record was checked."""
        last_writer, log = self.last_writer, self.log
        return all(last_writer.get(key) == log.get_last_writer_before(key, index) for key in record.read_keys)

    def note_run(self, writes: Iterable[bytes]) -> None:
        """A tx was run, not replayed (or a block step wrote): every key written now has a value no record saw."""
        for key in writes:
            self.last_writer[key] = FOREIGN


def compute_combined_writes(records: list[CheckedTx]) -> dict[bytes, bytes | None]:
    """The writes of several records applied in order: each key's last value."""
    combined: dict[bytes, bytes | None] = {}
    for record in records:
        combined.update(record.writes)
    return combined


def apply_writes(parent: KV, writes: dict[bytes, bytes | None]) -> None:
    """Write a recorded branch into ``parent`` exactly as the branch's own ``write`` would have (in key order)."""
    for key in sorted(writes):
        value = writes[key]
        if value is None:
            parent.delete(key)
        else:
            parent.set(key, value)
