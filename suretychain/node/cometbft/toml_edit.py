"""Minimal in-place edits of CometBFT's ``config.toml``: set ``key = value`` in a section, keeping everything else.

Only the flat keys CometBFT writes are handled (strings, numbers, booleans); values are rendered TOML-style.
"""
from __future__ import annotations

import re
from typing import Any


def render_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def set_values(text: str, section: str, values: dict[str, Any]) -> str:
    """``text`` with each key of ``values`` set in ``[section]`` ("" = the top level); missing keys are appended."""
    lines = text.split("\n")
    current = ""
    seen: set[str] = set()
    end_of_section = len(lines) if section == "" else None
    for index, line in enumerate(lines):
        header = re.match(r"^\s*\[([^\]]+)\]\s*$", line)
        if header:
            if current == section and end_of_section is None:
                end_of_section = index
            if section == "" and current == "" and end_of_section == len(lines):
                end_of_section = index
            current = header.group(1).strip()
            continue
        match = re.match(r"^(\s*)([A-Za-z0-9_.-]+)\s*=", line)
        if match and current == section and match.group(2) in values:
            key = match.group(2)
            lines[index] = f"{key} = {render_value(values[key])}"
            seen.add(key)
    if end_of_section is None and current == section:
        end_of_section = len(lines)  # the section was the last one
    missing = [f"{k} = {render_value(v)}" for k, v in values.items() if k not in seen]
    if missing:
        if end_of_section is None:
            lines.extend(["", f"[{section}]", *missing])
        else:
            lines[end_of_section:end_of_section] = missing
    return "\n".join(lines)
