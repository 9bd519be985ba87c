"""Distribution invariants hold after every block (TestChain checks) and catch broken records."""
from __future__ import annotations

import msgspec

from suretychain.core.dec import Dec
from suretychain.modules.distribution.types import DecCoin

from .helpers import block_context, delegate, dist_chain, keeper


def invariant(chain, name: str, ctx) -> str | None:  # noqa: ANN001
    return chain.app.modules_by_name["distribution"].invariants[name](ctx)


def rewarded_chain():  # noqa: ANN201
    chain = dist_chain()
    delegate(chain, "alice", "val0", 10**12)
    chain.advance(3)
    return chain


def test_invariants_hold_on_a_running_chain():
    chain = rewarded_chain()
    assert chain.app.check_invariants() == []


def test_negative_outstanding_is_caught():
    chain = rewarded_chain()
    ctx = block_context(chain)
    operator = chain.valoper("val1").raw
    keeper(chain).set_outstanding_rewards(ctx, operator, [DecCoin(denom="usrt", amount=Dec.from_int(-1))])
    assert "negative" in invariant(chain, "nonnegative-outstanding", ctx)


def test_records_not_backed_by_the_module_account_are_caught():
    chain = rewarded_chain()
    ctx = block_context(chain)
    k, operator = keeper(chain), chain.valoper("val2").raw
    inflated = [DecCoin(denom="usrt", amount=k.get_outstanding_rewards(ctx, operator)[0].amount + Dec.ONE)]
    k.set_outstanding_rewards(ctx, operator, inflated)
    assert "module account holds" in invariant(chain, "module-account", ctx)


def test_owing_more_than_outstanding_is_caught():
    chain = rewarded_chain()
    ctx = block_context(chain)
    k, operator = keeper(chain), chain.valoper("val0").raw
    k.set_outstanding_rewards(ctx, operator, k.get_accumulated_commission(ctx, operator))  # delegators' part gone
    assert "outstanding" in invariant(chain, "can-withdraw", ctx)


def test_wrong_reference_counts_are_caught():
    chain = rewarded_chain()
    ctx = block_context(chain)
    k, operator, alice = keeper(chain), chain.valoper("val0").raw, chain.address("alice").raw
    info = k.get_starting_info(ctx, operator, alice)
    historical = k.get_historical_rewards(ctx, operator, info.previous_period)
    k.set_historical_rewards(ctx, operator, info.previous_period,
                             msgspec.structs.replace(historical, reference_count=historical.reference_count + 1))
    assert "reference counts differ" in invariant(chain, "reference-count", ctx)


def test_delegation_without_starting_info_is_caught():
    chain = rewarded_chain()
    ctx = block_context(chain)
    keeper(chain).delete_starting_info(ctx, chain.valoper("val0").raw, chain.address("alice").raw)
    problem = invariant(chain, "reference-count", ctx)
    assert problem and ("no starting info" in problem or "reference counts differ" in problem)
