"""E2E fixtures: a real 4-validator CometBFT testnet on loopback (skipped, with the reason, without cometbft)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from e2e_helpers import SNAPSHOT_INTERVAL, VALIDATORS, Testnet, find_base_port
from suretychain.node.cometbft.binary import CometBFTNotFound, require_cometbft
from suretychain.node.cometbft.home import NodeHome
from suretychain.node.cometbft.testnet import init_testnet, start_testnet, stop_node_process


@pytest.fixture(scope="session")
def cometbft_binary():
    try:
        return require_cometbft()
    except CometBFTNotFound as exc:
        reason = f"e2e skipped: {exc}"
        print(reason, file=sys.stderr)
        pytest.skip(reason)


@pytest.fixture(scope="module")
def testnet(cometbft_binary, tmp_path_factory):
    root = tmp_path_factory.mktemp("tn")
    base = find_base_port()
    init_testnet(root, VALIDATORS, chain_id="surety-e2e-1", base_port=base, snapshot_interval=SNAPSHOT_INTERVAL)
    net = Testnet(root, base)
    start_testnet(root)
    try:
        yield net
    finally:
        for node in net.nodes:
            stop_node_process(NodeHome(Path(node.home)), grace_s=10)
