"""Read-only bank queries served through ``App.query`` as ``bank/<route>``."""
from __future__ import annotations

from suretychain.core.context import Context
from suretychain.core.tx import Coin
from suretychain.modules.bank.keeper import BankKeeper
from suretychain.modules.bank.types import (
    BalancesResponse,
    Params,
    QueryBalance,
    QueryBalances,
    QueryParams,
    QuerySupply,
    SupplyResponse,
)


def query_balance(bank: BankKeeper, ctx: Context, req: QueryBalance) -> Coin:
    """One balance (provable: a single store read)."""
    return Coin(denom=req.denom, amount=bank.get_balance(ctx, req.address.raw, req.denom))


def query_balances(bank: BankKeeper, ctx: Context, req: QueryBalances) -> BalancesResponse:
    """Every non-zero balance of an address."""
    return BalancesResponse(address=req.address, coins=bank.get_all_balances(ctx, req.address.raw))


def query_supply(bank: BankKeeper, ctx: Context, req: QuerySupply) -> SupplyResponse:
    """The supply of one denom, or of all."""
    if req.denom:
        return SupplyResponse(supply=[Coin(denom=req.denom, amount=bank.get_supply(ctx, req.denom))])
    return SupplyResponse(supply=list(bank.iter_supply(ctx)))


def query_params(bank: BankKeeper, ctx: Context, req: QueryParams) -> Params:
    """The bank params."""
    return bank.get_params(ctx)
