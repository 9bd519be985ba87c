"""A naive reference for block rewards, independent of the F1 bookkeeping: it recomputes every block's rewards
from the formula (last block's fees + supply × inflation × elapsed / year), splits them by the last commit's power,
and pays each validator's delegators' part in proportion to their shares at the start of the block. Exact
fractions, no rounding. Tests compare what F1 paid and still owes with what this ledger says was earned."""
from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from suretychain.core.app import FinalizeResult
from suretychain.core.errors import SuretyError
from suretychain.modules.distribution.types import YEAR_NS
from suretychain.testing import TestChain

Pair = tuple[str, str]  # (delegator address, validator operator address)


@dataclass
class Snapshot:
    """The staking state at the start of a block: what the block's rewards are split by."""

    supply: int
    tokens: dict[str, int]
    shares: dict[str, Fraction]
    rates: dict[str, Fraction]
    delegations: dict[Pair, Fraction]
    operators_by_cons: dict[bytes, str]


@dataclass
class NaiveRewards:
    """Per-block, per-delegation rewards of a chain, by the naive rule."""

    chain: TestChain
    inflation: Fraction = Fraction(7, 100)
    community_tax: Fraction = Fraction(2, 100)
    earned: dict[Pair, Fraction] = field(default_factory=dict)
    commission: dict[str, Fraction] = field(default_factory=dict)
    paid: dict[Pair, int] = field(default_factory=dict)
    withdrawals: dict[Pair, int] = field(default_factory=dict)
    commission_paid: dict[str, int] = field(default_factory=dict)
    allocated: Fraction = Fraction(0)
    f1_allocated: Fraction = Fraction(0)
    commission_withdrawals: dict[str, int] = field(default_factory=dict)
    blocks: int = 0
    pending_fees: int = 0

    def snapshot(self) -> Snapshot:
        """Read the committed staking state (the state every begin-block starts from)."""
        validators = self.chain.query("staking/validators")["validators"]
        delegations: dict[Pair, Fraction] = {}
        for name in list(self.chain.keys):
            address = str(self.chain.address(name))
            for entry in self.chain.query("staking/delegations", delegator=address)["delegations"]:
                delegations[(address, entry["delegation"]["validator"])] = Fraction(entry["delegation"]["shares"])
        cons = {self.chain.consensus_address(n): str(self.chain.valoper(n)) for n in self.chain.validator_names}
        return Snapshot(
            supply=self.chain.query("bank/supply", denom="usrt")["supply"][0]["amount"],
            tokens={v["operator"]: v["tokens"] for v in validators},
            shares={v["operator"]: Fraction(v["delegator_shares"]) for v in validators},
            rates={v["operator"]: Fraction(v["commission"]["rate"]) for v in validators},
            delegations=delegations, operators_by_cons=cons)

    def run(self, fees: int = 0, txs: list[bytes] = (), seconds: int = 1, **block: Any) -> FinalizeResult:
        """Run one block (carrying ``txs`` that pay ``fees`` in all) and credit its rewards by the naive rule."""
        before, votes, start = self.snapshot(), self.chain.validator_set(self.chain.height), self.chain.time_ns
        result = self.chain.next_block(seconds=seconds, txs=txs, **block)
        self.credit_block(before, votes, self.chain.time_ns - start)
        self.pending_fees = fees
        self.record_payments(result)
        return result

    def credit_block(self, before: Snapshot, votes: dict[bytes, int], elapsed_ns: int) -> None:
        """Split one block's rewards: by power among the last commit, then commission, then by shares."""
        payable = {cons: power for cons, power in votes.items() if cons in before.operators_by_cons}
        if not payable:
            return  # nobody to pay: fees wait, inflation keeps accruing (never happens after block 1 here)
        minted = before.supply * self.inflation.numerator * elapsed_ns // (self.inflation.denominator * YEAR_NS)
        total = Fraction(self.pending_fees + minted)
        total_power = sum(votes.values())
        self.blocks += 1
        for cons, power in sorted(payable.items()):
            operator = before.operators_by_cons[cons]
            reward = total * (1 - self.community_tax) * power / total_power
            self.allocated += reward
            self.credit_validator(before, operator, reward)

    def credit_validator(self, before: Snapshot, operator: str, reward: Fraction) -> None:
        commission = reward * before.rates[operator]
        self.commission[operator] = self.commission.get(operator, Fraction(0)) + commission
        if before.tokens.get(operator, 0) == 0 or before.shares[operator] == 0:
            return  # no stake behind the validator: its delegators' part goes to the community pool
        for (delegator, validator), shares in before.delegations.items():
            if validator == operator:
                pair = (delegator, validator)
                part = (reward - commission) * shares / before.shares[operator]
                self.earned[pair] = self.earned.get(pair, Fraction(0)) + part

    def record_payments(self, result: FinalizeResult) -> None:
        """What F1 paid in this block (withdrawals, automatic or asked for, and commissions)."""
        for event in result.events + [e for tx in result.tx_results for e in tx.events]:
            if event.module == "distribution" and event.type == "RewardsAllocated":
                self.f1_allocated += Fraction((event.get("rewards") or "0usrt").removesuffix("usrt"))
            if event.module != "distribution" or event.type not in ("RewardsWithdrawn", "CommissionWithdrawn"):
                continue
            amount = int((event.get("amount") or "0usrt").removesuffix("usrt"))
            if event.type == "RewardsWithdrawn":
                pair = (event.get("delegator") or "", event.get("validator") or "")
                self.paid[pair] = self.paid.get(pair, 0) + amount
                self.withdrawals[pair] = self.withdrawals.get(pair, 0) + 1
            else:
                operator = event.get("validator") or ""
                self.commission_paid[operator] = self.commission_paid.get(operator, 0) + amount
                self.commission_withdrawals[operator] = self.commission_withdrawals.get(operator, 0) + 1

    def f1_total(self, pair: Pair) -> Fraction:
        """What F1 paid to a delegation plus what it still owes it now."""
        delegator, validator = pair
        owed = Fraction(0)
        try:
            answer = self.chain.query("distribution/rewards", delegator=delegator, validator=validator)
            owed = sum((Fraction(c["amount"]) for c in answer["total"] if c["denom"] == "usrt"), Fraction(0))
        except SuretyError:  # no delegation left: nothing owed
            owed = Fraction(0)
        return self.paid.get(pair, 0) + owed

    def f1_commission_total(self, operator: str) -> Fraction:
        """What F1 paid a validator's operator as commission plus what is still accumulated."""
        answer = self.chain.query("distribution/commission", validator=operator)["commission"]
        owed = sum((Fraction(c["amount"]) for c in answer if c["denom"] == "usrt"), Fraction(0))
        return self.commission_paid.get(operator, 0) + owed

    def pairs(self) -> list[Pair]:
        return sorted(set(self.earned) | set(self.paid))


