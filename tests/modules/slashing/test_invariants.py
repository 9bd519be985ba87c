"""Slashing invariants hold after every block (TestChain checks them) and each detects the state it guards."""
from __future__ import annotations

import msgspec

from suretychain.core.dec import Dec
from suretychain.modules.slashing.types import JAILED_FOREVER_NS, SlashingPeriod

from .helpers import block_context, keeper, make_offline_until_jailed, slashing_chain


def check(chain, ctx, name):  # noqa: ANN001, ANN201
    return chain.app.modules_by_name["slashing"].invariants[name](ctx)


def test_invariants_hold_through_downtime_and_double_sign():
    chain = slashing_chain()
    make_offline_until_jailed(chain, "val1")
    chain.set_offline("val3", 3)
    chain.double_sign("val2")
    chain.advance(3)
    assert chain.app.check_invariants() == []


def test_missed_blocks_detects_a_counter_out_of_step():
    chain = slashing_chain()
    ctx = block_context(chain)
    slashing = keeper(chain)
    cons = chain.consensus_address("val1")
    slashing.set_missed(ctx, cons, 3, True)  # a bit with no count
    assert "counter 0 but 1 bits set" in check(chain, ctx, "missed-blocks")


def test_missed_blocks_detects_a_bit_outside_the_window():
    chain = slashing_chain()
    ctx = block_context(chain)
    slashing = keeper(chain)
    cons = chain.consensus_address("val1")
    info = slashing.get_signing_info(ctx, cons)
    slashing.set_signing_info(ctx, msgspec.structs.replace(info, missed_blocks_counter=1))
    slashing.set_missed(ctx, cons, 10, True)
    assert "outside the window" in check(chain, ctx, "missed-blocks")


def test_tombstones_detects_a_tombstone_staking_does_not_know():
    chain = slashing_chain()
    ctx = block_context(chain)
    slashing = keeper(chain)
    info = slashing.get_signing_info(ctx, chain.consensus_address("val1"))
    slashing.set_signing_info(ctx, msgspec.structs.replace(info, tombstoned=True, jailed_until_ns=JAILED_FOREVER_NS))
    assert "is not" in check(chain, ctx, "tombstones")
    slashing.set_signing_info(ctx, msgspec.structs.replace(info, tombstoned=True))
    assert "jailed only until" in check(chain, ctx, "tombstones")


def test_slashing_periods_detects_an_open_period_before_a_newer_one():
    chain = slashing_chain()
    ctx = block_context(chain)
    slashing = keeper(chain)
    cons = chain.consensus_address("val1")
    slashing.set_period(ctx, SlashingPeriod(address=cons, start_height=5, start_time_ns=chain.time_ns))
    assert "a newer period exists" in check(chain, ctx, "slashing-periods")


def test_slashing_periods_detects_a_fraction_above_one():
    chain = slashing_chain()
    ctx = block_context(chain)
    slashing = keeper(chain)
    cons = chain.consensus_address("val1")
    slashing.set_period(ctx, SlashingPeriod(address=cons, start_height=0, start_time_ns=0,
                                            slashed_so_far=Dec.from_int(2)))
    assert "slashed 2" in check(chain, ctx, "slashing-periods")
