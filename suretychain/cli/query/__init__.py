"""``surety query``: reads from the node (one small Typer app per module, joined here)."""
from __future__ import annotations

import typer

from suretychain.cli.query import bank, chain

app = typer.Typer(no_args_is_help=True, help="Query the chain.")
app.add_typer(bank.app, name="bank")
app.command("account")(chain.account)
app.command("tx")(chain.tx)
app.command("txs")(chain.txs)
app.command("block")(chain.block)
app.command("raw")(chain.raw)
