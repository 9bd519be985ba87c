"""Params changes: a new window size restarts every validator's window."""
from __future__ import annotations

from suretychain.modules.slashing.params import Params

from .helpers import block_context, keeper, slashing_chain


def test_changing_the_window_resets_every_bitmap():
    chain = slashing_chain()
    chain.set_offline("val1", 3)
    chain.advance(4)
    ctx = block_context(chain)
    slashing = keeper(chain)
    cons = chain.consensus_address("val1")
    assert slashing.get_signing_info(ctx, cons).missed_blocks_counter == 4
    chain.app.modules_by_name["slashing"].params.set(ctx, Params(signed_blocks_window=20))
    info = slashing.get_signing_info(ctx, cons)
    assert (info.missed_blocks_counter, info.index_offset, info.start_height) == (0, 0, chain.height)
    assert slashing.iter_missed_indices(ctx, cons) == []
    assert chain.app.modules_by_name["slashing"].invariants["missed-blocks"](ctx) is None


def test_changing_other_params_keeps_the_bitmaps():
    chain = slashing_chain()
    chain.set_offline("val1", 3)
    chain.advance(4)
    ctx = block_context(chain)
    chain.app.modules_by_name["slashing"].params.set(ctx, Params(signed_blocks_window=10, slash_fraction_downtime=
                                                                 Params().slash_fraction_double_sign))
    assert keeper(chain).get_signing_info(ctx, chain.consensus_address("val1")).missed_blocks_counter == 4
