"""Slashing periods: infractions within one bonded period burn once, at the highest fraction among them."""
from __future__ import annotations

from suretychain.core.context import BlockInfo, Context
from suretychain.core.dec import Dec
from suretychain.core.kv import CommittedKV
from suretychain.modules.slashing.params import Params
from suretychain.modules.slashing.periods import compute_capped_fraction

from .helpers import JAIL_SECONDS, POWER, keeper, make_offline_until_jailed, slashing_chain, tokens, unjail, validator


def d(text: str) -> Dec:
    return Dec.from_str(text)


def periods(chain, name):  # noqa: ANN001, ANN201
    ctx = Context(kv=CommittedKV(chain.app.store), block=BlockInfo(chain_id=chain.chain_id, height=chain.height,
                                                                   time_ns=chain.time_ns))
    return keeper(chain).get_periods(ctx, chain.consensus_address(name))


def test_compute_capped_fraction():
    assert compute_capped_fraction(d("0"), d("0.05")) == (d("0.05"), d("0.05"))
    assert compute_capped_fraction(d("0.01"), d("0.05")) == (d("0.04"), d("0.05"))
    assert compute_capped_fraction(d("0.05"), d("0.01")) == (Dec.ZERO, d("0.05"))
    assert compute_capped_fraction(d("0.05"), d("0.05")) == (Dec.ZERO, d("0.05"))


def test_second_infraction_in_the_same_period_slashes_only_the_difference():
    chain = slashing_chain()
    jailed_at = make_offline_until_jailed(chain, "val1")
    assert tokens(chain, "val1") == 10**12 - 10**10  # downtime: 1% of 10^12
    # Evidence of a double sign committed before the downtime jail, in the same period: 5% - 1% = 4% more
    evidence = chain.double_sign("val1", height=jailed_at - 3)
    chain.next_block()
    assert evidence.validator_power == POWER
    assert tokens(chain, "val1") == 10**12 - 10**10 - 4 * 10**10
    assert [(p.start_height, p.slashed_so_far) for p in periods(chain, "val1")] == [(0, d("0.05"))]


def test_infraction_in_a_new_period_slashes_in_full():
    chain = slashing_chain()
    jailed_at = make_offline_until_jailed(chain, "val1")
    chain.next_block(seconds=JAIL_SECONDS)
    assert unjail(chain, "val1").code == 0
    rebonded_at = chain.height
    chain.advance(3)
    evidence = chain.double_sign("val1")  # signed after the re-bond: a new period
    chain.next_block()
    assert evidence.validator_power == POWER - POWER // 100
    assert tokens(chain, "val1") == 10**12 - 10**10 - 5 * evidence.validator_power * 10**6 // 100
    # The first period closed when the downtime jail made val1 leave the set; the second when the double sign did
    assert [(p.start_height, p.end_height, p.slashed_so_far) for p in periods(chain, "val1")] == [
        (0, jailed_at, d("0.01")), (rebonded_at, chain.height, d("0.05"))]


def test_periods_no_evidence_can_reach_are_pruned_at_the_next_bond():
    params = Params(signed_blocks_window=10, max_evidence_age_ns=5 * 10**9, max_evidence_age_blocks=5)
    chain = slashing_chain(params)
    bonds = []
    for _ in range(2):
        make_offline_until_jailed(chain, "val1")
        chain.next_block(seconds=JAIL_SECONDS)
        assert unjail(chain, "val1").code == 0
        bonds.append(chain.height)
    # The genesis period's successor (the first re-bond) started more than 5 blocks and 5 s before the second
    # re-bond: evidence that could still fall in the genesis period would be too old, so it is gone
    assert [p.start_height for p in periods(chain, "val1")] == bonds
    assert not validator(chain, "val1")["jailed"]
