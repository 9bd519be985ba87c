"""What insurance needs from bank, staking and slashing: all it may do to them."""
from __future__ import annotations

from typing import Any, Protocol

from suretychain.core.context import Context
from suretychain.core.dec import Dec
from suretychain.core.encoding import Address, ValAddress
from suretychain.core.tx import Coin
from suretychain.modules.staking.types import Delegation, Redelegation, UnbondingDelegation, Validator


class BankKeeper(Protocol):
    def get_balance(self, ctx: Context, address: bytes, denom: str) -> int: ...
    def module_account(self, name: str) -> bytes: ...
    def send_coins(self, ctx: Context, sender: bytes, recipient: bytes, coins: list[Coin]) -> None: ...
    def send_coins_from_account_to_module(self, ctx: Context, sender: bytes, module: str, coins: list[Coin]) -> None: ...
    def send_coins_from_module_to_account(self, ctx: Context, module: str, recipient: bytes, coins: list[Coin]) -> None: ...


class StakingKeeper(Protocol):
    def get_params(self, ctx: Context) -> Any: ...  # bond_denom
    def get_validator(self, ctx: Context, operator: bytes) -> Validator | None: ...
    def get_delegation(self, ctx: Context, delegator: bytes, operator: bytes) -> Delegation | None: ...
    def get_self_delegation_tokens(self, ctx: Context, validator: Validator) -> int: ...
    def get_unbonding(self, ctx: Context, delegator: bytes, operator: bytes) -> UnbondingDelegation | None: ...
    def get_redelegation(self, ctx: Context, delegator: bytes, src: bytes, dst: bytes) -> Redelegation | None: ...
    def pay_from_self_bond(self, ctx: Context, operator: ValAddress, amount: int, recipient: Address) -> int: ...


class SlashingParams(Protocol):
    slash_fraction_downtime: Dec
    slash_fraction_double_sign: Dec
    max_evidence_age_ns: int


class SlashingKeeper(Protocol):
    """Only the slash fractions (the liability of a covered infraction) and the evidence age (the grace)."""

    def get_params(self, ctx: Context) -> SlashingParams: ...
