"""Typed events: each module declares its events as structs; they travel as ``(module, type, attributes)``.

A module declares ``class BankEvent(TypedEvent): MODULE = "bank"``, then ``class Transfer(BankEvent)`` with typed fields and emits instances with
``ctx.emit(...)``. The App turns them into :class:`Event` records (attribute values as text), in emission order,
for tx results, block results, the block store and the live stream.
"""
from __future__ import annotations

from typing import Any, ClassVar

import msgspec

from suretychain.core.dec import Dec
from suretychain.core.encoding import Address, Record


class Attribute(Record):
    """One ``key=value`` pair of an event."""

    key: str
    value: str


class Event(Record):
    """A generic event as stored and served: module, type and attributes in field order."""

    module: str
    type: str
    attributes: list[Attribute]

    def get(self, key: str) -> str | None:
        """The value of attribute ``key``, or None."""
        for attribute in self.attributes:
            if attribute.key == key:
                return attribute.value
        return None


class TypedEvent(msgspec.Struct, frozen=True):
    """Base of a module's typed event structs; each module subclasses it once and sets ``MODULE``."""

    MODULE: ClassVar[str] = ""

    def to_event(self) -> Event:
        """The generic form: attribute values rendered as text."""
        renderers = _RENDERERS
        attributes = []
        for name, value in zip(self.__struct_fields__, msgspec.structs.astuple(self)):
            render = renderers.get(type(value), render_value)  # the exact type's renderer, as render_value would
            attributes.append(Attribute(key=name, value=render(value)))
        return Event(module=self.MODULE, type=type(self).__name__, attributes=attributes)


def render_events(events: list[TypedEvent]) -> list[Event]:
    """The generic form of a list of emitted events, in emission order."""
    return [event.to_event() for event in events]


def render_value(value: Any) -> str:
    """An attribute value as text: coins as ``10usrt,5uusd``, bytes as hex, everything else by ``str``."""
    render = _RENDERERS.get(type(value))
    if render is not None:
        return render(value)
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).hex()
    if isinstance(value, (list, tuple)):
        return _render_list(value)
    return str(value)


def _render_list(values: list[Any] | tuple[Any, ...]) -> str:
    return ",".join([render_value(v) for v in values])


# Exact types first (the common ones: addresses, amounts, coin lists), by a dict lookup instead of isinstance chains.
_RENDERERS: dict[type, Any] = {
    str: str,
    int: str,
    Address: str,
    Dec: str,
    bool: lambda v: "true" if v else "false",
    bytes: bytes.hex,
    list: _render_list,
}


def register_renderer(typ: type, render: Any) -> None:
    """Render values of exactly ``typ`` with ``render`` (for value types defined above core.events, like ``Coin``)."""
    _RENDERERS[typ] = render
