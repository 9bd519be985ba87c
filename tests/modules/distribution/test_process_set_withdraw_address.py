"""MsgSetWithdrawAddress: rewards go elsewhere; module accounts refused; the param can switch it off."""
from __future__ import annotations

from suretychain.core.crypto import module_address
from suretychain.core.encoding import Address
from suretychain.modules.distribution.errors import ErrBlockedWithdrawAddress, ErrSetWithdrawAddrDisabled
from suretychain.modules.distribution.params import Params
from suretychain.modules.distribution.types import MsgSetWithdrawAddress

from .helpers import GAS, NO_INFLATION, delegate, dist_chain, events, set_withdraw_address, withdraw_reward


def withdraw_address(chain, who: str) -> str:  # noqa: ANN001
    return chain.query("distribution/withdraw-address", delegator=str(chain.address(who)))["withdraw_address"]


def test_rewards_follow_the_withdraw_address():
    chain = dist_chain(NO_INFLATION)
    assert withdraw_address(chain, "alice") == str(chain.address("alice"))
    delegate(chain, "alice", "val0", 10**12)
    result = set_withdraw_address(chain, "alice", "carol")
    assert result.code == 0 and withdraw_address(chain, "alice") == str(chain.address("carol"))
    assert events(result, "WithdrawAddressSet") == [{"delegator": str(chain.address("alice")),
                                                     "withdraw_address": str(chain.address("carol"))}]
    carol, alice = chain.balance("carol", "usrt"), chain.balance("alice", "usrt")
    withdraw_reward(chain, "alice", "val0")
    assert chain.balance("carol", "usrt") > carol and chain.balance("alice", "usrt") == alice - GAS // 1000
    set_withdraw_address(chain, "alice", "alice")     # back to itself: the record is deleted
    assert withdraw_address(chain, "alice") == str(chain.address("alice"))
    assert chain.query("distribution/params")["withdraw_addr_enabled"] is True


def test_invalid_module_account_as_withdraw_address():
    chain = dist_chain(NO_INFLATION)
    msg = MsgSetWithdrawAddress(delegator=chain.address("alice"),
                                withdraw_address=Address.from_raw(module_address("distribution")))
    result = chain.deliver("alice", msg, gas=GAS)
    assert (result.codespace, result.code) == (ErrBlockedWithdrawAddress.codespace, ErrBlockedWithdrawAddress.code)
    assert withdraw_address(chain, "alice") == str(chain.address("alice"))


def test_invalid_when_disabled_by_params():
    chain = dist_chain(Params(withdraw_addr_enabled=False))
    result = set_withdraw_address(chain, "alice", "carol")
    assert (result.codespace, result.code) == (ErrSetWithdrawAddrDisabled.codespace, ErrSetWithdrawAddrDisabled.code)
    assert withdraw_address(chain, "alice") == str(chain.address("alice"))
