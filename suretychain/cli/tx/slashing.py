"""``surety tx slashing``: unjail the signer's validator."""
from __future__ import annotations

from typing import Annotated

import typer

from suretychain.cli.context import get_state
from suretychain.cli.tx.common import (
    BroadcastMode,
    BroadcastModeOption,
    FeesOption,
    GasAdjustmentOption,
    GasOption,
    MemoOption,
    TimeoutHeightOption,
    TxOptions,
    YesOption,
    run_tx,
)
from suretychain.core.encoding import Address, ValAddress
from suretychain.modules.slashing.types import MsgUnjail

app = typer.Typer(no_args_is_help=True, help="Unjail a validator.")


@app.command("unjail")
def unjail(
    ctx: typer.Context,
    from_key: Annotated[str, typer.Argument(help="Key of the validator's operator account.")],
    fees: FeesOption = None,
    gas: GasOption = "auto",
    gas_adjustment: GasAdjustmentOption = "1.3",
    memo: MemoOption = "",
    broadcast_mode: BroadcastModeOption = BroadcastMode.commit,
    timeout_height: TimeoutHeightOption = 0,
    yes: YesOption = False,
) -> None:
    """Ask for the key's jailed validator to rejoin the candidates (once its jail time is over)."""
    options = TxOptions(fees, gas, gas_adjustment, memo, broadcast_mode.value, timeout_height, yes)
    run_tx(get_state(ctx), from_key,
           lambda signer: [MsgUnjail(validator=ValAddress.from_raw(Address(signer).raw))], options)
