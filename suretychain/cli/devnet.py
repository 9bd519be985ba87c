"""``surety devnet``: run a one-process chain with the HTTP API (``suretychain.node.devnet.run``)."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from suretychain.cli.context import DEFAULT_DEVNET_HOME, get_state
from suretychain.cli.output import emit


app = typer.Typer(help="Run the embedded devnet, or inject faults into a running one.", no_args_is_help=False)
fault_app = typer.Typer(help="Inject validator faults into a running devnet (devnet only).", no_args_is_help=True)
app.add_typer(fault_app, name="fault")


@app.callback(invoke_without_command=True)
def devnet(
    ctx: typer.Context,
    home: Annotated[Path, typer.Option(help="Devnet home (genesis, data, test keys).")] = DEFAULT_DEVNET_HOME,
    block_time: Annotated[float, typer.Option(min=0.0, help="Seconds between blocks (0: a block as soon as txs "
                                                             "wait).")] = 1.0,
    listen: Annotated[str, typer.Option(help="HOST:PORT of the HTTP API.")] = "127.0.0.1:1317",
    reset: Annotated[bool, typer.Option(help="Delete the devnet's data and start a new chain.")] = False,
    keep_recent: Annotated[int, typer.Option(min=0, help="State versions kept queryable (0: keep all).")] = 1000,
) -> None:
    """Run a local devnet: funded demo accounts, blocks every --block-time seconds, the API on --listen."""
    if ctx.invoked_subcommand is not None:
        return
    from suretychain.node.devnet.run import parse_listen, run_devnet

    try:
        parse_listen(listen)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--listen") from None
    raise typer.Exit(run_devnet(home.expanduser(), block_time, listen, reset, keep_recent))


@fault_app.command("offline")
def fault_offline(
    ctx: typer.Context,
    validator: Annotated[str, typer.Argument(help="Moniker (validator0..3), operator address or consensus address.")],
    blocks: Annotated[int, typer.Option(min=1, help="Heights the validator casts no vote for.")] = 10,
) -> None:
    """The validator stops voting for --blocks heights (the slashing module sees missed blocks)."""
    state = get_state(ctx)
    emit(state.output, state.client().devnet_fault("offline", validator, blocks))


@fault_app.command("double-sign")
def fault_double_sign(
    ctx: typer.Context,
    validator: Annotated[str, typer.Argument(help="Moniker (validator0..3), operator address or consensus address.")],
) -> None:
    """The validator signs two conflicting votes with its real key; the evidence goes into the next block."""
    state = get_state(ctx)
    emit(state.output, state.client().devnet_fault("double-sign", validator))
