"""The court invariants hold through disputes (TestChain checks them after every block) and catch corruption."""
from __future__ import annotations

import msgspec

from suretychain.core.gas import infinite_meter
from suretychain.modules.court.invariants import check_juror_stakes, check_module_account
from tests.modules.court.helpers import court_chain, ok, stake


def test_invariants_catch_a_juror_record_out_of_step(monkeypatch):
    chain = court_chain(monkeypatch)
    ok(stake(chain, "juror0", 3, 5_000))
    assert chain.app.check_invariants() == []
    keeper = chain.app.modules_by_name["court"].keeper
    ctx = chain.app._read_context(chain.app.store.version)  # a read view; writes below are never committed
    ctx.gas_meter = infinite_meter()
    ctx, _ = ctx.branch()
    juror = keeper.get_juror(ctx, chain.address("juror0"))
    keeper.set_juror(ctx, msgspec.structs.replace(juror, staked=juror.staked + 1))
    assert "sum of its stakes" in check_juror_stakes(keeper, ctx)
    assert "court account holds" in check_module_account(keeper, ctx)
