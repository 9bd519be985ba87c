"""The tx pipeline: every kind of bad input gets its coded error and changes nothing."""
from __future__ import annotations

import msgspec
import pytest

from suretychain.core import errors as E
from suretychain.core.encoding import Decoder, encode
from suretychain.core.tx import Coin, Fee, Tx, make_body, sign_tx
from suretychain.modules.bank.types import MsgSend
from support import assert_refused_by_check_tx, make_chain, make_send


@pytest.fixture
def chain():
    return make_chain()


def state_without_beacon(chain) -> dict[str, bytes]:
    """Every module's exported state except the beacon's, whose seed advances with every block."""
    return {name: bytes(raw) for name, raw in chain.export_genesis().app_state.items() if name != "beacon"}


def assert_rejected(chain, tx: bytes, error) -> None:
    """Both CheckTx and a block refuse ``tx`` with ``error``; the state (but the block's beacon seed) and balances do
    not move."""
    before = state_without_beacon(chain)
    balances = (chain.balance("alice", "usrt"), chain.balance("bob", "usrt"))
    check = chain.check_tx(tx)
    assert (check.codespace, check.code) == (error.codespace, error.code), check.log
    result = chain.deliver_tx(tx, check_proposal=False)
    assert (result.codespace, result.code) == (error.codespace, error.code), result.log
    assert result.log
    assert state_without_beacon(chain) == before
    assert (chain.balance("alice", "usrt"), chain.balance("bob", "usrt")) == balances


def test_send_succeeds_and_charges_fee(chain):
    result = chain.deliver("alice", make_send(chain, "alice", "bob", 7))
    assert result.code == 0, result.log
    assert chain.balance("bob", "usrt") == 10**12 + 7
    assert chain.balance("alice", "usrt") == 10**12 - 7 - 200
    assert chain.sequence("alice") == 1
    assert [(e.module, e.type) for e in result.events] == [("bank", "Transfer"), ("auth", "FeePaid"), ("bank", "Transfer")]


def test_invalid_malformed_bytes(chain):
    assert_rejected(chain, b"\x93\x01\x02", E.ErrTxDecode)


def test_invalid_truncated_tx(chain):
    tx = chain.sign("alice", make_send(chain, "alice", "bob", 1))
    assert_rejected(chain, tx[:-10], E.ErrTxDecode)


def test_invalid_oversize_tx(chain):
    assert_rejected(chain, b"\x00" * (64 * 1024 + 1), E.ErrTxTooLarge)


def test_invalid_non_canonical_encoding(chain):
    tx = msgspec.msgpack.decode(chain.sign("alice", make_send(chain, "alice", "bob", 1)))
    reordered = dict(reversed(list(tx.items())))  # same content, keys in another order
    assert_rejected(chain, msgspec.msgpack.encode(reordered), E.ErrTxDecode)


def test_invalid_unknown_msg_type(chain):
    key = chain.key("alice")
    body = make_body(chain.chain_id, [], chain.address("alice"), key.public_key.raw, 0,
                     Fee(amount=[Coin(denom="usrt", amount=200)], gas_limit=200_000))
    body = msgspec.structs.replace(body, msgs=[msgspec.Raw(msgspec.msgpack.encode({"type": "nope/MsgFly", "x": 1}))])
    assert_rejected(chain, sign_tx(body, key), E.ErrUnknownMsg)


def test_invalid_bad_signature(chain):
    tx = chain.sign("alice", make_send(chain, "alice", "bob", 1))
    decoded = Decoder(Tx).decode(tx)
    forged = encode(Tx(body=decoded.body, signature=bytes(64)))
    assert_rejected(chain, forged, E.ErrUnauthorized)


def test_invalid_signed_by_other_key(chain):
    body = Decoder(Tx).decode(chain.sign("alice", make_send(chain, "alice", "bob", 1))).body
    assert_rejected(chain, sign_tx(body, chain.key("mallory")), E.ErrUnauthorized)


def test_invalid_wrong_chain_id(chain):
    assert_rejected(chain, chain.sign("alice", make_send(chain, "alice", "bob", 1), chain_id="other-chain"),
                    E.ErrInvalidChainID)


def test_invalid_replayed_sequence(chain):
    tx = chain.sign("alice", make_send(chain, "alice", "bob", 1))
    assert chain.deliver_tx(tx).code == 0
    assert_rejected(chain, tx, E.ErrInvalidSequence)


def test_invalid_skipped_sequence(chain):
    assert_rejected(chain, chain.sign("alice", make_send(chain, "alice", "bob", 1), sequence=3), E.ErrInvalidSequence)


