"""``surety query slashing``: signing infos (liveness, jail, tombstone) and params."""
from __future__ import annotations

from typing import Annotated, Any, Iterable

import typer

from suretychain.cli.context import get_state
from suretychain.cli.output import emit, render_text
from suretychain.client.addresses import resolve_validator
from suretychain.core.genesis import format_time

app = typer.Typer(no_args_is_help=True, help="Query validators' signing infos.")

HEX_DIGITS = frozenset("0123456789abcdefABCDEF")


@app.command("signing-info")
def signing_info(
    ctx: typer.Context,
    validator: Annotated[str, typer.Argument(help="Consensus address (hex), operator address (surevaloper1...) or "
                                                  "the operator's key name.")],
) -> None:
    """One validator's signing info: blocks missed in the window, jailed until, tombstoned."""
    state = get_state(ctx)
    # Consensus addresses are hex; anything else names a validator by operator address or key
    target = validator if set(validator) <= HEX_DIGITS else resolve_validator(validator, state.keyring())
    with state.client() as client:
        answer = client.signing_info(target)
    emit(state.output, answer, lambda info: render_text({**info, "jailed_until": format_jail(info)}))


@app.command("signing-infos")
def signing_infos(ctx: typer.Context) -> None:
    """Every validator's signing info."""
    state = get_state(ctx)
    with state.client() as client:
        emit(state.output, client.signing_infos(), render_signing_infos)


@app.command("params")
def params(ctx: typer.Context) -> None:
    """The slashing params."""
    state = get_state(ctx)
    with state.client() as client:
        emit(state.output, client.slashing_params())


def format_jail(info: dict[str, Any]) -> str:
    """When the jail time ends (``-`` if never jailed)."""
    return format_time(info["jailed_until_ns"]) if info["jailed_until_ns"] else "-"


def render_signing_infos(answer: dict[str, Any]) -> Iterable[str]:
    """One line per validator: consensus address, operator, missed blocks, jail, tombstone."""
    for info in answer["signing_infos"]:
        tombstoned = "  tombstoned" if info["tombstoned"] else ""
        yield (f"{info['consensus_address']}  {info['operator'] or '-'}  missed {info['missed_blocks_counter']}  "
               f"jailed until {format_jail(info)}{tombstoned}")
    if not answer["signing_infos"]:
        yield "(no signing infos)"
