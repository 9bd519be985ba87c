"""The README's Params, Events, Errors and State tables match params.py, events.py, errors.py and keys.py."""
from __future__ import annotations

import re
from pathlib import Path

import suretychain.modules.distribution as distribution_package
from suretychain.core.errors import registered_errors
from suretychain.modules.distribution import events, keys
from suretychain.modules.distribution.errors import CODESPACE
from suretychain.modules.distribution.params import Params

README = Path(distribution_package.__file__).with_name("README.md").read_text()


def table(heading: str) -> list[list[str]]:
    """The body rows of the first table under ``## heading``, cells stripped of backticks."""
    section = README.split(f"\n## {heading}", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("|")][2:]
    return [[cell.strip().strip("`") for cell in re.split(r"(?<!\\)\|", row)[1:-1]] for row in rows]


def test_params_table_matches_params():
    defaults = Params()
    rows = {row[0]: row[2] for row in table("Params")}
    assert list(rows) == list(Params.__struct_fields__)
    assert rows == {name: str(getattr(defaults, name)) for name in Params.__struct_fields__}


def test_errors_table_matches_registered_errors():
    rows = [(int(code), message) for code, message in table("Errors")]
    assert rows == [(e.code, e.message) for e in registered_errors() if e.codespace == CODESPACE]


def test_events_table_matches_events():
    declared = {cls.__name__: list(cls.__struct_fields__) for cls in vars(events).values()
                if isinstance(cls, type) and issubclass(cls, events.DistributionEvent)
                and cls is not events.DistributionEvent}
    rows = {row[0]: [a.strip().strip("`") for a in row[1].split(",")] for row in table("Events")}
    assert rows == declared


def test_state_table_matches_keys():
    prefixes = [bytes.fromhex(re.search(r"0x([0-9a-f]{2})", row[0]).group(1)) for row in table("State")]
    assert prefixes == [keys.PARAMS_KEY, keys.FEE_POOL_KEY, keys.LAST_INFLATION_TIME_KEY, keys.OUTSTANDING_REWARDS,
                        keys.ACCUMULATED_COMMISSION, keys.HISTORICAL_REWARDS, keys.CURRENT_REWARDS,
                        keys.STARTING_INFO, keys.SLASH_EVENT, keys.WITHDRAW_ADDRESS]
    assert all(row[0].startswith(keys.STORE_PREFIX.decode()) for row in table("State"))


def test_hooks_table_matches_the_subscriptions():
    from suretychain.app import make_app
    from suretychain.core.store import CommitStore

    app = make_app(CommitStore(None))
    staking_hooks = app.modules_by_name["staking"].keeper.hooks
    subscribed = {kind.__name__ for kind, subscribers in staking_hooks._subscribers.items()
                  if any(getattr(s, "func", s).__module__ == "suretychain.modules.distribution.hooks"
                         for s in subscribers)}
    assert {row[0] for row in table("Hooks")} == subscribed
