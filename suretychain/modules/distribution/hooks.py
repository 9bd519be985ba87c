"""The staking hooks distribution subscribes to (in ``suretychain/app.py``), and only those.

| hook | rule |
|---|---|
| `HookValidatorCreated` | `initialize_validator`: period 0 at ratio zero, period 1 open |
| `HookBeforeDelegationCreated` | close the validator's period, so the new stake starts a period of its own |
| `HookBeforeDelegationSharesModified` | pay the delegation's rewards so far (its starting info ends) |
| `HookDelegationModified` | start the delegation's next reward run at its new stake |
| `HookBeforeValidatorSlashed` | close the period at the pre-slash tokens; record the slash event |
| `HookValidatorSlashed` | make the recorded fraction exact (rounded up) from the tokens before and after |
| `HookValidatorRemoved` | pay out the commission, move the dust to the community pool, delete the records |
"""
from __future__ import annotations

from suretychain.core.context import Context
from suretychain.modules.distribution.commission import remove_validator_records
from suretychain.modules.distribution.keeper import DistributionKeeper
from suretychain.modules.distribution.rewards import (
    get_existing_validator,
    increment_validator_period,
    initialize_delegation,
    initialize_validator,
    record_slash,
    refine_slash_fraction,
    withdraw_delegation_rewards,
)
from suretychain.modules.staking.types import (
    HookBeforeDelegationCreated,
    HookBeforeDelegationSharesModified,
    HookBeforeValidatorSlashed,
    HookDelegationModified,
    HookValidatorCreated,
    HookValidatorRemoved,
    HookValidatorSlashed,
)


def process_validator_created(k: DistributionKeeper, ctx: Context, hook: HookValidatorCreated) -> None:
    """Give a new validator its first periods and empty balances."""
    initialize_validator(k, ctx, hook.validator.raw)


def process_before_delegation_created(k: DistributionKeeper, ctx: Context, hook: HookBeforeDelegationCreated) -> None:
    """Close the open period before new stake joins it."""
    increment_validator_period(k, ctx, get_existing_validator(k, ctx, hook.validator.raw))


def process_before_delegation_shares_modified(k: DistributionKeeper, ctx: Context,
                                              hook: HookBeforeDelegationSharesModified) -> None:
    """Pay the rewards earned at the old stake before it changes."""
    withdraw_delegation_rewards(k, ctx, get_existing_validator(k, ctx, hook.validator.raw), hook.delegator)


def process_delegation_modified(k: DistributionKeeper, ctx: Context, hook: HookDelegationModified) -> None:
    """Start a reward run at the delegation's new shares."""
    initialize_delegation(k, ctx, hook.validator.raw, hook.delegator.raw, hook.shares)


def process_before_validator_slashed(k: DistributionKeeper, ctx: Context, hook: HookBeforeValidatorSlashed) -> None:
    """End the period at the tokens before the slash and record the slash event."""
    record_slash(k, ctx, get_existing_validator(k, ctx, hook.validator.raw), hook.fraction)


def process_validator_slashed(k: DistributionKeeper, ctx: Context, hook: HookValidatorSlashed) -> None:
    """Record the exact share of tokens the slash burned."""
    refine_slash_fraction(k, ctx, hook.validator.raw, hook.tokens_before, hook.tokens_after)


def process_validator_removed(k: DistributionKeeper, ctx: Context, hook: HookValidatorRemoved) -> None:
    """Settle and delete a removed validator's records."""
    remove_validator_records(k, ctx, hook.validator)

