"""``bank``: multi-denom balances, sends, supply and module (escrow) accounts."""
from __future__ import annotations

from functools import partial

from suretychain.core.module import GenesisSpec, Module, ParamsSpec, QueryRoute
from suretychain.modules.bank import genesis, invariants, queries
from suretychain.modules.bank.deferred import process_deferred_credits
from suretychain.modules.bank.handlers import msg_routes
from suretychain.modules.bank.keeper import BURNER, MINTER, BankKeeper
from suretychain.modules.bank.types import MODULE, GenesisState, Params, QueryBalance, QueryBalances, QueryParams, QuerySupply

__all__ = ["BankKeeper", "make_module", "MINTER", "BURNER"]


def make_module(bank: BankKeeper) -> Module:
    """The bank module around its keeper."""
    return Module(
        name=MODULE,
        keeper=bank,
        genesis=GenesisSpec(
            state_type=GenesisState,
            default=genesis.default_genesis,
            validate=genesis.validate_genesis,
            init=partial(genesis.init_genesis, bank),
            export=partial(genesis.export_genesis, bank),
        ),
        msgs=msg_routes(bank),
        queries={
            "balance": QueryRoute(QueryBalance, partial(queries.query_balance, bank)),
            "balances": QueryRoute(QueryBalances, partial(queries.query_balances, bank)),
            "supply": QueryRoute(QuerySupply, partial(queries.query_supply, bank)),
            "params": QueryRoute(QueryParams, partial(queries.query_params, bank)),
        },
        end_block=partial(process_deferred_credits, bank),
        invariants={"total-supply": partial(invariants.check_total_supply, bank)},
        params=ParamsSpec(Params, bank.get_params, bank.set_params, genesis.validate_params),
    )
