"""``surety tx bank``: send and multi-send."""
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
from suretychain.client.coins import parse_coins
from suretychain.core.encoding import Address, parse_address
from suretychain.core.errors import ErrInvalidRequest
from suretychain.core.tx import Coin
from suretychain.modules.bank.send import compute_coins_sum
from suretychain.modules.bank.types import Input, MsgMultiSend, MsgSend, Output

app = typer.Typer(no_args_is_help=True, help="Send coins.")


@app.command("send")
def send(
    ctx: typer.Context,
    from_key: Annotated[str, typer.Argument(help="Name of the sending key.")],
    to_address: Annotated[str, typer.Argument(help="Recipient address (sure1...).")],
    amount: Annotated[str, typer.Argument(help="Coins, e.g. 10usrt or 10usrt,5uusd.")],
    fees: FeesOption = None,
    gas: GasOption = "auto",
    gas_adjustment: GasAdjustmentOption = "1.3",
    memo: MemoOption = "",
    broadcast_mode: BroadcastModeOption = BroadcastMode.commit,
    timeout_height: TimeoutHeightOption = 0,
    yes: YesOption = False,
) -> None:
    """Send coins from a key to an address."""
    recipient, coins = parse_address(to_address), parse_coins(amount)
    options = TxOptions(fees, gas, gas_adjustment, memo, broadcast_mode.value, timeout_height, yes)
    run_tx(get_state(ctx), from_key,
           lambda signer: [MsgSend(from_address=Address(signer), to_address=recipient, amount=coins)], options)


@app.command("multi-send")
def multi_send(
    ctx: typer.Context,
    from_key: Annotated[str, typer.Argument(help="Name of the sending key.")],
    outputs: Annotated[list[str], typer.Argument(help="TO_ADDRESS:COINS, one per recipient.")],
    fees: FeesOption = None,
    gas: GasOption = "auto",
    gas_adjustment: GasAdjustmentOption = "1.3",
    memo: MemoOption = "",
    broadcast_mode: BroadcastModeOption = BroadcastMode.commit,
    timeout_height: TimeoutHeightOption = 0,
    yes: YesOption = False,
) -> None:
    """Pay several recipients from one key in one msg."""
    payees = [parse_output(item) for item in outputs]
    total = compute_coins_sum([o.coins for o in payees])
    paid = [Coin(denom=denom, amount=total[denom]) for denom in sorted(total)]
    options = TxOptions(fees, gas, gas_adjustment, memo, broadcast_mode.value, timeout_height, yes)
    run_tx(get_state(ctx), from_key,
           lambda signer: [MsgMultiSend(inputs=[Input(address=Address(signer), coins=paid)], outputs=payees)], options)


def parse_output(item: str) -> Output:
    """``ADDRESS:COINS`` (addresses hold no ``:``, denoms may)."""
    address, sep, coins = item.partition(":")
    if not sep:
        raise ErrInvalidRequest(f"{item!r} is not TO_ADDRESS:COINS")
    return Output(address=parse_address(address), coins=parse_coins(coins))
