"""The one place that writes results and errors: ``--output json`` (the API's JSON) or ``--output text``.

Errors go to stderr as ``Error: <codespace>/<code>: <message>`` for the chain's coded errors and ``Error: <message>``
for everything else; the exit code is 1 (2 for usage errors, which Click reports itself).
"""
from __future__ import annotations

import enum
import json
from typing import Any, Callable, Iterable

import typer

from suretychain.core.errors import SuretyError

TextRenderer = Callable[[Any], Iterable[str]]


class OutputFormat(str, enum.Enum):
    """``--output`` choices."""

    text = "text"
    json = "json"


def emit(output: str, data: Any, text: TextRenderer | None = None) -> None:
    """Print ``data`` as JSON, or as text through ``text`` (default: an indented ``key: value`` listing)."""
    if output == OutputFormat.json.value:
        typer.echo(json.dumps(data, indent=2))
        return
    for line in (text or render_text)(data):
        typer.echo(line)


def render_text(data: Any, indent: int = 0) -> list[str]:
    """A readable listing of nested JSON: ``key: value`` lines, nested values indented, list items with ``-``."""
    pad = "  " * indent
    if isinstance(data, dict):
        lines = []
        for key, value in data.items():
            if isinstance(value, (dict, list)) and value:
                lines.append(f"{pad}{key}:")
                lines.extend(render_text(value, indent + 1))
            else:
                lines.append(f"{pad}{key}: {format_scalar(value)}")
        return lines
    if isinstance(data, list):
        lines = []
        for item in data:
            if isinstance(item, (dict, list)) and item:
                inner = render_text(item, indent + 1)
                lines.append(f"{pad}- {inner[0].lstrip()}")
                lines.extend(inner[1:])
            else:
                lines.append(f"{pad}- {format_scalar(item)}")
        return lines
    return [f"{pad}{format_scalar(data)}"]


def format_scalar(value: Any) -> str:
    """A leaf value as text (empty collections and null shown explicitly)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return "{}" if isinstance(value, dict) else "[]"
    return str(value)


def format_coins(coins: list[dict[str, Any]]) -> str:
    """``[{denom, amount}]`` as ``10usrt,5uusd`` (``(none)`` when empty)."""
    return ",".join(f"{c['amount']}{c['denom']}" for c in coins) or "(none)"


def format_error(exc: BaseException) -> str:
    """The text after ``Error: ``: the chain's code for coded errors, else the message."""
    if isinstance(exc, SuretyError):
        return f"{exc.codespace}/{exc.code}: {exc.log}"
    return str(exc)


def print_error(exc: BaseException) -> None:
    """Write ``Error: ...`` to stderr."""
    typer.echo(f"Error: {format_error(exc)}", err=True)
