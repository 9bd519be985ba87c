"""Errors the CLI reports without a node: the chain's coded errors passed through, usage errors, global options."""
from __future__ import annotations

import pytest
import typer

from suretychain.cli.main import app, hoist_global_options
from suretychain.client.localnet import find_free_port

GOOD_ADDRESS = "sure1t9p72w4d5gnse4m8lqeamkqsmksf2tcmmz3g3y"
BAD_CHECKSUM = GOOD_ADDRESS[:-1] + ("q" if GOOD_ADDRESS[-1] != "q" else "p")


@pytest.mark.parametrize("address", ["sure1bad", BAD_CHECKSUM, "cosmos1t9p72w4d5gnse4m8lqeamkqsmksf2tcmmz3g3y",
                                     GOOD_ADDRESS.upper()])
@pytest.mark.parametrize("command", [
    ["query", "bank", "balance", "{a}", "usrt"],
    ["query", "bank", "balances", "{a}"],
    ["query", "account", "{a}"],
    ["tx", "bank", "send", "alice", "{a}", "10usrt", "--yes"],
    ["tx", "bank", "multi-send", "alice", "{a}:10usrt", "--yes"],
])
def test_malformed_address_prints_the_chains_invalid_address_error(surety, command, address):
    result = surety(*[part.format(a=address) for part in command])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: sdk/7: invalid address")
    assert result.stdout == ""


@pytest.mark.parametrize("amount, detail", [
    ("10", "is not AMOUNTDENOM"),
    ("usrt", "is not AMOUNTDENOM"),
    ("10usrt,", "is not AMOUNTDENOM"),
    ("1.5usrt", "is not AMOUNTDENOM"),
    ("10u", "'10u'"),
    ("0usrt", "must be positive"),
    ("1usrt,2usrt", "sorted and unique"),
])
def test_bad_amount_prints_the_invalid_coins_error(surety, amount, detail):
    result = surety("tx", "bank", "send", "alice", GOOD_ADDRESS, amount, "--yes")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: sdk/10: invalid coins: ")
    assert detail in result.stderr


def test_bad_fees_are_invalid_coins_too(surety):
    surety("--keyring-backend", "test", "keys", "add", "alice")
    result = surety("tx", "bank", "send", "alice", GOOD_ADDRESS, "10usrt", "--fees", "lots", "--yes",
                    "--keyring-backend", "test")
    assert result.exit_code == 1 and result.stderr.startswith("Error: sdk/10: ")


@pytest.mark.parametrize("option", [["--gas", "lots"], ["--gas-adjustment", "x"], ["--gas-adjustment", "0"],
                                    ["--broadcast-mode", "async"]])
def test_bad_tx_options_are_usage_errors(surety, option):
    result = surety("tx", "bank", "send", "alice", GOOD_ADDRESS, "10usrt", *option)
    assert result.exit_code == 2


def test_multi_send_output_needs_a_colon(surety):
    result = surety("tx", "bank", "multi-send", "alice", GOOD_ADDRESS, "--yes")
    assert result.exit_code == 1 and result.stderr.startswith("Error: sdk/18: invalid request")


def test_unreachable_node_is_reported(surety):
    result = surety("--node", f"http://127.0.0.1:{find_free_port()}", "status")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: cannot reach node at http://127.0.0.1:")


def test_raw_query_param_must_be_k_equals_v(surety):
    assert surety("query", "raw", "bank/balance", "--param", "nonsense").exit_code == 2


def test_global_options_may_follow_the_command():
    root = typer.main.get_command(app)
    assert hoist_global_options(root, ["status", "--output", "json"]) == ["--output", "json", "status"]
    assert hoist_global_options(root, ["--node", "x", "query", "bank", "balances", "A", "--home=h", "-o", "json"]) \
        == ["--node", "x", "--home=h", "-o", "json", "query", "bank", "balances", "A"]
    # A command's own option of the same name stays with it
    assert hoist_global_options(root, ["devnet", "--home", "d", "--node", "n"]) == \
        ["--node", "n", "devnet", "--home", "d"]
    assert hoist_global_options(root, ["genesis", "init", "--chain-id", "c", "--home", "h"]) == \
        ["--home", "h", "genesis", "init", "--chain-id", "c"]


def test_shell_completion_is_available(surety):
    result = surety("--help", home=False)
    assert "--install-completion" in result.stdout and "--show-completion" in result.stdout
