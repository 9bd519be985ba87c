"""Distribution params: the community tax, the inflation rate and whether withdraw addresses may be set.

The table with units and reasons is in README.md (checked against ``Params`` by
tests/modules/distribution/test_readme.py).
"""
from __future__ import annotations

from suretychain.core.dec import Dec
from suretychain.core.encoding import Record
from suretychain.core.errors import require
from suretychain.modules.distribution.errors import ErrInvalidParams

DEFAULT_COMMUNITY_TAX = Dec.from_str("0.02")
DEFAULT_INFLATION = Dec.from_str("0.07")


class Params(Record):
    """Distribution params (changeable by governance)."""

    community_tax: Dec = DEFAULT_COMMUNITY_TAX
    inflation: Dec = DEFAULT_INFLATION
    withdraw_addr_enabled: bool = True


def validate_params(params: Params) -> None:
    """Each param within its bounds."""
    # The tax is a share of the rewards: it cannot be negative or take more than all of them
    require(Dec.ZERO <= params.community_tax <= Dec.ONE, ErrInvalidParams, "community_tax outside [0, 1]")
    # Inflation is bounded by 100% a year: a larger rate is a typo, not a policy
    require(Dec.ZERO <= params.inflation <= Dec.ONE, ErrInvalidParams, "inflation outside [0, 1]")
    require(isinstance(params.withdraw_addr_enabled, bool), ErrInvalidParams, "withdraw_addr_enabled must be a bool")
