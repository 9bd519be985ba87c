"""The staking hooks slashing subscribes to (wired in ``suretychain/app.py``), and only those."""
from __future__ import annotations

from suretychain.core.context import Context
from suretychain.core.errors import require
from suretychain.modules.slashing.errors import ErrConsensusKeyTombstoned, ErrNoValidatorForAddress
from suretychain.modules.slashing.keeper import SlashingKeeper, compute_consensus_address
from suretychain.modules.slashing.periods import end_slashing_period, start_slashing_period
from suretychain.modules.slashing.signing import process_signing_info_on_bond
from suretychain.modules.staking.types import HookValidatorBeginUnbonding, HookValidatorBonded, HookValidatorCreated


def get_consensus_address(slashing: SlashingKeeper, ctx: Context, operator: bytes) -> bytes:
    """The consensus address of the validator a hook names (it exists when staking emits the hook)."""
    validator = slashing.staking.get_validator(ctx, operator)
    require(validator is not None, ErrNoValidatorForAddress, "staking emitted a hook for a validator it does not have")
    return compute_consensus_address(validator)  # type: ignore[arg-type]


def process_validator_created(slashing: SlashingKeeper, ctx: Context, hook: HookValidatorCreated) -> None:
    """A tombstoned consensus key can never validate again, not even under a new operator."""
    address = get_consensus_address(slashing, ctx, hook.validator.raw)
    info = slashing.get_signing_info(ctx, address)
    require(info is None or not info.tombstoned, ErrConsensusKeyTombstoned, address.hex())


def process_validator_bonded(slashing: SlashingKeeper, ctx: Context, hook: HookValidatorBonded) -> None:
    """Entering the set: the liveness window restarts and a new slashing period opens."""
    address = get_consensus_address(slashing, ctx, hook.validator.raw)
    process_signing_info_on_bond(slashing, ctx, address)
    start_slashing_period(slashing, ctx, address)


def process_validator_begin_unbonding(slashing: SlashingKeeper, ctx: Context,
                                      hook: HookValidatorBeginUnbonding) -> None:
    """Leaving the set closes the slashing period."""
    end_slashing_period(slashing, ctx, get_consensus_address(slashing, ctx, hook.validator.raw))
