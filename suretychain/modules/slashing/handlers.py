"""The slashing msg server."""
from __future__ import annotations

from functools import partial

from suretychain.core.module import MsgRoute
from suretychain.modules.slashing.keeper import SlashingKeeper
from suretychain.modules.slashing.types import MsgUnjail
from suretychain.modules.slashing.unjail import process_unjail

UNJAIL_GAS = 5_000


def msg_routes(slashing: SlashingKeeper) -> tuple[MsgRoute, ...]:
    """Slashing msgs, their rules and base gas."""
    return (MsgRoute(MsgUnjail, partial(process_unjail, slashing), UNJAIL_GAS),)
