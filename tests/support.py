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



def assert_fails_in_block(chain: TestChain, signer: str, tx: bytes, error) -> None:  # noqa: ANN001 (an ErrorDef)
    """A msg-level failure: CheckTx admits ``tx`` (it runs the ante step only), the block fails it with ``error``,
    reverts its msgs, and still charges ``signer`` the fee and uses the sequence."""
    fee = {c.denom: c.amount for c in chain.app.decode_tx(tx)[0].body.fee.amount}
    before, sequence = {denom: chain.balance(signer, denom) for denom in FUNDS}, chain.sequence(signer)
    assert chain.check_tx(tx).code == 0
    chain.app.reset_check_state()
    result = chain.deliver_tx(tx)
    assert (result.codespace, result.code) == (error.codespace, error.code), result.log
    assert {denom: chain.balance(signer, denom) for denom in FUNDS} == {d: before[d] - fee.get(d, 0) for d in FUNDS}
    assert chain.sequence(signer) == sequence + 1
