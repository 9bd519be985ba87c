"""The one place the modules are wired: keepers, module accounts, hook order and the ante step."""
from __future__ import annotations

from typing import Any

from suretychain.core.app import App
from suretychain.modules import auth as auth_module
from suretychain.modules import bank as bank_module
from suretychain.modules.auth import FEE_COLLECTOR, AnteHandler, AuthKeeper
from suretychain.modules.bank import BankKeeper

# Module accounts and what each may do to the supply (escrows with no key; later modules add theirs here).
MODULE_ACCOUNTS: dict[str, frozenset[str]] = {
    FEE_COLLECTOR: frozenset(),
}

BOND_DENOM = "usrt"


def make_app(store: Any) -> App:
    """Build the App over ``store`` with every module, in hook order."""
    auth = AuthKeeper()
    bank = BankKeeper(MODULE_ACCOUNTS)
    modules = [
        auth_module.make_module(auth),
        bank_module.make_module(bank),
    ]
    return App(store, modules, ante=AnteHandler(auth, bank))
