"""``surety tx bank``: send and multi-send."""
from __future__ import annotations

from typing import Annotated

import typer

from suretychain.cli.context import get_state
from suretychain.cli.tx.common import TxOptions, run_tx, with_tx_options
from suretychain.client.coins import parse_coins
from suretychain.core.encoding import Address, parse_address
from suretychain.core.errors import ErrInvalidRequest
from suretychain.core.tx import Coin
from suretychain.modules.bank.send import compute_coins_sum
from suretychain.modules.bank.types import Input, MsgMultiSend, MsgSend, Output

app = typer.Typer(no_args_is_help=True, help="Send coins.")


@app.command("send")
@with_tx_options
def send(
    ctx: typer.Context,
    from_key: Annotated[str, typer.Argument(help="Name of the sending key.")],
    to_address: Annotated[str, typer.Argument(help="Recipient address (sure1...).")],
    amount: Annotated[str, typer.Argument(help="Coins, e.g. 10usrt or 10usrt,5uusd.")],
    *,
    options: TxOptions,
) -> None:
    """Send coins from a key to an address."""
    recipient, coins = parse_address(to_address), parse_coins(amount)
    run_tx(get_state(ctx), from_key,
           lambda signer: [MsgSend(from_address=Address(signer), to_address=recipient, amount=coins)], options)


@app.command("multi-send")
@with_tx_options
def multi_send(
    ctx: typer.Context,
    from_key: Annotated[str, typer.Argument(help="Name of the sending key.")],
    outputs: Annotated[list[str], typer.Argument(help="TO_ADDRESS:COINS, one per recipient.")],
    *,
    options: TxOptions,
) -> None:
    """Pay several recipients from one key in one msg."""
    payees = [parse_output(item) for item in outputs]
    total = compute_coins_sum([o.coins for o in payees])
    paid = [Coin(denom=denom, amount=total[denom]) for denom in sorted(total)]
    run_tx(get_state(ctx), from_key,
           lambda signer: [MsgMultiSend(inputs=[Input(address=Address(signer), coins=paid)], outputs=payees)], options)


def parse_output(item: str) -> Output:
    """``ADDRESS:COINS`` (addresses hold no ``:``, denoms may)."""
    address, sep, coins = item.partition(":")
    if not sep:
        raise ErrInvalidRequest(f"{item!r} is not TO_ADDRESS:COINS")
    return Output(address=parse_address(address), coins=parse_coins(coins))
