"""The one place the modules are wired: keepers, module accounts, hook order and the ante step."""
from __future__ import annotations

from typing import Any

from suretychain.core.app import App
from suretychain.modules import auth as auth_module
from suretychain.modules import bank as bank_module
from suretychain.modules import staking as staking_module
from suretychain.modules.auth import FEE_COLLECTOR, AnteHandler, AuthKeeper
from suretychain.core.hooks import Hooks
from suretychain.modules.bank import BURNER, BankKeeper
from suretychain.modules.staking import BONDED_POOL, NOT_BONDED_POOL, StakingKeeper

# Module accounts and what each may do to the supply (escrows with no key; later modules add theirs here).
MODULE_ACCOUNTS: dict[str, frozenset[str]] = {
    FEE_COLLECTOR: frozenset(),
    BONDED_POOL: frozenset({BURNER}),
    NOT_BONDED_POOL: frozenset({BURNER}),
}

BOND_DENOM = "usrt"


def make_app(store: Any) -> App:
    """Build the App over ``store`` with every module, in hook order."""
    auth = AuthKeeper()
    bank = BankKeeper(MODULE_ACCOUNTS)
    staking_hooks = Hooks()
    staking = StakingKeeper(bank, staking_hooks)
    modules = [
        auth_module.make_module(auth),
        bank_module.make_module(bank),
        staking_module.make_module(staking),
    ]
    return App(store, modules, ante=AnteHandler(auth, bank))