# A period's reward per token is rounded down to 10^-18, so each period may cost a delegation up to
# stake × 10^-18 units: at most 10^-5 for the stakes these tests use (< 10^13). Periods close at most a few times a
# block (one tx per block here, plus slashes); each withdrawal also drops the fraction of a unit (to the pool).
PERIOD_LOSS = Fraction(1, 10**5)
PERIODS_PER_BLOCK = 4


def assert_f1_matches(naive: NaiveRewards) -> None:
    """For every delegation: F1 paid + owed never exceeds what the naive ledger says it earned, and falls short by
    less than one unit per withdrawal plus the ratio rounding of every period."""
    for pair in naive.pairs():
        f1, earned = naive.f1_total(pair), naive.earned.get(pair, Fraction(0))
        shortfall = earned - f1
        bound = naive.withdrawals.get(pair, 0) + PERIOD_LOSS * (PERIODS_PER_BLOCK * naive.blocks + 1)
        assert -PERIOD_LOSS < shortfall <= bound, f"{pair}: F1 {float(f1)} vs naive {float(earned)}"


def assert_commission_matches(naive: NaiveRewards) -> None:
    """Every operator's commission, paid + accumulated, is the naive commission less under a unit per withdrawal."""
    for operator, earned in sorted(naive.commission.items()):
        shortfall = earned - naive.f1_commission_total(operator)
        bound = naive.commission_withdrawals.get(operator, 0) + PERIOD_LOSS
        assert -PERIOD_LOSS < shortfall <= bound, f"{operator}: commission short by {float(shortfall)}"


def assert_paid_within_allocated(naive: NaiveRewards) -> None:
    """Everything paid or owed to delegators and operators fits in what was allocated to validators, and what was
    allocated is the naive allocation less rounding."""
    paid_or_owed = sum((naive.f1_total(pair) for pair in naive.pairs()), Fraction(0))
    paid_or_owed += sum((naive.f1_commission_total(op) for op in naive.commission), Fraction(0))
    assert paid_or_owed <= naive.f1_allocated
    assert 0 <= naive.allocated - naive.f1_allocated < Fraction(naive.blocks * 8, 10**18)
