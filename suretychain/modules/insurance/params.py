"""Insurance params: the type, the defaults and ``validate_params`` (one ``require`` per rule).

The table with units and reasons is in README.md.
"""
from __future__ import annotations

from typing import Annotated

import msgspec

from suretychain.core.dec import Dec
from suretychain.core.encoding import Record
from suretychain.core.errors import require
from suretychain.modules.insurance.errors import ErrInvalidParams

MAX_TERMS_LIMIT = 1_000


class Params(Record):
    """Insurance params (changeable by governance)."""

    protocol_commission: Dec = Dec.from_str("0.05")
    cancel_refund: bool = True
    refund_weight_per_slash: Dec = Dec.ONE
    max_terms_per_validator: Annotated[int, msgspec.Meta(ge=1, le=MAX_TERMS_LIMIT)] = 20


DEFAULT_PARAMS = Params()


def validate_params(params: Params) -> None:
    """Every param within its range."""
    # The treasury takes a fraction of each premium, never more than all of it
    require(Dec.ZERO <= params.protocol_commission <= Dec.ONE, ErrInvalidParams, "protocol_commission outside [0, 1]")
    # A weight above 1 would refund more than the loss: the griefing the seed rules out
    require(Dec.ZERO < params.refund_weight_per_slash <= Dec.ONE, ErrInvalidParams,
            "refund_weight_per_slash outside (0, 1]")
    require(1 <= params.max_terms_per_validator <= MAX_TERMS_LIMIT, ErrInvalidParams,
            f"max_terms_per_validator outside [1, {MAX_TERMS_LIMIT}]")
