"""Beacon constants, records, genesis and query types, errors and events."""
from __future__ import annotations

from typing import Annotated

import msgspec

from suretychain.core.encoding import Height, Record
from suretychain.core.errors import register_error
from suretychain.core.events import TypedEvent

MODULE = "beacon"
CODESPACE = MODULE

# Domain separators: genesis seed = sha256(GENESIS_DOMAIN || chain id); seed(h) = sha256(SEED_DOMAIN || seed(h-1) ||
# beta(h)), or || NO_ENTRY when the block's proposer is not a staking validator (it has no VRF key to prove with).
GENESIS_DOMAIN = b"surety-beacon-genesis\x00"
SEED_DOMAIN = b"surety-beacon-seed\x00"
NO_ENTRY = b"no entry"
SEED_LENGTH = 32

Seed = Annotated[bytes, msgspec.Meta(min_length=SEED_LENGTH, max_length=SEED_LENGTH)]

ErrSeedNotFound = register_error(CODESPACE, 2, "no beacon seed at that height", not_found=True)
ErrInvalidSeeds = register_error(CODESPACE, 3, "invalid beacon seeds")


class SeedAt(Record):
    """The seed of one height."""

    height: Height
    seed: Seed


class GenesisState(Record):
    """Every seed so far, ascending (empty: start from the genesis seed of the chain id at ``initial_height - 1``).
    The last one is the latest seed, which the next block's VRF input uses."""

    seeds: list[SeedAt] = []


class QuerySeed(Record):
    """``beacon/seed``: the seed at ``height`` (0: the latest)."""

    height: Height = 0


class SeedResponse(Record):
    """The seed of a height (hex)."""

    height: Height
    seed: str  # hex


class SeedAdvanced(TypedEvent):
    """The block's seed was fixed; ``proposer_entry`` is false when the block had no VRF entry."""

    MODULE = MODULE
    height: int
    seed: bytes
    proposer_entry: bool
