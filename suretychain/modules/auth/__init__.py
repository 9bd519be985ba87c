"""``auth``: accounts (public key, sequence), the tx fee policy and the ante step."""
from __future__ import annotations

from functools import partial

from suretychain.core import crypto
from suretychain.core.context import Context
from suretychain.core.module import GenesisSpec, Module, ParamsSpec, QueryRoute
from suretychain.modules.auth import genesis
from suretychain.modules.auth.ante import AnteHandler
from suretychain.modules.auth.keeper import AuthKeeper
from suretychain.modules.auth.types import FEE_COLLECTOR, MODULE, Account, GenesisState, Params, QueryAccount, QueryParams

__all__ = ["AuthKeeper", "AnteHandler", "make_module", "FEE_COLLECTOR"]


def query_account(auth: AuthKeeper, ctx: Context, req: QueryAccount) -> Account:
    """An account's public key and next sequence."""
    return auth.get_account(ctx, req.address)


def query_params(auth: AuthKeeper, ctx: Context, req: QueryParams) -> Params:
    return auth.get_params(ctx)


def check_account_keys(auth: AuthKeeper, ctx: Context) -> str | None:
    """Every stored public key hashes to its account's address."""
    for account in auth.iter_accounts(ctx):
        if account.public_key and crypto.address_of(account.public_key) != account.address.raw:
            return f"account {account.address} has a foreign public key"
    return None


def make_module(auth: AuthKeeper) -> Module:
    return Module(
        name=MODULE,
        keeper=auth,
        genesis=GenesisSpec(GenesisState, genesis.default_genesis, genesis.validate_genesis,
                            partial(genesis.init_genesis, auth), partial(genesis.export_genesis, auth)),
        queries={
            "account": QueryRoute(QueryAccount, partial(query_account, auth)),
            "params": QueryRoute(QueryParams, partial(query_params, auth)),
        },
        invariants={"account-keys": partial(check_account_keys, auth)},
        params=ParamsSpec(Params, auth.get_params, auth.set_params, genesis.validate_params),
    )
