"""Court genesis: the default court tree, validation, and export/import of a chain with an open dispute."""
from __future__ import annotations

import pytest

from suretychain.core.encoding import Address
from suretychain.core.errors import SuretyError
from suretychain.core.genesis import decode_genesis, encode_genesis
from suretychain.core.store import CommitStore
from suretychain.modules.court.genesis import default_genesis, validate_genesis
from suretychain.modules.court.types import Court, GenesisState, JurorStake
from suretychain.modules.court.params import CourtParams
from tests.modules.court.helpers import JURORS, commit, court_chain, drawn, make_app_with_creator, ok, open_dispute, \
    stake, until_period


def test_default_tree():
    courts = default_genesis().courts
    assert [(c.id, c.parent, c.name) for c in courts] == [
        (1, 0, "general"), (2, 1, "software security"), (3, 2, "python"), (4, 2, "javascript"), (5, 2, "rust"),
        (6, 2, "solidity"), (7, 2, "validators"), (8, 2, "services")]
    validate_genesis(default_genesis())


@pytest.mark.parametrize("state", [
    GenesisState(courts=[Court(id=2, parent=1, name="orphan", params=CourtParams())]),
    GenesisState(courts=[Court(id=1, parent=0, name="g", params=CourtParams(max_rounds=0))]),
    GenesisState(courts=default_genesis().courts, stakes=[JurorStake(
        juror=Address("sure1qrdwe0rasrq24keg3qgct95xada7ayle0jg2rw"), court=3, amount=5)], jurors=[]),
])
def test_invalid_genesis(state):
    with pytest.raises(SuretyError):
        validate_genesis(state)


def test_export_import_round_trip_with_open_dispute(monkeypatch):
    chain = court_chain(monkeypatch)
    for name in JURORS[:4]:
        ok(stake(chain, name, 4, 5_000))  # javascript: a child of software security (2)
    dispute_id = open_dispute(chain, court=2)
    until_period(chain, dispute_id, "commit")
    ok(commit(chain, drawn(chain, dispute_id)[0][0], dispute_id, 0, 1))
    doc = decode_genesis(encode_genesis(chain.export_genesis()))
    fresh = make_app_with_creator(CommitStore(None))
    result = fresh.init_chain(doc)
    assert result.app_hash == chain.app_hash()
