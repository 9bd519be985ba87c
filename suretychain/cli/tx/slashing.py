"""``surety tx slashing``: unjail the signer's validator."""
from __future__ import annotations

from typing import Annotated

import typer

from suretychain.cli.context import get_state
from suretychain.cli.tx.common import TxOptions, run_tx, with_tx_options
from suretychain.core.encoding import Address, ValAddress
from suretychain.modules.slashing.types import MsgUnjail

app = typer.Typer(no_args_is_help=True, help="Unjail a validator.")


@app.command("unjail")
@with_tx_options
def unjail(
    ctx: typer.Context,
    from_key: Annotated[str, typer.Argument(help="Key of the validator's operator account.")],
    *,
    options: TxOptions,
) -> None:
    """Ask for the key's jailed validator to rejoin the candidates (once its jail time is over)."""
    run_tx(get_state(ctx), from_key,
           lambda signer: [MsgUnjail(validator=ValAddress.from_raw(Address(signer).raw))], options)
