"""Slashing over HTTP and through the SDK: signing infos by consensus or operator address, params, and unjail's coded
errors with the default params (no validator is jailed here; tests/cli/test_cli_slashing.py jails one)."""
from __future__ import annotations

import pytest

from api_helpers import assert_error
from suretychain.client.client import Client
from suretychain.client.keyring import mnemonic_to_private_key
from suretychain.client.txbuilder import send_msgs
from suretychain.core.crypto import address_of, encode_address
from suretychain.core.encoding import Address, ValAddress
from suretychain.core.errors import SuretyError
from suretychain.modules.slashing.types import MsgUnjail
from suretychain.node.devnet.home import devnet_validators

UNKNOWN_VALOPER = encode_address(bytes(range(20)), "surevaloper")
UNKNOWN_CONSENSUS = "00" * 20


@pytest.fixture(scope="module")
def client(live_server):
    with Client(live_server.base_url) as client:
        yield client


def test_signing_infos(chain, client):
    infos = chain.http.get("/slashing/signing-infos").json()["signing_infos"]
    assert set(infos[0]) == {"consensus_address", "operator", "start_height", "index_offset", "jailed_until_ns",
                             "tombstoned", "missed_blocks_counter"}
    by_operator = {info["operator"]: info for info in infos}
    for validator in devnet_validators():
        operator = ValAddress.from_raw(Address(validator.operator).raw)
        consensus = address_of(validator.consensus_key.public_key.raw).hex()
        assert by_operator[operator]["consensus_address"] == consensus
        by_consensus = chain.http.get(f"/slashing/signing-infos/{consensus}").json()
        assert by_consensus["operator"] == operator and not by_consensus["tombstoned"]
        assert client.signing_info(operator)["consensus_address"] == consensus
    assert client.signing_infos()["signing_infos"] == chain.http.get("/slashing/signing-infos").json()["signing_infos"]


def test_params(chain, client):
    params = chain.http.get("/slashing/params").json()
    assert params["signed_blocks_window"] >= 1 and params["min_signed_per_window"] == "0.5"
    assert client.slashing_params() == params


def test_signing_info_errors(chain):
    assert_error(chain.http.get("/slashing/signing-infos/surevaloper1bad"), 400, "sdk", 7)
    assert_error(chain.http.get("/slashing/signing-infos/xyz"), 400, "slashing", 12)
    assert_error(chain.http.get("/slashing/signing-infos/abcd"), 400, "slashing", 12)
    for address, code in ((UNKNOWN_VALOPER, 2), (UNKNOWN_CONSENSUS, 8)):
        response = chain.http.get(f"/slashing/signing-infos/{address}")
        assert response.json()["error"]["codespace"] == "slashing" and response.json()["error"]["code"] == code


def test_unknown_signing_info_is_404(chain):
    assert_error(chain.http.get(f"/slashing/signing-infos/{UNKNOWN_VALOPER}"), 404, "slashing", 2)
    assert_error(chain.http.get(f"/slashing/signing-infos/{UNKNOWN_CONSENSUS}"), 404, "slashing", 8)


def test_unjail_errors_with_the_modules_codes(chain, client):
    operator_key = mnemonic_to_private_key(devnet_validators()[0].mnemonic)
    operator = ValAddress.from_raw(address_of(operator_key.public_key.raw))
    with pytest.raises(SuretyError) as info:
        send_msgs(client, operator_key, [MsgUnjail(validator=operator)])
    assert (info.value.codespace, info.value.code) == ("slashing", 5)  # not jailed
    alice = chain.wallets["alice"]
    with pytest.raises(SuretyError) as info:
        send_msgs(client, alice.key, [MsgUnjail(validator=ValAddress.from_raw(alice.address.raw))])
    assert (info.value.codespace, info.value.code) == ("slashing", 2)  # not a validator
