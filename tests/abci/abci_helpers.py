"""Shared builders of the ABCI tests: an in-memory App behind AbciApplication, genesis and signed bank txs."""
from __future__ import annotations

import json

import msgspec

from suretychain.app import make_app
from suretychain.client.keyring import mnemonic_to_private_key
from suretychain.core.crypto import address_of
from suretychain.core.encoding import Address
from suretychain.core.genesis import parse_time
from suretychain.core.store import CommitStore
from suretychain.core.tx import Coin, Fee, make_body, sign_tx
from suretychain.modules.bank.types import MsgSend
from suretychain.node.abci import surety_abci_pb2 as pb
from suretychain.node.abci.application import AbciApplication, AbciConfig, encode_time
from suretychain.node.abci.snapshots import SnapshotStore
from suretychain.node.devnet.home import VALIDATOR_SELF_BOND, build_genesis, demo_accounts, devnet_validators

CHAIN_ID = "surety-abci-test"
GENESIS_TIME = "2026-01-01T00:00:00Z"
ALICE = next(a for a in demo_accounts() if a.name == "alice")
KEY = mnemonic_to_private_key(ALICE.mnemonic)
SENDER = Address.from_raw(address_of(KEY.public_key.raw))
RECIPIENT = Address.from_raw(bytes(range(20)))
GENESIS_VALIDATOR = devnet_validators()[0]  # the staking genesis creates it; genesis.json must list it too
GENESIS_POWER = VALIDATOR_SELF_BOND // 10**6


def make_application(path=None, snapshot_dir=None, interval: int = 0, chunk_bytes: int = 1024) -> AbciApplication:
    store = CommitStore(path, keep_recent=0)
    snapshots = SnapshotStore(snapshot_dir, chunk_bytes=chunk_bytes) if snapshot_dir is not None else None
    return AbciApplication(make_app(store), snapshots, AbciConfig(snapshot_interval=interval), make_app=make_app,
                           version="test")


def genesis_validator_updates() -> list[pb.ValidatorUpdate]:
    """genesis.json's validators matching the staking genesis of :func:`init_chain_request`."""
    key = GENESIS_VALIDATOR.consensus_key.public_key.raw
    return [pb.ValidatorUpdate(pub_key=pb.PubKey(ed25519=key), power=GENESIS_POWER)]


def init_chain_request(validators: list[pb.ValidatorUpdate] | None = None) -> pb.Request:
    """InitChain for a genesis with the demo accounts and one staking genesis validator; ``validators`` are
    genesis.json's (default: the matching set)."""
    doc = build_genesis(CHAIN_ID, parse_time(GENESIS_TIME), [GENESIS_VALIDATOR])
    app_state = json.dumps({k: json.loads(bytes(v)) for k, v in doc.app_state.items()}).encode()
    params = pb.ConsensusParams(block=pb.BlockLimits(max_bytes=4 * 1024 * 1024, max_gas=100_000_000),
                                evidence=pb.EvidenceLimits(max_age_num_blocks=100000,
                                                           max_age_duration=pb.Span(seconds=172800),
                                                           max_bytes=1048576))
    validators = genesis_validator_updates() if validators is None else validators
    return pb.Request(init_chain=pb.InitChainRequest(time=encode_time(parse_time(GENESIS_TIME)), chain_id=CHAIN_ID,
                                                     consensus_params=params, validators=validators,
                                                     app_state_bytes=app_state, initial_height=1))


def send_tx(sequence: int, amount: int = 5) -> bytes:
    msg = MsgSend(from_address=SENDER, to_address=RECIPIENT, amount=[Coin(denom="uusd", amount=amount)])
    body = make_body(CHAIN_ID, [msg], SENDER, KEY.public_key.raw, sequence,
                     Fee(amount=[Coin(denom="usrt", amount=100)], gas_limit=100_000))
    return sign_tx(body, KEY)


def finalize_request(height: int, txs: list[bytes] = (), signed: bool = True) -> pb.Request:  # type: ignore[assignment]
    vote = pb.VoteInfo(validator=pb.Validator(address=b"\x01" * 20, power=10),
                       block_id_flag=pb.BLOCK_ID_FLAG_COMMIT if signed else pb.BLOCK_ID_FLAG_ABSENT)
    return pb.Request(finalize_block=pb.FinalizeBlockRequest(
        txs=list(txs), decided_last_commit=pb.CommitInfo(round=0, votes=[vote]), hash=bytes([height]) * 32,
        height=height, time=encode_time(parse_time(GENESIS_TIME) + height * 10**9), proposer_address=b"\x01" * 20))


def run_block(application: AbciApplication, height: int, txs: list[bytes] = ()) -> pb.FinalizeBlockResponse:  # type: ignore[assignment]
    response = application.handle(finalize_request(height, txs)).finalize_block
    application.handle(pb.Request(commit=pb.CommitRequest()))
    return response


def balance_query(height: int = 0, prove: bool = False) -> pb.Request:
    data = msgspec.json.encode({"address": str(RECIPIENT), "denom": "uusd"})
    return pb.Request(query=pb.QueryRequest(path="bank/balance", data=data, height=height, prove=prove))
