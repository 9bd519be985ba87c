"""Deferred credits: fees leave the payer at once, reach the fee collector at the end of the block, and never reach
the committed state as entries of their own."""
from __future__ import annotations

from suretychain.core.context import Context
from suretychain.core.crypto import module_address
from suretychain.core.encoding import Address
from suretychain.core.gas import infinite_meter
from suretychain.core.kv import TRANSIENT_PREFIX, CacheKV, prefix_end
from suretychain.core.tx import Coin
from suretychain.modules.bank.deferred import compute_credit_totals
from support import FUNDS, EmptyKV, make_chain, make_send

FEE_COLLECTOR = str(Address.from_raw(module_address("fee_collector")))


def test_fees_of_a_block_reach_the_fee_collector_at_its_end():
    chain = make_chain()
    txs = [chain.sign("alice", make_send(chain, "alice", "bob", 1), sequence=0),
           chain.sign("alice", make_send(chain, "alice", "bob", 1), sequence=1),
           chain.sign("bob", make_send(chain, "bob", "alice", 1))]
    result = chain.next_block(txs=txs)
    assert [r.code for r in result.tx_results] == [0, 0, 0]
    assert chain.balance(FEE_COLLECTOR, "usrt") == 3 * 200
    assert chain.balance("alice", "usrt") == FUNDS["usrt"] - 2 - 2 * 200 + 1
    fee_transfers = [e for r in result.tx_results for e in r.events
                     if e.type == "Transfer" and e.get("recipient") == FEE_COLLECTOR]
    assert [e.get("amount") for e in fee_transfers] == ["200usrt"] * 3  # each fee's Transfer, at its tx


def test_a_failed_send_still_pays_its_fee_to_the_fee_collector():
    chain = make_chain()
    result = chain.deliver_tx(chain.sign("alice", make_send(chain, "alice", "bob", FUNDS["uusd"] + 1, "uusd")))
    assert result.code != 0
    assert chain.balance(FEE_COLLECTOR, "usrt") == 200


def test_deferred_credits_never_reach_the_committed_state():
    chain = make_chain()
    chain.deliver("alice", make_send(chain, "alice", "bob", 5))
    store = chain.app.store
    assert list(store.iterate(TRANSIENT_PREFIX, prefix_end(TRANSIENT_PREFIX))) == []
    assert "transient" not in str(chain.export_genesis().app_state)


def test_credit_totals_sum_per_recipient_and_denom_in_order():
    a, b = b"\x01" * 20, b"\x02" * 20
    credits = [(b, [("usrt", 1)]), (a, [("uusd", 2)]), (b, [("usrt", 3), ("uusd", 4)])]
    assert compute_credit_totals(credits) == [
        (a, [Coin(denom="uusd", amount=2)]), (b, [Coin(denom="usrt", amount=4), Coin(denom="uusd", amount=4)])]


def test_transient_writes_are_dropped_from_a_block_cache():
    cache = CacheKV(CacheKV(EmptyKV()))
    ctx = Context(kv=cache, block=None, gas_meter=infinite_meter())  # type: ignore[arg-type]
    ctx.transient_store(b"bank/").set(b"\x03k", b"v")
    ctx.store(b"bank/").set(b"\x01k", b"w")
    assert cache.get(TRANSIENT_PREFIX + b"bank/\x03k") == b"v"
    cache.discard_transient()
    assert cache.writes == {b"bank/\x01k": b"w"}

