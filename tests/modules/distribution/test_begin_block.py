"""Begin-block: inflation minted by elapsed time, last block's fees collected, both split by last-commit power,
commission to the operator, community tax to the pool."""
from __future__ import annotations

from fractions import Fraction

from suretychain.core.tx import Coin
from suretychain.modules.bank.types import MsgSend
from suretychain.modules.distribution.allocation import compute_block_inflation
from suretychain.core.dec import Dec
from suretychain.modules.distribution.types import YEAR_NS

from .helpers import (
    NO_INFLATION,
    block_context,
    community_pool,
    commission,
    delegate,
    dist_chain,
    events,
    fee,
    outstanding,
    rewards,
    supply,
)

VALIDATORS = ("val0", "val1", "val2", "val3")


def send_with_fee(chain, amount: int):  # noqa: ANN001, ANN201
    msg = MsgSend(from_address=chain.address("alice"), to_address=chain.address("bob"),
                  amount=[Coin(denom="usrt", amount=1)])
    return chain.deliver("alice", msg, fee=fee(amount))


def test_fees_are_split_by_power_with_commission_and_community_tax():
    chain = dist_chain(NO_INFLATION)
    assert send_with_fee(chain, 1000).code == 0   # collected in this block ...
    assert all(outstanding(chain, v) == 0 for v in VALIDATORS)
    result = chain.next_block()                    # ... allocated in the next one
    # Four equal validators: 1000 × (1 − 0.02) / 4 = 245 each; 10% of it is commission
    for name in VALIDATORS:
        assert outstanding(chain, name) == 245
        assert commission(chain, name) == Fraction("24.5")
        assert rewards(chain, name, name) == Fraction("220.5")  # the operator is its only delegator
    assert community_pool(chain) == 20
    [summary] = events(result, "BlockRewardsAllocated")
    assert summary == {"total": "1000usrt", "community_pool": "20usrt", "total_power": str(4 * 10**6)}
    assert len(events(result, "RewardsAllocated")) == 4


def test_inflation_minted_per_block_matches_the_formula():
    chain = dist_chain()
    for seconds in (1, 5, 60, 3600, 86_400, 0):
        before = supply(chain)
        result = chain.next_block(seconds=seconds)
        expected = before * 7 * seconds * 10**9 // (100 * YEAR_NS)
        assert supply(chain) - before == expected
        assert expected == compute_block_inflation(before, Dec.from_str("0.07"), seconds * 10**9)
        minted = events(result, "InflationMinted")
        assert minted == ([{"amount": f"{expected}usrt", "supply": str(before), "duration_ns": str(seconds * 10**9)}]
                          if expected else [])


def test_inflation_is_rounded_down_and_never_negative():
    assert compute_block_inflation(YEAR_NS, Dec.from_str("0.07"), 1) == 0  # 0.07 of a unit: nothing
    assert compute_block_inflation(100, Dec.from_str("0.07"), YEAR_NS) == 7
    assert compute_block_inflation(10**12, Dec.from_str("0.07"), -5) == 0
    assert compute_block_inflation(10**12, Dec.ZERO, YEAR_NS) == 0


def test_a_block_without_last_commit_defers_fees_and_inflation_to_the_next():
    chain = dist_chain()
    send_with_fee(chain, 1000)
    start, pool = supply(chain), community_pool(chain)
    fee_collector = chain.app.modules_by_name["bank"].keeper.module_account("fee_collector")
    chain.next_block(seconds=10, last_commit=())    # nobody to pay: nothing moves, the clock keeps running
    assert supply(chain) == start and community_pool(chain) == pool
    assert chain.app.modules_by_name["bank"].keeper.get_balance(block_context(chain), fee_collector, "usrt") == 1000
    result = chain.next_block(seconds=5)
    [minted] = events(result, "InflationMinted")
    assert minted["duration_ns"] == str(15 * 10**9)   # both blocks' time, minted once
    assert supply(chain) - start == start * 7 * 15 * 10**9 // (100 * YEAR_NS)
    assert events(result, "BlockRewardsAllocated")[0]["total"] == f"{1000 + int(minted['amount'][:-4])}usrt"


def test_non_signers_are_paid_by_power_too():
    chain = dist_chain(NO_INFLATION)
    chain.set_offline("val3", 3)
    send_with_fee(chain, 4000)
    chain.next_block()
    assert [outstanding(chain, v) for v in VALIDATORS] == [980] * 4


def test_shares_follow_the_power_of_the_last_commit():
    chain = dist_chain(NO_INFLATION)
    delegate(chain, "alice", "val0", 2 * 10**12)       # val0's power triples two blocks after its end-block
    chain.advance(2)
    assert chain.validator_set(chain.height)[chain.consensus_address("val0")] == 3 * 10**6
    before = {v: outstanding(chain, v) for v in VALIDATORS}
    send_with_fee(chain, 6000)
    chain.next_block()
    gained = {v: outstanding(chain, v) - before[v] for v in VALIDATORS}
    # 6000 × 0.98 = 5880 split 3:1:1:1
    assert gained == {"val0": 2940, "val1": 980, "val2": 980, "val3": 980}


def test_rounding_remainder_of_the_split_goes_to_the_community_pool():
    chain = dist_chain(NO_INFLATION)
    delegate(chain, "alice", "val0", 10**6)            # val0's power 1,000,001 of 4,000,001: shares do not divide
    chain.advance(2)
    send_with_fee(chain, 1000)
    pool = community_pool(chain)
    before = {v: outstanding(chain, v) for v in VALIDATORS}
    chain.next_block()
    atom = Fraction(1, 10**18)
    shares = {v: floor_to(Fraction(980) * p / 4_000_001, atom)
              for v, p in zip(VALIDATORS, (1_000_001, 10**6, 10**6, 10**6))}
    assert {v: outstanding(chain, v) - before[v] for v in VALIDATORS} == shares
    assert community_pool(chain) - pool == 1000 - sum(shares.values()) > 20


def floor_to(value: Fraction, unit: Fraction) -> Fraction:
    return (value // unit) * unit
