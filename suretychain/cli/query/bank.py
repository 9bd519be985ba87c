"""``surety query bank``: balances and supply."""
from __future__ import annotations

from typing import Annotated

import typer

from suretychain.cli.context import get_state
from suretychain.cli.output import emit, format_coins
from suretychain.core.encoding import parse_address

app = typer.Typer(no_args_is_help=True, help="Query balances and supply.")


@app.command("balance")
def balance(
    ctx: typer.Context,
    address: Annotated[str, typer.Argument(help="Account address (sure1...).")],
    denom: Annotated[str, typer.Argument(help="Denom, e.g. usrt.")],
) -> None:
    """One balance of an account."""
    state = get_state(ctx)
    with state.client() as client:
        coin = client.balance(parse_address(address), denom)
    emit(state.output, coin, lambda c: [f"{c['amount']}{c['denom']}"])


@app.command("balances")
def balances(ctx: typer.Context, address: Annotated[str, typer.Argument(help="Account address (sure1...).")]) -> None:
    """Every balance of an account."""
    state = get_state(ctx)
    with state.client() as client:
        answer = client.balances(parse_address(address))
    emit(state.output, answer, lambda a: [f"{c['amount']}{c['denom']}" for c in a["coins"]] or ["(none)"])


@app.command("supply")
def supply(
    ctx: typer.Context,
    denom: Annotated[str, typer.Option(help="One denom (default: every denom).")] = "",
) -> None:
    """Total supply, of one denom or all."""
    state = get_state(ctx)
    with state.client() as client:
        answer = client.supply(denom)
    emit(state.output, answer, lambda a: [format_coins(a["supply"])])
