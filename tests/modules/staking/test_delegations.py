"""MsgDelegate, MsgUndelegate, MsgBeginRedelegate, MsgCancelUnbondingDelegation and their maturity."""
from __future__ import annotations

from suretychain.modules.staking import types as T
from support_staking import (
    cancel_unbonding,
    delegate,
    delegation_balance,
    make_create_validator,
    redelegate,
    staking_chain,
    undelegate,
    validator,
)

DAY = 86_400
UNBONDING_DAYS = 21


def test_delegate_issues_shares_at_the_exchange_rate():
    chain = staking_chain()
    assert delegate(chain, "alice", "val0", 10**9).code == 0
    assert delegation_balance(chain, "alice", "val0") == 10**9
    v = validator(chain, "val0")
    assert v["tokens"] == 10**12 + 10**9 and v["delegator_shares"] == str(10**12 + 10**9)
    assert chain.balance("alice", "usrt") == 10**13 - 10**9 - 1000  # the fee for 1,000,000 gas


def test_invalid_delegate_unknown_validator_or_wrong_denom():
    chain = staking_chain()
    from suretychain.core.tx import Coin
    from suretychain.modules.staking.types import MsgDelegate

    assert delegate(chain, "alice", "nobody", 5).code == T.ErrValidatorNotFound.code
    wrong = MsgDelegate(delegator=chain.address("alice"), validator=chain.valoper("val0"),
                        amount=Coin(denom="uusd", amount=5))
    assert chain.deliver("alice", wrong).code == T.ErrBadDenom.code


def test_undelegate_pays_out_after_unbonding_time_exactly():
    chain = staking_chain()
    delegate(chain, "alice", "val0", 10**9)
    assert undelegate(chain, "alice", "val0", 4 * 10**8).code == 0
    after_tx = chain.balance("alice", "usrt")  # fee paid (and any rewards the change of shares withdrew)
    ubd = chain.query("staking/unbonding", delegator=str(chain.address("alice")))["unbonding_delegations"][0]
    assert ubd["entries"][0]["balance"] == 4 * 10**8
    assert chain.query("staking/pool")["not_bonded_tokens"] == 4 * 10**8
    chain.next_block(seconds=UNBONDING_DAYS * DAY - 10)
    assert chain.balance("alice", "usrt") == after_tx  # not yet
    chain.next_block(seconds=10)
    assert chain.balance("alice", "usrt") == after_tx + 4 * 10**8
    assert chain.query("staking/unbonding", delegator=str(chain.address("alice")))["unbonding_delegations"] == []


def test_invalid_undelegate_more_than_delegated():
    chain = staking_chain()
    delegate(chain, "alice", "val0", 100)
    assert undelegate(chain, "alice", "val0", 101).code == T.ErrNotEnoughDelegation.code
    assert undelegate(chain, "bob", "val0", 1).code == T.ErrDelegationNotFound.code


def test_undelegate_everything_removes_the_delegation():
    chain = staking_chain()
    delegate(chain, "alice", "val0", 100)
    assert undelegate(chain, "alice", "val0", 100).code == 0
    assert chain.query("staking/delegations", delegator=str(chain.address("alice")))["delegations"] == []


def test_invalid_too_many_unbonding_entries():
    chain = staking_chain()
    delegate(chain, "alice", "val0", 100)
    for _ in range(7):
        assert undelegate(chain, "alice", "val0", 1).code == 0
    assert undelegate(chain, "alice", "val0", 1).code == T.ErrTooManyEntries.code


def test_self_delegation_below_minimum_jails_without_slash():
    chain = staking_chain()
    chain.deliver("alice", make_create_validator(chain, "alice", bond=5 * 10**12, min_self=4 * 10**12))
    assert undelegate(chain, "alice", "alice", 2 * 10**12).code == 0
    v = validator(chain, "alice")
    assert v["jailed"] is True and v["tokens"] == 3 * 10**12  # nothing burned
    chain.advance(1)
    assert validator(chain, "alice")["status"] == int(T.BondStatus.UNBONDING)


def test_redelegate_moves_stake_at_once_and_blocks_hops():
    chain = staking_chain()
    delegate(chain, "alice", "val0", 10**9)
    assert redelegate(chain, "alice", "val0", "val1", 4 * 10**8).code == 0
    assert delegation_balance(chain, "alice", "val0") == 6 * 10**8
    assert delegation_balance(chain, "alice", "val1") == 4 * 10**8
    # No transitive redelegation while the first one matures
    assert redelegate(chain, "alice", "val1", "val2", 10**8).code == T.ErrTransitiveRedelegation.code
    assert redelegate(chain, "alice", "val0", "val0", 10**8).code == T.ErrSelfRedelegation.code
    chain.next_block(seconds=UNBONDING_DAYS * DAY)
    assert chain.query("staking/redelegations", delegator=str(chain.address("alice")))["redelegations"] == []
    assert redelegate(chain, "alice", "val1", "val2", 10**8).code == 0


def test_cancel_unbonding_returns_stake_to_the_delegation():
    chain = staking_chain()
    delegate(chain, "alice", "val0", 10**9)
    undelegate(chain, "alice", "val0", 4 * 10**8)
    created = chain.height
    assert cancel_unbonding(chain, "alice", "val0", 10**8, created).code == 0
    assert delegation_balance(chain, "alice", "val0") == 7 * 10**8
    entry = chain.query("staking/unbonding", delegator=str(chain.address("alice")))["unbonding_delegations"][0]
    assert entry["entries"][0]["balance"] == 3 * 10**8
    assert cancel_unbonding(chain, "alice", "val0", 4 * 10**8, created).code == T.ErrCancelTooMuch.code
    assert cancel_unbonding(chain, "alice", "val0", 1, created + 1).code == T.ErrUnbondingNotFound.code
    assert cancel_unbonding(chain, "alice", "val0", 3 * 10**8, created).code == 0
    assert chain.query("staking/unbonding", delegator=str(chain.address("alice")))["unbonding_delegations"] == []
