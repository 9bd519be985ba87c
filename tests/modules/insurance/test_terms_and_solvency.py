"""Terms (edit/delete keep old insurances), extension, the solvency cap, MaxUnbond, subscriptions, switch, genesis."""
from __future__ import annotations

from suretychain.core.dec import Dec
from suretychain.core.errors import SuretyError
from suretychain.modules.insurance.errors import (
    ErrMaxUnbondExceeded,
    ErrSolvencyCap,
    ErrTermChanged,
)
from suretychain.modules.insurance.types import (
    MsgDeleteInsuranceTerm,
    MsgEditInsuranceTerm,
    MsgExtendInsurance,
    MsgSubscribeInsurance,
    MsgSwitchInsuranceTerm,
    PremiumRate,
)
from suretychain.modules.staking.types import MsgUndelegate
from suretychain.testing import TestChain

from .helpers import BOTH, buy, buy_ok, create_term, delegate, event, events, insurance, insurance_chain, ok, solvency, usrt


def edit(chain, term_id, coverage="0.5"):  # noqa: ANN001, ANN201
    msg = MsgEditInsuranceTerm(operator=chain.address("val1"), term_id=term_id, coverage=Dec.from_str(coverage),
                               premium=[PremiumRate(denom="usrt", rate=Dec.from_str("0.02"))],
                               duration_ns=2000 * 10**9, slashing_infractions=BOTH)
    return int(event(ok(chain.deliver("val1", msg)), "TermEdited")["new_term_id"])


def test_invalid_coverage_above_one():
    chain = insurance_chain()
    try:
        create_term(chain, "val1", coverage="1.01")
    except AssertionError as exc:
        assert "coverage" in str(exc)
    else:
        raise AssertionError("accepted")


def test_edit_gives_new_id_and_old_insurances_keep_their_term():
    chain = insurance_chain()
    delegate(chain, "alice", "val1", 10**11)
    term = create_term(chain, "val1")
    ins = buy_ok(chain, "alice", "val1", term, 10**10)
    new = edit(chain, term)
    assert new != term
    assert insurance(chain, ins)["insurance"]["term"]["coverage"] == "0.8"
    assert [t["id"] for t in chain.query("insurance/terms", validator=str(chain.valoper("val1")))["terms"]] == [new]
    # extend after edit: refused with a coded error, nothing changes
    end = insurance(chain, ins)["insurance"]["end_ns"]
    result = chain.deliver("alice", MsgExtendInsurance(delegator=chain.address("alice"), insurance_id=ins))
    assert (result.codespace, result.code) == (ErrTermChanged.codespace, ErrTermChanged.code)
    assert insurance(chain, ins)["insurance"]["end_ns"] == end


def test_delete_does_not_affect_bought_insurances():
    chain = insurance_chain()
    delegate(chain, "alice", "val1", 10**11)
    term = create_term(chain, "val1")
    ins = buy_ok(chain, "alice", "val1", term, 10**10)
    ok(chain.deliver("val1", MsgDeleteInsuranceTerm(operator=chain.address("val1"), term_id=term)))
    assert not insurance(chain, ins)["finalized"]
    result = chain.deliver("alice", MsgExtendInsurance(delegator=chain.address("alice"), insurance_id=ins))
    assert result.code == ErrTermChanged.code
    assert buy(chain, "alice", "val1", term, 10**9).code != 0


def test_extend_pays_again_and_pushes_the_end_date():
    chain = insurance_chain()
    delegate(chain, "alice", "val1", 10**11)
    term = create_term(chain, "val1", duration_s=1000)
    ins = buy_ok(chain, "alice", "val1", term, 10**10)
    end = insurance(chain, ins)["insurance"]["end_ns"]
    treasury = chain.balance(str(_module_address("treasury")), "usrt")
    result = ok(chain.deliver("alice", MsgExtendInsurance(delegator=chain.address("alice"), insurance_id=ins)))
    # premium 0.01 × 1e10 = 1e8; commission 5% = 5e6
    assert event(result, "InsuranceExtended")["premium"] == "100000000usrt"
    assert chain.balance(str(_module_address("treasury")), "usrt") - treasury == 5 * 10**6
    assert insurance(chain, ins)["insurance"]["end_ns"] == end + 1000 * 10**9


def _module_address(name):  # noqa: ANN001, ANN202
    from suretychain.core.crypto import module_address
    from suretychain.core.encoding import Address
    return Address.from_raw(module_address(name))


def test_invalid_buy_over_solvency_cap():
    """Cap: floor(1e12 × 0.95) = 9.5e11 >= coverage × stake × 0.05, so at coverage 1 at most 1.9e13 insured."""
    chain = TestChain(accounts={"whale": {"usrt": 3 * 10**13}}, validators=4)
    delegate(chain, "whale", "val1", 2 * 10**13)
    term = create_term(chain, "val1", coverage="1", rate="0")
    result = buy(chain, "whale", "val1", term, 19 * 10**12 + 1)
    assert (result.codespace, result.code) == (ErrSolvencyCap.codespace, ErrSolvencyCap.code)
    assert solvency(chain, "val1")["active_insurances"] == 0
    buy_ok(chain, "whale", "val1", term, 19 * 10**12)
    assert solvency(chain, "val1")["headroom"] == 0


