"""``surety status``: the node's chain id, latest height and app hash."""
from __future__ import annotations

from typing import Any, Iterable

import typer

from suretychain.cli.context import get_state
from suretychain.cli.output import emit, format_scalar


def render_status(status: dict[str, Any]) -> Iterable[str]:
    """The status as aligned ``label value`` lines."""
    rows = [("chain id", status.get("chain_id")), ("latest height", status.get("latest_height")),
            ("latest app hash", status.get("latest_app_hash")), ("latest block time", status.get("latest_block_time")),
            ("earliest height", status.get("earliest_height")), ("mempool size", status.get("mempool_size")),
            ("catching up", status.get("catching_up")), ("node", status.get("node"))]
    return [f"{label + ':':<19}{format_scalar(value)}" for label, value in rows if value is not None]


def status(ctx: typer.Context) -> None:
    """Show the node's chain id, latest height, app hash and block time."""
    state = get_state(ctx)
    with state.client() as client:
        emit(state.output, client.status(), render_status)
