"""``surety tx staking`` and ``surety query staking`` against a real devnet (``surety devnet`` in a child process);
the chain's coded errors are printed unchanged; malformed addresses fail before any node is asked."""
from __future__ import annotations

import importlib.util
import json

import pytest

from suretychain.core.crypto import encode_address

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("suretychain.api.server") is None or importlib.util.find_spec("suretychain.core.store")
    is None, reason="needs the API server and the state store")

UNKNOWN_VALOPER = encode_address(bytes(range(20)), "surevaloper")


@pytest.fixture(scope="module")
def devnet(tmp_path_factory):
    from suretychain.client.localnet import LocalDevnet

    with LocalDevnet(tmp_path_factory.mktemp("cli-staking") / "devnet", block_time_s=0.2) as net:
        yield net


@pytest.fixture
def chain(surety, devnet):
    """``surety`` pointed at the devnet, with its home (demo and validator keys, test backend) as --home."""
    surety.home = devnet.home

    def run(*args: str, input: str | None = None):  # noqa: A002
        return surety("--node", devnet.url, "--keyring-backend", "test", *args, input=input)

    return run


def ok_json(result) -> dict:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def operator_of(chain, key: str) -> str:
    return ok_json(chain("-o", "json", "query", "staking", "validator", key))["operator"]


def test_query_validators_text_and_json(chain):
    text = chain("query", "staking", "validators", "--status", "bonded")
    assert text.exit_code == 0, text.output
    assert "validator0" in text.stdout and "bonded" in text.stdout
    validators = ok_json(chain("-o", "json", "query", "staking", "validators"))["validators"]
    by_name = {v["description"]["moniker"]: v for v in validators}
    assert {"validator0", "validator1", "validator2", "validator3"} <= set(by_name)
    # a validator by key name is the same as by operator address
    assert ok_json(chain("-o", "json", "query", "staking", "validator", "validator1")) == by_name["validator1"]
    shown = chain("query", "staking", "validator", by_name["validator1"]["operator"])
    assert "moniker: validator1" in shown.stdout and "status: bonded" in shown.stdout
    pool = ok_json(chain("-o", "json", "query", "staking", "pool"))
    assert pool["bonded_tokens"] > 0
    assert "bond_denom: usrt" in chain("query", "staking", "params").stdout


def test_create_validator_with_generated_keys(chain, devnet):
    created = chain("-o", "json", "tx", "staking", "create-validator", "carol", "2000000usrt", "--generate-keys",
                    "--moniker", "carol-node", "--commission-rate", "0.1", "--min-self-delegation", "1000", "--yes")
    assert ok_json(created)["code"] == 0
    keys = json.loads((devnet.home / "validator_keys" / "carol.json").read_text())
    assert (devnet.home / "validator_keys" / "carol.json").stat().st_mode & 0o777 == 0o600
    validator = ok_json(chain("-o", "json", "query", "staking", "validator", "carol"))
    assert validator["consensus_pubkey"] == keys["consensus_pubkey"] and validator["vrf_pubkey"] == keys["vrf_pubkey"]
    assert validator["description"]["moniker"] == "carol-node" and validator["min_self_delegation"] == 1000
    listed = chain("query", "staking", "validators").stdout
    assert "carol-node" in listed
    # The keys are never overwritten; the chain refuses a second validator for the operator
    again = chain("tx", "staking", "create-validator", "carol", "1000000usrt", "--generate-keys", "--yes")
    assert again.exit_code == 1 and "already exists" in again.stderr
    second = chain("tx", "staking", "create-validator", "carol", "1000000usrt", "--consensus-key-file",
                   str(devnet.home / "validator_keys" / "carol.json"), "--yes")
    assert second.exit_code == 1 and second.stderr.startswith("Error: staking/2: ")
    # edit: fields not given keep their value
    edited = chain("tx", "staking", "edit-validator", "carol", "--website", "https://carol.example", "--yes")
    assert edited.exit_code == 0, edited.output
    description = ok_json(chain("-o", "json", "query", "staking", "validator", "carol"))["description"]
    assert description == {"moniker": "carol-node", "website": "https://carol.example", "details": ""}
    too_soon = chain("tx", "staking", "edit-validator", "carol", "--commission-rate", "0.11", "--yes")
    assert too_soon.exit_code == 1 and too_soon.stderr.startswith("Error: staking/8: ")


