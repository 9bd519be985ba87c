"""Typed hooks: a module announces what happened as a typed record; other modules subscribe to the kinds they need.

The staking module, for example, calls ``hooks.emit(ctx, ValidatorSlashed(...))``; distribution and insurance
subscribe to it in ``suretychain/app.py``, in a fixed order. A subscriber implements only the hooks it uses (no empty
methods), and the records carry every figure a subscriber needs, so no one has to read another module's store.
A hook that raises aborts the tx (or fails the block step) like any rule.
"""
from __future__ import annotations

from typing import Any, Callable

from suretychain.core.context import Context

Subscriber = Callable[[Context, Any], None]


class Hooks:
    """An ordered registry of subscribers per hook record type."""

    def __init__(self) -> None:
        self._subscribers: dict[type, list[Subscriber]] = {}

    def subscribe(self, kind: type, subscriber: Subscriber) -> None:
        """Call ``subscriber(ctx, record)`` for every emitted record of type ``kind``, after earlier subscribers."""
        self._subscribers.setdefault(kind, []).append(subscriber)

    def emit(self, ctx: Context, record: Any) -> None:
        """Deliver ``record`` to the subscribers of its type, in subscription order."""
        for subscriber in self._subscribers.get(type(record), ()):
            subscriber(ctx, record)

    def kinds(self) -> list[str]:
        """Names of the hook types that have subscribers (for docs and tests)."""
        return sorted(kind.__name__ for kind in self._subscribers)
