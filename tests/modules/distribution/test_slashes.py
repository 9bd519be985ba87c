"""Slashes scale the stake F1 credits: through the staking keeper (a test begin-block), double signing and
downtime (the slashing module). Each history is checked against the naive per-block reference."""
from __future__ import annotations

from suretychain.modules.slashing.params import Params as SlashingParams
from suretychain.modules.slashing.types import GenesisState as SlashingGenesis

from .helpers import (
    GAS,
    NO_INFLATION,
    delegate,
    delegators_part,
    dist_chain,
    install_slasher,
    rewards,
)
from .reference import NaiveRewards, assert_f1_matches


def sign_delegate(chain, who: str, validator: str, amount: int) -> bytes:  # noqa: ANN001
    from suretychain.core.tx import Coin
    from suretychain.modules.staking.types import MsgDelegate

    return chain.sign(who, MsgDelegate(delegator=chain.address(who), validator=chain.valoper(validator),
                                       amount=Coin(denom="usrt", amount=amount)), gas=GAS)


def test_slashed_stake_earns_by_what_is_left():
    chain = dist_chain(NO_INFLATION)
    slasher = install_slasher(chain)
    chain.advance(2)
    slasher.queue("val1", "0.5")
    chain.next_block()                                        # val1: 10^12 -> 5 × 10^11 tokens
    assert chain.query("staking/validator", validator=str(chain.valoper("val1")))["tokens"] == 5 * 10**11
    before = rewards(chain, "val1", "val1")
    delegate(chain, "alice", "val1", 5 * 10**11)              # now alice and the operator hold the same stake
    result = chain.next_block()
    part = delegators_part(chain, result, "val1")
    assert rewards(chain, "alice", "val1") == part / 2
    assert rewards(chain, "val1", "val1") == before + part / 2


def test_slash_in_the_block_a_delegation_starts_does_not_hit_it():
    chain = dist_chain(NO_INFLATION)
    slasher = install_slasher(chain)
    chain.advance(2)
    slasher.queue("val2", "0.5")                              # slashed in the begin-block of the next block ...
    chain.next_block(txs=[sign_delegate(chain, "alice", "val2", 5 * 10**11)])  # ... before alice delegates in it
    result = chain.next_block()
    assert rewards(chain, "alice", "val2") == delegators_part(chain, result, "val2") / 2


def test_slash_history_matches_the_reference():
    chain = dist_chain()
    slasher = install_slasher(chain)
    naive = NaiveRewards(chain)
    naive.run()
    naive.run(fees=GAS // 1000, txs=[sign_delegate(chain, "alice", "val0", 3 * 10**11)])
    for fraction in ("0.1", "0.25", "0.333333333333333333"):
        naive.run(seconds=7)
        slasher.queue("val0", fraction)
        naive.run(seconds=3)
        naive.run(fees=GAS // 1000, txs=[sign_delegate(chain, "bob", "val0", 10**11)], seconds=11)
    naive.run(seconds=5)
    assert_f1_matches(naive)


def test_double_sign_slash_and_removal_from_the_set():
    chain = dist_chain()
    naive = NaiveRewards(chain)
    naive.run(fees=GAS // 1000, txs=[sign_delegate(chain, "alice", "val3", 10**12)])
    naive.run(seconds=5)
    chain.double_sign("val3")
    naive.run()                                               # slashing: 5% burned, jailed, tombstoned
    validator = chain.query("staking/validator", validator=str(chain.valoper("val3")))
    # 5% of the stake it had at the infraction (its power then did not count alice yet)
    assert validator["jailed"] and validator["tombstoned"] and validator["tokens"] == 2 * 10**12 - 10**12 // 20
    for _ in range(4):
        naive.run(seconds=5)                                  # still paid while in the last commit, then not
    assert chain.consensus_address("val3") not in chain.validator_set(chain.height)
    paid_before = rewards(chain, "alice", "val3")
    naive.run(seconds=5)
    assert rewards(chain, "alice", "val3") == paid_before     # out of the set: earns nothing more
    assert_f1_matches(naive)


def test_downtime_slash_matches_the_reference():
    chain = dist_chain(app_state={"slashing": SlashingGenesis(params=SlashingParams(signed_blocks_window=10))})
    naive = NaiveRewards(chain)
    naive.run(fees=GAS // 1000, txs=[sign_delegate(chain, "bob", "val2", 10**12)])
    chain.set_offline("val2", 12)
    for _ in range(15):
        naive.run(seconds=2)
    validator = chain.query("staking/validator", validator=str(chain.valoper("val2")))
    assert validator["jailed"] and validator["tokens"] == 2 * 10**12 * 99 // 100   # 1% for downtime
    assert_f1_matches(naive)
