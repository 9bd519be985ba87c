"""The module protocol: what a module gives the App.

A module is a name, its keeper (the only object that touches its prefix of the state), its msg routes, its
queries, its begin/end block hooks, its genesis functions, its invariants and, optionally, a *proposal entry*: bytes
the block proposer adds to the block (``propose``, run in PrepareProposal with node-local secrets such as a VRF
key) and every validator checks before accepting the block (``verify_proposal``, run in ProcessProposal; a block
whose entry fails is rejected). The entry reaches the module again in ``FinalizeBlock`` as
``ctx.block.entry(module name)``. The App carries the entries of all modules in one first tx of the block
(:class:`suretychain.core.app.BlockEntries`). The App wires modules in one place
(:func:`suretychain.app.make_app`) and calls them in the order given there, so hook order is fixed and visible.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from suretychain.core.context import Context
from suretychain.core.tx import Msg


@dataclass(frozen=True)
class ValidatorUpdate:
    """A change of a validator's consensus power (power 0 removes it), as CometBFT takes it."""

    pub_key: bytes  # ed25519, 32 bytes
    power: int


@dataclass(frozen=True)
class MsgRoute:
    """One msg type, the function that processes it, and the base gas it costs on top of store access."""

    msg_type: type[Msg]
    handler: Callable[[Context, Any], None]
    gas: int = 1000


@dataclass(frozen=True)
class QueryRoute:
    """One query: its request struct type (decoded from JSON) and a read-only handler returning a struct."""

    request_type: type
    handler: Callable[[Context, Any], Any]


@dataclass(frozen=True)
class GenesisSpec:
    """A module's genesis: the JSON state type and its default, validate, init and export functions."""

    state_type: type
    default: Callable[[], Any]
    validate: Callable[[Any], None]
    init: Callable[[Context, Any], None]
    export: Callable[[Context], Any]


@dataclass(frozen=True)
class ParamsSpec:
    """A module's governance-changeable params: their type and how to read, validate and write them."""

    params_type: type
    get: Callable[[Context], Any]
    set: Callable[[Context, Any], None]
    validate: Callable[[Any], None]


@dataclass(frozen=True)
class Module:
    """Everything the App needs from one module."""

    name: str
    keeper: Any
    genesis: GenesisSpec
    msgs: tuple[MsgRoute, ...] = ()
    queries: dict[str, QueryRoute] = field(default_factory=dict)
    begin_block: Callable[[Context], None] | None = None
    end_block: Callable[[Context], list[ValidatorUpdate] | None] | None = None
    invariants: dict[str, Callable[[Context], str | None]] = field(default_factory=dict)
    params: ParamsSpec | None = None
    # Proposer side: this node's entry for the block in ``ctx.block`` (None: no entry), on the block's start state
    propose: Callable[[Context], bytes | None] | None = None
    # Every validator: is ``entry`` (None when the block has none) acceptable for the block in ``ctx.block``?
    verify_proposal: Callable[[Context, bytes | None], bool] | None = None
