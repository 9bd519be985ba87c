"""``surety genesis``: init, add-account (address or key), validate with the chain's own errors."""
from __future__ import annotations

import importlib.util
import json

import pytest

GOOD_ADDRESS = "sure1t9p72w4d5gnse4m8lqeamkqsmksf2tcmmz3g3y"
GENESIS_TIME = "2026-01-02T03:04:05.5Z"

# init and validate build the App over an in-memory CommitStore
needs_store = pytest.mark.skipif(importlib.util.find_spec("suretychain.core.store") is None,
                                 reason="needs the state store")


def init(surety, *extra: str):
    result = surety("genesis", "init", "--chain-id", "surety-local-1", "--genesis-time", GENESIS_TIME, *extra)
    assert result.exit_code == 0, result.output
    return json.loads((surety.home / "genesis.json").read_text())


@needs_store
def test_init_writes_default_module_states(surety):
    doc = init(surety)
    assert doc["chain_id"] == "surety-local-1" and doc["genesis_time"] == GENESIS_TIME
    assert {"auth", "bank"} <= set(doc["app_state"])
    assert doc["app_state"]["auth"]["params"]["fee_denom"] == "usrt"


@needs_store
def test_init_refuses_to_overwrite(surety):
    init(surety)
    again = surety("genesis", "init", "--chain-id", "other")
    assert again.exit_code == 1 and "already exists" in again.stderr
    assert init(surety, "--overwrite")["chain_id"] == "surety-local-1"


@needs_store
def test_init_rejects_bad_chain_id_and_time(surety):
    bad_id = surety("genesis", "init", "--chain-id", "no spaces allowed")
    assert bad_id.exit_code == 1 and bad_id.stderr.startswith("Error: sdk/43: invalid genesis")
    assert "chain_id" in bad_id.stderr
    assert surety("genesis", "init", "--chain-id", "x", "--genesis-time", "yesterday").exit_code == 2


@needs_store
def test_add_account_by_address_and_by_key_then_validate(surety):
    init(surety)
    assert surety("genesis", "add-account", GOOD_ADDRESS, "100usrt,5uusd").exit_code == 0
    assert surety("genesis", "add-account", GOOD_ADDRESS, "50usrt").exit_code == 0
    key = json.loads(surety("--keyring-backend", "test", "-o", "json", "keys", "add", "val").stdout)
    by_key = surety("--keyring-backend", "test", "genesis", "add-account", "val", "7usrt")
    assert by_key.exit_code == 0, by_key.output
    bank = json.loads((surety.home / "genesis.json").read_text())["app_state"]["bank"]
    balances = {b["address"]: b["coins"] for b in bank["balances"]}
    assert balances[GOOD_ADDRESS] == [{"denom": "usrt", "amount": 150}, {"denom": "uusd", "amount": 5}]
    assert balances[key["address"]] == [{"denom": "usrt", "amount": 7}]

    valid = surety("-o", "json", "genesis", "validate")
    assert valid.exit_code == 0, valid.output
    report = json.loads(valid.stdout)
    assert report["valid"] is True and len(report["app_hash"]) == 64


@needs_store
def test_add_account_rejects_a_malformed_address_with_the_chains_code(surety):
    init(surety)
    result = surety("genesis", "add-account", "sure1nope", "10usrt")
    assert result.exit_code == 1 and result.stderr.startswith("Error: sdk/7: invalid address")
    bad_coins = surety("genesis", "add-account", GOOD_ADDRESS, "10")
    assert bad_coins.exit_code == 1 and bad_coins.stderr.startswith("Error: sdk/10: invalid coins")


@needs_store
def test_validate_reports_the_failing_rule(surety, tmp_path):
    doc = init(surety)
    doc["app_state"]["bank"]["balances"] = [
        {"address": GOOD_ADDRESS, "coins": [{"denom": "usrt", "amount": 1}]},
        {"address": GOOD_ADDRESS, "coins": [{"denom": "usrt", "amount": 2}]},
    ]
    broken = tmp_path / "dup.json"
    broken.write_text(json.dumps(doc))
    result = surety("genesis", "validate", str(broken))
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: sdk/43: invalid genesis: app_state.bank: ")
    assert "duplicate address" in result.stderr


@needs_store
def test_validate_reports_decode_errors_and_missing_files(surety, tmp_path):
    doc = init(surety)
    doc["app_state"]["auth"]["params"]["min_gas_price"] = "-1"
    bad = tmp_path / "neg.json"
    bad.write_text(json.dumps(doc))
    negative = surety("genesis", "validate", str(bad))
    assert negative.exit_code == 1 and "Error: sdk/43: invalid genesis: app_state.auth" in negative.stderr

    garbage = tmp_path / "garbage.json"
    garbage.write_text("{not json")
    assert surety("genesis", "validate", str(garbage)).stderr.startswith("Error: sdk/43: invalid genesis")
    missing = surety("genesis", "validate", str(tmp_path / "absent.json"))
    assert missing.exit_code == 1 and missing.stderr.startswith("Error: cannot read")


def test_export_without_a_chain_is_an_error(surety, tmp_path):
    result = surety("genesis", "export", "--home", str(tmp_path / "nothing"))
    assert result.exit_code == 1 and "no chain state" in result.stderr


def test_add_account_edits_a_hand_written_genesis(surety):
    surety.home.mkdir(parents=True)
    (surety.home / "genesis.json").write_text(json.dumps({"chain_id": "c-1", "genesis_time": GENESIS_TIME}))
    assert surety("genesis", "add-account", GOOD_ADDRESS, "3uusd,2usrt").exit_code == 0
    again = surety("-o", "json", "genesis", "add-account", GOOD_ADDRESS, "1uusd")
    assert json.loads(again.stdout) == {"address": GOOD_ADDRESS, "coins": "2usrt,4uusd"}
    doc = json.loads((surety.home / "genesis.json").read_text())
    assert doc["app_state"]["bank"]["balances"] == [
        {"address": GOOD_ADDRESS, "coins": [{"denom": "usrt", "amount": 2}, {"denom": "uusd", "amount": 4}]}]
    missing = surety("--home", str(surety.home / "elsewhere"), "genesis", "add-account", GOOD_ADDRESS, "1usrt",
                     home=False)
    assert missing.exit_code == 1 and missing.stderr.startswith("Error: cannot read")
