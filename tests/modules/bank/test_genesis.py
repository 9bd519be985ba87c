"""Bank genesis: validation errors name the field; export/import round trip."""
from __future__ import annotations

import msgspec
import pytest

from suretychain.app import make_app
from suretychain.core.errors import ErrInvalidGenesis, SuretyError
from suretychain.core.genesis import decode_genesis, encode_genesis
from suretychain.core.store import CommitStore
from support import make_chain


def genesis_with_bank(bank: dict) -> bytes:
    doc = {"chain_id": "g-1", "genesis_time": "2026-01-01T00:00:00Z", "app_state": {"bank": bank}}
    return msgspec.json.encode(doc)


def init(raw: bytes):
    return make_app(CommitStore(None)).init_chain(decode_genesis(raw))


ALICE = "sure1qrdwe0rasrq24keg3qgct95xada7ayle0jg2rw"


@pytest.mark.parametrize("bank, fragment", [
    ({"balances": [{"address": "sure1nope", "coins": []}]}, "invalid address"),
    ({"balances": [{"address": ALICE, "coins": [{"denom": "usrt", "amount": -5}]}]}, "amount"),
    ({"balances": [{"address": ALICE, "coins": [{"denom": "usrt", "amount": 0}]}]}, "must be positive"),
    ({"balances": [{"address": ALICE, "coins": [{"denom": "usrt", "amount": 5}]},
                   {"address": ALICE, "coins": [{"denom": "usrt", "amount": 5}]}]}, "duplicate address"),
    ({"balances": [{"address": ALICE, "coins": [{"denom": "usrt", "amount": 5}]}],
      "supply": [{"denom": "usrt", "amount": 6}]}, "supply does not equal"),
    ({"balances": [], "extra_field": 1}, "extra_field"),
])
def test_invalid_bank_genesis(bank, fragment):
    with pytest.raises(SuretyError) as info:
        init(genesis_with_bank(bank))
    assert ErrInvalidGenesis.is_(info.value)
    assert "app_state.bank" in info.value.log and fragment in info.value.log


def test_invalid_envelope():
    with pytest.raises(SuretyError, match="genesis_time"):
        decode_genesis(b'{"chain_id": "x", "genesis_time": "yesterday"}')
    with pytest.raises(SuretyError, match="unknown modules: nosuch"):
        init(msgspec.json.encode({"chain_id": "x", "genesis_time": "2026-01-01T00:00:00Z",
                                  "app_state": {"nosuch": {}}}))


def test_export_import_round_trip():
    chain = make_chain()
    exported = encode_genesis(chain.export_genesis())
    again = make_app(CommitStore(None))
    assert again.init_chain(decode_genesis(exported)).app_hash == chain.app_hash()
