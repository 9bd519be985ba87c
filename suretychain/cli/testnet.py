"""``surety testnet init|start|stop|status|add-node``: a local multi-validator network on 127.0.0.1."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer

from suretychain.cli.context import CliError

app = typer.Typer(no_args_is_help=True, help="A local CometBFT testnet (N validators on 127.0.0.1).")

DEFAULT_TESTNET_HOME = Path("~/.surety/testnet")


@app.command("init")
def init(
    home: Annotated[Path, typer.Option(help="Testnet directory (one node<i>/ home per node).")] = DEFAULT_TESTNET_HOME,
    validators: Annotated[int, typer.Option(min=1, max=50, help="Number of validators.")] = 4,
    chain_id: Annotated[str, typer.Option(help="Chain id.")] = "surety-local-1",
    base_port: Annotated[int, typer.Option(min=1024, max=60000, help="Node i uses base+10i .. base+10i+3.")] = 27000,
    snapshot_interval: Annotated[int, typer.Option(min=0, help="Blocks between state-sync snapshots.")] = 10,
    slashing_window: Annotated[Optional[int], typer.Option(
        min=1, help="Slashing signed_blocks_window in blocks (default: the module's, 100).")] = None,
    downtime_jail_duration: Annotated[Optional[float], typer.Option(
        min=0.001, help="Slashing downtime_jail_duration in seconds (default: the module's, 600).")] = None,
) -> None:
    """Create N validator homes with one shared genesis (validators in staking genesis), peers, fast timeouts."""
    from suretychain.node.cometbft.binary import CometBFTNotFound
    from suretychain.node.cometbft.home import SlashingOverrides
    from suretychain.node.cometbft.testnet import init_testnet

    slashing = SlashingOverrides(
        signed_blocks_window=slashing_window,
        downtime_jail_duration_ns=None if downtime_jail_duration is None else int(downtime_jail_duration * 10**9))
    try:
        manifest = init_testnet(home.expanduser(), validators, chain_id, base_port, snapshot_interval, slashing)
    except (CometBFTNotFound, FileExistsError, RuntimeError) as exc:
        raise CliError(str(exc)) from None
    for node in manifest.nodes:
        typer.echo(f"{node.moniker}: {node.home}  rpc {node.rpc}  api http://{node.api}")
    typer.echo(f"Start with: surety testnet start --home {home}")


@app.command("add-node")
def add_node(
    home: Annotated[Path, typer.Option(help="Testnet directory.")] = DEFAULT_TESTNET_HOME,
    state_sync: Annotated[bool, typer.Option(help="Join by state sync (the network must be running).")] = True,
    base_port: Annotated[int, typer.Option(min=1024, max=60000)] = 27000,
) -> None:
    """Add a non-validator node (joins by state sync from the others' snapshots)."""
    from suretychain.node.cometbft.testnet import add_node as add

    try:
        node = add(home.expanduser(), state_sync, base_port)
    except (FileNotFoundError, TimeoutError) as exc:
        raise CliError(str(exc)) from None
    typer.echo(f"{node.moniker}: {node.home}  rpc {node.rpc}  api http://{node.api}")


@app.command("start")
def start(home: Annotated[Path, typer.Option(help="Testnet directory.")] = DEFAULT_TESTNET_HOME) -> None:
    """Start every node in the background (logs in node<i>/logs/)."""
    from suretychain.node.cometbft.testnet import start_testnet

    try:
        pids = start_testnet(home.expanduser())
    except FileNotFoundError as exc:
        raise CliError(str(exc)) from None
    typer.echo(f"started {len(pids)} nodes: pids {' '.join(map(str, pids))}")


@app.command("stop")
def stop(home: Annotated[Path, typer.Option(help="Testnet directory.")] = DEFAULT_TESTNET_HOME) -> None:
    """Stop every node (SIGTERM to each node's process group, SIGKILL after 15 s)."""
    from suretychain.node.cometbft.testnet import stop_testnet

    try:
        stopped = stop_testnet(home.expanduser())
    except FileNotFoundError as exc:
        raise CliError(str(exc)) from None
    typer.echo(f"stopped {sum(stopped)} of {len(stopped)} nodes")


@app.command("status")
def status(ctx: typer.Context,
           home: Annotated[Path, typer.Option(help="Testnet directory.")] = DEFAULT_TESTNET_HOME) -> None:
    """Height, app hash and sync state of every node (``--output json`` for machines)."""
    from suretychain.node.cometbft.testnet import format_status, testnet_status

    try:
        result = testnet_status(home.expanduser())
    except FileNotFoundError as exc:
        raise CliError(str(exc)) from None
    output = getattr(ctx.obj, "output", "text") if ctx.obj else "text"
    typer.echo(json.dumps(result, indent=2) if output == "json" else format_status(result))
