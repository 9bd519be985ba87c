"""The README's Params, Errors, Events and State tables match params.py, errors.py, events.py and keys.py."""
from __future__ import annotations

import re
from pathlib import Path

import msgspec

import suretychain.modules.court as court_package
from suretychain.core.encoding import to_json
from suretychain.core.errors import registered_errors
from suretychain.modules.court import events, keys
from suretychain.modules.court.errors import CODESPACE
from suretychain.modules.court.params import DEFAULT_COURT_PARAMS, DEFAULT_PARAMS

README = Path(court_package.__file__).with_name("README.md").read_text()


def tables(heading: str) -> list[list[list[str]]]:
    """The body rows of each table under ``## heading``, cells stripped of backticks."""
    section = README.split(f"\n## {heading}", 1)[1].split("\n## ", 1)[0]
    found, rows = [], []
    for line in section.splitlines() + [""]:
        if line.startswith("|"):
            rows.append(line)
        elif rows:
            found.append([[c.strip().strip("`") for c in re.split(r"(?<!\\)\|", r)[1:-1]] for r in rows[2:]])
            rows = []
    return found


def defaults(params) -> dict[str, str]:
    json = msgspec.json.decode(to_json(params))
    return {name: str(json[name]).lower() for name in params.__struct_fields__}


def test_params_tables_match_params():
    module, court = tables("Parameters")
    assert {row[0]: row[2] for row in module} == defaults(DEFAULT_PARAMS)
    assert [row[0] for row in module] == list(DEFAULT_PARAMS.__struct_fields__)
    assert {row[0]: row[2] for row in court} == defaults(DEFAULT_COURT_PARAMS)
    assert [row[0] for row in court] == list(DEFAULT_COURT_PARAMS.__struct_fields__)


def test_errors_table_matches_registered_errors():
    rows = [(int(code), message) for code, message in tables("Errors")[0]]
    assert rows == [(e.code, e.message) for e in registered_errors() if e.codespace == CODESPACE]


def test_events_table_matches_events():
    declared = {cls.__name__: list(cls.__struct_fields__) for cls in vars(events).values()
                if isinstance(cls, type) and issubclass(cls, events.CourtEvent) and cls is not events.CourtEvent}
    rows = {row[0]: [a.strip() for a in row[1].split(",")] for row in tables("Events")[0]}
    assert rows == declared


def test_state_table_matches_keys():
    prefixes = [bytes.fromhex(re.search(r"0x([0-9a-f]{2})", row[0]).group(1)) for row in tables("State")[0]]
    constants = [v for k, v in vars(keys).items() if k.isupper() and isinstance(v, bytes) and k != "STORE_PREFIX"]
    assert prefixes == constants