def test_invalid_msg_signed_by_someone_else(chain):
    assert_rejected(chain, chain.sign("bob", make_send(chain, "alice", "bob", 1)), E.ErrUnauthorized)


def test_invalid_fee_below_minimum(chain):
    tx = chain.sign("alice", make_send(chain, "alice", "bob", 1), gas=200_000, fee=[Coin(denom="usrt", amount=199)])
    assert_rejected(chain, tx, E.ErrInsufficientFee)


def test_invalid_fee_unaffordable(chain):
    tx = chain.sign("carol", make_send(chain, "carol", "bob", 1))
    assert_rejected(chain, tx, E.ErrInsufficientFunds)


def test_invalid_expired_timeout_height(chain):
    tx = chain.sign("alice", make_send(chain, "alice", "bob", 1), timeout_height=chain.height)
    assert_rejected(chain, tx, E.ErrTxTimeoutHeight)


def test_timeout_height_in_future_is_fine(chain):
    assert chain.deliver("alice", make_send(chain, "alice", "bob", 1), timeout_height=chain.height + 1).code == 0


def test_invalid_memo_too_large(chain):
    assert_rejected(chain, chain.sign("alice", make_send(chain, "alice", "bob", 1), memo="x" * 257), E.ErrMemoTooLarge)


def test_invalid_gas_limit_over_block(chain):
    tx = chain.sign("alice", make_send(chain, "alice", "bob", 1), gas=10**9, fee=[Coin(denom="usrt", amount=10**6)])
    assert_rejected(chain, tx, E.ErrInvalidGasLimit)


