"""Key-value views the state machine works through: committed, cached (branchable), prefixed and gas-metered.

A block runs on a :class:`CacheKV` over the committed store; each tx runs on a further branch of it, written back
only if every msg of the tx succeeds (atomicity). Iteration is always in byte order of keys, so nothing depends on
the order of a Python dict or set.
"""
from __future__ import annotations

from typing import Iterator, Mapping, Protocol

from sortedcontainers import SortedList

from suretychain.core import gas as G
from suretychain.core.gas import GasMeter


class KV(Protocol):
    """What rule code may do to state."""

    def get(self, key: bytes) -> bytes | None: ...
    def set(self, key: bytes, value: bytes) -> None: ...
    def delete(self, key: bytes) -> None: ...
    def iterate(self, start: bytes, end: bytes | None, reverse: bool = False) -> Iterator[tuple[bytes, bytes]]: ...


# Keys under this prefix live only in a block's (or the check state's) cache and are never committed; module
# prefixes are ASCII names, so none starts with 0x00.
TRANSIENT_PREFIX = b"\x00transient/"


def prefix_end(prefix: bytes) -> bytes | None:
    """The smallest key greater than every key starting with ``prefix`` (None if there is none)."""
    stripped = prefix.rstrip(b"\xff")
    if not stripped:
        return None
    return stripped[:-1] + bytes([stripped[-1] + 1])


class CommittedKV:
    """Read-only view of a :class:`CommitStore` at one version; writes are a programming error."""

    def __init__(self, store, version: int | None = None) -> None:  # noqa: ANN001 (CommitStore)
        self.store = store
        self.version = version

    def get(self, key: bytes) -> bytes | None:
        return self.store.get(key, self.version)

    def set(self, key: bytes, value: bytes) -> None:
        raise RuntimeError("committed state is read-only")

    def delete(self, key: bytes) -> None:
        raise RuntimeError("committed state is read-only")

    def iterate(self, start: bytes, end: bytes | None, reverse: bool = False) -> Iterator[tuple[bytes, bytes]]:
        return self.store.iterate(start, end, self.version, reverse)


class CacheKV:
    """Buffered writes over a parent view; :meth:`write` flushes them into the parent, dropping the cache discards them.

    Range iteration needs the cached keys in order. Most caches (a tx's) never iterate, so the sorted index
    (``sortedcontainers.SortedList``) is built on the first iteration and kept up to date after that: a block or
    genesis cache holding many writes then answers each range in O(log n + k) instead of rescanning every key.
    """

    def __init__(self, parent: KV) -> None:
        self.parent = parent
        self.writes: dict[bytes, bytes | None] = {}
        self._index: SortedList | None = None

    def get(self, key: bytes) -> bytes | None:
        view: KV = self
        while type(view) is CacheKV:  # walk a chain of caches (tx ← block) in one call
            writes = view.writes  # type: ignore[attr-defined]
            if key in writes:
                return writes[key]
            view = view.parent  # type: ignore[attr-defined]
        return view.get(key)

    def set(self, key: bytes, value: bytes) -> None:
        if self._index is not None and key not in self.writes:
            self._index.add(key)
        self.writes[key] = value

    def delete(self, key: bytes) -> None:
        if self._index is not None and key not in self.writes:
            self._index.add(key)
        self.writes[key] = None

    def iterate(self, start: bytes, end: bytes | None, reverse: bool = False) -> Iterator[tuple[bytes, bytes]]:
        """Merge the parent's keys with the cached writes, in byte order (reversed if asked)."""
        if self._index is None:
            self._index = SortedList(self.writes)
        cached = list(self._index.irange(start, end, inclusive=(True, False), reverse=reverse))
        parent_iter = self.parent.iterate(start, end, reverse)
        return _merge(parent_iter, cached, self.writes, reverse)

    def write(self) -> None:
        """Flush the buffered writes into the parent, in key order."""
        for key in sorted(self.writes):
            value = self.writes[key]
            if value is None:
                self.parent.delete(key)
            else:
                self.parent.set(key, value)
        self.writes = {}
        self._index = None

    def discard_transient(self) -> None:
        """Forget every buffered write of a transient key (a block's, before its writes are staged)."""
        self.writes = {key: value for key, value in self.writes.items() if not key.startswith(TRANSIENT_PREFIX)}
        self._index = None

    def branch(self) -> "CacheKV":
        """A child cache: changes reach this one only when the child is written."""
        return CacheKV(self)

    def checkpoint(self) -> dict[bytes, bytes | None]:
        """The buffered writes as they are now, for :meth:`rollback` (a tx's ante effects, kept if its msgs fail)."""
        return dict(self.writes)

    def rollback(self, mark: dict[bytes, bytes | None]) -> None:
        """Forget every write made since ``mark`` was taken."""
        self.writes = mark
        self._index = None


