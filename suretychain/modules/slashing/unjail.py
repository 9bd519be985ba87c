"""MsgUnjail: a jailed validator asks to rejoin the candidates for the set (Cosmos SDK keeper/unjail.go rules)."""
from __future__ import annotations

from suretychain.core.context import Context
from suretychain.core.errors import require
from suretychain.modules.slashing.errors import (
    ErrMissingSelfDelegation,
    ErrNoValidatorForAddress,
    ErrSelfDelegationTooLowToUnjail,
    ErrValidatorJailed,
    ErrValidatorNotJailed,
    ErrValidatorTombstoned,
)
from suretychain.modules.slashing.keeper import SlashingKeeper, compute_consensus_address
from suretychain.modules.slashing.types import MsgUnjail
from suretychain.modules.staking.types import Validator


def process_unjail(slashing: SlashingKeeper, ctx: Context, msg: MsgUnjail) -> None:
    """Unjail the operator's validator once its jail time is over, if it still backs itself with its minimum."""
    staking = slashing.staking
    validator: Validator = staking.get_validator(ctx, msg.validator.raw)  # type: ignore[assignment]
    require(validator is not None, ErrNoValidatorForAddress, str(msg.validator))
    # The operator must still have skin in the game: a self-delegation...
    require(staking.get_delegation(ctx, msg.validator.raw, msg.validator.raw) is not None, ErrMissingSelfDelegation)
    # ... worth at least the minimum it committed to
    self_bond = staking.get_self_delegation_tokens(ctx, validator)
    require(self_bond >= validator.min_self_delegation, ErrSelfDelegationTooLowToUnjail,
            f"{self_bond} < {validator.min_self_delegation}")
    require(validator.jailed, ErrValidatorNotJailed)
    info = slashing.get_signing_info(ctx, compute_consensus_address(validator))
    # A double signer stays out for good
    require(not validator.tombstoned and (info is None or not info.tombstoned), ErrValidatorTombstoned)
    # Jail time is served in block time (no signing info: never bonded, so jailed only for its self-delegation)
    require(info is None or ctx.block.time_ns >= info.jailed_until_ns, ErrValidatorJailed,
            f"jailed until {info.jailed_until_ns if info else 0}, now {ctx.block.time_ns}")
    staking.unjail(ctx, validator)
