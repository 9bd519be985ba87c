"""``surety tx``: build, sign and broadcast txs (one small Typer app per module, joined here)."""
from __future__ import annotations

import typer

from suretychain.cli.tx import bank

app = typer.Typer(no_args_is_help=True, help="Sign and broadcast txs.")
app.add_typer(bank.app, name="bank")