class LatestKV:
    """Read-only view of the latest committed version with a read-through memo of the values it has served.

    The App reads the same few keys (accounts, balances, params) block after block; each miss costs an SQLite query.
    The memo belongs to the version it was filled at: :meth:`advance` carries it to the next version with that
    block's writes (the App calls it right after its own commit); any other change of version (a restore from a
    snapshot) clears it. Values are the committed bytes themselves, so a hit and a miss return the same answer.
    """

    def __init__(self, store, max_items: int = 1 << 18) -> None:  # noqa: ANN001 (CommitStore)
        self.store = store
        self.max_items = max_items
        self._version = store.version
        self._values: dict[bytes, bytes | None] = {}

    def get(self, key: bytes) -> bytes | None:
        values = self._values
        if self._version != self.store.version:
            values.clear()
            self._version = self.store.version
        elif key in values:
            return values[key]
        value = self.store.get(key)
        if len(values) >= self.max_items:
            values.clear()
        values[key] = value
        return value

    def advance(self, base_version: int, writes: Mapping[bytes, bytes | None]) -> None:
        """The store has just committed ``writes`` on top of ``base_version``: the memo moves to the new version."""
        values = self._values
        if self._version != base_version or len(values) + len(writes) > self.max_items:
            values.clear()
        else:
            values.update(writes)
        self._version = self.store.version

    def set(self, key: bytes, value: bytes) -> None:
        raise RuntimeError("committed state is read-only")

    def delete(self, key: bytes) -> None:
        raise RuntimeError("committed state is read-only")

    def iterate(self, start: bytes, end: bytes | None, reverse: bool = False) -> Iterator[tuple[bytes, bytes]]:
        return self.store.iterate(start, end, None, reverse)


def _merge(parent_iter: Iterator[tuple[bytes, bytes]], cached: list[bytes], writes: Mapping[bytes, bytes | None],
           reverse: bool) -> Iterator[tuple[bytes, bytes]]:
    before = (lambda a, b: a > b) if reverse else (lambda a, b: a < b)
    i = 0
    for key, value in parent_iter:
        while i < len(cached) and before(cached[i], key):
            if writes[cached[i]] is not None:
                yield cached[i], writes[cached[i]]  # type: ignore[misc]
            i += 1
        if i < len(cached) and cached[i] == key:
            if writes[key] is not None:
                yield key, writes[key]  # type: ignore[misc]
            i += 1
            continue
        yield key, value
    for key in cached[i:]:
        if writes[key] is not None:
            yield key, writes[key]  # type: ignore[misc]


class ModuleKV:
    """A module's own part of the state, gas-metered: every key is stored under ``prefix``, and every access is
    charged to the tx's meter by the full key's length (prefix included) before it is forwarded to ``parent``."""

    __slots__ = ("parent", "meter", "prefix")

    def __init__(self, parent: KV, meter: GasMeter, prefix: bytes) -> None:
        self.parent = parent
        self.meter = meter
        self.prefix = prefix

    # get and set add to the meter inline (the hottest lines of a tx); past the limit, ``consume(0, ...)`` raises
    # the same ErrOutOfGas that ``consume(cost, ...)`` would have.
    def get(self, key: bytes) -> bytes | None:
        full = self.prefix + key
        meter = self.meter
        meter.consumed += G.READ_COST_FLAT + G.READ_COST_PER_BYTE * len(full)
        if meter.consumed > meter.limit:
            meter.consume(0, "read")
        value = self.parent.get(full)
        if value is not None:
            meter.consumed += G.READ_COST_PER_BYTE * len(value)
            if meter.consumed > meter.limit:
                meter.consume(0, "read value")
        return value

    def set(self, key: bytes, value: bytes) -> None:
        full = self.prefix + key
        meter = self.meter
        meter.consumed += G.WRITE_COST_FLAT + G.WRITE_COST_PER_BYTE * (len(full) + len(value))
        if meter.consumed > meter.limit:
            meter.consume(0, "write")
        self.parent.set(full, value)

    def delete(self, key: bytes) -> None:
        self.meter.consume(G.DELETE_COST, "delete")
        self.parent.delete(self.prefix + key)

    def iterate(self, start: bytes, end: bytes | None, reverse: bool = False) -> Iterator[tuple[bytes, bytes]]:
        full_end = self.prefix + end if end is not None else prefix_end(self.prefix)
        return self._metered(self.prefix + start, full_end, reverse)

    def iterate_prefix(self, prefix: bytes, reverse: bool = False) -> Iterator[tuple[bytes, bytes]]:
        """All keys starting with ``prefix`` (relative to this store)."""
        return self._metered(self.prefix + prefix, prefix_end(self.prefix + prefix), reverse)

    def _metered(self, start: bytes, end: bytes | None, reverse: bool) -> Iterator[tuple[bytes, bytes]]:
        n = len(self.prefix)
        for key, value in self.parent.iterate(start, end, reverse):
            self.meter.consume(G.ITER_NEXT_COST_FLAT + G.READ_COST_PER_BYTE * (len(key) + len(value)), "iterate")
            yield key[n:], value


class RecordingKV:
    """Read-only pass-through that remembers every point read, so a query can prove what it read."""

    def __init__(self, parent: KV) -> None:
        self.parent = parent
        self.read_keys: list[bytes] = []

    def get(self, key: bytes) -> bytes | None:
        if key not in self.read_keys:
            self.read_keys.append(key)
        return self.parent.get(key)

    def set(self, key: bytes, value: bytes) -> None:
        raise RuntimeError("queries are read-only")

    def delete(self, key: bytes) -> None:
        raise RuntimeError("queries are read-only")

    def iterate(self, start: bytes, end: bytes | None, reverse: bool = False) -> Iterator[tuple[bytes, bytes]]:
        return self.parent.iterate(start, end, reverse)
