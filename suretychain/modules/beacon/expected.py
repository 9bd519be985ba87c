"""What the beacon needs from staking: the proposer's validator record, for its VRF public key."""
from __future__ import annotations

from typing import Protocol

from suretychain.core.context import Context
from suretychain.modules.staking.types import Validator


class StakingKeeper(Protocol):
    def get_validator_by_consensus(self, ctx: Context, cons_address: bytes) -> Validator | None: ...
