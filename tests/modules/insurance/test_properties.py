"""Property test over random histories (delegate, buy, cancel, undelegate, downtime, double sign, time passing):

- total refunded = sum of the individual refunds (events, per insurance records, and the refunds query agree);
- no account goes negative, and the insurance transit account is empty after every block;
- supply is conserved: with inflation off, the supply only falls by what the slashes burned.
"""
from __future__ import annotations

from collections import defaultdict

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from suretychain.core.crypto import module_address
from suretychain.core.dec import Dec
from suretychain.core.encoding import Address
from suretychain.modules.distribution.params import Params as DistributionParams
from suretychain.modules.distribution.types import GenesisState as DistributionGenesis
from suretychain.modules.insurance.types import INSURANCE_ACCOUNT, MsgCancelInsurance
from suretychain.modules.slashing.params import Params as SlashingParams
from suretychain.modules.slashing.types import GenesisState as SlashingGenesis
from suretychain.modules.staking.types import MsgDelegate, MsgUndelegate
from suretychain.testing import TestChain

from .helpers import GRACE_S, WINDOW, buy, create_term, delegate, events, usrt

DELEGATORS = ("alice", "bob", "carol")
VALIDATORS = ("val1", "val2")
FUNDS = 10**13

action = st.one_of(
    st.tuples(st.just("delegate"), st.sampled_from(DELEGATORS), st.sampled_from(VALIDATORS),
              st.integers(10**9, 10**11)),
    st.tuples(st.just("buy"), st.sampled_from(DELEGATORS), st.sampled_from(VALIDATORS), st.integers(1, 100)),
    st.tuples(st.just("cancel"), st.sampled_from(DELEGATORS), st.just(""), st.just(0)),
    st.tuples(st.just("undelegate"), st.sampled_from(DELEGATORS), st.sampled_from(VALIDATORS), st.integers(1, 100)),
    st.tuples(st.just("downtime"), st.just(""), st.sampled_from(VALIDATORS), st.just(0)),
    st.tuples(st.just("double_sign"), st.just(""), st.sampled_from(VALIDATORS), st.just(0)),
    st.tuples(st.just("wait"), st.just(""), st.just(""), st.integers(1, 40)),
)


class History:
    """A chain plus what the events say happened to it."""

    def __init__(self) -> None:
        slashing = SlashingParams(signed_blocks_window=WINDOW, max_evidence_age_ns=GRACE_S * 10**9)
        self.chain = TestChain(accounts={n: {"usrt": FUNDS} for n in DELEGATORS}, validators=4, app_state={
            "slashing": SlashingGenesis(params=slashing),
            "distribution": DistributionGenesis(params=DistributionParams(inflation=Dec.ZERO))})
        self.supply = self.get_supply()
        self.terms = {v: create_term(self.chain, v, coverage="0.9", duration_s=60) for v in VALIDATORS}
        self.burned = 0
        self.refund_events: dict[int, int] = defaultdict(int)
        self.paid_totals = 0
        self.mine: dict[str, list[int]] = defaultdict(list)

    def get_supply(self) -> int:
        answer = self.chain.query("bank/supply", denom="usrt")
        return int(answer["supply"][0]["amount"])

    def record(self, result) -> None:  # noqa: ANN001
        for e in result.events:
            attrs = {a.key: a.value for a in e.attributes}
            if e.module == "staking" and e.type == "Slashed":
                self.burned += int(attrs["burned"])
        for paid in events(result, "RefundPaid"):
            self.refund_events[int(paid["insurance_id"])] += int(paid["amount"])
        self.paid_totals += sum(int(r["paid"]) for r in events(result, "RefundsPaid"))

    def block(self, seconds: int = 1) -> None:
        self.record_tx(self.chain.next_block(seconds=seconds))

    def apply(self, step: tuple) -> None:
        kind, who, val, n = step
        chain = self.chain
        if kind == "delegate":
            self.record_tx(chain.deliver(who, MsgDelegate(delegator=chain.address(who), validator=chain.valoper(val),
                                                          amount=usrt(n))))
        elif kind == "buy":
            stake = self.delegated(who, val) * n // 100
            if stake > 0:
                result = buy(chain, who, val, self.terms[val], stake)
                self.record_tx(result)
                if result.code == 0:
                    self.mine[who].append(int(events(result, "InsuranceBought")[0]["insurance_id"]))
        elif kind == "cancel" and self.mine[who]:
            self.record_tx(chain.deliver(who, MsgCancelInsurance(delegator=chain.address(who),
                                                                 insurance_id=self.mine[who].pop(0))))
        elif kind == "undelegate":
            amount = self.delegated(who, val) * n // 100
            if amount > 0:
                self.record_tx(chain.deliver(who, MsgUndelegate(delegator=chain.address(who),
                                                                validator=chain.valoper(val), amount=usrt(amount)),
                                             gas=400_000))
        elif kind == "downtime":
            chain.set_offline(val, 2 * WINDOW)
            for _ in range(2 * WINDOW):
                self.block()
        elif kind == "double_sign":
            chain.double_sign(val)
            self.block()
        elif kind == "wait":
            self.block(seconds=n)

    def record_tx(self, result) -> None:  # noqa: ANN001
        self.record(result)
        self.check()

    def delegated(self, who: str, val: str) -> int:
        try:
            answer = self.chain.query("staking/delegation", delegator=str(self.chain.address(who)),
                                      validator=str(self.chain.valoper(val)))
        except Exception:  # noqa: BLE001 - no delegation
            return 0
        return int(answer["balance"])

    def check(self) -> None:
        chain = self.chain
        transit = str(Address.from_raw(module_address(INSURANCE_ACCOUNT)))
        assert chain.balance(transit, "usrt") == 0
        for name in DELEGATORS + tuple(f"val{i}" for i in range(4)):
            assert chain.balance(name, "usrt") >= 0
        for view in chain.query("insurance/insurances")["insurances"]:
            ins = view["insurance"]
            assert ins["refunded"] >= 0 and ins["shortfall"] >= 0 and ins["insured_stake"] > 0
            assert ins["refunded"] == self.refund_events.get(ins["id"], 0)
        assert sum(self.refund_events.values()) == self.paid_totals
        assert self.get_supply() == self.supply - self.burned


PAYING_HISTORY = [("buy", "alice", "val1", 60), ("delegate", "bob", "val1", 10**11), ("buy", "bob", "val1", 100),
                  ("wait", "", "", 3), ("downtime", "", "val1", 0), ("double_sign", "", "val1", 0)]


def run_history(steps) -> "History":  # noqa: ANN001
    """Apply ``steps`` after one delegation to insure, then check what every history must satisfy."""
    history = History()
    delegate(history.chain, "alice", "val1", 10**11)  # at least one delegation to insure
    for step in steps:
        history.apply(step)
    history.block()
    check_refund_totals(history)
    return history


def test_the_paying_history_pays_refunds():
    assert run_history(PAYING_HISTORY).paid_totals > 0


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(action, min_size=1, max_size=10))
@example(PAYING_HISTORY)
def test_random_histories_conserve_refunds_balances_and_supply(steps):
    run_history(steps)


def check_refund_totals(history: "History") -> None:
    """The refunds query adds up, and agrees with the refund events of live insurances."""
    refunds = history.chain.query("insurance/refunds")
    assert refunds["total_refunded"] == sum(r["refunded"] for r in refunds["refunds"])
    live = {r["insurance_id"] for r in refunds["refunds"]}
    assert refunds["total_refunded"] == sum(v for k, v in history.refund_events.items() if k in live)
