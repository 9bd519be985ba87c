"""Staking over HTTP and through the SDK: the read routes (and their coded errors), and the staking msgs signed by the
SDK against a live devnet: create a validator, delegate, unbond, redelegate, cancel an unbonding."""
from __future__ import annotations

import pytest

from api_helpers import assert_error
from suretychain.client.client import Client
from suretychain.client.txbuilder import send_msgs
from suretychain.client.validator_keys import generate_validator_keys
from suretychain.core.crypto import PrivateKey, address_of, encode_address
from suretychain.core.dec import Dec
from suretychain.core.encoding import Address, ValAddress
from suretychain.core.errors import SuretyError
from suretychain.core.tx import Coin
from suretychain.modules.staking.types import (
    BondStatus,
    Description,
    MsgBeginRedelegate,
    MsgCancelUnbondingDelegation,
    MsgCreateValidator,
    MsgDelegate,
    MsgUndelegate,
)
from suretychain.node.devnet.home import VALIDATOR_SELF_BOND, devnet_validators

BAD_VALOPER = "surevaloper1bad"
UNKNOWN_VALOPER = encode_address(bytes(range(20)), "surevaloper")


def valoper(name: str) -> ValAddress:
    """The operator address of devnet validator ``name``."""
    operator = next(v.operator for v in devnet_validators() if v.name == name)
    return ValAddress.from_raw(Address(operator).raw)


def usrt(amount: int) -> Coin:
    return Coin(denom="usrt", amount=amount)


@pytest.fixture(scope="module")
def client(live_server):
    with Client(live_server.base_url) as client:
        yield client


def send(client: Client, chain, wallet: str, msg) -> dict:
    """Sign ``msg`` with a demo wallet (gas auto: the chain's error is raised before signing) and commit it."""
    result = send_msgs(client, chain.wallets[wallet].key, [msg])
    assert result["code"] == 0, result
    return result


def test_validators_and_validator(chain, client):
    answer = chain.http.get("/staking/validators").json()
    monikers = {v["description"]["moniker"] for v in answer["validators"]}
    assert monikers >= {"validator0", "validator1", "validator2", "validator3"}
    first = answer["validators"][0]
    assert set(first) == {"operator", "consensus_pubkey", "vrf_pubkey", "description", "commission",
                          "min_self_delegation", "tokens", "delegator_shares", "status", "jailed", "tombstoned",
                          "unbonding_height", "unbonding_time_ns"}
    assert len(bytes.fromhex(first["consensus_pubkey"])) == 32  # keys are hex
    assert chain.http.get(f"/staking/validators/{first['operator']}").json() == first
    assert client.validator(first["operator"]) == first
    bonded = client.validators("bonded")["validators"]
    assert all(v["status"] == BondStatus.BONDED for v in bonded) and len(bonded) >= 4
    assert chain.http.get("/staking/validators", params={"status": "unbonding"}).json() == {"validators": []}


def test_validator_errors(chain):
    assert_error(chain.http.get(f"/staking/validators/{UNKNOWN_VALOPER}"), 404, "sdk", 38)
    assert_error(chain.http.get(f"/staking/validators/{BAD_VALOPER}"), 400, "sdk", 7)
    account = str(chain.wallets["alice"].address)  # an account address is not an operator address
    assert_error(chain.http.get(f"/staking/validators/{account}"), 400, "sdk", 7)


def test_delegation_reads_and_errors(chain, client):
    operator = valoper("validator0")
    self_delegator = Address.from_raw(operator.raw)
    delegation = chain.http.get(f"/staking/delegations/{self_delegator}/{operator}").json()
    assert delegation["balance"] >= VALIDATOR_SELF_BOND
    assert delegation["delegation"]["delegator"] == self_delegator
    assert delegation in client.delegations(self_delegator)["delegations"]
    assert client.delegation(self_delegator, operator) == delegation
    stranger = encode_address(bytes(20))
    assert chain.http.get(f"/staking/delegations/{stranger}").json() == {"delegations": []}
    assert chain.http.get(f"/staking/unbonding/{stranger}").json() == {"unbonding_delegations": []}
    assert chain.http.get(f"/staking/redelegations/{stranger}").json() == {"redelegations": []}
    assert_error(chain.http.get(f"/staking/delegations/{stranger}/{operator}"), 404, "sdk", 38)
    for path in ("/staking/delegations/sure1bad", f"/staking/delegations/sure1bad/{operator}",
                 f"/staking/delegations/{stranger}/{BAD_VALOPER}", "/staking/unbonding/sure1bad",
                 "/staking/redelegations/sure1bad"):
        assert_error(chain.http.get(path), 400, "sdk", 7)


def test_pool_and_params(chain, client):
    pool = chain.http.get("/staking/pool").json()
    assert set(pool) == {"bonded_tokens", "not_bonded_tokens"} and pool["bonded_tokens"] >= 4 * VALIDATOR_SELF_BOND
    params = chain.http.get("/staking/params").json()
    assert params["bond_denom"] == "usrt" and params == client.staking_params()
    assert client.staking_pool().keys() == pool.keys()


