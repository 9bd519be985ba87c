"""Fixtures of the API tests: one live devnet server per test module, and an HTTP client with demo wallets."""
from __future__ import annotations

import httpx
import pytest

from api_helpers import Chain, LiveServer, Wallet
from suretychain.client.keyring import mnemonic_to_private_key
from suretychain.core.encoding import Address
from suretychain.node.devnet.home import demo_accounts


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory):
    server = LiveServer(tmp_path_factory.mktemp("devnet") / "home").start()
    yield server
    server.close()


@pytest.fixture(scope="module")
def chain(live_server: LiveServer):
    wallets = {}
    for account in demo_accounts():
        wallets[account.name] = Wallet(account.name, Address(account.address),
                                       mnemonic_to_private_key(account.mnemonic))
    with httpx.Client(base_url=live_server.base_url, timeout=15.0) as http:
        yield Chain(live_server, http, wallets)
