"""The context a rule runs in: the state view, the block it belongs to, the gas meter and the event sink.

It is the explicit ``state`` of the pyspec: rule code reads the block height and time from ``ctx.block`` (decided by
consensus), never from a clock, and reaches only its own module's prefix through its keeper.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from suretychain.core.events import TypedEvent
from suretychain.core.gas import GasMeter, infinite_meter
from suretychain.core.kv import KV, TRANSIENT_PREFIX, CacheKV, ModuleKV


@dataclass(frozen=True)
class VoteInfo:
    """One validator's entry in the decided last commit: its consensus address, power and whether it signed."""

    address: bytes
    power: int
    signed: bool


@dataclass(frozen=True)
class Misbehavior:
    """Evidence of a fault from consensus (duplicate vote or light-client attack)."""

    kind: str  # "duplicate_vote" | "light_client_attack"
    validator_address: bytes
    validator_power: int
    height: int
    time_ns: int
    total_voting_power: int


@dataclass(frozen=True)
class BlockInfo:
    """What consensus decided about the block being executed."""

    chain_id: str
    height: int
    time_ns: int  # unix nanoseconds from the block header
    proposer: bytes = b""
    last_commit: tuple[VoteInfo, ...] = ()
    misbehavior: tuple[Misbehavior, ...] = ()
    hash: bytes = b""
    entries: tuple[tuple[str, bytes], ...] = ()  # the proposer's entries by module name (the block's first tx)

    def entry(self, module: str) -> bytes | None:
        """The proposer's entry for ``module`` in this block, if it has one."""
        for name, entry in self.entries:
            if name == module:
                return entry
        return None


@dataclass(slots=True)
class Context:
    """Everything a handler or hook may use. Built by the App; modules never build one."""

    kv: KV
    block: BlockInfo
    gas_meter: GasMeter = field(default_factory=infinite_meter)
    events: list[TypedEvent] = field(default_factory=list)  # as emitted; the App renders them for results
    verify_signature: Callable[[bytes, bytes, bytes], bool] | None = None  # set by the App for the ante step

    _stores: dict[bytes, ModuleKV] = field(default_factory=dict, init=False, repr=False, compare=False)

    def store(self, prefix: bytes) -> ModuleKV:
        """The gas-metered view of one module's prefix (built once per context, kv and meter)."""
        view = self._stores.get(prefix)
        if view is None or view.parent is not self.kv or view.meter is not self.gas_meter:
            view = self._stores[prefix] = ModuleKV(self.kv, self.gas_meter, prefix)
        return view

    def transient_store(self, prefix: bytes) -> ModuleKV:
        """The gas-metered view of one module's transient prefix: written and read like its store within a block (or
        within the check state), never committed: the App drops it when the block's writes are staged."""
        return self.store(TRANSIENT_PREFIX + prefix)

    def emit(self, event: TypedEvent) -> None:
        """Record a typed event of the current tx or block step (rendered as text only if someone reads it)."""
        self.events.append(event)

    def branch(self) -> tuple["Context", CacheKV]:
        """A child context whose writes and events are kept only if the caller writes the cache and adopts the events."""
        cache = CacheKV(self.kv)
        return Context(kv=cache, block=self.block, gas_meter=self.gas_meter, events=[],
                       verify_signature=self.verify_signature), cache
