"""Two fresh Apps fed the same blocks agree on the app hash at every height; export/import keeps the hash."""
from __future__ import annotations

import random

from suretychain.core.app import BlockRequest
from suretychain.core.genesis import decode_genesis, encode_genesis
from suretychain.app import make_app
from suretychain.core.store import CommitStore
from support import make_chain, make_send

NAMES = ["alice", "bob", "carol", "dave"]




def test_two_apps_same_blocks_same_hashes(tmp_path):
    rng = random.Random(7)
    first = make_chain()
    second = make_chain(path=str(tmp_path / "second.db"))
    assert first.app_hash() == second.app_hash()
    for height in range(30):
        txs, sent = [], {name: 0 for name in NAMES}
        for _ in range(rng.randrange(0, 4)):
            sender, recipient = rng.choice(NAMES[:2]), rng.choice(NAMES)
            amount = rng.choice([1, 10**6, 10**13])  # some fail for lack of funds
            msg = make_send(first, sender, recipient, amount, rng.choice(["usrt", "uusd"]))
            txs.append(first.sign(sender, msg, sequence=first.sequence(sender) + sent[sender]))
            sent[sender] += 1
        r1 = first.next_block(txs=txs)
        r2 = second.next_block(txs=txs)
        assert r1.app_hash == r2.app_hash, f"diverged at block {first.height}"
        assert [t.code for t in r1.tx_results] == [t.code for t in r2.tx_results]
        assert first.app_hash() == second.app_hash()


def test_export_then_import_gives_same_app_hash():
    chain = make_chain()
    for i in range(5):
        chain.deliver("alice", make_send(chain, "alice", "bob", 100 + i))
        chain.deliver("bob", make_send(chain, "bob", "carol", 3, "uusd"))
    doc = decode_genesis(encode_genesis(chain.export_genesis()))
    fresh = make_app(CommitStore(None, keep_recent=0))
    result = fresh.init_chain(doc)
    assert result.app_hash == chain.app_hash()
    assert doc.initial_height == chain.height + 1
    fresh.finalize_block(BlockRequest(height=doc.initial_height, time_ns=chain.time_ns + 10**9))
    fresh.commit()
    chain.next_block(seconds=1)  # the same empty block (no validators: no proposer, no beacon entry)
    assert fresh.info().last_block_app_hash == chain.app_hash()
    assert fresh.check_invariants() == []
