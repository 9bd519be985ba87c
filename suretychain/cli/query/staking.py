"""``surety query staking``: validators, delegations, unbondings, redelegations, pool and params."""
from __future__ import annotations

from typing import Annotated, Any, Iterable

import typer

from suretychain.cli.context import CliState, get_state
from suretychain.cli.output import emit, render_text
from suretychain.client.addresses import resolve_address, resolve_validator
from suretychain.core.encoding import Address, ValAddress
from suretychain.core.genesis import format_time
from suretychain.modules.staking.types import BondStatus

app = typer.Typer(no_args_is_help=True, help="Query validators and delegations.")

ValidatorArgument = Annotated[str, typer.Argument(help="Validator: operator address (surevaloper1...) or key name.")]
DelegatorArgument = Annotated[str, typer.Argument(help="Delegator: address (sure1...) or key name.")]


def validator_of(state: CliState, text: str) -> ValAddress:
    """A validator named on the command line."""
    return resolve_validator(text, state.keyring())


def delegator_of(state: CliState, text: str) -> Address:
    """An account named on the command line."""
    return resolve_address(text, state.keyring())


def status_name(status: int) -> str:
    """``3`` -> ``bonded``."""
    try:
        return BondStatus(status).name.lower()
    except ValueError:
        return str(status)


@app.command("validators")
def validators(
    ctx: typer.Context,
    status: Annotated[str, typer.Option(help="Only validators of this status: bonded, unbonding or unbonded.")] = "",
) -> None:
    """Every validator (or those of one status)."""
    state = get_state(ctx)
    with state.client() as client:
        answer = client.validators(status)
    emit(state.output, answer, render_validators)


@app.command("validator")
def validator(ctx: typer.Context, validator: ValidatorArgument) -> None:
    """One validator: keys, description, commission, tokens, shares, status and jail."""
    state = get_state(ctx)
    with state.client() as client:
        answer = client.validator(validator_of(state, validator))
    emit(state.output, answer, lambda v: render_text({**v, "status": status_name(v["status"])}))


@app.command("delegation")
def delegation(ctx: typer.Context, delegator: DelegatorArgument, validator: ValidatorArgument) -> None:
    """One delegation and the tokens its shares are worth now."""
    state = get_state(ctx)
    with state.client() as client:
        answer = client.delegation(delegator_of(state, delegator), validator_of(state, validator))
    emit(state.output, answer, lambda d: [format_delegation(d)])


@app.command("delegations")
def delegations(ctx: typer.Context, delegator: DelegatorArgument) -> None:
    """Every delegation of a delegator."""
    state = get_state(ctx)
    with state.client() as client:
        answer = client.delegations(delegator_of(state, delegator))
    emit(state.output, answer, lambda a: [format_delegation(d) for d in a["delegations"]] or ["(no delegations)"])


@app.command("unbonding")
def unbonding(ctx: typer.Context, delegator: DelegatorArgument) -> None:
    """A delegator's unbonding entries (each cancellable by its creation height until it completes)."""
    state = get_state(ctx)
    with state.client() as client:
        answer = client.unbonding_delegations(delegator_of(state, delegator))
    emit(state.output, answer, render_unbondings)


@app.command("redelegations")
def redelegations(ctx: typer.Context, delegator: DelegatorArgument) -> None:
    """A delegator's maturing redelegations."""
    state = get_state(ctx)
    with state.client() as client:
        answer = client.redelegations(delegator_of(state, delegator))
    emit(state.output, answer, render_redelegations)


@app.command("pool")
def pool(ctx: typer.Context) -> None:
    """Tokens in the bonded and not-bonded pools."""
    state = get_state(ctx)
    with state.client() as client:
        emit(state.output, client.staking_pool())


@app.command("params")
def params(ctx: typer.Context) -> None:
    """The staking params."""
    state = get_state(ctx)
    with state.client() as client:
        emit(state.output, client.staking_params())


def render_validators(answer: dict[str, Any]) -> Iterable[str]:
    """One line per validator: moniker, operator, status, tokens, commission rate, jailed."""
    for v in answer["validators"]:
        jailed = "  jailed" if v["jailed"] else ""
        yield (f"{v['description']['moniker']:<16} {v['operator']}  {status_name(v['status']):<9} "
               f"tokens {v['tokens']}  commission {v['commission']['rate']}{jailed}")
    if not answer["validators"]:
        yield "(no validators)"


def format_delegation(answer: dict[str, Any]) -> str:
    """``<validator>  <balance> (shares <shares>)``."""
    d = answer["delegation"]
    return f"{d['validator']}  {answer['balance']} (shares {d['shares']})"


def render_unbondings(answer: dict[str, Any]) -> Iterable[str]:
    """One line per unbonding entry."""
    for unbonding in answer["unbonding_delegations"]:
        for e in unbonding["entries"]:
            yield (f"{unbonding['validator']}  {e['balance']} of {e['initial_balance']}  created at height "
                   f"{e['creation_height']}  completes {format_time(e['completion_time_ns'])}")
    if not answer["unbonding_delegations"]:
        yield "(no unbonding delegations)"


def render_redelegations(answer: dict[str, Any]) -> Iterable[str]:
    """One line per redelegation entry."""
    for redelegation in answer["redelegations"]:
        for e in redelegation["entries"]:
            yield (f"{redelegation['src_validator']} -> {redelegation['dst_validator']}  {e['initial_balance']}  "
                   f"created at height {e['creation_height']}  completes {format_time(e['completion_time_ns'])}")
    if not answer["redelegations"]:
        yield "(no redelegations)"
