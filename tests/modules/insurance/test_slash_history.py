"""Slash histories, with the numbers computed by hand: two slashes in one period, FIFO with a collateral shortfall,
griefing (coverage <= 100% never profits), tombstone after a double sign.

Setup as in ``test_refunds``: val1 self-bonds 10^12; alice delegates 10^11 (val1 tokens 1.1 × 10^12, one share per
token). Slash fractions: downtime 1%, double sign 5%; a period slashes once, at its highest fraction."""
from __future__ import annotations

from suretychain.modules.slashing.params import Params as SlashingParams
from suretychain.modules.slashing.types import GenesisState as SlashingGenesis
from suretychain.modules.slashing.types import MsgUnjail
from suretychain.modules.staking.types import InfractionKind

from suretychain.testing import TestChain

from .helpers import (
    GRACE_S,
    WINDOW,
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
)

DELEGATED = 10**11


def delegation_tokens(chain, who: str, val: str) -> int:  # noqa: ANN001
    answer = chain.query("staking/delegation", delegator=str(chain.address(who)), validator=str(chain.valoper(val)))
    return int(answer["balance"])


def test_two_slashes_in_one_period_each_refund():
    chain = insurance_chain()
    delegate(chain, "alice", "val1", DELEGATED)
    term = create_term(chain, "val1", coverage="0.8", duration_s=5000)
    ins = buy_ok(chain, "alice", "val1", term, 5 * 10**10)
    chain.advance(3)
    start = chain.balance("alice", "usrt")
    first = offline_until_jailed(chain, "val1")
    # downtime: f = 0.01 of 1.1e12; refund = 0.8 × 5e10 × 0.01 = 4e8
    assert event(first, "RefundPaid")["amount"] == str(4 * 10**8)
    assert tokens(chain, "val1") == 11 * 10**11 - 11 * 10**9 - 4 * 10**8  # 1_088_600_000_000
    # an earlier double sign, found now, in the same period: it burns 0.05 - 0.01 = 0.04 of the 1.1e12 it had then,
    # i.e. 4.4e10 of the 1.0886e12 it has now: f = 4.4e10 / 1.0886e12
    chain.double_sign("val1", height=chain.height - 3)
    second = chain.next_block()
    refund = 8 * 5 * 10**10 * 44 * 10**9 // (10 * 1_088_600_000_000)  # floor(0.8 × 5e10 × f) = 1_616_755_465
    assert refund == 1_616_755_465
    assert event(second, "RefundPaid")["amount"] == str(refund)
    assert event(second, "RefundsPaid")["infraction"] == "double_sign"
    assert chain.balance("alice", "usrt") - start == 4 * 10**8 + refund
    assert insurance(chain, ins)["insurance"]["refunded"] == 4 * 10**8 + refund


def test_griefing_full_coverage_never_profits():
    """Coverage 1 on the whole delegation: each refund is exactly the tokens the slash took from the delegator, never
    more, so the delegator ends where it started (and with coverage < 1 strictly poorer)."""
    chain = insurance_chain()
    delegate(chain, "alice", "val1", DELEGATED)
    term = create_term(chain, "val1", coverage="1", duration_s=5000)
    buy_ok(chain, "alice", "val1", term, DELEGATED)
    chain.advance(3)
    balance = chain.balance("alice", "usrt")
    offline_until_jailed(chain, "val1")
    # downtime: alice's 1e11 loses 1e9; refund = 1 × 1e11 × 0.01 = 1e9
    assert delegation_tokens(chain, "alice", "val1") == 99 * 10**9
    assert chain.balance("alice", "usrt") - balance == 10**9
    chain.double_sign("val1", height=chain.height - 3)
    chain.next_block()
    # second slash: val1 has 1.1e12 - 1.1e10 - 1e9 = 1.088e12 (the refund left val1's self-bond, not alice's
    # shares); it burns 0.04 × 1.1e12 = 4.4e10: f = 4.4e10 / 1.088e12 on alice's 9.9e10.
    # her stake falls to floor(9.9e10 × 1.044e12 / 1.088e12) = 94_996_323_529: loss 4_003_676_471;
    # refund = floor(1 × 9.9e10 × f) = floor(4_003_676_470.58) = 4_003_676_470 (payouts round down)
    stake_after = 99 * 10**9 * 1_044_000_000_000 // 1_088_000_000_000
    refund = 99 * 10**9 * 44 * 10**9 // 1_088_000_000_000
    assert (stake_after, refund) == (94_996_323_529, 4_003_676_470)
    assert delegation_tokens(chain, "alice", "val1") == stake_after
    assert chain.balance("alice", "usrt") - balance == 10**9 + refund
    # wealth (account + stake) never exceeds the start: one unit below it, from rounding
    wealth = chain.balance("alice", "usrt") + delegation_tokens(chain, "alice", "val1")
    assert wealth == balance + DELEGATED - 1


