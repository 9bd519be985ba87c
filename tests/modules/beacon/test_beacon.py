"""The beacon: every block's entry is the proposer's VRF proof, ProcessProposal refuses bad ones, seeds chain."""
from __future__ import annotations

import hashlib

import msgspec
import pytest

from suretychain.app import make_app
from suretychain.client.proofs import verify_proven_read
from suretychain.core import vrf
from suretychain.core.app import BlockEntries, BlockRequest
from suretychain.core.encoding import encode
from suretychain.core.errors import SuretyError
from suretychain.core.genesis import decode_genesis, encode_genesis
from suretychain.core.store import CommitStore
from suretychain.core.tx import Coin
from suretychain.modules.bank.types import MsgSend
from suretychain.modules.beacon.keys import seed_key, u64
from suretychain.modules.beacon.seeds import compute_genesis_seed
from suretychain.modules.beacon.types import GENESIS_DOMAIN, NO_ENTRY, SEED_DOMAIN
from suretychain.testing import TestChain

PREFIX = b"beacon/"


@pytest.fixture
def chain() -> TestChain:
    return TestChain(validators=3)


def seed(chain: TestChain, height: int = 0) -> bytes:
    return bytes.fromhex(chain.query("beacon/seed", height=height)["seed"])


def entries_tx(proof: bytes) -> bytes:
    return encode(BlockEntries(block_entries={"beacon": proof}))


def next_request(chain: TestChain, proposer: bytes, txs: tuple[bytes, ...]) -> BlockRequest:
    return BlockRequest(height=chain.height + 1, time_ns=chain.time_ns + 10**9, txs=txs, proposer=proposer)


def prove_for(chain: TestChain, name: str) -> bytes:
    """``name``'s VRF proof over (latest seed || next height)."""
    return vrf.prove(chain.vrf_key(name).seed, seed(chain) + u64(chain.height + 1))


def test_genesis_seed_is_sha256_of_domain_and_chain_id():
    chain = TestChain(validators=0)
    genesis = hashlib.sha256(GENESIS_DOMAIN + b"surety-test").digest()
    assert compute_genesis_seed("surety-test") == genesis
    assert seed(chain, 1) == hashlib.sha256(SEED_DOMAIN + genesis + NO_ENTRY).digest()


def test_blocks_without_a_known_proposer_carry_no_entry_and_advance_with_no_entry():
    chain = TestChain(validators=0)
    assert chain.propose_entries(chain.height + 1, chain.time_ns + 1, b"") == []
    before = seed(chain)
    chain.next_block()
    assert seed(chain) == hashlib.sha256(SEED_DOMAIN + before + NO_ENTRY).digest()


def test_every_testchain_block_carries_the_proposers_valid_entry(chain):
    for _ in range(6):
        height, proposer = chain.height + 1, chain.proposer(chain.height + 1)
        assert proposer in {chain.consensus_address(n) for n in chain.validator_names}
        txs = chain.propose_entries(height, chain.time_ns + 10**9, proposer)
        assert len(txs) == 1
        proof = msgspec.msgpack.decode(txs[0])["block_entries"]["beacon"]
        name = next(n for n in chain.validator_names if chain.consensus_address(n) == proposer)
        previous = seed(chain)
        beta = vrf.verify(chain.vrf_key(name).public_key.raw, proof, previous + u64(height))
        result = chain.next_block(entries=txs)
        assert result.entry_txs == 1 and result.tx_results == []
        assert seed(chain) == hashlib.sha256(SEED_DOMAIN + previous + beta).digest()
        assert seed(chain, height - 1) == previous


def test_tx_results_cover_real_txs_only(chain):
    msg = MsgSend(from_address=chain.address("val0"), to_address=chain.address("val1"),
                  amount=[Coin(denom="usrt", amount=5)])
    result = chain.next_block(txs=[chain.sign("val0", msg)])
    assert result.entry_txs == 1 and len(result.tx_results) == 1 and result.tx_results[0].code == 0


def test_process_proposal_accepts_the_proposers_entry(chain):
    proposer = chain.proposer(chain.height + 1)
    name = next(n for n in chain.validator_names if chain.consensus_address(n) == proposer)
    assert chain.app.process_proposal(next_request(chain, proposer, (entries_tx(prove_for(chain, name)),)))


def test_invalid_missing_entry(chain):
    proposer = chain.consensus_address("val0")
    assert not chain.app.process_proposal(next_request(chain, proposer, ()))


def test_invalid_mutated_entry(chain):
    proof = bytearray(prove_for(chain, "val0"))
    proof[40] ^= 1
    assert not chain.app.process_proposal(next_request(chain, chain.consensus_address("val0"),
                                                       (entries_tx(bytes(proof)),)))


