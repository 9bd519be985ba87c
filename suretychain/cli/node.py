"""``surety node init|start``: one CometBFT-driven node (ABCI server + cometbft + HTTP API)."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from suretychain.cli.context import CliError

app = typer.Typer(no_args_is_help=True, help="A CometBFT node running the Surety App.")

DEFAULT_NODE_HOME = Path("~/.surety/node")


@app.command("init")
def init(
    home: Annotated[Path, typer.Option(help="Node home (app data, keys and CometBFT home).")] = DEFAULT_NODE_HOME,
    moniker: Annotated[str, typer.Option(help="Node name.")] = "node0",
    chain_id: Annotated[str, typer.Option(help="Chain id of the new genesis.")] = "surety-local-1",
) -> None:
    """Create a node home: cometbft init, a single-validator genesis with funded demo accounts, node.json."""
    from suretychain.node.cometbft.binary import CometBFTNotFound
    from suretychain.node.cometbft.home import init_node

    try:
        node_home = init_node(home.expanduser(), moniker, chain_id)
    except (CometBFTNotFound, FileExistsError, RuntimeError) as exc:
        raise CliError(str(exc)) from None
    typer.echo(f"Initialised node {moniker} (chain {chain_id}) in {node_home.root}")
    typer.echo(f"Start it with: surety node start --home {node_home.root}")


@app.command("start")
def start(
    home: Annotated[Path, typer.Option(help="Node home.")] = DEFAULT_NODE_HOME,
    api: Annotated[Optional[str], typer.Option(help="HOST:PORT of the HTTP API (default: node.json; '' = off).")]
    = None,
) -> None:
    """Run the ABCI server, cometbft and the HTTP API until SIGINT/SIGTERM."""
    from suretychain.node.cometbft.binary import CometBFTNotFound
    from suretychain.node.cometbft.run import run_node

    try:
        status = run_node(home.expanduser(), api, out=lambda s: typer.echo(s))
    except (CometBFTNotFound, FileNotFoundError, FileExistsError) as exc:
        raise CliError(str(exc)) from None
    raise typer.Exit(status)
