"""The README's Params, Events, Errors and State tables match params.py, events.py, errors.py and keys.py."""
from __future__ import annotations

import re
from pathlib import Path

import suretychain.modules.slashing as slashing_package
from suretychain.core.errors import registered_errors
from suretychain.modules.slashing import events, keys
from suretychain.modules.slashing.errors import CODESPACE
from suretychain.modules.slashing.params import DEFAULT_PARAMS

README = Path(slashing_package.__file__).with_name("README.md").read_text()


def table(heading: str) -> list[list[str]]:
    """The body rows of the first table under ``## heading``, cells stripped of backticks."""
    section = README.split(f"\n## {heading}", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("|")][2:]
    return [[cell.strip().strip("`") for cell in re.split(r"(?<!\\)\|", row)[1:-1]] for row in rows]


def test_params_table_matches_params():
    rows = {row[0]: row[2] for row in table("Params")}
    assert list(rows) == list(DEFAULT_PARAMS.__struct_fields__)
    assert rows == {name: str(getattr(DEFAULT_PARAMS, name)) for name in DEFAULT_PARAMS.__struct_fields__}


def test_errors_table_matches_registered_errors():
    rows = [(int(code), message) for code, message in table("Errors")]
    assert rows == [(e.code, e.message) for e in registered_errors() if e.codespace == CODESPACE]


def test_events_table_matches_events():
    declared = {cls.__name__: list(cls.__struct_fields__) for cls in vars(events).values()
                if isinstance(cls, type) and issubclass(cls, events.SlashingEvent) and cls is not events.SlashingEvent}
    rows = {row[0]: [a.strip().strip("`") for a in row[1].split(",")] for row in table("Events")}
    assert rows == declared


def test_state_table_matches_keys():
    prefixes = [bytes.fromhex(re.search(r"0x([0-9a-f]{2})", row[0]).group(1)) for row in table("State")]
    assert prefixes == [keys.PARAMS_KEY, keys.SIGNING_INFO, keys.MISSED_BLOCK, keys.SLASHING_PERIOD]
    assert all(row[0].startswith(keys.STORE_PREFIX.decode()) for row in table("State"))

