"""Staking genesis: export then import keeps the app hash and the consensus set."""
from __future__ import annotations

from suretychain.app import make_app
from suretychain.core.genesis import decode_genesis, encode_genesis
from suretychain.core.store import CommitStore
from support_staking import delegate, make_create_validator, redelegate, staking_chain, undelegate


def test_export_import_round_trip_with_entries():
    chain = staking_chain()
    chain.deliver("alice", make_create_validator(chain, "alice", bond=3 * 10**12))
    delegate(chain, "bob", "val0", 10**9)
    undelegate(chain, "bob", "val0", 10**8)
    redelegate(chain, "bob", "val0", "val1", 10**8)
    doc = decode_genesis(encode_genesis(chain.export_genesis()))
    fresh = make_app(CommitStore(None))
    result = fresh.init_chain(doc)
    assert result.app_hash == chain.app_hash()
    assert sorted(result.validators) == sorted((pk, power) for pk, power in
                                               [(v[0], v[1]) for v in chain.valsets[chain.height + 2].values()])
