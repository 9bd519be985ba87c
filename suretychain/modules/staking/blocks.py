"""Staking end-block: the steps in order (as Cosmos SDK's EndBlocker)."""
from __future__ import annotations

from suretychain.core.context import Context
from suretychain.core.module import ValidatorUpdate
from suretychain.modules.staking.keeper import StakingKeeper
from suretychain.modules.staking.queues import (
    process_mature_redelegations,
    process_mature_unbondings,
    process_mature_validators,
)
from suretychain.modules.staking.valset import process_validator_set_updates


def end_block(staking: StakingKeeper, ctx: Context) -> list[ValidatorUpdate]:
    """Update the consensus set, then mature validators, unbondings and redelegations whose time has come."""
    updates = process_validator_set_updates(staking, ctx)
    process_mature_validators(staking, ctx)
    process_mature_unbondings(staking, ctx)
    process_mature_redelegations(staking, ctx)
    return updates
