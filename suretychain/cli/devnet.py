"""``surety devnet``: run a one-process chain with the HTTP API (``suretychain.node.devnet.run``)."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from suretychain.cli.context import DEFAULT_DEVNET_HOME


def devnet(
    home: Annotated[Path, typer.Option(help="Devnet home (genesis, data, test keys).")] = DEFAULT_DEVNET_HOME,
    block_time: Annotated[float, typer.Option(min=0.0, help="Seconds between blocks (0: a block as soon as txs "
                                                             "wait).")] = 1.0,
    listen: Annotated[str, typer.Option(help="HOST:PORT of the HTTP API.")] = "127.0.0.1:1317",
    reset: Annotated[bool, typer.Option(help="Delete the devnet's data and start a new chain.")] = False,
    keep_recent: Annotated[int, typer.Option(min=0, help="State versions kept queryable (0: keep all).")] = 1000,
) -> None:
    """Run a local devnet: funded demo accounts, blocks every --block-time seconds, the API on --listen."""
    from suretychain.node.devnet.run import parse_listen, run_devnet

    try:
        parse_listen(listen)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--listen") from None
    raise typer.Exit(run_devnet(home.expanduser(), block_time, listen, reset, keep_recent))
