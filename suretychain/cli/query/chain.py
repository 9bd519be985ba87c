"""``surety query account|tx|txs|block|raw``: accounts, txs, blocks and any module query (with proofs)."""
from __future__ import annotations

import json
from typing import Annotated, Any, Iterable, Optional

import typer

from suretychain.cli.context import get_state
from suretychain.cli.output import emit, format_scalar, render_text
from suretychain.core.encoding import parse_address


def account(ctx: typer.Context, address: Annotated[str, typer.Argument(help="Account address (sure1...).")]) -> None:
    """An account's public key and next sequence."""
    state = get_state(ctx)
    with state.client() as client:
        emit(state.output, client.account(parse_address(address)))


def tx(ctx: typer.Context, hash: Annotated[str, typer.Argument(help="Tx hash (hex).")]) -> None:
    """A committed tx and its result."""
    state = get_state(ctx)
    with state.client() as client:
        emit(state.output, client.tx(hash))


def txs(
    ctx: typer.Context,
    event: Annotated[str, typer.Option(help="module.Type.key=value (or tx.height=N).")],
    limit: Annotated[int, typer.Option(min=1, help="At most this many txs.")] = 50,
    offset: Annotated[int, typer.Option(min=0, help="Skip this many matches.")] = 0,
) -> None:
    """Committed txs that emitted an event attribute."""
    state = get_state(ctx)
    with state.client() as client:
        found = client.search_txs(event, limit, offset)
    emit(state.output, {"txs": found}, lambda d: render_text(d["txs"]) if d["txs"] else ["(no txs)"])


def block(
    ctx: typer.Context,
    height: Annotated[Optional[int], typer.Argument(min=1, help="Height (default: latest).")] = None,
) -> None:
    """A block: hash, time, app hash (state root after it), txs and events."""
    state = get_state(ctx)
    with state.client() as client:
        emit(state.output, client.block(height))


def raw(
    ctx: typer.Context,
    path: Annotated[str, typer.Argument(help="Query path <module>/<route>, e.g. bank/balance.")],
    param: Annotated[Optional[list[str]], typer.Option("--param", "-p", help="Request field k=v (repeatable).")]
    = None,
    height: Annotated[int, typer.Option(min=0, help="Height to read at (0: latest).")] = 0,
    prove: Annotated[bool, typer.Option(help="Ask for proofs and verify them against the block's app hash.")]
    = False,
) -> None:
    """Any module query; with --prove every proof is verified (client side) before the answer is shown."""
    state = get_state(ctx)
    params = parse_params(param or [])
    with state.client() as client:
        answer = client.query_verified(path, params, height) if prove else client.query(path, params, height)
    data: dict[str, Any] = {"height": answer.height, "value": answer.value}
    if prove:
        data["app_hash"] = answer.app_hash.hex() if answer.app_hash else None
        data["verified"] = True
        data["proofs"] = [{"key": p.key.hex(), "value": None if p.value is None else p.value.hex(),
                           "proof": p.proof.hex()} for p in answer.proofs]
    emit(state.output, data, render_raw)


def render_raw(data: dict[str, Any]) -> Iterable[str]:
    """Height and value; with proofs, what they were verified against."""
    yield f"height: {data['height']}"
    value = data["value"]
    if isinstance(value, (dict, list)) and value:
        yield "value:"
        yield from render_text(value, 1)
    else:
        yield f"value: {format_scalar(value)}"
    if data.get("verified"):
        yield f"verified: {len(data['proofs'])} proof(s) against app hash {data['app_hash']}"


def parse_params(items: list[str]) -> dict[str, Any]:
    """``k=v`` pairs to request fields; a value that is a JSON number, boolean, null, list or object is sent as
    such (``id=5`` is the integer 5), anything else as a string."""
    params: dict[str, Any] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise typer.BadParameter(f"expected k=v, got {item!r}", param_hint="--param")
        try:
            params[key] = json.loads(value)
            if isinstance(params[key], float):
                params[key] = value  # no floats on chain: keep the text, the query's type decides
        except ValueError:
            params[key] = value
    return params