def test_delegate_unbond_redelegate_cancel(chain):
    assert chain("tx", "staking", "delegate", "dave", "validator1", "3000000usrt", "--yes").exit_code == 0
    src, dst = operator_of(chain, "validator1"), operator_of(chain, "validator2")
    delegation = ok_json(chain("-o", "json", "query", "staking", "delegation", "dave", src))
    assert delegation["balance"] == 3_000_000
    assert f"{src}  3000000" in chain("query", "staking", "delegations", "dave").stdout

    unbond = ok_json(chain("-o", "json", "tx", "staking", "unbond", "dave", src, "1000000usrt", "--yes"))
    [unbonding] = ok_json(chain("-o", "json", "query", "staking", "unbonding", "dave"))["unbonding_delegations"]
    [entry] = unbonding["entries"]
    assert (entry["creation_height"], entry["balance"]) == (unbond["height"], 1_000_000)
    assert f"created at height {unbond['height']}" in chain("query", "staking", "unbonding", "dave").stdout

    assert chain("tx", "staking", "redelegate", "dave", "validator1", dst, "500000usrt", "--yes").exit_code == 0
    [redelegation] = ok_json(chain("-o", "json", "query", "staking", "redelegations", "dave"))["redelegations"]
    assert (redelegation["src_validator"], redelegation["dst_validator"]) == (src, dst)
    assert f"{src} -> {dst}  500000" in chain("query", "staking", "redelegations", "dave").stdout

    cancelled = chain("tx", "staking", "cancel-unbond", "dave", src, "400000usrt", str(unbond["height"]), "--yes")
    assert cancelled.exit_code == 0, cancelled.output
    assert ok_json(chain("-o", "json", "query", "staking", "delegation", "dave", src))["balance"] == 1_900_000
    too_much = chain("tx", "staking", "cancel-unbond", "dave", src, "700000usrt", str(unbond["height"]), "--yes")
    assert too_much.exit_code == 1 and too_much.stderr.startswith("Error: staking/18: ")


@pytest.mark.parametrize("args, error", [
    (["unbond", "erin", "validator3", "1usrt"], "staking/11"),
    (["unbond", "dave", "validator1", "99000000000usrt"], "staking/12"),
    (["delegate", "erin", "validator3", "5uusd"], "staking/5"),
    (["delegate", "erin", UNKNOWN_VALOPER, "5usrt"], "staking/4"),
    (["redelegate", "erin", "validator3", "validator3", "5usrt"], "staking/14"),
])
def test_misuse_prints_the_modules_coded_error(chain, args, error):
    result = chain("tx", "staking", *args, "--yes")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {error}: "), result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("command", [
    ["tx", "staking", "delegate", "alice", "{v}", "10usrt", "--yes"],
    ["tx", "staking", "unbond", "alice", "{v}", "10usrt", "--yes"],
    ["tx", "staking", "redelegate", "alice", "{v}", "{v}", "10usrt", "--yes"],
    ["tx", "staking", "cancel-unbond", "alice", "{v}", "10usrt", "5", "--yes"],
    ["query", "staking", "validator", "{v}"],
    ["query", "staking", "delegation", "sure1t9p72w4d5gnse4m8lqeamkqsmksf2tcmmz3g3y", "{v}"],
])
@pytest.mark.parametrize("validator", ["surevaloper1bad", "nokey", "sure1t9p72w4d5gnse4m8lqeamkqsmksf2tcmmz3g3y"])
def test_malformed_validator_is_the_chains_invalid_address(surety, command, validator):
    result = surety(*[part.format(v=validator) for part in command])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: sdk/7: invalid address"), result.stderr


@pytest.mark.parametrize("command", [["delegations"], ["unbonding"], ["redelegations"],
                                     ["delegation", UNKNOWN_VALOPER]])
def test_malformed_delegator_is_the_chains_invalid_address(surety, command):
    result = surety("query", "staking", command[0], "sure1bad", *command[1:])
    assert result.exit_code == 1 and result.stderr.startswith("Error: sdk/7: invalid address"), result.stderr


def test_create_validator_needs_one_key_source(surety, tmp_path):
    surety("--keyring-backend", "test", "keys", "add", "op")
    both = surety("--keyring-backend", "test", "tx", "staking", "create-validator", "op", "1usrt", "--generate-keys",
                  "--consensus-pubkey", "00" * 32, "--yes")
    assert both.exit_code == 1 and "exactly one of" in both.stderr
    no_vrf = surety("--keyring-backend", "test", "tx", "staking", "create-validator", "op", "1usrt",
                    "--consensus-pubkey", "00" * 32, "--yes")
    assert no_vrf.exit_code == 1 and "--vrf-pubkey" in no_vrf.stderr
    bad_hex = surety("tx", "staking", "create-validator", "op", "1usrt", "--consensus-pubkey", "xyz")
    assert bad_hex.exit_code == 2
    bad_rate = surety("tx", "staking", "create-validator", "op", "1usrt", "--commission-rate", "ten")
    assert bad_rate.exit_code == 2
    bad_amount = surety("tx", "staking", "create-validator", "op", "lots", "--generate-keys")
    assert bad_amount.exit_code == 1 and bad_amount.stderr.startswith("Error: sdk/10: ")
    missing_file = surety("--keyring-backend", "test", "tx", "staking", "create-validator", "op", "1usrt",
                          "--consensus-key-file", str(tmp_path / "none.json"), "--yes")
    assert missing_file.exit_code == 1 and "cannot read validator key file" in missing_file.stderr
