"""Refunds on slashes, with the numbers computed by hand.

Setup (helpers): val1 self-bonds 10^12; alice delegates 10^11 (val1 tokens 1.1 × 10^12, one share per token) and
insures 5 × 10^10 at coverage 0.8 under a term covering both infractions."""
from __future__ import annotations

from suretychain.modules.insurance.types import MsgCancelInsurance
from suretychain.modules.staking.types import MsgBeginRedelegate, MsgUndelegate

from .helpers import (
    BOND,
    buy_ok,
    create_term,
    delegate,
    event,
    events,
    insurance,
    insurance_chain,
    offline_until_jailed,
    ok,
    self_bond,
    solvency,
    tokens,
    usrt,
)

DELEGATED = 10**11
INSURED = 5 * 10**10


def setup_insured(chain=None, coverage="0.8"):  # noqa: ANN001, ANN201
    chain = chain or insurance_chain()
    delegate(chain, "alice", "val1", DELEGATED)
    term = create_term(chain, "val1", coverage=coverage, duration_s=5000)
    ins = buy_ok(chain, "alice", "val1", term, INSURED)
    chain.advance(3)  # alice's stake is in val1's consensus power
    return chain, ins


def test_double_sign_refund():
    chain, ins = setup_insured()
    alice = chain.balance("alice", "usrt")
    chain.double_sign("val1")
    result = chain.next_block()
    # slash 5% of 1.1e12: f = 5.5e10 / 1.1e12 = 0.05; refund = 0.8 × 5e10 × 0.05 = 2e9
    assert tokens(chain, "val1") == 11 * 10**11 - 55 * 10**9 - 2 * 10**9  # burned, then the refund leaves
    assert chain.balance("alice", "usrt") - alice == 2 * 10**9
    assert event(result, "RefundPaid")["amount"] == str(2 * 10**9)
    assert event(result, "RefundsPaid")["shortfall"] == "0"
    # self-bond 1e12 × 0.95 = 9.5e11, minus the refund (the unit of share rounding goes to the operator's account)
    assert self_bond(chain, "val1") in (948 * 10**9, 948 * 10**9 - 1)
    assert insurance(chain, ins)["insurance"]["refunded"] == 2 * 10**9


def test_downtime_refund():
    chain, ins = setup_insured()
    alice = chain.balance("alice", "usrt")
    result = offline_until_jailed(chain, "val1")
    # slash 1% of 1.1e12: f = 0.01; refund = 0.8 × 5e10 × 0.01 = 4e8
    assert chain.balance("alice", "usrt") - alice == 4 * 10**8
    assert event(result, "RefundsPaid")["infraction"] == "downtime"
    assert not insurance(chain, ins)["finalized"]  # jailed, not tombstoned: still covering


def test_term_not_covering_the_infraction_pays_nothing():
    from suretychain.modules.staking.types import InfractionKind
    chain = insurance_chain()
    delegate(chain, "alice", "val1", DELEGATED)
    term = create_term(chain, "val1", kinds=[InfractionKind.DOUBLE_SIGN], duration_s=5000)
    buy_ok(chain, "alice", "val1", term, INSURED)
    chain.advance(3)
    alice = chain.balance("alice", "usrt")
    result = offline_until_jailed(chain, "val1")
    assert chain.balance("alice", "usrt") == alice and events(result, "RefundsPaid") == []


def test_slash_while_unbonding_still_refunds():
    chain, ins = setup_insured()
    ok(chain.deliver("alice", MsgUndelegate(delegator=chain.address("alice"), validator=chain.valoper("val1"),
                                            amount=usrt(8 * 10**10))))
    chain.next_block()
    alice = chain.balance("alice", "usrt")
    chain.double_sign("val1")  # infraction at the undelegation height: the entry is slashed too
    result = chain.next_block()
    # target 0.05 × 1.1e12 = 5.5e10: the entry owes 0.05 × 8e10 = 4e9, the validator burns 5.1e10 of 1.02e12
    # (f = 0.05); alice's hit stake = 2e10 bonded + 8e10 unbonding = 1e11 >= insured 5e10:
    # refund = 0.8 × 5e10 × 0.05 = 2e9
    assert chain.balance("alice", "usrt") - alice == 2 * 10**9
    assert event(result, "RefundPaid")["amount"] == str(2 * 10**9)
    assert insurance(chain, ins)["insurance"]["insured_stake"] == INSURED  # unchanged until the unbonding ends


