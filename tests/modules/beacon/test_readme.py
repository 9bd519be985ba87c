"""The README's Errors, Events and State tables match types.py and keys.py."""
from __future__ import annotations

import re
from pathlib import Path

from suretychain.modules.beacon import keys, types

README = (Path(types.__file__).parent / "README.md").read_text()


def test_errors_table_matches_registered_errors():
    rows = set(re.findall(r"^\| beacon \| (\d+) \| `(\w+)` \| ([^|]+?) \|$", README, re.M))
    registered = {(str(getattr(types, name).code), name, getattr(types, name).message)
                  for name in dir(types) if name.startswith("Err")}
    assert rows == registered


def test_events_table_lists_every_field():
    fields = list(types.SeedAdvanced.__struct_fields__)
    section = README.split("## Events", 1)[1].split("##", 1)[0]
    assert re.findall(r"^\|[^|]*\| `(\w+)` \|", section, re.M) == fields and "`SeedAdvanced`" in section


def test_state_table_matches_keys():
    assert "`beacon/ 0x01 \\| height(8, BE)`" in README and keys.SEED == b"\x01"
    assert "`beacon/ 0x02`" in README and keys.LATEST_HEIGHT == b"\x02"
    assert keys.STORE_PREFIX == b"beacon/"
