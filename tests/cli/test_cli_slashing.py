"""``surety tx slashing unjail`` and ``surety query slashing`` against a real devnet whose liveness window is short:
a validator taken offline with ``surety devnet fault offline`` is jailed, cannot unjail before its jail time is over,
and can afterwards."""
from __future__ import annotations

import importlib.util
import json
import time

import pytest

from suretychain.node.devnet.home import DEFAULT_CHAIN_ID, DevnetHome

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("suretychain.api.server") is None or importlib.util.find_spec("suretychain.core.store")
    is None, reason="needs the API server and the state store")

SECOND_NS = 10**9
JAIL_S = 4
# MINIMAL liveness: jailed after missing 6 of the last 10 blocks [customized], for JAIL_S seconds [customized]
SLASHING_PARAMS = {"signed_blocks_window": 10, "min_signed_per_window": "0.5",
                   "downtime_jail_duration_ns": JAIL_S * SECOND_NS, "slash_fraction_double_sign": "0.05",
                   "slash_fraction_downtime": "0.01", "max_evidence_age_ns": 172_800 * SECOND_NS,
                   "max_evidence_age_blocks": 100_000}


@pytest.fixture(scope="module")
def devnet(tmp_path_factory):
    from suretychain.client.localnet import LocalDevnet

    home = DevnetHome(tmp_path_factory.mktemp("cli-slashing") / "devnet")
    home.create(DEFAULT_CHAIN_ID, time.time_ns())
    genesis = json.loads(home.genesis.read_text())
    genesis["app_state"]["slashing"] = {"params": SLASHING_PARAMS}
    home.genesis.write_text(json.dumps(genesis, indent=2))
    with LocalDevnet(home.root, block_time_s=0.2) as net:
        yield net


@pytest.fixture
def chain(surety, devnet):
    surety.home = devnet.home

    def run(*args: str):
        return surety("--node", devnet.url, "--keyring-backend", "test", *args)

    return run


def ok_json(result):
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def wait_until(probe, timeout_s: float, what: str):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = probe()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def test_queries(chain):
    params = ok_json(chain("-o", "json", "query", "slashing", "params"))
    assert params["signed_blocks_window"] == 10
    infos = ok_json(chain("-o", "json", "query", "slashing", "signing-infos"))["signing_infos"]
    assert len(infos) == 4
    by_key = ok_json(chain("-o", "json", "query", "slashing", "signing-info", "validator2"))
    assert (by_key["consensus_address"], by_key["operator"]) in {(i["consensus_address"], i["operator"]) for i in infos}
    by_address = ok_json(chain("-o", "json", "query", "slashing", "signing-info", by_key["consensus_address"]))
    assert by_address["operator"] == by_key["operator"]  # (blocks go on: the counters may have moved)
    assert by_key["operator"] in chain("query", "slashing", "signing-infos").stdout
    assert "jailed_until: -" in chain("query", "slashing", "signing-info", "validator2").stdout


def test_unjail_errors(chain):
    not_jailed = chain("tx", "slashing", "unjail", "validator3", "--yes")
    assert not_jailed.exit_code == 1 and not_jailed.stderr.startswith("Error: slashing/5: ")
    not_validator = chain("tx", "slashing", "unjail", "erin", "--yes")
    assert not_validator.exit_code == 1 and not_validator.stderr.startswith("Error: slashing/2: ")
    for target, error in (("surevaloper1bad", "sdk/7"), ("nokey", "sdk/7"), ("abcd", "slashing/12")):
        result = chain("query", "slashing", "signing-info", target)
        assert result.exit_code == 1 and result.stderr.startswith(f"Error: {error}: "), result.stderr


def test_offline_validator_is_jailed_then_unjailed(chain):
    tokens_before = ok_json(chain("-o", "json", "query", "staking", "validator", "validator1"))["tokens"]
    assert chain("devnet", "fault", "offline", "validator1", "--blocks", "8").exit_code == 0

    def jailed():
        validator = ok_json(chain("-o", "json", "query", "staking", "validator", "validator1"))
        return validator if validator["jailed"] else None

    validator = wait_until(jailed, 15, "validator1 to be jailed")
    assert validator["tokens"] == tokens_before - tokens_before // 100  # slashed 1% for downtime
    info = ok_json(chain("-o", "json", "query", "slashing", "signing-info", "validator1"))
    assert info["jailed_until_ns"] > 0

    early = chain("tx", "slashing", "unjail", "validator1", "--yes")
    assert early.exit_code == 1 and early.stderr.startswith("Error: slashing/4: "), early.stderr

    def jail_served():
        return ok_json(chain("-o", "json", "status"))["latest_block_time_ns"] > info["jailed_until_ns"]

    wait_until(jail_served, JAIL_S + 10, "the jail time to pass")
    unjailed = chain("tx", "slashing", "unjail", "validator1", "--yes")
    assert unjailed.exit_code == 0, unjailed.output
    assert not ok_json(chain("-o", "json", "query", "staking", "validator", "validator1"))["jailed"]
