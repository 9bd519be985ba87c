"""``surety cometbft install|which``: build the pinned CometBFT with Go, or show which binary is used."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

app = typer.Typer(no_args_is_help=True, help="The CometBFT binary (v0.38.25).")


@app.command("install")
def install(
    dir: Annotated[Optional[Path], typer.Option("--dir", help="Where to put the binary (default $GOBIN or "
                                                             "~/.surety/bin).")] = None,
) -> None:
    """go install github.com/cometbft/cometbft/cmd/cometbft@v0.38.25 and check its version."""
    from suretychain.node.cometbft.binary import COMETBFT_VERSION, CometBFTNotFound, install_cometbft

    typer.echo(f"Building CometBFT v{COMETBFT_VERSION} with go install (may take several minutes)...")
    try:
        binary = install_cometbft(dir.expanduser() if dir else None)
    except CometBFTNotFound as exc:
        typer.echo(f"Error: {exc}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"Installed {binary} (cometbft version {COMETBFT_VERSION})")


@app.command("which")
def which() -> None:
    """Print the cometbft binary that Surety will run and its version."""
    from suretychain.node.cometbft.binary import find_cometbft, get_version

    binary = find_cometbft()
    if binary is None:
        typer.echo("Error: cometbft not found: run `surety cometbft install`", err=True)
        raise typer.Exit(1)
    typer.echo(f"{binary} {get_version(binary)}")
