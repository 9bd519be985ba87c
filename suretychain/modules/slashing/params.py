"""Slashing params: the type, the defaults and ``validate_params`` (one ``require`` per rule).

The table with units and reasons is in README.md (checked against ``Params`` by tests/modules/slashing/test_readme.py).
"""
from __future__ import annotations

from typing import Annotated

import msgspec

from suretychain.core.dec import Dec
from suretychain.core.encoding import Record
from suretychain.core.errors import require
from suretychain.modules.slashing.errors import ErrInvalidParams

SECOND_NS = 10**9
MAX_SIGNED_BLOCKS_WINDOW = 1_000_000  # bounds the bitmap a downtime slash clears


class Params(Record):
    """Liveness, double-sign and evidence-age params (changeable by governance)."""

    signed_blocks_window: Annotated[int, msgspec.Meta(ge=1, le=MAX_SIGNED_BLOCKS_WINDOW)] = 100
    min_signed_per_window: Dec = Dec.from_str("0.5")
    downtime_jail_duration_ns: Annotated[int, msgspec.Meta(ge=1, le=2**62)] = 600 * SECOND_NS
    slash_fraction_double_sign: Dec = Dec.from_str("0.05")
    slash_fraction_downtime: Dec = Dec.from_str("0.01")
    max_evidence_age_ns: Annotated[int, msgspec.Meta(ge=1, le=2**62)] = 172_800 * SECOND_NS
    max_evidence_age_blocks: Annotated[int, msgspec.Meta(ge=1, le=2**62)] = 100_000


DEFAULT_PARAMS = Params()


def is_fraction(value: Dec) -> bool:
    """Check if ``value`` lies in [0, 1]."""
    return Dec.ZERO <= value <= Dec.ONE


def validate_params(params: Params) -> None:
    """Every param within its range (the integer bounds are also declared on the fields, for decoding)."""
    # The window is a positive number of blocks, bounded so a slash clears a bounded bitmap
    require(1 <= params.signed_blocks_window <= MAX_SIGNED_BLOCKS_WINDOW, ErrInvalidParams,
            f"signed_blocks_window must be within [1, {MAX_SIGNED_BLOCKS_WINDOW}]")
    require(is_fraction(params.min_signed_per_window), ErrInvalidParams, "min_signed_per_window outside [0, 1]")
    require(params.downtime_jail_duration_ns > 0, ErrInvalidParams, "downtime_jail_duration_ns must be positive")
    require(is_fraction(params.slash_fraction_double_sign), ErrInvalidParams,
            "slash_fraction_double_sign outside [0, 1]")
    require(is_fraction(params.slash_fraction_downtime), ErrInvalidParams, "slash_fraction_downtime outside [0, 1]")
    require(params.max_evidence_age_ns > 0, ErrInvalidParams, "max_evidence_age_ns must be positive")
    require(params.max_evidence_age_blocks > 0, ErrInvalidParams, "max_evidence_age_blocks must be positive")
