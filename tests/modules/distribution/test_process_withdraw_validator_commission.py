"""MsgWithdrawValidatorCommission: the operator takes the whole units of its commission; the fraction stays."""
from __future__ import annotations

from fractions import Fraction

from suretychain.modules.distribution.errors import ErrNoValidatorCommission
from suretychain.modules.distribution.types import MsgWithdrawValidatorCommission

from .helpers import (
    GAS,
    NO_INFLATION,
    commission,
    dist_chain,
    events,
    outstanding,
    set_withdraw_address,
    withdraw_commission,
)

TX_FEE = GAS // 1000


def test_commission_is_ten_percent_and_withdrawn_in_whole_units():
    chain = dist_chain(NO_INFLATION)
    chain.deliver("bob", MsgWithdrawValidatorCommission(validator=chain.valoper("bob")), gas=GAS)  # fails, pays fee
    chain.advance(1)
    assert commission(chain, "val0") == Fraction("24.5")              # 10% of 1000 × 0.98 / 4
    balance, left = chain.balance("val0", "usrt"), outstanding(chain, "val0")
    result = withdraw_commission(chain, "val0")
    assert result.code == 0
    assert chain.balance("val0", "usrt") == balance - TX_FEE + 24
    assert commission(chain, "val0") == Fraction("0.5")               # the fraction waits for the next withdrawal
    assert outstanding(chain, "val0") == left - 24
    [paid] = events(result, "CommissionWithdrawn")
    assert paid == {"validator": str(chain.valoper("val0")), "recipient": str(chain.address("val0")),
                    "amount": "24usrt"}


def test_commission_goes_to_the_operators_withdraw_address():
    chain = dist_chain(NO_INFLATION)
    set_withdraw_address(chain, "val1", "carol")
    chain.advance(1)
    carol = chain.balance("carol", "usrt")
    withdraw_commission(chain, "val1")
    assert chain.balance("carol", "usrt") == carol + 24


def test_invalid_withdraw_with_no_commission():
    chain = dist_chain(NO_INFLATION)
    result = withdraw_commission(chain, "val2")                       # nothing allocated yet
    assert (result.codespace, result.code) == (ErrNoValidatorCommission.codespace, ErrNoValidatorCommission.code)
    result = chain.deliver("alice", MsgWithdrawValidatorCommission(validator=chain.valoper("alice")), gas=GAS)
    assert (result.codespace, result.code) == (ErrNoValidatorCommission.codespace, ErrNoValidatorCommission.code)


def test_invalid_withdraw_signed_by_someone_else():
    chain = dist_chain(NO_INFLATION)
    chain.advance(2)
    result = chain.deliver("alice", MsgWithdrawValidatorCommission(validator=chain.valoper("val0")), gas=GAS)
    assert (result.codespace, result.code) == ("sdk", 4)               # unauthorized: only the operator signs
