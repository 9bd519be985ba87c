"""``surety tx distribution``: withdraw rewards and commission, set the withdraw address, fund the community pool."""
from __future__ import annotations

from typing import Annotated, Optional

import typer

from suretychain.cli.context import get_state
from suretychain.cli.tx.common import TxOptions, run_tx, with_tx_options
from suretychain.client.addresses import resolve_address, resolve_validator
from suretychain.client.coins import parse_coins
from suretychain.core.encoding import Address, ValAddress
from suretychain.core.tx import Msg
from suretychain.modules.distribution.types import (
    MsgFundCommunityPool,
    MsgSetWithdrawAddress,
    MsgWithdrawDelegatorReward,
    MsgWithdrawValidatorCommission,
)

app = typer.Typer(no_args_is_help=True, help="Rewards, commission and the community pool.")


@app.command("withdraw-rewards")
@with_tx_options
def withdraw_rewards(
    ctx: typer.Context,
    from_key: Annotated[str, typer.Argument(help="Name of the delegator's key.")],
    validator: Annotated[Optional[str], typer.Argument(help="Validator: operator address or key name (default: "
                                                            "every validator the key delegates to).")] = None,
    commission: Annotated[bool, typer.Option("--commission", help="Also withdraw the commission of the key's own "
                                             "validator.")] = False,
    *,
    options: TxOptions,
) -> None:
    """Pay a delegation's rewards so far to the withdraw address (one msg per validator)."""
    state = get_state(ctx)
    target = None if validator is None else resolve_validator(validator, state.keyring())

    def make_msgs(signer: str) -> list[Msg]:
        delegator = Address(signer)
        if target is not None:
            validators = [target]
        else:
            with state.client() as client:
                answer = client.delegations(delegator)
            validators = [ValAddress(d["delegation"]["validator"]) for d in answer["delegations"]]
        msgs: list[Msg] = [MsgWithdrawDelegatorReward(delegator=delegator, validator=v) for v in validators]
        if commission:
            msgs.append(MsgWithdrawValidatorCommission(validator=ValAddress.from_raw(delegator.raw)))
        return msgs

    run_tx(state, from_key, make_msgs, options)


@app.command("withdraw-commission")
@with_tx_options
def withdraw_commission(
    ctx: typer.Context,
    from_key: Annotated[str, typer.Argument(help="Key of the validator's operator account.")],
    *,
    options: TxOptions,
) -> None:
    """Pay the key's validator its accumulated commission."""
    run_tx(get_state(ctx), from_key,
           lambda signer: [MsgWithdrawValidatorCommission(validator=ValAddress.from_raw(Address(signer).raw))],
           options)


@app.command("set-withdraw-address")
@with_tx_options
def set_withdraw_address(
    ctx: typer.Context,
    from_key: Annotated[str, typer.Argument(help="Name of the delegator's key.")],
    withdraw_address: Annotated[str, typer.Argument(help="Account to receive rewards: address or key name.")],
    *,
    options: TxOptions,
) -> None:
    """Send the key's future rewards (and commission) to another account."""
    state = get_state(ctx)
    recipient = resolve_address(withdraw_address, state.keyring())
    run_tx(state, from_key,
           lambda signer: [MsgSetWithdrawAddress(delegator=Address(signer), withdraw_address=recipient)], options)


@app.command("fund-community-pool")
@with_tx_options
def fund_community_pool(
    ctx: typer.Context,
    from_key: Annotated[str, typer.Argument(help="Name of the paying key.")],
    amount: Annotated[str, typer.Argument(help="Coins, e.g. 10usrt or 10usrt,5uusd.")],
    *,
    options: TxOptions,
) -> None:
    """Give coins to the community pool."""
    coins = parse_coins(amount)
    run_tx(get_state(ctx), from_key,
           lambda signer: [MsgFundCommunityPool(depositor=Address(signer), amount=coins)], options)
