"""Property: on random histories (delegate, undelegate, redelegate, slash, blocks with fees, withdrawals), F1 pays
every delegation what the naive per-block reference says it earned, within rounding, and never more than was
allocated. TestChain checks every invariant after every block."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from suretychain.core.tx import Coin
from suretychain.modules.bank.types import MsgSend
from suretychain.modules.distribution.types import MsgWithdrawDelegatorReward, MsgWithdrawValidatorCommission
from suretychain.modules.staking.types import MsgBeginRedelegate, MsgDelegate, MsgUndelegate

from .helpers import DELEGATORS, GAS, dist_chain, install_slasher
from .reference import NaiveRewards, assert_commission_matches, assert_f1_matches, assert_paid_within_allocated

VALIDATORS = ("val0", "val1", "val2", "val3")
TX_FEE = GAS // 1000
FRACTIONS = (1, 2, 4)  # take 1/1, 1/2 or 1/4 of a delegation

delegators = st.sampled_from(DELEGATORS)
validators = st.sampled_from(VALIDATORS)
actions = st.one_of(
    st.tuples(st.just("delegate"), delegators, validators, st.integers(1, 2 * 10**12)),
    st.tuples(st.just("undelegate"), st.integers(0, 20), st.sampled_from(FRACTIONS)),
    st.tuples(st.just("redelegate"), st.integers(0, 20), validators, st.sampled_from(FRACTIONS)),
    st.tuples(st.just("slash"), validators, st.sampled_from(["0.01", "0.1", "0.5"]), st.sampled_from([0, 2])),
    st.tuples(st.just("fees"), st.integers(200, 10**7)),
    st.tuples(st.just("withdraw"), st.integers(0, 20)),
    st.tuples(st.just("commission"), validators),
    st.tuples(st.just("blocks"), st.integers(1, 3), st.integers(0, 3600)),
)


def usrt(amount: int) -> Coin:
    return Coin(denom="usrt", amount=amount)


def pick_delegation(chain, index: int, owners=DELEGATORS) -> tuple[str, str, int]:  # noqa: ANN001
    """The ``index``-th existing delegation of ``owners`` (modulo their number): (who, validator, tokens); a
    delegation that does not exist (so the msg fails) when there is none."""
    names = {str(chain.valoper(v)): v for v in VALIDATORS}
    existing = [(who, names[entry["delegation"]["validator"]], entry["balance"]) for who in owners
                for entry in chain.query("staking/delegations", delegator=str(chain.address(who)))["delegations"]]
    return existing[index % len(existing)] if existing else ("alice", "val0", 0)


def run_action(naive: NaiveRewards, slasher, action: tuple) -> None:  # noqa: ANN001
    """Apply one action as one or more blocks through the reference ledger."""
    chain, kind = naive.chain, action[0]
    if kind == "blocks":
        for _ in range(action[1]):
            naive.run(seconds=action[2])
    elif kind == "slash":
        _, validator, fraction, back = action
        slasher.queue(validator, fraction, max(2, chain.height + 1 - back))
        naive.run()
    elif kind == "fees":
        msg = MsgSend(from_address=chain.address("alice"), to_address=chain.address("bob"), amount=[usrt(1)])
        naive.run(fees=action[1], txs=[chain.sign("alice", msg, fee=[usrt(action[1])])])
    else:
        who, msg = make_msg(chain, action)
        naive.run(fees=TX_FEE, txs=[chain.sign(who, msg, gas=GAS)])


def make_msg(chain, action: tuple):  # noqa: ANN001, ANN201
    """The signer and msg of a tx action."""
    kind = action[0]
    if kind == "delegate":
        _, who, validator, amount = action
        return who, MsgDelegate(delegator=chain.address(who), validator=chain.valoper(validator), amount=usrt(amount))
    if kind == "undelegate":
        who, validator, tokens = pick_delegation(chain, action[1])
        amount = max(1, tokens // action[2])
        return who, MsgUndelegate(delegator=chain.address(who), validator=chain.valoper(validator), amount=usrt(amount))
    if kind == "redelegate":
        who, src, tokens = pick_delegation(chain, action[1])
        amount = max(1, tokens // action[3])
        return who, MsgBeginRedelegate(delegator=chain.address(who), src_validator=chain.valoper(src),
                                       dst_validator=chain.valoper(action[2]), amount=usrt(amount))
    if kind == "withdraw":
        who, validator, _ = pick_delegation(chain, action[1], DELEGATORS + VALIDATORS)
        return who, MsgWithdrawDelegatorReward(delegator=chain.address(who), validator=chain.valoper(validator))
    return action[1], MsgWithdrawValidatorCommission(validator=chain.valoper(action[1]))


def check_history(history: list[tuple]) -> None:
    chain = dist_chain()
    slasher = install_slasher(chain)
    naive = NaiveRewards(chain)
    naive.run()
    for action in history:
        run_action(naive, slasher, action)
    naive.run(seconds=5)
    assert_f1_matches(naive)
    assert_commission_matches(naive)
    assert_paid_within_allocated(naive)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(actions, min_size=5, max_size=30))
def test_f1_matches_the_naive_reference(history):
    check_history(history)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(actions, min_size=20, max_size=80))
def check_long_histories(history):
    check_history(history)


@pytest.mark.slow
def test_f1_matches_the_naive_reference_long(pytestconfig):
    """300 histories of 20 to 80 actions (about a minute): only when slow tests are selected (``-m slow``)."""
    if "slow" not in (pytestconfig.getoption("markexpr") or ""):
        pytest.skip("long version: run it with `python -m pytest -m slow`")
    check_long_histories()
