"""Auth genesis."""
from __future__ import annotations

from suretychain.core import crypto
from suretychain.core.context import Context
from suretychain.core.errors import ErrInvalidGenesis, require
from suretychain.modules.auth.keeper import AuthKeeper
from suretychain.modules.auth.types import GenesisState, Params


def default_genesis() -> GenesisState:
    return GenesisState()


def validate_params(params: Params) -> None:
    """Params in range (the integer bounds are declared on the struct fields)."""
    require(not params.min_gas_price.is_negative(), ErrInvalidGenesis, "min_gas_price is negative")


def validate_genesis(state: GenesisState) -> None:
    """Params in range, each account once, keys matching addresses."""
    validate_params(state.params)
    seen: set[bytes] = set()
    for i, account in enumerate(state.accounts):
        require(account.address.raw not in seen, ErrInvalidGenesis, f"accounts[{i}]: duplicate {account.address}")
        seen.add(account.address.raw)
        require(not account.public_key or crypto.address_of(account.public_key) == account.address.raw,
                ErrInvalidGenesis, f"accounts[{i}]: public key does not match address")


def init_genesis(auth: AuthKeeper, ctx: Context, state: GenesisState) -> None:
    auth.set_params(ctx, state.params)
    for account in state.accounts:
        auth.set_account(ctx, account)


def export_genesis(auth: AuthKeeper, ctx: Context) -> GenesisState:
    return GenesisState(params=auth.get_params(ctx), accounts=list(auth.iter_accounts(ctx)))
