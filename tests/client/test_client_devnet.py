"""The SDK against a real devnet (``surety devnet`` in a child process on a free port): send, proofs, errors."""
from __future__ import annotations

import dataclasses
import importlib.util

import msgspec
import pytest

from suretychain.client.client import Client
from suretychain.client.keyring import mnemonic_to_private_key
from suretychain.client.proofs import verify_query_answer
from suretychain.client.txbuilder import send_msgs
from suretychain.core.crypto import PrivateKey, encode_address
from suretychain.core.encoding import Address
from suretychain.core.errors import SuretyError
from suretychain.core.proof import ProofError, decode_proof, encode_proof
from suretychain.core.tx import Coin
from suretychain.modules.bank.types import MsgSend

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("suretychain.api.server") is None or importlib.util.find_spec("suretychain.core.store")
    is None, reason="needs the API server and the state store")


@pytest.fixture(scope="module")
def devnet(tmp_path_factory):
    from suretychain.client.localnet import LocalDevnet

    with LocalDevnet(tmp_path_factory.mktemp("sdk") / "devnet", block_time_s=0.2) as net:
        yield net


@pytest.fixture(scope="module")
def client(devnet):
    with Client(devnet.url) as client:
        yield client


@pytest.fixture(scope="module")
def alice():
    from suretychain.node.devnet.home import demo_accounts

    account = next(a for a in demo_accounts() if a.name == "alice")
    return mnemonic_to_private_key(account.mnemonic), account.address


@pytest.fixture(scope="module")
def funded(client, alice):
    """A fresh address that alice sent 10usrt with gas auto; returns (address, broadcast result)."""
    key, address = alice
    recipient = encode_address(PrivateKey.generate().public_key.address)
    msg = MsgSend(from_address=Address(address), to_address=Address(recipient), amount=[Coin(denom="usrt", amount=10)])
    return recipient, send_msgs(client, key, [msg])


def test_status_and_latest_block(client):
    status = client.status()
    assert status["chain_id"] == "surety-devnet-1" and status["latest_height"] >= 1
    assert len(status["latest_app_hash"]) == 64
    assert client.block()["height"] >= status["latest_height"]


def test_send_with_gas_auto_commits(client, funded):
    recipient, result = funded
    assert result["code"] == 0, result
    assert result["height"] > 0 and result["gas_used"] <= result["gas_wanted"]
    assert client.balance(recipient, "usrt") == {"denom": "usrt", "amount": 10}
    tx = client.tx(result["hash"])
    assert tx["height"] == result["height"] and tx["result"]["code"] == 0
    found = client.search_txs(f"bank.Transfer.recipient={recipient}")
    assert [t["hash"] for t in found] == [result["hash"]]


def test_gas_auto_reports_the_chains_error_before_signing(client, alice):
    key, address = alice
    sequence = client.account(address)["sequence"]
    msg = MsgSend(from_address=Address(address), to_address=Address(address),
                  amount=[Coin(denom="usrt", amount=10**18)])
    with pytest.raises(SuretyError) as info:
        send_msgs(client, key, [msg])
    assert (info.value.codespace, info.value.code) == ("sdk", 5)
    assert client.account(address)["sequence"] == sequence  # nothing was broadcast


def test_balance_proof_verifies_against_the_blocks_app_hash(client, funded):
    recipient, _ = funded
    answer = client.query_verified("bank/balance", {"address": recipient, "denom": "usrt"})
    assert answer.value == {"denom": "usrt", "amount": 10}
    assert answer.app_hash == bytes.fromhex(client.block(answer.height)["app_hash"])
    assert any(read.value is not None for read in answer.proofs)


def test_absent_denom_is_proven_absent(client, funded):
    recipient, _ = funded
    answer = client.query_verified("bank/balance", {"address": recipient, "denom": "unothing"})
    assert answer.value == {"denom": "unothing", "amount": 0}
    assert [read.value for read in answer.proofs] == [None]


def test_account_and_params_verify(client, alice, funded):
    _, address = alice
    account = client.query_verified("auth/account", {"address": address})
    assert account.value["sequence"] >= 1
    client.query_verified("auth/params", {})


def test_older_height_verifies_against_that_block(client, funded):
    recipient, result = funded
    before = client.query_verified("bank/balance", {"address": recipient, "denom": "usrt"}, height=result["height"] - 1)
    assert before.height == result["height"] - 1 and before.value["amount"] == 0


def test_tampered_proof_is_rejected(client, funded):
    recipient, _ = funded
    params = {"address": recipient, "denom": "usrt"}
    answer = client.query("bank/balance", params, prove=True)
    root = bytes.fromhex(client.block(answer.height)["app_hash"])
    verify_query_answer("bank/balance", params, answer, root)  # untouched: fine
    read = answer.proofs[0]
    proof = decode_proof(read.proof)
    assert proof.siblings, "a tree of several accounts has siblings on every path"
    forged_sibling = bytes([proof.siblings[0][0] ^ 1]) + proof.siblings[0][1:]
    forged = msgspec.structs.replace(proof, siblings=[forged_sibling, *proof.siblings[1:]])
    tampered = dataclasses.replace(answer, proofs=[msgspec.structs.replace(read, proof=encode_proof(forged))])
    with pytest.raises(ProofError):
        verify_query_answer("bank/balance", params, tampered, root)
    lying = dataclasses.replace(answer, proofs=[msgspec.structs.replace(read, value=b"\xcd\x03\xe8")])
    with pytest.raises(ProofError):
        verify_query_answer("bank/balance", params, lying, root)


def test_wrong_app_hash_is_rejected(client, funded):
    recipient, _ = funded
    with pytest.raises(ProofError):
        client.query_verified("bank/balance", {"address": recipient, "denom": "usrt"}, app_hash=bytes(32))


def test_range_queries_cannot_be_verified(client, funded):
    recipient, _ = funded
    with pytest.raises(ProofError, match="no proofs"):
        client.query_verified("bank/balances", {"address": recipient})


def test_node_errors_keep_the_chains_codes(client):
    with pytest.raises(SuretyError) as info:
        client.account("sure1bad")
    assert (info.value.codespace, info.value.code) == ("sdk", 7)
    with pytest.raises(SuretyError) as unknown:
        client.query("nomodule/route", {})
    assert unknown.value.code != 0