def test_out_of_gas_reverts_msgs_and_charges_fee(chain):
    GAS = 26_000  # enough for the ante step (size, signature, fee: ~22k), not for the send too (~32k)
    tx = chain.sign("alice", make_send(chain, "alice", "bob", 5), gas=GAS, fee=[Coin(denom="usrt", amount=GAS // 1000)])
    assert chain.check_tx(tx).code == E.ErrOutOfGas.code  # the mempool refuses it: it would fail
    result = chain.deliver_tx(tx)  # a proposer may still include it
    assert (result.codespace, result.code) == (E.ErrOutOfGas.codespace, E.ErrOutOfGas.code)
    assert result.gas_used == GAS
    assert chain.balance("bob", "usrt") == 10**12  # msgs reverted
    assert chain.balance("alice", "usrt") == 10**12 - GAS // 1000  # fee charged
    assert chain.sequence("alice") == 1  # sequence used


def test_invalid_insufficient_funds_in_msg(chain):
    tx = chain.sign("alice", make_send(chain, "alice", "bob", 10**13))
    assert_refused_by_check_tx(chain, "alice", tx, E.ErrInsufficientFunds)


def test_check_tx_keeps_admitted_fees_for_the_next_check(chain):
    fee = [Coin(denom="usrt", amount=10**12 // 2 + 1)]
    first, second = (chain.sign("alice", make_send(chain, "alice", "bob", 1), sequence=i, gas=200_000, fee=fee)
                     for i in range(2))
    assert chain.check_tx(first).code == 0
    assert chain.check_tx(second).code == E.ErrInsufficientFunds.code  # the first fee left less than the second


def test_invalid_zero_amount(chain):
    tx = chain.sign("alice", make_send(chain, "alice", "bob", 0))
    assert_refused_by_check_tx(chain, "alice", tx, E.ErrInvalidCoins)


def test_invalid_negative_amount(chain):
    raw = msgspec.msgpack.decode(chain.sign("alice", make_send(chain, "alice", "bob", 1)))
    msg = raw["body"]["msgs"][0]  # msgs are embedded maps in the body
    msg["amount"][0]["amount"] = -1
    assert_rejected(chain, msgspec.msgpack.encode(raw), E.ErrTxDecode)


def test_invalid_denom_format(chain):
    raw = msgspec.msgpack.decode(chain.sign("alice", make_send(chain, "alice", "bob", 1)))
    msg = raw["body"]["msgs"][0]  # msgs are embedded maps in the body
    msg["amount"][0]["denom"] = "1bad denom!"
    assert_rejected(chain, msgspec.msgpack.encode(raw), E.ErrTxDecode)


def test_invalid_malformed_address_in_msg(chain):
    raw = msgspec.msgpack.decode(chain.sign("alice", make_send(chain, "alice", "bob", 1)))
    msg = raw["body"]["msgs"][0]  # msgs are embedded maps in the body
    msg["to_address"] = msg["to_address"][:-1] + ("q" if msg["to_address"][-1] != "q" else "p")  # bad checksum
    assert_rejected(chain, msgspec.msgpack.encode(raw), E.ErrTxDecode)


def test_several_txs_of_one_sender_in_one_block(chain):
    txs = [chain.sign("alice", make_send(chain, "alice", "bob", 1), sequence=i) for i in range(3)]
    assert [chain.check_tx(tx).code for tx in txs] == [0, 0, 0]
    result = chain.next_block(txs=txs)
    assert [r.code for r in result.tx_results] == [0, 0, 0]
    assert chain.sequence("alice") == 3


def test_atomic_multi_msg_tx(chain):
    tx = chain.sign("alice", make_send(chain, "alice", "bob", 5), make_send(chain, "alice", "bob", 10**13))
    result = chain.deliver_tx(tx)
    assert result.code == E.ErrInsufficientFunds.code
    assert chain.balance("bob", "usrt") == 10**12  # the first msg was reverted too


def test_simulate_reports_gas_without_signature(chain):
    tx = chain.sign("alice", make_send(chain, "alice", "bob", 5))
    decoded = Decoder(Tx).decode(tx)
    result = chain.app.simulate(encode(Tx(body=decoded.body, signature=bytes(64))))
    assert result.code == 0 and 10_000 < result.gas_used < 200_000
    assert chain.balance("bob", "usrt") == 10**12


def test_process_proposal_rejects_garbage(chain):
    from suretychain.core.app import BlockRequest

    request = BlockRequest(height=chain.height + 1, time_ns=chain.time_ns + 1, txs=(b"junk",))
    assert chain.app.process_proposal(request) is False


def test_prepare_proposal_drops_invalid_and_respects_max_bytes(chain):
    good = [chain.sign("alice", make_send(chain, "alice", "bob", 1), sequence=i) for i in range(3)]
    bad = chain.sign("alice", make_send(chain, "alice", "bob", 1), sequence=7)
    chosen = chain.app.prepare_proposal([good[0], bad, good[1], good[2]], 10**6, chain.height + 1, chain.time_ns + 1)
    assert chosen == good
    assert chain.app.prepare_proposal(good, len(good[0]) + 5, chain.height + 1, chain.time_ns + 1) == good[:1]


def test_prepare_proposal_takes_what_checktx_admitted_in_order(chain):
    txs = [chain.sign("alice", make_send(chain, "alice", "bob", 1), sequence=i) for i in range(3)]
    chain.app.prefetch_signatures(txs)  # both cores; CheckTx still decides
    assert [chain.check_tx(tx).code for tx in txs] == [0, 0, 0]
    height, time_ns = chain.height + 1, chain.time_ns + 1
    assert chain.app.prepare_proposal(txs, 10**6, height, time_ns)[-3:] == txs
    # Out of admission order the ante filter runs again: sequences 1 and 2 cannot pass before 0 and 1 are in
    reordered = chain.app.prepare_proposal([txs[1], txs[0], txs[2]], 10**6, height, time_ns)
    assert [tx for tx in reordered if tx in txs] == [txs[0]]


def test_prepare_proposal_takes_the_first_admitted_txs_that_fit(chain, monkeypatch):
    txs = [chain.sign("alice", make_send(chain, "alice", "bob", 1), sequence=i) for i in range(4)]
    assert [chain.check_tx(tx).code for tx in txs] == [0] * 4
    height, time_ns = chain.height + 1, chain.time_ns + 1
    ran = []
    run_tx = chain.app._run_tx
    monkeypatch.setattr(chain.app, "_run_tx", lambda *args, **kw: (ran.append(args[2]), run_tx(*args, **kw))[1])
    entries = len(chain.app.prepare_proposal([], 10**6, height, time_ns))  # the beacon's entries tx, if any
    # CometBFT reaps a prefix of its mempool: the first admitted txs, in order, are taken without running them
    assert chain.app.prepare_proposal(txs[:3], 10**6, height, time_ns)[entries:] == txs[:3]
    # ... as many as fit the block, from the first
    assert chain.app.prepare_proposal(txs, 2 * len(txs[0]) + 1, height, time_ns)[entries:] == txs[:2]
    assert ran == []
    # not a prefix of the admitted txs: the ante filter runs
    assert chain.app.prepare_proposal(txs[1:], 10**6, height, time_ns)[entries:] == []
    assert ran == txs[1:]


def test_prefetch_ignores_forged_and_malformed_txs(chain):
    good = chain.sign("alice", make_send(chain, "alice", "bob", 1))
    decoded = Decoder(Tx).decode(good)
    forged = encode(Tx(body=decoded.body, signature=bytes(64)))
    chain.app.prefetch_signatures([forged] * 10 + [b"junk"] + [good] * 10)
    assert chain.check_tx(forged).code == E.ErrUnauthorized.code
    assert chain.check_tx(good).code == 0
