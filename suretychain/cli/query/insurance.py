"""``surety query insurance``: a validator's terms, insurances, solvency and refunds."""
from __future__ import annotations

from typing import Annotated, Any, Iterable, Optional

import typer

from suretychain.cli.context import CliState, get_state
from suretychain.cli.output import emit
from suretychain.client.addresses import resolve_address, resolve_validator

app = typer.Typer(no_args_is_help=True, help="Query slashing insurance.")

ValidatorArgument = Annotated[str, typer.Argument(help="Validator: operator address (surevaloper1...) or key name.")]
DelegatorOption = Annotated[Optional[str], typer.Option(help="Only this delegator's: address (sure1...) or key name.")]
ValidatorOption = Annotated[Optional[str], typer.Option(help="Only with this validator: operator address or key "
                                                        "name.")]


def filters(state: CliState, delegator: str | None, validator: str | None) -> tuple[str | None, str | None]:
    keyring = state.keyring()
    return (None if delegator is None else str(resolve_address(delegator, keyring)),
            None if validator is None else str(resolve_validator(validator, keyring)))


@app.command("terms")
def terms(ctx: typer.Context, validator: ValidatorArgument) -> None:
    """A validator's current terms."""
    state = get_state(ctx)
    target = str(resolve_validator(validator, state.keyring()))
    with state.client() as client:
        emit(state.output, client.insurance_terms(target), render_terms)


@app.command("insurances")
def insurances(ctx: typer.Context, delegator: DelegatorOption = None, validator: ValidatorOption = None) -> None:
    """Insurances of a delegator, of a validator, or both; oldest first."""
    state = get_state(ctx)
    who, target = filters(state, delegator, validator)
    with state.client() as client:
        emit(state.output, client.insurances(who, target), render_insurances)


@app.command("solvency")
def solvency(ctx: typer.Context, validator: ValidatorArgument,
             height: Annotated[int, typer.Option(help="Height to read at (0 = latest).")] = 0,
             prove: Annotated[bool, typer.Option(help="Ask for proofs of every key the answer was computed from and "
                                                 "verify them against the block's app hash.")] = False) -> None:
    """Self-bond, TotalRefund, headroom and MaxUnbond of a validator (with --prove: verified client side)."""
    state = get_state(ctx)
    target = str(resolve_validator(validator, state.keyring()))
    with state.client() as client:
        if not prove:
            emit(state.output, client.insurance_solvency(target, height))
            return
        answer = client.query_verified("insurance/solvency", {"validator": target}, height)
    emit(state.output, {**answer.value, "height": answer.height, "app_hash": answer.app_hash.hex(),  # type: ignore
                        "verified_proofs": len(answer.proofs)})


@app.command("refunds")
def refunds(ctx: typer.Context, delegator: DelegatorOption = None, validator: ValidatorOption = None) -> None:
    """What each insurance was refunded and was short, with totals."""
    state = get_state(ctx)
    who, target = filters(state, delegator, validator)
    with state.client() as client:
        emit(state.output, client.insurance_refunds(who, target), render_refunds)


def render_terms(answer: dict[str, Any]) -> Iterable[str]:
    for t in answer["terms"]:
        premium = ",".join(f"{p['rate']}{p['denom']}" for p in t["premium"]) or "free"
        yield (f"term {t['id']}  coverage {t['coverage']}  premium {premium}  duration {t['duration_ns'] // 10**9}s  "
               f"infractions {t['slashing_infractions']}")
    if not answer["terms"]:
        yield "(no terms)"


def render_insurances(answer: dict[str, Any]) -> Iterable[str]:
    for view in answer["insurances"]:
        i = view["insurance"]
        state = "  finalized" if view["finalized"] else ""
        yield (f"insurance {i['id']}  {i['delegator']} -> {i['validator']}  term {i['term']['id']}  insured "
               f"{i['insured_stake']}  refunded {i['refunded']}  shortfall {i['shortfall']}{state}")
    if not answer["insurances"]:
        yield "(no insurances)"


def render_refunds(answer: dict[str, Any]) -> Iterable[str]:
    for r in answer["refunds"]:
        yield f"insurance {r['insurance_id']}  refunded {r['refunded']}  shortfall {r['shortfall']}"
    yield f"total refunded {answer['total_refunded']}  total shortfall {answer['total_shortfall']}"
