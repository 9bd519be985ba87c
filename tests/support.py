"""Shared builders for tests (importable as ``tests.support`` or ``support``)."""
from __future__ import annotations

from suretychain.core.tx import Coin
from suretychain.modules.bank.types import MsgSend
from suretychain.testing import TestChain

FUNDS = {"usrt": 10**12, "uusd": 10**9}


def make_chain(**kwargs) -> TestChain:
    """A chain with alice and bob funded."""
    return TestChain(accounts={"alice": dict(FUNDS), "bob": dict(FUNDS)}, **kwargs)


def make_send(chain: TestChain, sender: str, recipient: str, amount: int, denom: str = "usrt") -> MsgSend:
    """A valid MsgSend between named accounts."""
    return MsgSend(from_address=chain.address(sender), to_address=chain.address(recipient),
                   amount=[Coin(denom=denom, amount=amount)])
