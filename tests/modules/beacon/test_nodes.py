"""The beacon entry on the devnet node (its validators propose with their VRF keys) and through ABCI."""
from __future__ import annotations

import msgspec

from suretychain.app import make_app
from suretychain.core import vrf
from suretychain.core.store import CommitStore
from suretychain.modules.beacon.keys import u64
from suretychain.node.abci import surety_abci_pb2 as pb
from suretychain.node.abci.application import AbciApplication, AbciConfig
from suretychain.node.devnet.home import devnet_validators
from suretychain.node.devnet.run import open_devnet
from suretychain.testing import TestChain


def test_devnet_blocks_carry_the_proposers_entry_and_survive_replay(tmp_path):
    node, _ = open_devnet(tmp_path / "dv", reset=True)
    vrf_by_address = {bytes.fromhex(_address_hex(v)): v.vrf_key.public_key.raw for v in devnet_validators()}
    for _ in range(4):
        previous = bytes.fromhex(node.app.query_json("beacon/seed", {})["seed"])
        record = node.produce_block()
        assert record.proposer in vrf_by_address and record.tx_hashes == []
        [entries] = node.blocks.block_txs(record.height)  # saved after the (no) real txs
        proof = msgspec.msgpack.decode(entries)["block_entries"]["beacon"]
        vrf.verify(vrf_by_address[record.proposer], proof, previous + u64(record.height))
        answer = node.app.query_json("beacon/seed", {"height": record.height})
        events = [e for e in record.events if e.module == "beacon"]
        assert events and answer["height"] == record.height
    height, app_hash = node.status().latest_height, node.status().latest_app_hash
    node.close()
    reopened, created = open_devnet(tmp_path / "dv")
    assert not created and reopened.status().latest_height == height
    assert reopened.status().latest_app_hash == app_hash
    reopened.close()


def _address_hex(validator) -> str:  # noqa: ANN001
    from suretychain.core.crypto import address_of

    return address_of(validator.consensus_key.public_key.raw).hex()


def test_abci_finalize_gives_one_result_per_tx_including_the_entry():
    chain = TestChain(validators=2)
    application = AbciApplication(chain.app, None, AbciConfig())
    height = chain.height + 1
    proposer = chain.proposer(height)
    time = pb.Time(seconds=(chain.time_ns + 10**9) // 10**9)
    prepared = application.handle(pb.Request(prepare_proposal=pb.PrepareProposalRequest(
        txs=[], max_tx_bytes=1 << 20, height=height, time=time, proposer_address=proposer))).prepare_proposal
    assert len(prepared.txs) == 1
    processed = application.handle(pb.Request(process_proposal=pb.ProcessProposalRequest(
        txs=prepared.txs, height=height, time=time, proposer_address=proposer))).process_proposal
    assert processed.status == pb.VERDICT_ACCEPT
    rejected = application.handle(pb.Request(process_proposal=pb.ProcessProposalRequest(
        txs=[], height=height, time=time, proposer_address=proposer))).process_proposal
    assert rejected.status == pb.VERDICT_REJECT
    finalized = application.handle(pb.Request(finalize_block=pb.FinalizeBlockRequest(
        txs=prepared.txs, height=height, time=time, proposer_address=proposer))).finalize_block
    assert len(finalized.tx_results) == 1 and finalized.tx_results[0].code == 0


def test_vrf_keys_are_node_local_a_node_without_them_proposes_no_entry():
    chain = TestChain(validators=2)
    observer = make_app(CommitStore(None, keep_recent=0))  # same genesis, no VRF keys
    observer.init_chain(chain.genesis)
    proposer = chain.proposer(1)
    assert observer.prepare_proposal([], 1 << 20, 1, chain.block_times[1], proposer) == []
    assert chain.app.info().last_block_app_hash != b""
