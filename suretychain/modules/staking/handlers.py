"""The staking msg server."""
from __future__ import annotations

from functools import partial

from suretychain.core.module import MsgRoute
from suretychain.modules.staking.delegation import (
    process_begin_redelegate,
    process_cancel_unbonding,
    process_delegate,
    process_undelegate,
)
from suretychain.modules.staking.keeper import StakingKeeper
from suretychain.modules.staking.types import (
    MsgBeginRedelegate,
    MsgCancelUnbondingDelegation,
    MsgCreateValidator,
    MsgDelegate,
    MsgEditValidator,
    MsgUndelegate,
)
from suretychain.modules.staking.validators import process_create_validator, process_edit_validator


def msg_routes(staking: StakingKeeper) -> tuple[MsgRoute, ...]:
    """Staking msgs, their rules and base gas."""
    return (
        MsgRoute(MsgCreateValidator, partial(process_create_validator, staking), 20_000),
        MsgRoute(MsgEditValidator, partial(process_edit_validator, staking), 5_000),
        MsgRoute(MsgDelegate, partial(process_delegate, staking), 5_000),
        MsgRoute(MsgUndelegate, partial(process_undelegate, staking), 5_000),
        MsgRoute(MsgBeginRedelegate, partial(process_begin_redelegate, staking), 10_000),
        MsgRoute(MsgCancelUnbondingDelegation, partial(process_cancel_unbonding, staking), 5_000),
    )
