"""``surety tx insurance`` and ``surety query insurance`` against a real devnet (``surety devnet`` in a child
process): validator1 offers a term, alice buys, subscribes, switches and cancels; the queries in text and JSON; the
chain's coded errors are printed unchanged."""
from __future__ import annotations

import importlib.util
import json

import pytest

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("suretychain.api.server") is None or importlib.util.find_spec("suretychain.core.store")
    is None, reason="needs the API server and the state store")


@pytest.fixture(scope="module")
def devnet(tmp_path_factory):
    from suretychain.client.localnet import LocalDevnet

    with LocalDevnet(tmp_path_factory.mktemp("cli-insurance") / "devnet", block_time_s=0.2) as net:
        yield net


@pytest.fixture
def chain(surety, devnet):
    surety.home = devnet.home

    def run(*args: str, input: str | None = None):  # noqa: A002
        return surety("--node", devnet.url, "--keyring-backend", "test", *args, input=input)

    return run


def ok_json(result) -> dict:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def tx_ok(chain, *args: str) -> dict:
    answer = ok_json(chain("-o", "json", "tx", "insurance", *args, "--yes"))
    assert answer["code"] == 0, answer
    return answer


def test_terms_buy_switch_cancel_and_queries(chain):
    tx_ok(chain, "create-term", "validator1", "--coverage", "0.8", "--premium", "0.01usrt", "--duration", "86400")
    tx_ok(chain, "create-term", "validator1", "--coverage", "1", "--premium", "0.02usrt", "--duration", "86400",
          "--infractions", "double_sign")
    terms = ok_json(chain("-o", "json", "query", "insurance", "terms", "validator1"))["terms"]
    first, second = terms[-2]["id"], terms[-1]["id"]
    assert terms[-1]["coverage"] == "1" and terms[-1]["premium"] == [{"denom": "usrt", "rate": "0.02"}]
    assert f"term {first}  coverage 0.8  premium 0.01usrt  duration 86400s" in \
        chain("query", "insurance", "terms", "validator1").stdout
    delegated = ok_json(chain("-o", "json", "tx", "staking", "delegate", "alice", "validator1", "1000000000usrt",
                              "--yes"))
    assert delegated["code"] == 0
    tx_ok(chain, "buy", "alice", "validator1", str(first), "500000000")
    mine = ok_json(chain("-o", "json", "query", "insurance", "insurances", "--delegator", "alice"))["insurances"]
    insurance = mine[-1]["insurance"]
    assert insurance["insured_stake"] == 500_000_000 and insurance["term"]["id"] == first
    ins = str(insurance["id"])
    solvency = ok_json(chain("-o", "json", "query", "insurance", "solvency", "validator1"))
    assert solvency["total_refund"] == 20_000_000  # 0.8 × 5e8 × 0.05
    assert "total_refund: 20000000" in chain("query", "insurance", "solvency", "validator1").stdout
    proven = ok_json(chain("-o", "json", "query", "insurance", "solvency", "validator1", "--prove"))
    assert proven["total_refund"] == solvency["total_refund"] and proven["verified_proofs"] > 0
    assert len(proven["app_hash"]) == 64 and proven["height"] > 0
    tx_ok(chain, "subscribe", "alice", ins)
    tx_ok(chain, "unsubscribe", "alice", ins)
    tx_ok(chain, "switch", "alice", ins, str(second))
    switched = ok_json(chain("-o", "json", "query", "insurance", "insurances", "--validator", "validator1",
                             "--delegator", "alice"))["insurances"][-1]["insurance"]
    assert switched["term"]["id"] == second
    tx_ok(chain, "extend", "alice", ins)
    tx_ok(chain, "cancel", "alice", ins)
    refunds = ok_json(chain("-o", "json", "query", "insurance", "refunds", "--delegator", "alice"))
    assert refunds == {"refunds": [], "total_refunded": 0, "total_shortfall": 0}
    assert "total refunded 0" in chain("query", "insurance", "refunds").stdout
    # edit then delete: the old id no longer resolves
    tx_ok(chain, "edit-term", "validator1", str(first), "--coverage", "0.5", "--premium", "0.03usrt")
    tx_ok(chain, "delete-term", "validator1", str(second))
    ids = [t["id"] for t in ok_json(chain("-o", "json", "query", "insurance", "terms", "validator1"))["terms"]]
    assert first not in ids and second not in ids


def test_chain_errors_are_printed_unchanged(chain):
    refused = chain("tx", "insurance", "create-term", "validator1", "--coverage", "1.5", "--yes")
    assert refused.exit_code == 1 and refused.stderr.startswith("Error: insurance/3: ")
    no_delegation = chain("tx", "insurance", "buy", "bob", "validator2", "1", "1", "--yes")
    assert no_delegation.exit_code == 1 and no_delegation.stderr.startswith("Error: insurance/")
    bad = chain("tx", "insurance", "create-term", "validator1", "--premium", "cheap", "--yes")
    assert bad.exit_code == 2 and "0.01usrt" in bad.output
