"""The bank msg server: one route per msg, each calling its rule."""
from __future__ import annotations

from functools import partial

from suretychain.core.module import MsgRoute
from suretychain.modules.bank.keeper import BankKeeper
from suretychain.modules.bank.send import process_multi_send, process_send
from suretychain.modules.bank.types import MsgMultiSend, MsgSend

SEND_GAS = 1000
MULTI_SEND_GAS = 2000


def msg_routes(bank: BankKeeper) -> tuple[MsgRoute, ...]:
    """The bank msgs with their rules and base gas."""
    return (
        MsgRoute(MsgSend, partial(process_send, bank), SEND_GAS),
        MsgRoute(MsgMultiSend, partial(process_multi_send, bank), MULTI_SEND_GAS),
    )
