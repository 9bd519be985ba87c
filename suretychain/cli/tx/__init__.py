"""``surety tx``: build, sign and broadcast txs (one small Typer app per module, joined here)."""
from __future__ import annotations

import typer

from suretychain.cli.tx import bank, court, distribution, insurance, slashing, staking

app = typer.Typer(no_args_is_help=True, help="Sign and broadcast txs.")
app.add_typer(bank.app, name="bank")
app.add_typer(staking.app, name="staking")
app.add_typer(slashing.app, name="slashing")
app.add_typer(distribution.app, name="distribution")
app.add_typer(insurance.app, name="insurance")
app.add_typer(court.app, name="court")
