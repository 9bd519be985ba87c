"""Builders for insurance tests: four validators (val0..val3, 10^12 usrt self-bond each), a short liveness window,
and funded delegators. Slash fractions are the defaults: downtime 1%, double sign 5%."""
from __future__ import annotations

from typing import Any

from suretychain.core.app import TxResult
from suretychain.core.dec import Dec
from suretychain.core.tx import Coin
from suretychain.modules.insurance.params import Params
from suretychain.modules.insurance.types import (
    GenesisState,
    MsgBuyInsurance,
    MsgCreateInsuranceTerm,
    PremiumRate,
)
from suretychain.modules.slashing.params import Params as SlashingParams
from suretychain.modules.slashing.types import GenesisState as SlashingGenesis
from suretychain.modules.staking.types import InfractionKind, MsgDelegate
from suretychain.testing import TestChain

WINDOW = 10  # [customized] signed_blocks_window (default 100)
GRACE_S = 100  # [customized] max_evidence_age (default 2 days): insurances leave the state 100 s after their end
BOTH = [InfractionKind.DOWNTIME, InfractionKind.DOUBLE_SIGN]
BOND = 10**12
FUNDS = 10**13


def insurance_chain(params: Params | None = None, **kwargs: Any) -> TestChain:
    slashing = SlashingParams(signed_blocks_window=WINDOW, max_evidence_age_ns=GRACE_S * 10**9)
    state: dict[str, Any] = {"slashing": SlashingGenesis(params=slashing)}
    if params is not None:
        state["insurance"] = GenesisState(params=params)
    return TestChain(accounts={n: {"usrt": FUNDS} for n in ("alice", "bob", "carol")}, validators=4,
                     app_state=state, **kwargs)


def usrt(amount: int) -> Coin:
    return Coin(denom="usrt", amount=amount)


def ok(result: TxResult) -> TxResult:
    assert result.code == 0, result.log
    return result


def delegate(chain: TestChain, who: str, val: str, amount: int) -> None:
    ok(chain.deliver(who, MsgDelegate(delegator=chain.address(who), validator=chain.valoper(val), amount=usrt(amount))))


def create_term(chain: TestChain, val: str, coverage: str = "0.8", rate: str = "0.01", duration_s: int = 1000,
                kinds: list[InfractionKind] | None = None) -> int:
    """Create a term and return its id."""
    msg = MsgCreateInsuranceTerm(operator=chain.address(val), coverage=Dec.from_str(coverage),
                                 premium=[PremiumRate(denom="usrt", rate=Dec.from_str(rate))],
                                 duration_ns=duration_s * 10**9, slashing_infractions=kinds or BOTH)
    result = ok(chain.deliver(val, msg))
    return int(event(result, "TermCreated")["term_id"])


def buy(chain: TestChain, who: str, val: str, term_id: int, stake: int) -> TxResult:
    return chain.deliver(who, MsgBuyInsurance(delegator=chain.address(who), validator=chain.valoper(val),
                                              term_id=term_id, insured_stake=stake))


def buy_ok(chain: TestChain, who: str, val: str, term_id: int, stake: int) -> int:
    return int(event(ok(buy(chain, who, val, term_id, stake)), "InsuranceBought")["insurance_id"])


def events(result: Any, kind: str) -> list[dict[str, str]]:
    return [{a.key: a.value for a in e.attributes} for e in result.events
            if e.module == "insurance" and e.type == kind]


def event(result: Any, kind: str) -> dict[str, str]:
    found = events(result, kind)
    assert len(found) == 1, (kind, found)
    return found[0]


def insurance(chain: TestChain, insurance_id: int) -> dict:
    return chain.query("insurance/insurance", id=insurance_id)


def solvency(chain: TestChain, val: str) -> dict:
    return chain.query("insurance/solvency", validator=str(chain.valoper(val)))


def self_bond(chain: TestChain, val: str) -> int:
    return solvency(chain, val)["self_bond"]


def tokens(chain: TestChain, val: str) -> int:
    return chain.query("staking/validator", validator=str(chain.valoper(val)))["tokens"]


def offline_until_jailed(chain: TestChain, val: str) -> Any:
    """Take ``val`` offline and run blocks until it is jailed; return that block's result."""
    chain.set_offline(val, 3 * WINDOW)
    for _ in range(4 * WINDOW):
        result = chain.next_block()
        if chain.query("staking/validator", validator=str(chain.valoper(val)))["jailed"]:
            return result
    raise AssertionError(f"{val} was never jailed")
