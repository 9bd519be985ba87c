"""``surety query distribution``: rewards, commission, outstanding rewards, withdraw address, community pool, params.

Unpaid amounts have 18 decimal places (``DecCoin``); they are paid in whole base units.
"""
from __future__ import annotations

from typing import Annotated, Any, Iterable, Optional

import typer

from suretychain.cli.context import get_state
from suretychain.cli.output import emit
from suretychain.client.addresses import resolve_address, resolve_validator

app = typer.Typer(no_args_is_help=True, help="Query rewards, commission and the community pool.")

ValidatorArgument = Annotated[str, typer.Argument(help="Validator: operator address (surevaloper1...) or key name.")]
DelegatorArgument = Annotated[str, typer.Argument(help="Delegator: address (sure1...) or key name.")]


def format_dec_coins(coins: list[dict[str, Any]]) -> str:
    """``[{denom, amount}]`` as ``12.5usrt,3uusd`` (``(none)`` when empty)."""
    return ",".join(f"{c['amount']}{c['denom']}" for c in coins) or "(none)"


@app.command("rewards")
def rewards(
    ctx: typer.Context,
    delegator: DelegatorArgument,
    validator: Annotated[Optional[str], typer.Argument(help="Only the rewards from this validator (operator "
                                                            "address or key name).")] = None,
) -> None:
    """A delegator's unpaid rewards, per validator and in total."""
    state = get_state(ctx)
    keyring = state.keyring()
    who = resolve_address(delegator, keyring)
    source = None if validator is None else resolve_validator(validator, keyring)
    with state.client() as client:
        answer = client.rewards(who, source)
    emit(state.output, answer, render_rewards)


@app.command("commission")
def commission(ctx: typer.Context, validator: ValidatorArgument) -> None:
    """A validator's accumulated, unwithdrawn commission."""
    state = get_state(ctx)
    with state.client() as client:
        answer = client.commission(resolve_validator(validator, state.keyring()))
    emit(state.output, answer, lambda a: [format_dec_coins(a["commission"])])


@app.command("outstanding")
def outstanding(ctx: typer.Context, validator: ValidatorArgument) -> None:
    """Everything allocated to a validator and not yet paid (its commission and its delegators' rewards)."""
    state = get_state(ctx)
    with state.client() as client:
        answer = client.outstanding_rewards(resolve_validator(validator, state.keyring()))
    emit(state.output, answer, lambda a: [format_dec_coins(a["rewards"])])


@app.command("withdraw-address")
def withdraw_address(ctx: typer.Context, delegator: DelegatorArgument) -> None:
    """Where a delegator's rewards are paid."""
    state = get_state(ctx)
    with state.client() as client:
        answer = client.withdraw_address(resolve_address(delegator, state.keyring()))
    emit(state.output, answer, lambda a: [a["withdraw_address"]])


@app.command("community-pool")
def community_pool(ctx: typer.Context) -> None:
    """The community pool."""
    state = get_state(ctx)
    with state.client() as client:
        emit(state.output, client.community_pool(), lambda a: [format_dec_coins(a["pool"])])


@app.command("params")
def params(ctx: typer.Context) -> None:
    """The distribution params."""
    state = get_state(ctx)
    with state.client() as client:
        emit(state.output, client.distribution_params())


def render_rewards(answer: dict[str, Any]) -> Iterable[str]:
    """One line per validator, then the total."""
    for entry in answer["rewards"]:
        yield f"{entry['validator']}  {format_dec_coins(entry['reward'])}"
    yield f"total: {format_dec_coins(answer['total'])}"
