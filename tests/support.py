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


def assert_refused_by_check_tx(chain: TestChain, signer: str, tx: bytes, error) -> None:  # noqa: ANN001 (an ErrorDef)
    """Bad input at the mempool: CheckTx refuses ``tx`` with ``error`` and keeps nothing of it (no fee, no
    sequence: ``signer``'s valid send at the same sequence is still admitted)."""
    result = chain.check_tx(tx)
    assert (result.codespace, result.code) == (error.codespace, error.code), result.log
    sequence = chain.app.decode_tx(tx)[0].body.sequence
    recipient = "bob" if signer != "bob" else "alice"
    assert chain.check_tx(chain.sign(signer, make_send(chain, signer, recipient, 1), sequence=sequence)).code == 0


class EmptyKV:
    """A read-only parent view holding nothing (the bottom of a cache chain in unit tests)."""

    def get(self, key):
        return None

    def iterate(self, start, end, reverse=False):
        return iter(())
