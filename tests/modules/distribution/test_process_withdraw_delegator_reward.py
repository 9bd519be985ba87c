"""MsgWithdrawDelegatorReward: whole units to the withdraw address, dust to the community pool; rewards follow
delegations made, changed and moved mid-way."""
from __future__ import annotations

from fractions import Fraction

from suretychain.core.tx import Coin
from suretychain.modules.bank.types import MsgSend
from suretychain.modules.distribution.errors import ErrNoDelegationDistInfo, ErrNoValidatorExists
from suretychain.modules.distribution.types import GenesisState
from suretychain.testing import TestChain

from .helpers import (
    FUNDS,
    GAS,
    NO_INFLATION,
    community_pool,
    delegate,
    delegators_part,
    dist_chain,
    events,
    outstanding,
    redelegate,
    rewards,
    undelegate,
    withdraw_reward,
)

TX_FEE = GAS // 1000  # the default fee for GAS: every helper tx pays it, and it is allocated in the next block
SHARE = Fraction(TX_FEE) * Fraction("0.98") / 4  # one validator's share of one tx fee: 245
TO_DELEGATORS = SHARE * Fraction("0.9")          # after 10% commission: 220.5


def test_withdraw_pays_whole_units_and_leaves_dust_in_the_pool():
    chain = dist_chain(NO_INFLATION)
    delegate(chain, "alice", "val0", 10**12)        # fee allocated next block, while alice already holds half
    chain.advance(1)
    assert rewards(chain, "alice", "val0") == TO_DELEGATORS / 2          # 110.25
    balance, pool = chain.balance("alice", "usrt"), community_pool(chain)
    result = withdraw_reward(chain, "alice", "val0")                       # its block allocates nothing new
    assert result.code == 0
    assert chain.balance("alice", "usrt") == balance - TX_FEE + 110
    assert community_pool(chain) == pool + Fraction("0.25")
    assert rewards(chain, "alice", "val0") == 0
    [paid] = events(result, "RewardsWithdrawn")
    assert paid == {"delegator": str(chain.address("alice")), "validator": str(chain.valoper("val0")),
                    "recipient": str(chain.address("alice")), "amount": "110usrt"}


def test_new_delegation_earns_from_the_next_block_by_stake():
    chain = dist_chain(NO_INFLATION)
    delegate(chain, "alice", "val0", 3 * 10**12)    # 3/4 of val0's stake
    chain.advance(1)
    assert rewards(chain, "alice", "val0") == TO_DELEGATORS * 3 / 4
    assert rewards(chain, "val0", "val0") == TO_DELEGATORS / 4


def test_undelegation_mid_way_pays_what_was_earned_and_earns_less_after():
    chain = dist_chain(NO_INFLATION)
    delegate(chain, "alice", "val1", 10**12)
    chain.advance(1)                                  # alice earns half of one fee share: 110.25
    balance = chain.balance("alice", "usrt")
    assert undelegate(chain, "alice", "val1", 5 * 10**11).code == 0     # paid 110 automatically
    assert chain.balance("alice", "usrt") == balance - TX_FEE + 110
    result = chain.next_block()                       # the undelegation's fee: alice holds 1/3 of val1 now
    part = delegators_part(chain, result, "val1")     # val1's power is 2 of 5 in this block's last commit
    assert part == Fraction(TX_FEE) * Fraction("0.98") * 2 / 5 * Fraction("0.9")
    assert rewards(chain, "alice", "val1") == part / 3
    assert rewards(chain, "val1", "val1") == TO_DELEGATORS / 2 + part * 2 / 3


def test_redelegation_mid_way_moves_the_reward_stream():
    chain = dist_chain(NO_INFLATION)
    delegate(chain, "alice", "val0", 10**12)
    chain.advance(1)
    balance = chain.balance("alice", "usrt")
    assert redelegate(chain, "alice", "val0", "val2", 10**12).code == 0  # everything: val0 pays 110 and forgets her
    assert chain.balance("alice", "usrt") == balance - TX_FEE + 110
    assert chain.query("distribution/rewards", delegator=str(chain.address("alice")))["rewards"] == [
        {"validator": str(chain.valoper("val2")), "reward": []}]
    result = chain.next_block()
    assert rewards(chain, "alice", "val2") == delegators_part(chain, result, "val2") / 2


def test_rewards_query_lists_every_delegation_and_the_total():
    chain = dist_chain(NO_INFLATION)
    delegate(chain, "alice", "val0", 10**12)
    delegate(chain, "alice", "val1", 10**12)
    chain.advance(1)
    answer = chain.query("distribution/rewards", delegator=str(chain.address("alice")))
    by_validator = {r["validator"]: sum(Fraction(c["amount"]) for c in r["reward"]) for r in answer["rewards"]}
    assert by_validator == {str(chain.valoper("val0")): TO_DELEGATORS, str(chain.valoper("val1")): TO_DELEGATORS / 2}
    assert Fraction(answer["total"][0]["amount"]) == TO_DELEGATORS * 3 / 2


def test_outstanding_drops_by_exactly_what_was_owed():
    chain = dist_chain(NO_INFLATION)
    delegate(chain, "alice", "val3", 10**12)
    chain.advance(1)
    before = outstanding(chain, "val3")
    withdraw_reward(chain, "alice", "val3")
    assert outstanding(chain, "val3") == before - TO_DELEGATORS / 2


def test_invalid_withdraw_without_delegation_or_validator():
    chain = dist_chain(NO_INFLATION)
    result = withdraw_reward(chain, "bob", "val0")
    assert (result.codespace, result.code) == (ErrNoDelegationDistInfo.codespace, ErrNoDelegationDistInfo.code)
    hash_before_block = chain.app_hash()
    result = withdraw_reward(chain, "bob", "bob")
    assert (result.codespace, result.code) == (ErrNoValidatorExists.codespace, ErrNoValidatorExists.code)
    assert hash_before_block != chain.app_hash()  # only the fee and the sequence moved
    assert events(result, "RewardsWithdrawn") == []


def test_fees_in_several_denoms_are_paid_in_each():
    chain = TestChain(accounts={"alice": {"usrt": FUNDS, "uusd": FUNDS}}, validators=4,
                      app_state={"distribution": GenesisState(params=NO_INFLATION)})
    send = MsgSend(from_address=chain.address("alice"), to_address=chain.address("bob"),
                   amount=[Coin(denom="uusd", amount=1)])
    assert chain.deliver("alice", send, fee=[Coin(denom="usrt", amount=1000), Coin(denom="uusd", amount=400)]).code == 0
    chain.advance(1)
    answer = chain.query("distribution/rewards", delegator=str(chain.address("val0")))
    assert answer["total"] == [{"denom": "usrt", "amount": "220.5"}, {"denom": "uusd", "amount": "88.2"}]
    result = withdraw_reward(chain, "val0", "val0")
    assert events(result, "RewardsWithdrawn")[0]["amount"] == "220usrt,88uusd"
    assert chain.balance("val0", "uusd") == 88
