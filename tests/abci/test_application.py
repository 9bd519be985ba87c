"""Every ABCI method against an in-memory App (no CometBFT)."""
from __future__ import annotations

import msgspec
import pytest

from abci_helpers import (
    CHAIN_ID, GENESIS_POWER, RECIPIENT, balance_query, finalize_request, genesis_validator_updates,
    init_chain_request, make_application, run_block, send_tx,
)
from suretychain.core.app import META_CHAIN_ID, ProvenRead
from suretychain.core.proof import EMPTY_HASH
from suretychain.client.proofs import verify_proven_read
from suretychain.node.abci import surety_abci_pb2 as pb
from suretychain.node.abci.application import ConsensusFailure


@pytest.fixture
def application():
    application = make_application()
    response = application.handle(init_chain_request()).init_chain
    assert len(response.app_hash) == 32 and response.app_hash != EMPTY_HASH
    run_block(application, 1)
    return application


def test_echo_flush():
    application = make_application()
    assert application.handle(pb.Request(echo=pb.EchoRequest(message="ping"))).echo.message == "ping"
    assert application.handle(pb.Request(flush=pb.FlushRequest())).WhichOneof("value") == "flush"


def test_info_before_and_after_genesis():
    application = make_application()
    info = application.handle(pb.Request(info=pb.InfoRequest(version="0.38.25"))).info
    assert info.last_block_height == 0 and info.last_block_app_hash == b"" and info.app_version == 1
    assert info.data == "surety"
    init = application.handle(init_chain_request()).init_chain
    assert list(init.validators) == genesis_validator_updates()  # the staking genesis set, equal to genesis.json's
    finalized = run_block(application, 1)
    info = application.handle(pb.Request(info=pb.InfoRequest())).info
    assert info.last_block_height == 1 and info.last_block_app_hash == finalized.app_hash
    assert finalized.app_hash != init.app_hash  # every block writes its beacon seed
    assert application.app.store.get_meta(META_CHAIN_ID) == CHAIN_ID.encode()


def test_check_tx_new_and_recheck(application):
    tx = send_tx(0)
    ok = application.handle(pb.Request(check_tx=pb.CheckTxRequest(tx=tx))).check_tx
    assert ok.code == 0 and ok.gas_wanted == 100_000 and ok.gas_used > 0
    again = application.handle(pb.Request(check_tx=pb.CheckTxRequest(tx=tx))).check_tx
    assert again.code != 0 and again.codespace == "sdk"  # sequence already used in the check state
    recheck = application.handle(pb.Request(check_tx=pb.CheckTxRequest(tx=tx, type=pb.RECHECK))).check_tx
    assert recheck.code != 0
    bad = application.handle(pb.Request(check_tx=pb.CheckTxRequest(tx=b"garbage"))).check_tx
    assert bad.code != 0 and bad.codespace


def test_check_tx_refuses_a_msg_that_would_fail_with_its_code(application):
    too_much = application.handle(pb.Request(check_tx=pb.CheckTxRequest(tx=send_tx(0, amount=2**63)))).check_tx
    assert (too_much.codespace, too_much.code) == ("sdk", 5) and too_much.log  # insufficient funds, not admitted
    assert too_much.gas_wanted == 100_000 and too_much.gas_used > 0 and not too_much.events
    ok = application.handle(pb.Request(check_tx=pb.CheckTxRequest(tx=send_tx(0)))).check_tx
    assert ok.code == 0  # the refused tx kept nothing: its sequence is still free


def test_commit_resets_check_state(application):
    tx = send_tx(0)
    assert application.handle(pb.Request(check_tx=pb.CheckTxRequest(tx=tx))).check_tx.code == 0
    run_block(application, 2)  # an empty block: the tx is still pending in CometBFT's mempool
    recheck = application.handle(pb.Request(check_tx=pb.CheckTxRequest(tx=tx, type=pb.RECHECK))).check_tx
    assert recheck.code == 0


def test_prepare_process_finalize_commit(application):
    txs = [send_tx(0), send_tx(1), b"junk"]
    prepared = application.handle(pb.Request(prepare_proposal=pb.PrepareProposalRequest(
        max_tx_bytes=1_000_000, txs=txs, height=2, time=finalize_request(2).finalize_block.time))).prepare_proposal
    assert list(prepared.txs) == txs[:2]
    small = application.handle(pb.Request(prepare_proposal=pb.PrepareProposalRequest(
        max_tx_bytes=len(txs[0]), txs=txs, height=2))).prepare_proposal
    assert list(small.txs) == txs[:1]
    block = finalize_request(2, txs[:2]).finalize_block
    process = pb.ProcessProposalRequest(txs=block.txs, proposed_last_commit=block.decided_last_commit, hash=block.hash,
                                        height=2, time=block.time, proposer_address=block.proposer_address)
    assert application.handle(pb.Request(process_proposal=process)).process_proposal.status == pb.VERDICT_ACCEPT
    process.txs.append(b"junk")
    assert application.handle(pb.Request(process_proposal=process)).process_proposal.status == pb.VERDICT_REJECT
    result = run_block(application, 2, txs[:2])
    assert [r.code for r in result.tx_results] == [0, 0]
    assert all(r.gas_used > 0 and r.gas_wanted >= r.gas_used and not r.log for r in result.tx_results)
    transfers = [e for e in result.tx_results[0].events if e.type == "bank.Transfer"]
    assert str(RECIPIENT) in [{a.key: a.value for a in t.attributes}["recipient"] for t in transfers]
    assert all(a.index for t in transfers for a in t.attributes)
    assert result.app_hash == application.app.store.root_hash
    info = application.handle(pb.Request(info=pb.InfoRequest())).info
    assert info.last_block_height == 2 and info.last_block_app_hash == result.app_hash