def test_invalid_foreign_entry(chain):
    """val1's valid proof in a block proposed by val0."""
    assert not chain.app.process_proposal(next_request(chain, chain.consensus_address("val0"),
                                                       (entries_tx(prove_for(chain, "val1")),)))


def test_invalid_entry_over_the_wrong_input(chain):
    wrong = vrf.prove(chain.vrf_key("val0").seed, seed(chain) + u64(chain.height + 2))
    assert not chain.app.process_proposal(next_request(chain, chain.consensus_address("val0"), (entries_tx(wrong),)))


def test_invalid_entry_from_an_unknown_proposer(chain):
    assert not chain.app.process_proposal(next_request(chain, b"\x07" * 20, (entries_tx(prove_for(chain, "val0")),)))
    assert chain.app.process_proposal(next_request(chain, b"\x07" * 20, ()))


def test_invalid_entries_tx_not_first_or_empty_or_unknown_module(chain):
    proposer = chain.consensus_address("val0")
    good = entries_tx(prove_for(chain, "val0"))
    tx = chain.sign("val1", MsgSend(from_address=chain.address("val1"), to_address=chain.address("val0"),
                                    amount=[Coin(denom="usrt", amount=1)]))
    assert chain.app.process_proposal(next_request(chain, proposer, (good, tx)))
    assert not chain.app.process_proposal(next_request(chain, proposer, (tx, good)))
    assert not chain.app.process_proposal(next_request(chain, proposer, (good, good)))
    assert not chain.app.process_proposal(next_request(chain, proposer, (encode(BlockEntries(block_entries={})),)))
    other = encode(BlockEntries(block_entries={"beacon": prove_for(chain, "val0"), "zzz": b"x"}))
    assert not chain.app.process_proposal(next_request(chain, proposer, (other,)))


def test_entries_tx_never_decodes_as_a_tx(chain):
    with pytest.raises(SuretyError):
        chain.app.decode_tx(entries_tx(prove_for(chain, "val0")))
    assert chain.check_tx(entries_tx(prove_for(chain, "val0"))).code != 0


def test_seed_query_with_proof_verifies(chain):
    chain.advance(3)
    height = chain.height - 1
    answer = chain.app.query("beacon/seed", msgspec.json.encode({"height": height}), prove=True)
    assert answer.code == 0
    value = msgspec.json.decode(answer.value)
    assert value["height"] == height
    [read] = answer.proofs
    assert read.key == PREFIX + seed_key(height) and read.value == bytes.fromhex(value["seed"])
    verify_proven_read(chain.app_hash(), read.key, read.value, read.proof)
    assert seed(chain) == seed(chain, chain.height)
    with pytest.raises(SuretyError):
        chain.query("beacon/seed", height=chain.height + 5)


def test_two_apps_fed_the_same_blocks_agree(tmp_path):
    first, second = TestChain(validators=3), TestChain(validators=3, path=str(tmp_path / "b.db"))
    for _ in range(8):
        a, b = first.next_block(), second.next_block()
        assert a.app_hash == b.app_hash
    assert seed(first) == seed(second)


def test_genesis_export_import_keeps_the_app_hash_and_the_seed_chain(chain):
    chain.advance(4)
    doc = decode_genesis(encode_genesis(chain.export_genesis()))
    fresh = make_app(CommitStore(None, keep_recent=0))
    assert fresh.init_chain(doc).app_hash == chain.app_hash()
    request = BlockRequest(height=doc.initial_height, time_ns=chain.time_ns + 10**9, proposer=b"\x07" * 20)
    assert fresh.process_proposal(request)
    fresh.finalize_block(request)
    fresh.commit()
    assert fresh.check_invariants() == []
    latest = bytes.fromhex(fresh.query_json("beacon/seed", {})["seed"])
    assert latest == hashlib.sha256(SEED_DOMAIN + seed(chain) + NO_ENTRY).digest()


def test_invariant_latest_seed_holds_every_block(chain):
    chain.advance(3)
    assert chain.app.check_invariants() == []


def test_entry_outputs_are_remembered_exactly_as_verify_gives_them():
    from suretychain.modules.beacon.seeds import compute_entry_beta, remember_own_entry

    secret = hashlib.sha256(b"memo-test-key").digest()
    public = vrf.public_key(secret)
    alpha = hashlib.sha256(b"memo-test-seed").digest() + u64(7)
    entry = vrf.prove(secret, alpha)
    remember_own_entry(secret, entry, alpha)
    assert compute_entry_beta(public, entry, alpha) == vrf.verify(public, entry, alpha)
    mutated = entry[:-1] + bytes([entry[-1] ^ 1])
    assert compute_entry_beta(public, mutated, alpha) is None
    assert compute_entry_beta(public, mutated, alpha) is None  # a remembered failure stays a failure
    assert compute_entry_beta(public, entry, alpha[:-1] + b"\x08") is None  # another input is another question