def test_griefing_partial_coverage_loses():
    chain = insurance_chain()
    delegate(chain, "alice", "val1", DELEGATED)
    term = create_term(chain, "val1", coverage="0.5", duration_s=5000)
    buy_ok(chain, "alice", "val1", term, DELEGATED)
    chain.advance(3)
    balance = chain.balance("alice", "usrt")
    chain.double_sign("val1")
    chain.next_block()
    # 5% of 1.1e12; alice loses 5e9 of her 1e11 and is refunded 0.5 × 1e11 × 0.05 = 2.5e9
    assert chain.balance("alice", "usrt") - balance == 25 * 10**8
    assert chain.balance("alice", "usrt") + delegation_tokens(chain, "alice", "val1") == balance + DELEGATED - 25 * 10**8


def test_fifo_with_a_collateral_shortfall():
    """val1 self-bonds only 1e10. Downtime-only terms: liability = coverage × stake × 1%, against the self-bond after
    the worst slash, floor(1e10 × 0.95) = 9.5e9. alice (first) insures 5e11 and bob 4.5e11: TotalRefund 9.5e9, the
    cap exactly. The first downtime slash is paid in full but leaves the self-bond short (impaired); after an unjail a
    second downtime slash runs out of collateral: the oldest insurance is paid what is left, the newer nothing, and both
    shortfalls are recorded and emitted."""
    slashing = SlashingParams(signed_blocks_window=WINDOW, max_evidence_age_ns=GRACE_S * 10**9,
                              downtime_jail_duration_ns=5 * 10**9)
    chain = TestChain(accounts={n: {"usrt": 10**13} for n in ("alice", "bob")}, validators=4, validator_bond=10**10,
                      app_state={"slashing": SlashingGenesis(params=slashing)})
    delegate(chain, "alice", "val1", 5 * 10**11)
    delegate(chain, "bob", "val1", 5 * 10**11)
    term = create_term(chain, "val1", coverage="1", rate="0", duration_s=5000, kinds=[InfractionKind.DOWNTIME])
    alice_ins = buy_ok(chain, "alice", "val1", term, 5 * 10**11)
    bob_ins = buy_ok(chain, "bob", "val1", term, 45 * 10**10)
    assert solvency(chain, "val1")["headroom"] == 0
    chain.advance(3)
    first = offline_until_jailed(chain, "val1")
    # val1 tokens 1.01e12, f = 0.01: alice owed 5e9, bob 4.5e9; self-bond after the slash 9.9e9 pays both
    assert [e["amount"] for e in events(first, "RefundPaid")] == [str(5 * 10**9), str(45 * 10**8)]
    assert events(first, "RefundShortfall") == []
    # 9.9e9 - 9.5e9 = 4e8 left, less the unit the share rounding of the payment leaves in val1's account
    assert self_bond(chain, "val1") == 4 * 10**8 - 1
    assert solvency(chain, "val1")["impaired"]
    # unjail and be slashed again for downtime
    chain.advance(6, seconds=1)
    ok(chain.deliver("val1", MsgUnjail(validator=chain.valoper("val1"))))
    chain.advance(3)
    alice, bob = chain.balance("alice", "usrt"), chain.balance("bob", "usrt")
    second = offline_until_jailed(chain, "val1")
    # alice's stake 4.95e11 (hit, < insured 5e11) owed 0.01 × 4.95e11 = 4.95e9; bob's 4.95e11 covers his 4.5e11:
    # owed 4.5e9. Collateral: self-bond floor((4e8 - 1) × 0.99) = 395_999_999, all to alice (oldest first), nothing
    # to bob
    left = (4 * 10**8 - 1) * 99 // 100
    assert left == 395_999_999
    assert event(second, "RefundsPaid") == {"validator": str(chain.valoper("val1")), "infraction": "downtime",
                                            "insurances": "2", "owed": str(495 * 10**7 + 45 * 10**8),
                                            "paid": str(left), "shortfall": str(495 * 10**7 + 45 * 10**8 - left)}
    assert [e["insurance_id"] for e in events(second, "RefundShortfall")] == [str(alice_ins), str(bob_ins)]
    assert chain.balance("alice", "usrt") - alice == left and chain.balance("bob", "usrt") == bob
    assert insurance(chain, alice_ins)["insurance"]["shortfall"] == 495 * 10**7 - left
    assert insurance(chain, bob_ins)["insurance"]["shortfall"] == 45 * 10**8
    assert solvency(chain, "val1")["shortfall"] == 495 * 10**7 + 45 * 10**8 - left
    refunds = chain.query("insurance/refunds", validator=str(chain.valoper("val1")))
    assert (refunds["total_refunded"], refunds["total_shortfall"]) == (5 * 10**9 + 45 * 10**8 + left,
                                                                      495 * 10**7 + 45 * 10**8 - left)
