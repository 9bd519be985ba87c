"""Insurance over HTTP and through the SDK, against a live devnet: a validator offers a term, a delegator buys, and the
read routes (terms, insurances, solvency with and without proofs, refunds) answer with the module's records and the
chain's coded errors."""
from __future__ import annotations

import pytest

from api_helpers import assert_error
from suretychain.client.client import Client
from suretychain.client.keyring import mnemonic_to_private_key
from suretychain.client.txbuilder import send_msgs
from suretychain.core.crypto import encode_address
from suretychain.core.dec import Dec
from suretychain.core.encoding import Address, ValAddress
from suretychain.core.errors import SuretyError
from suretychain.core.tx import Coin
from suretychain.modules.insurance.errors import ErrNoDelegation
from suretychain.modules.insurance.types import MsgBuyInsurance, MsgCreateInsuranceTerm, PremiumRate
from suretychain.modules.staking.types import InfractionKind, MsgDelegate
from suretychain.node.devnet.home import devnet_validators

UNKNOWN_VALOPER = encode_address(bytes(range(20)), "surevaloper")
INFRACTIONS = [int(InfractionKind.DOWNTIME), int(InfractionKind.DOUBLE_SIGN)]  # the enum's values in JSON


@pytest.fixture(scope="module")
def client(live_server):
    with Client(live_server.base_url) as client:
        yield client


@pytest.fixture(scope="module")
def insured(chain, client):
    """validator1 offers a term (coverage 0.8, 0.01 usrt per insured usrt, 1 day); alice delegates 10^9 and insures
    5 × 10^8 of it."""
    operator = next(v for v in devnet_validators() if v.name == "validator1")
    key = mnemonic_to_private_key(operator.mnemonic)
    valoper = ValAddress.from_raw(Address(operator.operator).raw)
    created = send_msgs(client, key, [MsgCreateInsuranceTerm(
        operator=Address(operator.operator), coverage=Dec.from_str("0.8"),
        premium=[PremiumRate(denom="usrt", rate=Dec.from_str("0.01"))], duration_ns=86_400 * 10**9,
        slashing_infractions=[InfractionKind.DOWNTIME, InfractionKind.DOUBLE_SIGN])])
    assert created["code"] == 0, created
    term_id = client.insurance_terms(str(valoper))["terms"][-1]["id"]
    alice = chain.wallets["alice"]
    for msg in (MsgDelegate(delegator=alice.address, validator=valoper, amount=Coin(denom="usrt", amount=10**9)),
                MsgBuyInsurance(delegator=alice.address, validator=valoper, term_id=term_id, insured_stake=5 * 10**8)):
        result = send_msgs(client, alice.key, [msg])
        assert result["code"] == 0, result
    return valoper, term_id


def test_terms(chain, client, insured):
    valoper, term_id = insured
    terms = chain.http.get(f"/insurance/terms/{valoper}").json()["terms"]
    term = next(t for t in terms if t["id"] == term_id)
    assert term["coverage"] == "0.8" and term["premium"] == [{"denom": "usrt", "rate": "0.01"}]
    assert term["validator"] == str(valoper) and term["slashing_infractions"] == INFRACTIONS
    assert client.insurance_terms(str(valoper)) == {"terms": terms}
    assert chain.http.get(f"/insurance/terms/{UNKNOWN_VALOPER}").json() == {"terms": []}
    assert_error(chain.http.get("/insurance/terms/surevaloper1bad"), 400, "sdk", 7)


def test_insurances_by_delegator_and_validator(chain, client, insured):
    valoper, term_id = insured
    alice = str(chain.wallets["alice"].address)
    mine = chain.http.get("/insurance/insurances", params={"delegator": alice}).json()["insurances"]
    assert len(mine) == 1 and not mine[0]["finalized"]
    insurance = mine[0]["insurance"]
    assert (insurance["delegator"], insurance["validator"], insurance["insured_stake"]) == (alice, str(valoper),
                                                                                            5 * 10**8)
    assert insurance["term"]["id"] == term_id and insurance["paid"] == [{"denom": "usrt", "amount": 4_750_000}]
    both = client.insurances(delegator=alice, valoper=str(valoper))
    assert both["insurances"] == mine
    assert client.insurances(valoper=str(valoper))["insurances"] == mine
    assert client.insurances(delegator=str(chain.wallets["bob"].address)) == {"insurances": []}


def test_solvency_latest_and_proven(chain, client, insured):
    valoper, _ = insured
    answer = chain.http.get(f"/insurance/solvency/{valoper}").json()
    # liability 0.8 × 5e8 × 0.05 (double sign, the worst covered fraction) = 2e7
    assert answer["total_refund"] == 2 * 10**7 and answer["active_insurances"] == 1
    assert answer["headroom"] == answer["self_bond_after_worst_slash"] - 2 * 10**7
    height = chain.http.get("/status").json()["latest_height"]
    proven = chain.http.get(f"/insurance/solvency/{valoper}", params={"height": height, "prove": "true"}).json()
    assert proven["height"] == height and proven["proofs"]
    assert proven["value"]["total_refund"] == 2 * 10**7
    # the SDK verifies the proofs against the app hash of that block (suretychain.core.proof)
    verified = client.query_verified("insurance/solvency", {"validator": str(valoper)}, height=height)
    assert verified.value == proven["value"]
    assert verified.app_hash == bytes.fromhex(client.block(height)["app_hash"])
    assert client.insurance_solvency(str(valoper), height=height) == proven["value"]


def test_refunds_and_errors(chain, client, insured):
    valoper, _ = insured
    refunds = client.insurance_refunds(valoper=str(valoper))
    assert (refunds["total_refunded"], refunds["total_shortfall"]) == (0, 0) and len(refunds["refunds"]) == 1
    assert chain.http.get("/insurance/refunds").json()["refunds"] == refunds["refunds"]
    assert_error(chain.http.get("/insurance/insurances", params={"delegator": "sure1bad"}), 400, "sdk", 7)


def test_buy_without_delegation_is_the_chains_error(chain, client, insured):
    valoper, term_id = insured
    bob = chain.wallets["bob"]
    with pytest.raises(SuretyError) as caught:
        send_msgs(client, bob.key, [MsgBuyInsurance(delegator=bob.address, validator=valoper, term_id=term_id,
                                                    insured_stake=1)])
    assert (caught.value.codespace, caught.value.code) == (ErrNoDelegation.codespace, ErrNoDelegation.code)
