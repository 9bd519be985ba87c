"""``surety tx distribution`` and ``surety query distribution`` against a real devnet (``surety devnet`` in a child
process): rewards accrue with block time, withdrawing them raises the balance; misuse prints the module's codes."""
from __future__ import annotations

import importlib.util
import json
import time

import pytest

from suretychain.core.crypto import PrivateKey, encode_address
from suretychain.core.dec import Dec

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("suretychain.api.server") is None or importlib.util.find_spec("suretychain.core.store")
    is None, reason="needs the API server and the state store")


@pytest.fixture(scope="module")
def devnet(tmp_path_factory):
    from suretychain.client.localnet import LocalDevnet

    with LocalDevnet(tmp_path_factory.mktemp("cli-distribution") / "devnet", block_time_s=0.2) as net:
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


def usrt(coins: list[dict]) -> Dec:
    return sum((Dec.from_str(c["amount"]) for c in coins if c["denom"] == "usrt"), Dec.ZERO)


def balance(chain, who: str) -> int:
    address = chain("keys", "show", who, "--address").stdout.strip() if not who.startswith("sure1") else who
    return ok_json(chain("-o", "json", "query", "bank", "balance", address, "usrt"))["amount"]


def wait_until(probe, timeout_s: float, what: str):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = probe()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def test_withdraw_rewards_increases_the_balance(chain):
    assert chain("tx", "staking", "delegate", "erin", "validator0", "100000000000usrt", "--yes").exit_code == 0
    fee = 1_000  # far above what a withdrawal costs at the devnet's gas price

    def accrued():
        answer = ok_json(chain("-o", "json", "query", "distribution", "rewards", "erin", "validator0"))
        return usrt(answer["total"]) > Dec.from_int(2 * fee)

    wait_until(accrued, 20, "rewards to accrue")
    text = chain("query", "distribution", "rewards", "erin").stdout
    assert "total: " in text and "usrt" in text
    before = balance(chain, "erin")
    withdrawn = chain("tx", "distribution", "withdraw-rewards", "erin", "--yes")  # every validator it delegates to
    assert withdrawn.exit_code == 0, withdrawn.output
    assert balance(chain, "erin") > before


def test_commission_withdraw_address_and_community_pool(chain):
    recipient = encode_address(PrivateKey.generate().public_key.address)
    assert chain("tx", "distribution", "set-withdraw-address", "validator1", recipient, "--yes").exit_code == 0
    assert chain("query", "distribution", "withdraw-address", "validator1").stdout.strip() == recipient
    commission = usrt(ok_json(chain("-o", "json", "query", "distribution", "commission", "validator1"))["commission"])
    assert commission >= Dec.ONE
    assert usrt(ok_json(chain("-o", "json", "query", "distribution", "outstanding", "validator1"))["rewards"]) \
        >= commission
    assert chain("tx", "distribution", "withdraw-commission", "validator1", "--yes").exit_code == 0
    assert balance(chain, recipient) >= 1

    pool = usrt(ok_json(chain("-o", "json", "query", "distribution", "community-pool"))["pool"])
    assert chain("tx", "distribution", "fund-community-pool", "dave", "5000usrt", "--yes").exit_code == 0
    assert usrt(ok_json(chain("-o", "json", "query", "distribution", "community-pool"))["pool"]) \
        >= pool + Dec.from_int(5_000)
    assert "usrt" in chain("query", "distribution", "community-pool").stdout
    assert "community_tax:" in chain("query", "distribution", "params").stdout


@pytest.mark.parametrize("args, error", [
    (["withdraw-rewards", "dave", "validator2"], "distribution/2"),
    (["withdraw-rewards", "dave", encode_address(bytes(range(20)), "surevaloper")], "distribution/3"),
    (["withdraw-commission", "dave"], "distribution/4"),
    (["set-withdraw-address", "dave", "nokey"], "sdk/7"),
    (["withdraw-rewards", "dave", "surevaloper1bad"], "sdk/7"),
    (["fund-community-pool", "dave", "5"], "sdk/10"),
])
def test_misuse_prints_the_coded_error(chain, args, error):
    result = chain("tx", "distribution", *args, "--yes")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {error}: "), result.stderr