def test_create_validator_is_listed_then_bonded(chain, client, tmp_path):
    keys = generate_validator_keys(tmp_path / "carol.json", "carol")
    carol = chain.wallets["carol"].address
    msg = MsgCreateValidator(operator=carol, consensus_pubkey=keys.consensus, vrf_pubkey=keys.vrf,
                             description=Description(moniker="carol"), commission_rate=Dec.from_str("0.1"),
                             commission_max_rate=Dec.from_str("0.2"), commission_max_change_rate=Dec.from_str("0.01"),
                             min_self_delegation=1, self_bond=usrt(2_000_000))
    height = send(client, chain, "carol", msg)["height"]
    operator = ValAddress.from_raw(carol.raw)
    listed = {v["operator"]: v for v in client.validators()["validators"]}
    assert listed[operator]["consensus_pubkey"] == keys.consensus.hex()
    assert listed[operator]["tokens"] == 2_000_000
    for _ in range(2):  # two more blocks: the consensus set of height + 2 includes it
        send(client, chain, "dave", MsgDelegate(delegator=chain.wallets["dave"].address, validator=operator,
                                                amount=usrt(1_000)))
    assert client.validator(operator)["status"] == BondStatus.BONDED
    assert address_of(keys.consensus) in chain.node.valsets[height + 2]
    # The same operator cannot create a second validator
    with pytest.raises(SuretyError) as info:
        send_msgs(client, chain.wallets["carol"].key, [msg])
    assert (info.value.codespace, info.value.code) == ("staking", 2)


def test_delegate_unbond_redelegate_cancel(chain, client):
    bob = chain.wallets["bob"].address
    src, dst = valoper("validator1"), valoper("validator2")
    send(client, chain, "bob", MsgDelegate(delegator=bob, validator=src, amount=usrt(3_000_000)))
    assert client.delegation(bob, src)["balance"] == 3_000_000

    height = send(client, chain, "bob", MsgUndelegate(delegator=bob, validator=src, amount=usrt(1_000_000)))["height"]
    [unbonding] = client.unbonding_delegations(bob)["unbonding_delegations"]
    assert unbonding["validator"] == src
    assert [(e["creation_height"], e["balance"]) for e in unbonding["entries"]] == [(height, 1_000_000)]

    send(client, chain, "bob", MsgBeginRedelegate(delegator=bob, src_validator=src, dst_validator=dst,
                                                  amount=usrt(500_000)))
    [redelegation] = client.redelegations(bob)["redelegations"]
    assert (redelegation["src_validator"], redelegation["dst_validator"]) == (src, dst)
    assert client.delegation(bob, dst)["balance"] == 500_000

    send(client, chain, "bob", MsgCancelUnbondingDelegation(delegator=bob, validator=src, amount=usrt(400_000),
                                                            creation_height=height))
    [unbonding] = client.unbonding_delegations(bob)["unbonding_delegations"]
    assert unbonding["entries"][0]["balance"] == 600_000
    assert client.delegation(bob, src)["balance"] == 3_000_000 - 1_000_000 - 500_000 + 400_000


@pytest.fixture(scope="module")
def erin_delegated(chain, client):
    """erin has delegated 1000usrt to validator3."""
    erin = chain.wallets["erin"].address
    send(client, chain, "erin", MsgDelegate(delegator=erin, validator=valoper("validator3"), amount=usrt(1_000)))


@pytest.mark.parametrize("make_msg, code", [
    (lambda who, val: MsgUndelegate(delegator=who, validator=val, amount=usrt(1_001)), 12),
    (lambda who, val: MsgUndelegate(delegator=who, validator=valoper("validator0"), amount=usrt(1)), 11),
    (lambda who, val: MsgDelegate(delegator=who, validator=val, amount=Coin(denom="uusd", amount=5)), 5),
    (lambda who, val: MsgDelegate(delegator=who, validator=ValAddress(UNKNOWN_VALOPER), amount=usrt(5)), 4),
    (lambda who, val: MsgCancelUnbondingDelegation(delegator=who, validator=val, amount=usrt(5), creation_height=1),
     17),
])
def test_invalid_staking_msgs_fail_in_simulation_with_the_modules_code(chain, client, erin_delegated, make_msg,
                                                                        code):
    wallet = chain.wallets["erin"]
    sequence = chain.sequence("erin")
    with pytest.raises(SuretyError) as info:
        send_msgs(client, wallet.key, [make_msg(wallet.address, valoper("validator3"))])
    assert (info.value.codespace, info.value.code) == ("staking", code)
    assert chain.sequence("erin") == sequence  # nothing was signed or sent


def test_new_key_is_not_a_validator(chain, client):
    stranger = ValAddress.from_raw(address_of(PrivateKey.generate().public_key.raw))
    with pytest.raises(SuretyError) as info:
        client.validator(stranger)
    assert (info.value.codespace, info.value.code) == ("sdk", 38)
