"""``surety keys``: the keyring at ``<home>/keys`` (``suretychain.client.keyring``)."""
from __future__ import annotations

import dataclasses
import sys
from pathlib import Path
from typing import Annotated, Any, Iterable

import typer

from suretychain.cli.context import CliError, get_state
from suretychain.cli.output import emit
from suretychain.client.keyring import KeyInfo

app = typer.Typer(no_args_is_help=True, help="Create, list and manage keys.")

MNEMONIC_WARNING = ("**Important**: write this mnemonic down and keep it safe. It is the only way to recover the key, "
                    "and it is shown only now.")


def key_json(info: KeyInfo) -> dict[str, Any]:
    """A key's public description."""
    return dataclasses.asdict(info)


def render_key(data: dict[str, Any]) -> Iterable[str]:
    """``name``, ``address`` and ``public key`` lines (plus the mnemonic and its warning after ``add``)."""
    yield f"name:       {data['name']}"
    yield f"address:    {data['address']}"
    yield f"public key: {data['public_key']}"
    if "mnemonic" in data:
        yield ""
        yield MNEMONIC_WARNING
        yield ""
        yield data["mnemonic"]


@app.command("add")
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Key name.")],
    words: Annotated[int, typer.Option(help="Mnemonic length: 12, 15, 18, 21 or 24 words.")] = 24,
) -> None:
    """Create a key from a fresh mnemonic (printed once: write it down)."""
    state = get_state(ctx)
    keyring = state.keyring()
    info, mnemonic = keyring.add(name, state.new_key_passphrase(), words)
    if state.output == "json":
        typer.echo(MNEMONIC_WARNING, err=True)
    emit(state.output, {**key_json(info), "mnemonic": mnemonic}, render_key)


@app.command("recover")
def recover(ctx: typer.Context, name: Annotated[str, typer.Argument(help="Key name.")]) -> None:
    """Store the key of an existing BIP-39 mnemonic (asked for, hidden)."""
    state = get_state(ctx)
    mnemonic = typer.prompt("BIP-39 mnemonic", hide_input=True, err=True)
    info = state.keyring().recover(name, mnemonic, state.new_key_passphrase())
    emit(state.output, key_json(info), render_key)


@app.command("list")
def list_keys(ctx: typer.Context) -> None:
    """List every key: name and address."""
    state = get_state(ctx)
    keys = [key_json(info) for info in state.keyring().list()]
    emit(state.output, keys, lambda items: [f"{k['name']:<20} {k['address']}" for k in items] or ["(no keys)"])


@app.command("show")
def show(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Key name.")],
    address: Annotated[bool, typer.Option("--address", "-a", help="Print the address only.")] = False,
) -> None:
    """Show a key's address and public key."""
    state = get_state(ctx)
    info = state.keyring().show(name)
    if address:
        typer.echo(info.address)
        return
    emit(state.output, key_json(info), render_key)


@app.command("export")
def export(ctx: typer.Context, name: Annotated[str, typer.Argument(help="Key name.")]) -> None:
    """Print a key as an armored document encrypted under a new export passphrase."""
    state = get_state(ctx)
    keyring = state.keyring()
    keyring.show(name)  # fail on a missing key before asking for passphrases
    passphrase = state.key_passphrase(name)
    export_passphrase = typer.prompt("Export passphrase", hide_input=True, confirmation_prompt=True, err=True)
    armored = keyring.export(name, passphrase, export_passphrase)
    emit(state.output, {"name": name, "armored": armored}, lambda data: [data["armored"].rstrip("\n")])


@app.command("import")
def import_key(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Name for the imported key.")],
    file: Annotated[str, typer.Argument(help="Armored key file from `keys export` ('-' for stdin).")],
) -> None:
    """Import an armored key (asks for its export passphrase)."""
    state = get_state(ctx)
    armored = read_text(file)
    export_passphrase = typer.prompt("Export passphrase", hide_input=True, err=True)
    info = state.keyring().import_(name, armored, export_passphrase, state.new_key_passphrase())
    emit(state.output, key_json(info), render_key)


@app.command("delete")
def delete(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Key name.")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Delete a key from the keyring (its mnemonic or an export is then the only copy)."""
    state = get_state(ctx)
    keyring = state.keyring()
    info = keyring.show(name)
    if not yes:
        typer.confirm(f"Delete key {name!r} ({info.address})?", abort=True, err=True)
    keyring.delete(name)
    emit(state.output, {"deleted": name, "address": info.address}, lambda d: [f"deleted key {d['deleted']}"])


def read_text(file: str) -> str:
    """The content of ``file``, or of stdin for ``-``."""
    if file == "-":
        return sys.stdin.read()
    try:
        return Path(file).expanduser().read_text()
    except OSError as exc:
        raise CliError(f"cannot read {file}: {exc.strerror or exc}") from None
