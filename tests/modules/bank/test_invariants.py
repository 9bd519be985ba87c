"""Bank invariants detect a broken supply."""
from __future__ import annotations

from suretychain.core.context import BlockInfo, Context
from suretychain.core.kv import CacheKV, CommittedKV
from support import make_chain


def test_total_supply_holds_after_blocks():
    chain = make_chain()
    assert chain.app.check_invariants() == []


def test_total_supply_detects_minted_balance():
    chain = make_chain()
    bank = chain.app.modules_by_name["bank"].keeper
    kv = CacheKV(CommittedKV(chain.app.store))
    ctx = Context(kv=kv, block=BlockInfo(chain_id=chain.chain_id, height=chain.height, time_ns=chain.time_ns))
    bank.set_balance(ctx, chain.address("carol").raw, "usrt", 5)  # coins from nowhere
    problem = chain.app.modules_by_name["bank"].invariants["total-supply"](ctx)
    assert problem and "usrt" in problem
