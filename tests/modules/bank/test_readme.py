"""The README's Params, Events, Errors and State tables match the params, events and errors of types.py and keys.py."""
from __future__ import annotations

import re
from pathlib import Path

import msgspec

import suretychain.modules.bank as bank_package
from suretychain.core.encoding import to_json
from suretychain.core.errors import registered_errors
from suretychain.modules.bank import keys, types
from suretychain.modules.bank.types import MODULE, Params

README = Path(bank_package.__file__).with_name("README.md").read_text()


def table(heading: str) -> list[list[str]]:
    """The body rows of the first table under ``## heading``, cells stripped of backticks."""
    section = README.split(f"\n## {heading}", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("|")][2:]
    return [[cell.strip().strip("`") for cell in re.split(r"(?<!\\)\|", row)[1:-1]] for row in rows]


def test_params_table_matches_params():
    rows = {row[0]: row[2] for row in table("Params")}
    assert list(rows) == list(Params.__struct_fields__)
    # defaults as their JSON text (``true``)
    json = msgspec.json.decode(to_json(Params()))
    assert rows == {name: str(json[name]).lower() for name in Params.__struct_fields__}


def test_errors_table_matches_registered_errors():
    rows = [(int(code), message) for code, message in table("Errors")]
    assert rows == [(e.code, e.message) for e in registered_errors() if e.codespace == MODULE]


def test_events_table_matches_events():
    declared = {cls.__name__: list(cls.__struct_fields__) for cls in vars(types).values()
                if isinstance(cls, type) and issubclass(cls, types.BankEvent) and cls is not types.BankEvent}
    rows = {row[0]: [a.strip().strip("`") for a in row[1].split(",")] for row in table("Events")}
    assert rows == declared


def test_state_table_matches_keys():
    prefixes = [bytes.fromhex(re.search(r"0x([0-9a-f]{2})", row[0]).group(1)) for row in table("State")]
    assert prefixes == [keys.PARAMS_KEY, keys.BALANCE_PREFIX, keys.SUPPLY_PREFIX, keys.DEFERRED_PREFIX]
    assert all(row[0].startswith(keys.STORE_PREFIX.decode()) for row in table("State"))
    # every key constant of keys.py is in the table
    constants = {v for k, v in vars(keys).items() if k.isupper() and isinstance(v, bytes) and k != "STORE_PREFIX"}
    assert constants == set(prefixes)
