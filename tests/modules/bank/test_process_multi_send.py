"""``process_multi_send``: MsgMultiSend."""
from __future__ import annotations

from suretychain.core.tx import Coin
from suretychain.modules.bank.types import ErrInputOutputMismatch, ErrNoOutputs, Input, MsgMultiSend, Output
from support import FUNDS, make_chain


def multi(chain, paid: int, outs: dict[str, int]) -> MsgMultiSend:
    return MsgMultiSend(inputs=[Input(address=chain.address("alice"), coins=[Coin(denom="uusd", amount=paid)])],
                        outputs=[Output(address=chain.address(n), coins=[Coin(denom="uusd", amount=a)])
                                 for n, a in outs.items()])


def test_multi_send_pays_every_output():
    chain = make_chain()
    assert chain.deliver("alice", multi(chain, 6, {"carol": 1, "dave": 2, "erin": 3})).code == 0
    assert [chain.balance(n, "uusd") for n in ("carol", "dave", "erin")] == [1, 2, 3]
    assert chain.balance("alice", "uusd") == FUNDS["uusd"] - 6


def test_invalid_inputs_not_equal_outputs():
    chain = make_chain()
    result = chain.check_tx(chain.sign("alice", multi(chain, 5, {"carol": 1, "dave": 2})))
    assert (result.codespace, result.code) == (ErrInputOutputMismatch.codespace, ErrInputOutputMismatch.code)


def test_invalid_no_outputs():
    chain = make_chain()
    assert chain.check_tx(chain.sign("alice", multi(chain, 5, {}))).code == ErrNoOutputs.code
