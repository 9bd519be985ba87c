"""``surety``: the command tree. This file only declares the global options and joins the groups.

Global options belong to the root, but may also be written after the command (``surety status --output json``):
:func:`hoist_global_options` moves them in front, unless the command has an option of the same name
(``surety devnet --home`` is the devnet's home).
"""
from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from typer.core import TyperGroup

from suretychain.cli import cometbft, devnet, genesis, keys, node, query, status, testnet, tx
from suretychain.cli.context import DEFAULT_HOME, CliError, CliState, KeyringBackend
from suretychain.cli.output import OutputFormat, print_error
from suretychain.client.client import DEFAULT_NODE, ClientError
from suretychain.client.court import VoteSecretError
from suretychain.client.keyring import KeyringError
from suretychain.core.errors import SuretyError
from suretychain.core.proof import ProofError

# Errors a command reports as ``Error: ...`` with exit code 1 (anything else is a bug and keeps its traceback).
REPORTED_ERRORS = (SuretyError, KeyringError, ClientError, ProofError, CliError, VoteSecretError)


class SuretyGroup(TyperGroup):
    """The root group: hoists global options, and reports coded and user errors instead of tracebacks."""

    def parse_args(self, ctx: typer.Context, args: list[str]) -> list[str]:
        return super().parse_args(ctx, hoist_global_options(self, args))

    def invoke(self, ctx: typer.Context):  # noqa: ANN201
        try:
            return super().invoke(ctx)
        except REPORTED_ERRORS as exc:
            print_error(exc)
        raise typer.Exit(1)


def hoist_global_options(root: TyperGroup, args: list[str]) -> list[str]:
    """Move root options found after the command path in front of it (the command's own options stay)."""
    takes_value = {opt for p in root.params if not getattr(p, "is_flag", True) for opt in p.opts}
    found = find_command(root, args, takes_value)
    if found is None:
        return args
    first, end, command = found
    own = {opt for p in command.params for opt in getattr(p, "opts", [])}
    hoisted, rest = split_options(args[end:], takes_value - own)
    return args[:first] + hoisted + args[first:end] + rest


def find_command(root: TyperGroup, args: list[str], root_options: set[str]) -> tuple[int, int, object] | None:
    """Where the command path starts and ends in ``args``, and the command it names (None: no command)."""
    command: object = root
    position, first = 0, None
    while position < len(args) and hasattr(command, "commands"):
        token = args[position]
        if token == "--":
            return None
        if token.startswith("-"):
            if command is root:
                position += 2 if token in root_options else 1
                continue
            takes_value, flags = option_names(command)
            if token not in takes_value and token not in flags:
                break  # not this group's option: the command path ends at this group
            position += 2 if token in takes_value else 1
            continue
        sub = command.commands.get(token)  # type: ignore[attr-defined]
        if sub is None:
            return None
        first = position if first is None else first
        command, position = sub, position + 1
    return None if first is None else (first, position, command)


def option_names(command: object) -> tuple[set[str], set[str]]:
    """A command's options that take a value, and its flags."""
    params = getattr(command, "params", [])
    takes_value = {opt for p in params if not getattr(p, "is_flag", True) for opt in getattr(p, "opts", [])}
    flags = {opt for p in params if getattr(p, "is_flag", False)
             for opt in [*getattr(p, "opts", []), *getattr(p, "secondary_opts", [])]}
    return takes_value, flags


def split_options(tokens: list[str], names: set[str]) -> tuple[list[str], list[str]]:
    """``tokens`` split into the options in ``names`` (with their values) and everything else, in order."""
    picked: list[str] = []
    rest: list[str] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token == "--":
            rest.extend(tokens[index:])
            break
        width = (1 if "=" in token else 2) if token.split("=", 1)[0] in names else 0
        if width:
            picked.extend(tokens[index:index + width])
            index += width
        else:
            rest.append(token)
            index += 1
    return picked, rest


app = typer.Typer(cls=SuretyGroup, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Surety: chain node, keys, queries and txs.")


@app.callback()
def root(
    ctx: typer.Context,
    node: Annotated[str, typer.Option(envvar="SURETY_NODE", help="Node API URL.")] = DEFAULT_NODE,
    output: Annotated[OutputFormat, typer.Option("--output", "-o", help="Output format.")] = OutputFormat.text,
    home: Annotated[Path, typer.Option(envvar="SURETY_HOME", help="Home directory (keyring in <home>/keys, "
                                                                 "genesis in <home>/genesis.json).")] = DEFAULT_HOME,
    keyring_backend: Annotated[KeyringBackend, typer.Option(envvar="SURETY_KEYRING_BACKEND",
                                                            help="file (encrypted) or test (clear text).")]
    = KeyringBackend.file,
    chain_id: Annotated[str | None, typer.Option(help="Chain id to sign for (default: ask the node).")] = None,
) -> None:
    """Surety: chain node, keys, queries and txs."""
    ctx.obj = CliState(node=node, output=output.value, home=home.expanduser(),
                       keyring_backend=keyring_backend.value, chain_id=chain_id)


app.add_typer(devnet.app, name="devnet")
app.command("status")(status.status)
app.add_typer(keys.app, name="keys")
app.add_typer(query.app, name="query")
app.add_typer(tx.app, name="tx")
app.add_typer(genesis.app, name="genesis")
app.add_typer(node.app, name="node")
app.add_typer(testnet.app, name="testnet")
app.add_typer(cometbft.app, name="cometbft")


def main() -> None:
    """Console entry point (``surety``)."""
    app(prog_name="surety")


if __name__ == "__main__":
    main()