def test_finalize_maps_last_commit_and_misbehavior(application):
    seen = {}
    original = application.app.finalize_block

    def spy(block):
        seen["block"] = block
        return original(block)

    application.app.finalize_block = spy
    request = finalize_request(2, signed=False)
    request.finalize_block.misbehavior.append(pb.Misbehavior(
        type=pb.DUPLICATE_VOTE, validator=pb.Validator(address=b"\x02" * 20, power=7), height=1,
        time=request.finalize_block.time, total_voting_power=40))
    application.handle(request)
    block = seen["block"]
    assert block.last_commit[0].address == b"\x01" * 20 and block.last_commit[0].power == 10
    assert block.last_commit[0].signed is False
    m = block.misbehavior[0]
    assert (m.kind, m.validator_address, m.validator_power, m.height, m.total_voting_power) == \
        ("duplicate_vote", b"\x02" * 20, 7, 1, 40)
    assert block.time_ns == request.finalize_block.time.seconds * 10**9


def test_vote_extensions_are_empty_and_accepted(application):
    assert application.handle(pb.Request(extend_vote=pb.ExtendVoteRequest(height=2))).extend_vote.vote_extension == b""
    verdict = application.handle(pb.Request(verify_vote_extension=pb.VerifyVoteExtensionRequest(height=2)))
    assert verdict.verify_vote_extension.status == pb.VERDICT_ACCEPT


def test_query_with_proofs(application):
    run_block(application, 2, [send_tx(0, amount=9)])
    response = application.handle(balance_query(prove=True)).query
    assert response.code == 0 and response.height == 2
    assert msgspec.json.decode(response.value)["amount"] == 9
    assert len(response.proof_ops.ops) == 1
    op = response.proof_ops.ops[0]
    read = msgspec.msgpack.decode(op.data, type=ProvenRead)
    assert op.type == "surety/smt" and op.key == read.key == response.key
    verify_proven_read(application.app.store.root_at(2), read.key, read.value, read.proof)
    old = application.handle(balance_query(height=1)).query
    assert msgspec.json.decode(old.value)["amount"] == 0 and old.height == 1


def test_query_errors_are_coded(application):
    unknown = application.handle(pb.Request(query=pb.QueryRequest(path="nope/x"))).query
    assert unknown.code == 6 and unknown.codespace == "sdk"
    future = application.handle(balance_query(height=99)).query
    assert future.code == 26


def test_consensus_failure_raises(application):
    with pytest.raises(ConsensusFailure):
        application.handle(finalize_request(5))  # wrong height
    with pytest.raises(ConsensusFailure):
        make_application().handle(pb.Request(commit=pb.CommitRequest()))  # nothing finalized


def test_check_tx_internal_error_is_coded(application):
    def broken(tx, recheck=False, with_events=True):
        raise RuntimeError("boom")

    application.app.check_tx = broken
    response = application.handle(pb.Request(check_tx=pb.CheckTxRequest(tx=b"x"))).check_tx
    assert response.code == 1 and "boom" in response.log


def test_same_blocks_same_app_hash_on_two_nodes():
    hashes = []
    for _ in range(2):
        application = make_application()
        application.handle(init_chain_request())
        run_block(application, 1)
        hashes.append(run_block(application, 2, [send_tx(0), send_tx(1)]).app_hash)
    assert hashes[0] == hashes[1]


def test_init_chain_refuses_validators_other_than_the_staking_genesis():
    """genesis.json's set must equal the App's (else the network halts or forks): a clear consensus failure."""
    (ours,) = genesis_validator_updates()
    other = pb.ValidatorUpdate(pub_key=pb.PubKey(ed25519=b"\x07" * 32), power=GENESIS_POWER)
    wrong_power = pb.ValidatorUpdate(pub_key=ours.pub_key, power=GENESIS_POWER + 1)
    for validators in ([other], [ours, other], [wrong_power]):
        with pytest.raises(ConsensusFailure, match="differs from genesis.json's validators"):
            make_application().handle(init_chain_request(validators))
    with pytest.raises(ConsensusFailure, match=f"only in genesis.json: {'07' * 32}={GENESIS_POWER}"):
        make_application().handle(init_chain_request([ours, other]))


def test_init_chain_with_no_genesis_json_validators_adopts_the_apps():
    init = make_application().handle(init_chain_request([])).init_chain
    assert list(init.validators) == genesis_validator_updates()
