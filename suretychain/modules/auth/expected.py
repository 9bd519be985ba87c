"""What auth needs from other modules."""
from __future__ import annotations

from typing import Protocol

from suretychain.core.context import Context
from suretychain.core.tx import Coin


class BankKeeper(Protocol):
    """Fees move from the payer to the fee collector module account (credited at the block's end)."""

    def send_coins_from_account_to_module_deferred(self, ctx: Context, sender: bytes, module: str, coins: list[Coin],
                                                   tag: bytes) -> None: ...
