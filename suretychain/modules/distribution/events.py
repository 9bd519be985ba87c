"""Distribution events (module ``distribution``)."""
from __future__ import annotations

from typing import ClassVar

from suretychain.core.encoding import Address, ValAddress
from suretychain.core.events import TypedEvent
from suretychain.core.tx import Coin
from suretychain.modules.distribution.types import MODULE


class DistributionEvent(TypedEvent):
    """Base of distribution events."""

    MODULE: ClassVar[str] = MODULE


class InflationMinted(DistributionEvent):
    """New bond-denom coins minted for this block: ``supply × inflation × duration / year``, rounded down."""

    amount: list[Coin]
    supply: int
    duration_ns: int


class BlockRewardsAllocated(DistributionEvent):
    """This block's rewards (last block's fees plus inflation) split between the validators and the community pool."""

    total: str
    community_pool: str
    total_power: int


class RewardsAllocated(DistributionEvent):
    """One validator's share of the block rewards, and the commission part of it."""

    validator: ValAddress
    rewards: str
    commission: str


class RewardsWithdrawn(DistributionEvent):
    """A delegation's rewards paid (whole units) to the delegator's withdraw address."""

    delegator: Address
    validator: ValAddress
    recipient: Address
    amount: list[Coin]


class CommissionWithdrawn(DistributionEvent):
    """A validator's commission paid (whole units) to its operator's withdraw address."""

    validator: ValAddress
    recipient: Address
    amount: list[Coin]


class WithdrawAddressSet(DistributionEvent):
    """A delegator's rewards now go to ``withdraw_address``."""

    delegator: Address
    withdraw_address: Address


class CommunityPoolFunded(DistributionEvent):
    """Coins given to the community pool."""

    depositor: Address
    amount: list[Coin]
