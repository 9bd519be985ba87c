"""``process_send``: MsgSend."""
from __future__ import annotations

from suretychain.core.crypto import module_address
from suretychain.core.encoding import Address
from suretychain.core.errors import ErrInsufficientFunds, ErrInvalidCoins
from suretychain.core.tx import Coin
from suretychain.modules.bank.types import ErrBlockedRecipient, MsgSend
from support import FUNDS, make_chain, make_send


def test_send_two_denoms():
    chain = make_chain()
    msg = MsgSend(from_address=chain.address("alice"), to_address=chain.address("carol"),
                  amount=[Coin(denom="usrt", amount=5), Coin(denom="uusd", amount=6)])
    result = chain.deliver("alice", msg)
    assert result.code == 0, result.log
    assert chain.query("bank/balances", address=str(chain.address("carol")))["coins"] == [
        {"denom": "usrt", "amount": 5}, {"denom": "uusd", "amount": 6}]
    transfer = [e for e in result.events if e.type == "Transfer"][-1]
    assert transfer.get("recipient") == str(chain.address("carol")) and transfer.get("amount") == "5usrt,6uusd"


def test_send_whole_balance_deletes_entry():
    chain = make_chain()
    assert chain.deliver("alice", make_send(chain, "alice", "carol", FUNDS["uusd"], "uusd")).code == 0
    assert chain.balance("alice", "uusd") == 0
    assert all(c["denom"] != "uusd" for c in chain.query("bank/balances", address=str(chain.address("alice")))["coins"])


def test_supply_unchanged_by_sends():
    chain = make_chain()
    before = chain.query("bank/supply")
    chain.deliver("alice", make_send(chain, "alice", "bob", 123))
    after = chain.query("bank/supply")
    fees = 200
    assert before == after and {c["denom"]: c["amount"] for c in after["supply"]}["usrt"] == 2 * FUNDS["usrt"]
    assert chain.balance(str(Address.from_raw(module_address("fee_collector"))), "usrt") == fees


def test_invalid_send_more_than_balance():
    chain = make_chain()
    result = chain.deliver_tx(chain.sign("alice", make_send(chain, "alice", "bob", FUNDS["uusd"] + 1, "uusd")))
    assert result.code == ErrInsufficientFunds.code
    assert chain.balance("bob", "uusd") == FUNDS["uusd"]


def test_invalid_unsorted_coins():
    chain = make_chain()
    msg = MsgSend(from_address=chain.address("alice"), to_address=chain.address("bob"),
                  amount=[Coin(denom="uusd", amount=1), Coin(denom="usrt", amount=1)])
    assert chain.check_tx(chain.sign("alice", msg)).code == ErrInvalidCoins.code


def test_invalid_duplicate_denoms():
    chain = make_chain()
    msg = MsgSend(from_address=chain.address("alice"), to_address=chain.address("bob"),
                  amount=[Coin(denom="usrt", amount=1), Coin(denom="usrt", amount=1)])
    assert chain.check_tx(chain.sign("alice", msg)).code == ErrInvalidCoins.code


def test_invalid_empty_coins():
    chain = make_chain()
    msg = MsgSend(from_address=chain.address("alice"), to_address=chain.address("bob"), amount=[])
    assert chain.check_tx(chain.sign("alice", msg)).code == ErrInvalidCoins.code


def test_invalid_send_to_module_account():
    chain = make_chain()
    msg = MsgSend(from_address=chain.address("alice"), to_address=Address.from_raw(module_address("fee_collector")),
                  amount=[Coin(denom="usrt", amount=1)])
    result = chain.check_tx(chain.sign("alice", msg))
    assert (result.codespace, result.code) == (ErrBlockedRecipient.codespace, ErrBlockedRecipient.code)
