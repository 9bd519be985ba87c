"""The SDK's proof-of-stake helpers: the read methods' URLs (mock node), addresses by key name, validator key files.
(The same methods against a live devnet: tests/api/test_staking.py, test_slashing.py, test_distribution.py.)"""
from __future__ import annotations

import base64
import json

import httpx
import pytest

from suretychain.client.addresses import resolve_address, resolve_validator
from suretychain.client.client import Client
from suretychain.client.keyring import KDF_MIN, Keyring
from suretychain.client.validator_keys import (
    ValidatorKeyError,
    compute_keys_path,
    generate_validator_keys,
    read_validator_pubkeys,
)
from suretychain.core import vrf
from suretychain.core.crypto import PrivateKey, encode_address
from suretychain.core.encoding import Address, ValAddress
from suretychain.core.errors import SuretyError

ACCOUNT = encode_address(bytes(range(20)))
VALOPER = encode_address(bytes(range(20)), "surevaloper")


@pytest.mark.parametrize("call, path", [
    (lambda c: c.validators(), "/staking/validators"),
    (lambda c: c.validators("bonded"), "/staking/validators?status=bonded"),
    (lambda c: c.validator(VALOPER), f"/staking/validators/{VALOPER}"),
    (lambda c: c.delegation(ACCOUNT, VALOPER), f"/staking/delegations/{ACCOUNT}/{VALOPER}"),
    (lambda c: c.delegations(ACCOUNT), f"/staking/delegations/{ACCOUNT}"),
    (lambda c: c.unbonding_delegations(ACCOUNT), f"/staking/unbonding/{ACCOUNT}"),
    (lambda c: c.redelegations(ACCOUNT), f"/staking/redelegations/{ACCOUNT}"),
    (lambda c: c.staking_pool(), "/staking/pool"),
    (lambda c: c.staking_params(), "/staking/params"),
    (lambda c: c.signing_infos(), "/slashing/signing-infos"),
    (lambda c: c.signing_info("ab" * 20), f"/slashing/signing-infos/{'ab' * 20}"),
    (lambda c: c.slashing_params(), "/slashing/params"),
    (lambda c: c.rewards(ACCOUNT), f"/distribution/rewards/{ACCOUNT}"),
    (lambda c: c.rewards(ACCOUNT, VALOPER), f"/distribution/rewards/{ACCOUNT}/{VALOPER}"),
    (lambda c: c.commission(VALOPER), f"/distribution/commission/{VALOPER}"),
    (lambda c: c.outstanding_rewards(VALOPER), f"/distribution/outstanding/{VALOPER}"),
    (lambda c: c.withdraw_address(ACCOUNT), f"/distribution/withdraw-address/{ACCOUNT}"),
    (lambda c: c.community_pool(), "/distribution/community-pool"),
    (lambda c: c.distribution_params(), "/distribution/params"),
    (lambda c: c.validator("a/b"), "/staking/validators/a%2Fb"),  # one path segment, rejected by the node
])
def test_read_methods_get_their_route(call, path):
    seen = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"ok": True})

    assert call(Client("http://node.test", transport=httpx.MockTransport(handler))) == {"ok": True}
    assert seen[0].method == "GET" and seen[0].url.raw_path.decode() == path


def test_read_methods_raise_the_chains_error():
    body = {"error": {"codespace": "staking", "code": 4, "message": "validator not found"}}
    client = Client("http://node.test", transport=httpx.MockTransport(lambda r: httpx.Response(404, json=body)))
    with pytest.raises(SuretyError) as info:
        client.validator(VALOPER)
    assert (info.value.codespace, info.value.code) == ("staking", 4)


def test_addresses_by_bech32_or_key_name(tmp_path):
    keyring = Keyring(tmp_path, "test", kdf=KDF_MIN)
    info, _ = keyring.add("op")
    assert resolve_address("op", keyring) == info.address
    operator = resolve_validator("op", keyring)
    assert isinstance(operator, ValAddress) and operator.raw == Address(info.address).raw
    assert resolve_validator(VALOPER, keyring) == VALOPER and resolve_address(ACCOUNT) == ACCOUNT
    for text, kind in (("nokey", ValAddress), ("surevaloper1bad", ValAddress), (ACCOUNT, ValAddress),
                       (VALOPER, Address), ("op", Address)):
        with pytest.raises(SuretyError) as error:
            resolve_address(text, None if text == "op" else keyring, kind)
        assert (error.value.codespace, error.value.code) == ("sdk", 7)


def test_generated_validator_keys_are_private_and_never_overwritten(tmp_path):
    path = compute_keys_path(tmp_path, "op")
    assert path == tmp_path / "validator_keys" / "op.json"
    keys = generate_validator_keys(path, "op")
    assert path.stat().st_mode & 0o777 == 0o600
    record = json.loads(path.read_text())
    assert PrivateKey.from_seed(bytes.fromhex(record["consensus_seed"])).public_key.raw == keys.consensus
    assert vrf.public_key(bytes.fromhex(record["vrf_seed"])) == keys.vrf
    assert read_validator_pubkeys(path) == keys
    with pytest.raises(ValidatorKeyError, match="already exists"):
        generate_validator_keys(path, "op")
    assert json.loads(path.read_text()) == record


def test_validator_key_file_formats(tmp_path):
    consensus, vrf_key = PrivateKey.generate(), PrivateKey.generate()
    devnet = tmp_path / "devnet.json"  # a devnet home's validators/<name>.json: seeds only
    devnet.write_text(json.dumps({"name": "v", "consensus_seed": consensus.seed.hex(), "vrf_seed": vrf_key.seed.hex()}))
    keys = read_validator_pubkeys(devnet)
    assert (keys.consensus, keys.vrf) == (consensus.public_key.raw, vrf_key.public_key.raw)
    cometbft = tmp_path / "priv_validator_key.json"  # CometBFT's: no VRF key
    cometbft.write_text(json.dumps({"pub_key": {"type": "tendermint/PubKeyEd25519",
                                                "value": base64.b64encode(consensus.public_key.raw).decode()}}))
    assert read_validator_pubkeys(cometbft).consensus == consensus.public_key.raw
    assert read_validator_pubkeys(cometbft).vrf is None
    for content, message in (("{", "cannot read"), ("[]", "not a JSON object"), ("{}", "no consensus key"),
                             ('{"consensus_pubkey": "zz"}', "not hex"), ('{"consensus_seed": "00"}', "consensus_seed")):
        bad = tmp_path / "bad.json"
        bad.write_text(content)
        with pytest.raises(ValidatorKeyError, match=message):
            read_validator_pubkeys(bad)
    with pytest.raises(ValidatorKeyError, match="cannot read"):
        read_validator_pubkeys(tmp_path / "missing.json")
