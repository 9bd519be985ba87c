"""What court needs from bank and beacon: all it may do to them."""
from __future__ import annotations

from typing import Protocol

from suretychain.core.context import Context
from suretychain.core.tx import Coin


class BankKeeper(Protocol):
    def get_balance(self, ctx: Context, address: bytes, denom: str) -> int: ...
    def module_account(self, name: str) -> bytes: ...
    def send_coins_from_account_to_module(self, ctx: Context, sender: bytes, module: str, coins: list[Coin]) -> None: ...
    def send_coins_from_module_to_account(self, ctx: Context, module: str, recipient: bytes, coins: list[Coin]) -> None: ...
    def send_coins_from_module_to_module(self, ctx: Context, sender: str, recipient: str, coins: list[Coin]) -> None: ...


class BeaconKeeper(Protocol):
    """Only the seed of a height (None until that block has run)."""

    def get_seed(self, ctx: Context, height: int) -> bytes | None: ...
