"""The CLI against a real devnet (``surety devnet`` in a child process): status, queries, sends, proofs, export."""
from __future__ import annotations

import importlib.util
import json

import pytest

from suretychain.core.crypto import PrivateKey, encode_address

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("suretychain.api.server") is None or importlib.util.find_spec("suretychain.core.store")
    is None, reason="needs the API server and the state store")


@pytest.fixture(scope="module")
def devnet(tmp_path_factory):
    from suretychain.client.localnet import LocalDevnet

    with LocalDevnet(tmp_path_factory.mktemp("cli") / "devnet", block_time_s=0.2) as net:
        yield net


@pytest.fixture
def chain(surety, devnet):
    """``surety`` pointed at the devnet, with its home (demo keys, test backend) as --home."""
    surety.home = devnet.home

    def run(*args: str, input: str | None = None):  # noqa: A002
        return surety("--node", devnet.url, "--keyring-backend", "test", *args, input=input)

    return run


def new_address() -> str:
    return encode_address(PrivateKey.generate().public_key.address)


def test_status_text_and_json(chain):
    text = chain("status")
    assert text.exit_code == 0, text.output
    assert "chain id:" in text.stdout and "surety-devnet-1" in text.stdout
    status = json.loads(chain("status", "--output", "json").stdout)
    assert status["chain_id"] == "surety-devnet-1" and status["latest_height"] >= 1
    assert len(status["latest_app_hash"]) == 64


def test_send_then_query(chain):
    alice = chain("keys", "show", "alice", "--address").stdout.strip()
    recipient = new_address()
    sent = chain("-o", "json", "tx", "bank", "send", "alice", recipient, "10usrt,3uusd", "--yes", "--memo", "hi")
    assert sent.exit_code == 0, sent.output
    result = json.loads(sent.stdout)
    assert result["code"] == 0 and result["height"] > 0

    assert chain("query", "bank", "balance", recipient, "usrt").stdout.strip() == "10usrt"
    balances = json.loads(chain("-o", "json", "query", "bank", "balances", recipient).stdout)
    assert balances["coins"] == [{"denom": "usrt", "amount": 10}, {"denom": "uusd", "amount": 3}]
    tx = json.loads(chain("-o", "json", "query", "tx", result["hash"]).stdout)
    assert tx["height"] == result["height"] and tx["tx"]["body"]["memo"] == "hi"
    found = json.loads(chain("-o", "json", "query", "txs", "--event", f"bank.Transfer.recipient={recipient}").stdout)
    assert [t["hash"] for t in found["txs"]] == [result["hash"]]
    block = json.loads(chain("-o", "json", "query", "block", str(result["height"])).stdout)
    assert result["hash"] in block["txs"]
    account = json.loads(chain("-o", "json", "query", "account", alice).stdout)
    assert account["sequence"] >= 1
    assert "supply" in json.loads(chain("-o", "json", "query", "bank", "supply", "--denom", "uusd").stdout)


def test_send_asks_before_signing(chain):
    recipient = new_address()
    declined = chain("tx", "bank", "send", "bob", recipient, "5usrt", input="n\n")
    assert declined.exit_code == 1 and '"chain_id": "surety-devnet-1"' in declined.stderr
    accepted = chain("tx", "bank", "send", "bob", recipient, "5usrt", "--gas", "200000", "--fees", "200usrt",
                     input="y\n")
    assert accepted.exit_code == 0, accepted.output
    assert "code:     0" in accepted.stdout
    assert chain("query", "bank", "balance", recipient, "usrt").stdout.strip() == "5usrt"


def test_multi_send(chain):
    first, second = new_address(), new_address()
    sent = chain("tx", "bank", "multi-send", "carol", f"{first}:4usrt", f"{second}:6usrt,1uusd", "--yes")
    assert sent.exit_code == 0, sent.output
    assert chain("query", "bank", "balance", second, "uusd").stdout.strip() == "1uusd"


def test_failing_send_prints_the_chains_error(chain):
    result = chain("tx", "bank", "send", "dave", new_address(), "999999999999999999usrt", "--yes")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: sdk/5: insufficient funds")


def test_too_low_fee_is_rejected_by_the_chain(chain):
    result = chain("tx", "bank", "send", "dave", new_address(), "1usrt", "--gas", "100000", "--fees", "1usrt", "--yes")
    assert result.exit_code == 1
    assert "sdk/13" in result.stderr


def test_raw_query_with_proofs(chain):
    alice = chain("keys", "show", "alice", "--address").stdout.strip()
    proved = chain("-o", "json", "query", "raw", "bank/balance", "--param", f"address={alice}", "--param",
                   "denom=usrt", "--prove")
    assert proved.exit_code == 0, proved.output
    answer = json.loads(proved.stdout)
    assert answer["verified"] is True and answer["value"]["denom"] == "usrt" and answer["proofs"]
    text = chain("query", "raw", "bank/balance", "--param", f"address={alice}", "--param", "denom=unone", "--prove")
    assert text.exit_code == 0 and "verified: 1 proof(s)" in text.stdout
    unprovable = chain("query", "raw", "bank/balances", "--param", f"address={alice}", "--prove")
    assert unprovable.exit_code == 1 and "no proofs" in unprovable.stderr


def test_node_side_errors_pass_through(chain):
    result = chain("query", "tx", "zz")
    assert result.exit_code == 1 and result.stderr.startswith("Error: sdk/")


def test_genesis_export_of_the_running_devnet_validates(chain, devnet, tmp_path):
    exported = tmp_path / "exported.json"
    result = chain("genesis", "export", "--home", str(devnet.home), "--output-file", str(exported))
    assert result.exit_code == 0, result.output
    doc = json.loads(exported.read_text())
    assert doc["chain_id"] == "surety-devnet-1" and doc["initial_height"] > 1
    assert chain("genesis", "validate", str(exported)).exit_code == 0