def test_tombstone_finalizes_after_paying():
    chain, ins = setup_insured()
    chain.double_sign("val1")
    result = chain.next_block()
    assert event(result, "InsurancesFinalized")["insurances"] == "1"
    view = insurance(chain, ins)
    assert view["finalized"] and view["insurance"]["refunded"] == 2 * 10**9
    s = solvency(chain, "val1")
    assert s["tombstoned"] and s["total_refund"] == 0 and s["active_insurances"] == 0


def test_partial_unbonding_min_rule():
    from suretychain.modules.staking.types import GenesisState as StakingGenesis, Params as StakingParams
    chain = insurance_chain(staking=StakingGenesis(params=StakingParams(unbonding_time_ns=50 * 10**9)))
    chain, ins = setup_insured(chain)
    ok(chain.deliver("alice", MsgUndelegate(delegator=chain.address("alice"), validator=chain.valoper("val1"),
                                            amount=usrt(8 * 10**10))))
    assert insurance(chain, ins)["insurance"]["insured_stake"] == INSURED  # active while unbonding
    chain.advance(50)
    # insured = min(5e10, 1e11 - 8e10 = 2e10)
    assert insurance(chain, ins)["insurance"]["insured_stake"] == 2 * 10**10
    ok(chain.deliver("alice", MsgUndelegate(delegator=chain.address("alice"), validator=chain.valoper("val1"),
                                            amount=usrt(2 * 10**10))))
    chain.advance(50)
    assert chain.query("insurance/insurances", delegator=str(chain.address("alice")))["insurances"] == []


def test_redelegation_min_rule():
    from suretychain.modules.staking.types import GenesisState as StakingGenesis, Params as StakingParams
    chain = insurance_chain(staking=StakingGenesis(params=StakingParams(unbonding_time_ns=50 * 10**9)))
    chain, ins = setup_insured(chain)
    ok(chain.deliver("alice", MsgBeginRedelegate(delegator=chain.address("alice"), src_validator=chain.valoper("val1"),
                                                 dst_validator=chain.valoper("val2"), amount=usrt(6 * 10**10)),
                          gas=400_000))
    assert insurance(chain, ins)["insurance"]["insured_stake"] == INSURED
    chain.advance(50)
    assert insurance(chain, ins)["insurance"]["insured_stake"] == 4 * 10**10  # min(5e10, 1e11 - 6e10)


def test_cancel_refund_pro_rata():
    chain, ins = setup_insured()  # bought for 5000 s; premium 0.01 × 5e10 = 5e8, operator got 95% = 4.75e8
    bought = insurance(chain, ins)["insurance"]
    alice = chain.balance("alice", "usrt")
    result = ok(chain.deliver("alice", MsgCancelInsurance(delegator=chain.address("alice"), insurance_id=ins)))
    used_s = (chain.time_ns - bought["start_ns"]) // 10**9  # 4 blocks of 1 s
    assert used_s == 4
    refund = 475_000_000 * (5000 - used_s) // 5000  # = 474620000
    assert event(result, "InsuranceCancelled")["refund"] == f"{refund}usrt"
    assert chain.balance("alice", "usrt") - alice == refund - 200  # minus the tx fee
    assert solvency(chain, "val1")["active_insurances"] == 0


def test_cancel_without_refund_param():
    from suretychain.modules.insurance.params import Params
    chain, ins = setup_insured(insurance_chain(Params(cancel_refund=False)))
    alice = chain.balance("alice", "usrt")
    result = ok(chain.deliver("alice", MsgCancelInsurance(delegator=chain.address("alice"), insurance_id=ins)))
    assert event(result, "InsuranceCancelled")["refund"] == ""
    assert chain.balance("alice", "usrt") == alice - 200


def test_self_buy_is_circular_and_reduces_headroom():
    chain = insurance_chain()
    term = create_term(chain, "val1", coverage="1", duration_s=5000)
    headroom = solvency(chain, "val1")["headroom"]
    buy_ok(chain, "val1", "val1", term, 10**11)
    # liability 1 × 1e11 × 0.05 = 5e9 comes off the headroom others can buy
    assert solvency(chain, "val1")["headroom"] == headroom - 5 * 10**9
    chain.advance(3)
    total_before = chain.balance("val1", "usrt") + self_bond(chain, "val1")
    chain.double_sign("val1")
    chain.next_block()
    # the refund (5e9) moved from val1's self-bond to val1's account: only the slash (5e10) is lost (plus the
    # staking rewards distribution pays out when the self-bond moves)
    gained = chain.balance("val1", "usrt") + self_bond(chain, "val1") - (total_before - 5 * 10**10)
    assert 0 <= gained < 10**6
    assert BOND - 5 * 10**10 - 5 * 10**9 - 1 <= self_bond(chain, "val1")
