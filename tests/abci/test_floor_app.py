"""bench/abci_floor.py, the floor app of ``bench.testnet_throughput --floor``: it must still refuse forged txs, and
answer the consensus calls as CometBFT needs (one result per tx, an app hash that moves with the txs)."""
from __future__ import annotations

from abci_helpers import CHAIN_ID, KEY, RECIPIENT, SENDER, finalize_request, send_tx
from bench.abci_floor import FloorApplication
from suretychain.core.crypto import PrivateKey
from suretychain.core.tx import Coin, Fee, make_body, sign_tx
from suretychain.modules.bank.types import MsgSend
from suretychain.node.abci import surety_abci_pb2 as pb


def check(application: FloorApplication, tx: bytes, recheck: bool = False) -> int:
    kind = pb.RECHECK if recheck else pb.NEW
    return application.handle(pb.Request(check_tx=pb.CheckTxRequest(tx=tx, type=kind))).check_tx.code


def test_floor_checks_signatures_only():
    application = FloorApplication()
    good = send_tx(0)
    msg = MsgSend(from_address=SENDER, to_address=RECIPIENT, amount=[Coin(denom="uusd", amount=5)])
    body = make_body(CHAIN_ID, [msg], SENDER, KEY.public_key.raw, 0, Fee(amount=[], gas_limit=100_000))
    forged = sign_tx(body, PrivateKey.from_seed(bytes(32)))  # well formed, signed by another key than the body's
    assert check(application, good) == 0
    assert check(application, forged) != 0
    assert check(application, b"not a tx") != 0
    assert check(application, send_tx(7)) == 0  # no accounts: any sequence passes, as documented
    assert check(application, forged, recheck=True) == 0  # re-checks are answered at once


def test_floor_answers_blocks():
    application = FloorApplication()
    txs = [send_tx(i) for i in range(3)]
    proposal = application.handle(pb.Request(prepare_proposal=pb.PrepareProposalRequest(
        txs=txs, max_tx_bytes=len(txs[0]) + len(txs[1])))).prepare_proposal
    assert list(proposal.txs) == txs[:2]
    first = application.handle(finalize_request(1, txs)).finalize_block
    assert len(first.tx_results) == 3 and all(r.code == 0 for r in first.tx_results)
    application.handle(pb.Request(commit=pb.CommitRequest()))
    assert application.handle(pb.Request(info=pb.InfoRequest())).info.last_block_height == 1
    second = application.handle(finalize_request(2, txs[:1])).finalize_block
    assert len(first.app_hash) == 32 and second.app_hash != first.app_hash