def test_invalid_unbond_beyond_max_unbond():
    chain = TestChain(accounts={"whale": {"usrt": 3 * 10**13}}, validators=4)
    delegate(chain, "whale", "val1", 2 * 10**13)
    term = create_term(chain, "val1", coverage="1", rate="0")
    buy_ok(chain, "whale", "val1", term, 95 * 10**11)  # TotalRefund 4.75e11
    # MaxUnbond = 1e12 - ceil(4.75e11 / 0.95) = 5e11
    assert solvency(chain, "val1")["max_unbond"] == 5 * 10**11
    too_much = MsgUndelegate(delegator=chain.address("val1"), validator=chain.valoper("val1"), amount=usrt(5 * 10**11 + 1))
    result = chain.deliver("val1", too_much, gas=400_000)
    assert (result.codespace, result.code) == (ErrMaxUnbondExceeded.codespace, ErrMaxUnbondExceeded.code)
    assert solvency(chain, "val1")["self_bond"] == 10**12
    exact = MsgUndelegate(delegator=chain.address("val1"), validator=chain.valoper("val1"), amount=usrt(5 * 10**11))
    ok(chain.deliver("val1", exact, gas=400_000))
    assert solvency(chain, "val1")["headroom"] == 0


def test_subscription_renews_each_period_then_lapses_when_the_term_changes():
    chain = insurance_chain()
    delegate(chain, "alice", "val1", 10**11)
    term = create_term(chain, "val1", duration_s=10)
    ins = buy_ok(chain, "alice", "val1", term, 10**10)
    ok(chain.deliver("alice", MsgSubscribeInsurance(delegator=chain.address("alice"), insurance_id=ins)))
    end = insurance(chain, ins)["insurance"]["end_ns"]
    renewed = []
    for _ in range(25):
        renewed += events(chain.next_block(), "InsuranceRenewed")
    assert [int(r["end_ns"]) for r in renewed] == [end + 10 * 10**9, end + 20 * 10**9]
    edit(chain, term)
    lapsed = []
    for _ in range(12):
        lapsed += events(chain.next_block(), "InsuranceLapsed")
    assert lapsed == [{"insurance_id": str(ins), "reason": "term_changed"}]


def test_switch_credits_the_unused_premium():
    chain = insurance_chain()
    delegate(chain, "alice", "val1", 10**11)
    cheap = create_term(chain, "val1", rate="0.01", duration_s=1000)
    dear = create_term(chain, "val1", rate="0.02", duration_s=1000)
    ins = buy_ok(chain, "alice", "val1", cheap, 10**10)  # paid net 9.5e7 for 1000 s
    result = ok(chain.deliver("alice", MsgSwitchInsuranceTerm(delegator=chain.address("alice"), insurance_id=ins,
                                                              term_id=dear)))
    # 1 s used: credit floor(9.5e7 × 999 / 1000) = 94905000; new premium 0.02 × 1e10 = 2e8; due 105095000
    switched = event(result, "InsuranceSwitched")
    assert (switched["credit"], switched["premium"]) == ("94905000usrt", "105095000usrt")
    assert insurance(chain, ins)["insurance"]["term"]["id"] == dear


def test_genesis_export_import_same_app_hash():
    """Terms (one edited), subscribed and refunded insurances, a tombstoned validator: export, import
    into a fresh app, same app hash."""
    from suretychain.app import make_app
    from suretychain.core.genesis import decode_genesis, decode_module_state, encode_genesis
    from suretychain.core.store import CommitStore
    from suretychain.modules.insurance.types import GenesisState

    chain = insurance_chain()
    delegate(chain, "alice", "val1", 10**11)
    delegate(chain, "bob", "val2", 10**11)
    term = create_term(chain, "val1")
    edit(chain, term)
    other = create_term(chain, "val2", duration_s=5000)
    ins = buy_ok(chain, "alice", "val1", term + 1, 10**10)
    ok(chain.deliver("alice", MsgSubscribeInsurance(delegator=chain.address("alice"), insurance_id=ins)))
    buy_ok(chain, "bob", "val2", other, 5 * 10**10)
    chain.advance(3)
    chain.double_sign("val2")  # refunded, then tombstoned: its insurance is finalized
    chain.advance(2)
    exported = chain.export_genesis()
    decoded = decode_module_state("insurance", bytes(exported.app_state["insurance"]), GenesisState)
    assert [t.id for t in decoded.terms] == [term + 1, other] and decoded.counters.next_insurance_id == 3
    assert [i.refunded for i in decoded.insurances] == [0, 2 * 10**9]  # 0.8 × 5e10 × 0.05
    assert [v.tombstoned for v in decoded.validator_states] == [True]
    fresh = make_app(CommitStore(None))
    assert fresh.init_chain(decode_genesis(encode_genesis(exported))).app_hash == chain.app_hash()
