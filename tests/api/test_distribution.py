"""Distribution over HTTP and through the SDK: rewards, commission, outstanding rewards, withdraw address, community
pool and params; withdrawing rewards and commission pays the withdraw address; misuse gives the module's codes."""
from __future__ import annotations

import time

import pytest

from api_helpers import assert_error
from suretychain.client.client import Client
from suretychain.client.keyring import mnemonic_to_private_key
from suretychain.client.txbuilder import send_msgs
from suretychain.core.crypto import PrivateKey, address_of, encode_address, module_address
from suretychain.core.dec import Dec, Rounding
from suretychain.core.encoding import Address, ValAddress
from suretychain.core.errors import SuretyError
from suretychain.core.tx import Coin
from suretychain.modules.distribution.types import (
    DISTRIBUTION_ACCOUNT,
    MsgFundCommunityPool,
    MsgSetWithdrawAddress,
    MsgWithdrawDelegatorReward,
    MsgWithdrawValidatorCommission,
)
from suretychain.modules.staking.types import MsgDelegate
from suretychain.node.devnet.home import devnet_validators

UNKNOWN_VALOPER = encode_address(bytes(range(20)), "surevaloper")


def operator_key(name: str) -> PrivateKey:
    """The operator account key of devnet validator ``name``."""
    return mnemonic_to_private_key(next(v.mnemonic for v in devnet_validators() if v.name == name))


def valoper(name: str) -> ValAddress:
    return ValAddress.from_raw(address_of(operator_key(name).public_key.raw))


def fresh_address() -> Address:
    return Address(encode_address(PrivateKey.generate().public_key.address))


def total(coins: list[dict], denom: str = "usrt") -> Dec:
    return sum((Dec.from_str(c["amount"]) for c in coins if c["denom"] == denom), Dec.ZERO)


@pytest.fixture(scope="module")
def client(live_server):
    with Client(live_server.base_url) as client:
        yield client


def commit(client: Client, key: PrivateKey, *msgs) -> dict:
    result = send_msgs(client, key, list(msgs))
    assert result["code"] == 0, result
    return result


def test_params_and_community_pool(chain, client):
    params = chain.http.get("/distribution/params").json()
    assert set(params) == {"community_tax", "inflation", "withdraw_addr_enabled"}
    assert client.distribution_params() == params
    before = total(client.community_pool()["pool"])
    erin = chain.wallets["erin"]
    commit(client, erin.key, MsgFundCommunityPool(depositor=erin.address, amount=[Coin(denom="usrt", amount=1_000)]))
    pool = chain.http.get("/distribution/community-pool").json()["pool"]
    assert total(pool) >= before + Dec.from_int(1_000)


def test_withdraw_rewards_pays_the_withdraw_address(chain, client):
    dave = chain.wallets["dave"]
    validator = valoper("validator2")
    recipient = fresh_address()
    commit(client, dave.key, MsgDelegate(delegator=dave.address, validator=validator,
                                         amount=Coin(denom="usrt", amount=100_000 * 10**6)))
    commit(client, dave.key, MsgSetWithdrawAddress(delegator=dave.address, withdraw_address=recipient))
    assert client.withdraw_address(dave.address) == {"withdraw_address": recipient}
    time.sleep(0.3)  # block rewards follow block time
    commit(client, chain.wallets["erin"].key, MsgFundCommunityPool(depositor=chain.wallets["erin"].address,
                                                                   amount=[Coin(denom="usrt", amount=1)]))
    rewards = chain.http.get(f"/distribution/rewards/{dave.address}").json()
    assert [entry["validator"] for entry in rewards["rewards"]] == [validator]
    assert total(rewards["total"]) >= Dec.ONE
    assert client.rewards(dave.address, validator) == rewards
    outstanding = total(client.outstanding_rewards(validator)["rewards"])
    assert outstanding >= total(rewards["total"])

    commit(client, dave.key, MsgWithdrawDelegatorReward(delegator=dave.address, validator=validator))
    assert chain.balance(recipient) >= total(rewards["total"]).to_int(Rounding.DOWN) > 0  # from nothing


def test_withdraw_commission_pays_the_operators_withdraw_address(chain, client):
    key, validator = operator_key("validator3"), valoper("validator3")
    operator = Address.from_raw(validator.raw)
    recipient = fresh_address()
    commit(client, key, MsgSetWithdrawAddress(delegator=operator, withdraw_address=recipient))
    commission = total(chain.http.get(f"/distribution/commission/{validator}").json()["commission"])
    assert commission >= Dec.ONE
    commit(client, key, MsgWithdrawValidatorCommission(validator=validator))
    assert chain.balance(recipient) >= commission.to_int(Rounding.DOWN) > 0
    assert total(client.commission(validator)["commission"]) < commission


@pytest.mark.parametrize("make_msg, code", [
    (lambda who: MsgWithdrawDelegatorReward(delegator=who, validator=valoper("validator1")), 2),
    (lambda who: MsgWithdrawDelegatorReward(delegator=who, validator=ValAddress(UNKNOWN_VALOPER)), 3),
    (lambda who: MsgWithdrawValidatorCommission(validator=ValAddress.from_raw(who.raw)), 4),
    (lambda who: MsgSetWithdrawAddress(delegator=who, withdraw_address=Address.from_raw(
        module_address(DISTRIBUTION_ACCOUNT))), 6),
])
def test_misuse_fails_in_simulation_with_the_modules_code(chain, client, make_msg, code):
    carol = chain.wallets["carol"]
    with pytest.raises(SuretyError) as info:
        send_msgs(client, carol.key, [make_msg(carol.address)])
    assert (info.value.codespace, info.value.code) == ("distribution", code)


def test_read_errors(chain):
    alice = chain.wallets["alice"].address
    for path in ("/distribution/rewards/sure1bad", f"/distribution/rewards/{alice}/surevaloper1bad",
                 "/distribution/commission/surevaloper1bad", "/distribution/outstanding/surevaloper1bad",
                 "/distribution/withdraw-address/sure1bad", f"/distribution/commission/{alice}"):
        assert_error(chain.http.get(path), 400, "sdk", 7)
    unknown = chain.http.get(f"/distribution/rewards/{alice}/{UNKNOWN_VALOPER}").json()["error"]
    assert (unknown["codespace"], unknown["code"]) == ("distribution", 3)
    no_delegation = chain.http.get(f"/distribution/rewards/{alice}/{valoper('validator0')}").json()["error"]
    assert (no_delegation["codespace"], no_delegation["code"]) == ("distribution", 2)
    assert chain.http.get(f"/distribution/rewards/{alice}").json() == {"rewards": [], "total": []}
    assert chain.http.get(f"/distribution/withdraw-address/{alice}").json() == {"withdraw_address": alice}
